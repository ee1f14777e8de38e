"""What erasing a person, or wiping one post, does to voorstellen, koppelingen and check-ins.
See ``accounts.privacy.ERASE_RULES``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.privacy import Erasure
from omkijken.platform.accounts.signals import user_erased
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen import nazorg
from omkijken.platform.koppelingen.lifecycle import LIVE
from omkijken.platform.koppelingen.models import (
    Afhandeling,
    Checkin,
    Koppeling,
    Voorstel,
    WelzijnMeting,
    dienst_coordinatoren,
)
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.posts.signals import post_wiped
from omkijken.platform.system.mail import queue_mail


@post_wiped.connect
def wipe_around_post(post_id: int, **_: Any) -> None:
    """What the coordinator noted, the reasons of voorstellen and the remarks of check-ins."""
    db.session.execute(update(Afhandeling).where(Afhandeling.hulpvraag_id == post_id).values(tekst="")
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Voorstel).where(Voorstel.hulpvraag_id == post_id).values(afwijs_reden="")
                       .execution_options(synchronize_session=False))
    koppeling_ids = select(Koppeling.id).where(Koppeling.hulpvraag_id == post_id).scalar_subquery()
    db.session.execute(update(Checkin).where(Checkin.koppeling_id.in_(koppeling_ids))
                       .values(opmerking="", notitie="").execution_options(synchronize_session=False))


def _stop_koppeling(koppeling: Koppeling, user: User, *, now: datetime) -> None:
    """The platform can no longer follow a koppeling one of the two left: it stops ('anders', the
    only reason ``matching.durability`` knows that fits), the coordinator's log says why, and the
    other person and the dienst's coordinators get a mail."""
    nazorg.end(koppeling, "anders", now=now)
    db.session.add(Afhandeling(hulpvraag_id=koppeling.hulpvraag_id, soort="notitie", created_at=now,
                               tekst="Gestopt: een van de twee heeft het account verwijderd."))
    other = koppeling.vrijwilliger if koppeling.hulpvrager_id == user.id else koppeling.hulpvrager
    receivers = [(other, "accounts/email/koppeling_gestopt.txt")]
    if koppeling.dienst is not None:
        receivers += [(c, "accounts/email/koppeling_gestopt_coordinator.txt") for c in koppeling.dienst.coordinatoren
                      if c.id != user.id and c.verwijderd_at is None]
    for receiver, template in receivers:
        queue_mail(receiver, _l("Een koppeling is gestopt"), template, now=now, koppeling=koppeling)


@user_erased.connect
def end_koppelingen(user: User, *, now: datetime, result: Erasure, **_: Any) -> None:
    """Waiting voorstellen lapse, running koppelingen stop, the person's remarks go and they no longer
    coordinate a dienst (after the mails, which skip them anyway)."""
    uid = user.id
    vragen = select(Hulpvraag.id).where(Hulpvraag.auteur_id == uid).scalar_subquery()
    db.session.execute(update(Voorstel).where(
        or_(Voorstel.vrijwilliger_id == uid, Voorstel.hulpvraag_id.in_(vragen)), Voorstel.status.in_(LIVE)
    ).values(status="vervallen", updated_at=now).execution_options(synchronize_session=False))
    db.session.execute(update(Voorstel).where(Voorstel.vrijwilliger_id == uid).values(afwijs_reden="")
                       .execution_options(synchronize_session=False))

    for koppeling in db.session.scalars(select(Koppeling).where(
            or_(Koppeling.hulpvrager_id == uid, Koppeling.vrijwilliger_id == uid), Koppeling.status == "actief")):
        _stop_koppeling(koppeling, user, now=now)
        result.koppelingen_gestopt += 1
    db.session.execute(update(Checkin).where(Checkin.user_id == uid).values(opmerking="", notitie="")
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(dienst_coordinatoren).where(dienst_coordinatoren.c.user_id == uid))
    forget_welzijn(uid)


def forget_welzijn(uid: int) -> None:
    """How a person said she was doing goes with her, unlike a check-in's answer about the koppeling:
    it is about her (her health, her loneliness), not about the help. The effect figures are
    estimates from a sample with an interval; losing one person there is honest, keeping what she
    said about herself against her wish is not."""
    db.session.execute(delete(WelzijnMeting).where(WelzijnMeting.user_id == uid)
                       .execution_options(synchronize_session=False))
