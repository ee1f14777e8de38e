"""What a resident's hulpvraag waits for, in her words, and the one mail when it waits too long
(issue 22, item 7).

What the code does after a vraag is posted, and so what she is told: the worker matches it at once
(``pipeline.match_post`` through the outbox), again every night (``pipeline.match_all``), and
whenever a volunteer nearby signs up or changes her aanbod. A voorstel mails her (``notify``), and
she says yes or no. A vraag still without a voorstel after ``WACHT_DAGEN_COORDINATOR`` days (7)
shows up in the coordinator's queue (``wachtrij``); then she gets one mail that it takes longer,
with what she can do (the seeds ask that a client hears when a term is not met, 004:262-264).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, exists, select, update

from omkijken.platform.clock import as_utc
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import notify
from omkijken.platform.koppelingen.lifecycle import LIVE
from omkijken.platform.koppelingen.models import Koppeling, Voorstel
from omkijken.platform.posts.models import Hulpvraag

# The stands of an open vraag, as its author reads them (koppelingen/_wat_nu.html).
ZOEKEN = "zoeken"                    # no voorstel yet, younger than the waiting days
TE_LANG = "te_lang"                  # no voorstel after the waiting days: the coordinator looks too
BIJ_COORDINATOR = "bij_coordinator"  # a mediated dienst's coordinator looks at a voorstel first
ANTWOORD = "antwoord"                # a voorstel waits for her yes or no
WACHT_OP_VRIJWILLIGER = "wacht_op_vrijwilliger"  # she said yes, the volunteer has not yet
GEKOPPELD = "gekoppeld"              # a koppeling runs


@dataclass(frozen=True)
class Stand:
    code: str
    dagen: int
    voorstel: Voorstel | None = None
    koppeling: Koppeling | None = None


def wacht_dagen() -> int:
    """After how many days without a voorstel the coordinator looks and the resident hears it."""
    return current_app.config["WACHT_DAGEN_COORDINATOR"]


def _has_voorstel():
    """The vraag has a voorstel that waits, or one that became a koppeling (as the coordinator's queue)."""
    return exists().where(Voorstel.hulpvraag_id == Hulpvraag.id, Voorstel.status.in_((*LIVE, "gekoppeld")))


def waiting_too_long(*, now: datetime) -> Select:
    """Open, shown vragen without a voorstel for ``wacht_dagen()`` days."""
    return select(Hulpvraag).where(
        Hulpvraag.status == "open", Hulpvraag.verborgen.is_(False),
        Hulpvraag.created_at <= now - timedelta(days=wacht_dagen()), ~_has_voorstel(),
    )


def stand(vraag: Hulpvraag, *, now: datetime) -> Stand | None:
    """Where an open vraag stands; None for a closed, paused or hidden one (its page says so)."""
    if vraag.status != "open" or vraag.verborgen:
        return None
    dagen = wacht_dagen()
    koppeling = db.session.scalar(
        select(Koppeling).where(Koppeling.hulpvraag_id == vraag.id, Koppeling.status == "actief").limit(1))
    if koppeling is not None:
        return Stand(GEKOPPELD, dagen, koppeling=koppeling)
    voorstel = db.session.scalar(
        select(Voorstel).where(Voorstel.hulpvraag_id == vraag.id, Voorstel.status.in_(LIVE))
        .order_by(Voorstel.created_at.desc()).limit(1))
    if voorstel is not None:
        if voorstel.status == "te_bevestigen":
            return Stand(BIJ_COORDINATOR, dagen, voorstel=voorstel)
        if voorstel.vraag_akkoord_at is None:
            return Stand(ANTWOORD, dagen, voorstel=voorstel)
        return Stand(WACHT_OP_VRIJWILLIGER, dagen, voorstel=voorstel)
    ever_matched = db.session.scalar(
        select(Voorstel.id).where(Voorstel.hulpvraag_id == vraag.id, Voorstel.status == "gekoppeld").limit(1))
    if ever_matched is None and as_utc(vraag.created_at) <= as_utc(now) - timedelta(days=dagen):
        return Stand(TE_LANG, dagen)
    return Stand(ZOEKEN, dagen)


def still_searching(user: Any) -> list[Hulpvraag]:
    """The person's own open vragen that wait for a volunteer: no voorstel waits, no koppeling runs."""
    live = exists().where(Voorstel.hulpvraag_id == Hulpvraag.id, Voorstel.status.in_(LIVE))
    running = exists().where(Koppeling.hulpvraag_id == Hulpvraag.id, Koppeling.status == "actief")
    return list(db.session.scalars(
        select(Hulpvraag).where(Hulpvraag.auteur_id == user.id, Hulpvraag.status == "open",
                                Hulpvraag.verborgen.is_(False), ~live, ~running)
        .order_by(Hulpvraag.created_at.desc(), Hulpvraag.id.desc())
    ))


def waits_for_answer(voorstel: Voorstel, user: Any) -> bool:
    """Whether this open voorstel waits for ``user``'s yes or no (either side)."""
    if voorstel.status != "open" or not getattr(user, "is_authenticated", False):
        return False
    if user.id == voorstel.vrijwilliger_id:
        return voorstel.vrijwilliger_akkoord_at is None
    vraag = voorstel.hulpvraag
    return user.id in (vraag.auteur_id, vraag.namens_id) and voorstel.vraag_akkoord_at is None


def mail_long_waits(*, now: datetime) -> int:
    """The daily job: mail each resident whose vraag waited ``wacht_dagen()`` days without a
    voorstel, once per vraag. Each vraag is claimed with one conditional UPDATE before its mail is
    written, so a job that runs twice, or twice at once, mails nobody twice."""
    table = Hulpvraag.__table__
    sent = 0
    for vraag in db.session.scalars(
        waiting_too_long(now=now).where(Hulpvraag.wacht_gemeld_at.is_(None)).order_by(Hulpvraag.id)
    ).all():
        claimed = db.session.execute(
            update(table).where(table.c.id == vraag.id, table.c.wacht_gemeld_at.is_(None))
            .values(wacht_gemeld_at=now)
        ).rowcount
        if claimed != 1:
            continue
        notify.lange_wacht(vraag, dagen=wacht_dagen(), now=now)
        sent += 1
    db.session.flush()
    return sent
