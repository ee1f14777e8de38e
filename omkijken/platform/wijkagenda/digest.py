"""The weekly digest for residents who follow a wijk: new punten on the wijkagenda, decisions
on punten, a published sociale agenda, and new activiteiten. One mail per person per week.

Each person is claimed with a conditional UPDATE of ``gemaild_tot`` in the same transaction as
the mail's outbox row, so two beat processes at once, or a sweep run twice, send nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from omkijken.platform import links
from omkijken.platform.accounts.models import User
from omkijken.platform.areas.models import Wijk
from omkijken.platform.clock import as_utc
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts.models import Activiteit
from omkijken.platform.system.mail import queue_mail
from omkijken.platform.system.models import AuditEntry
from omkijken.platform.wijkagenda.models import Agendapunt, Wijkvolger
from omkijken.platform.wijkagenda.vocabulary import BESLUITEN

WEEK = timedelta(days=7)
# Beat runs weekly; a little slack so a run a few hours early still counts as next week's.
MIN_GAP = timedelta(days=6)


@dataclass
class Wijknieuws:
    wijk: Wijk
    nieuw: list[Agendapunt] = field(default_factory=list)
    besluiten: list[tuple[AuditEntry, Agendapunt]] = field(default_factory=list)
    agenda_gepubliceerd: bool = False
    activiteiten: list[Activiteit] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.nieuw or self.besluiten or self.agenda_gepubliceerd or self.activiteiten)


def news(wijk: Wijk, *, since: datetime, now: datetime) -> Wijknieuws:
    result = Wijknieuws(wijk)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.wijk_id == wijk.id, AuditEntry.at > since, AuditEntry.at <= now)
        .order_by(AuditEntry.at))
    for entry in entries:
        if entry.onderwerp == "sociale_agenda" and entry.besluit == "publiceren":
            result.agenda_gepubliceerd = True
        if entry.onderwerp != "agendapunt":
            continue
        punt = db.session.get(Agendapunt, entry.onderwerp_id)
        if punt is None or not punt.is_public:
            continue
        if entry.besluit == "goedkeuren":
            result.nieuw.append(punt)
        elif entry.besluit not in ("wijziging_vragen", "weigeren", "samenvoegen"):
            result.besluiten.append((entry, punt))
    result.activiteiten = list(db.session.scalars(
        select(Activiteit).where(Activiteit.wijk_id == wijk.id, Activiteit.created_at > since,
                                 Activiteit.created_at <= now, Activiteit.verborgen.is_(False),
                                 Activiteit.status == "open",
                                 or_(Activiteit.start >= now, Activiteit.herhaling != ""))
        .order_by(Activiteit.start).limit(10)))
    return result


def unsubscribe_url(user: User) -> str:
    value = links.sign("wijkdigest_uit", user.id)
    return f"{current_app.config['SITE_URL']}/wijkagenda/mail-uit/{value}"


def read_unsubscribe(value: str) -> int | None:
    """The user id in an unsubscribe link, or None when it was tampered with. These links do
    not expire: switching a mail off must always work."""
    return links.read_id("wijkdigest_uit", value)


def _claim(user_id: int, *, now: datetime) -> bool:
    """Take this person's digest of this week; False when another run (or an earlier one this week) has."""
    due = or_(Wijkvolger.gemaild_tot.is_(None), Wijkvolger.gemaild_tot <= now - MIN_GAP)
    claimed = db.session.execute(
        update(Wijkvolger).where(Wijkvolger.user_id == user_id, Wijkvolger.per_mail.is_(True), due)
        .values(gemaild_tot=now).execution_options(synchronize_session=False))
    return bool(claimed.rowcount)


def send_digests(*, now: datetime) -> int:
    """Write this week's digest for everyone who follows a wijk by mail; how many were sent."""
    sent = 0
    due = or_(Wijkvolger.gemaild_tot.is_(None), Wijkvolger.gemaild_tot <= now - MIN_GAP)
    user_ids = list(db.session.scalars(
        select(Wijkvolger.user_id).where(Wijkvolger.per_mail.is_(True), due).distinct()))
    for user_id in user_ids:
        volgers = list(db.session.scalars(select(Wijkvolger).where(
            Wijkvolger.user_id == user_id, Wijkvolger.per_mail.is_(True)).order_by(Wijkvolger.id)))
        starts = {v.wijk_id: max(as_utc(v.gemaild_tot or v.created_at), now - WEEK) for v in volgers}
        if not _claim(user_id, now=now):
            db.session.rollback()
            continue
        per_wijk = [news(v.wijk, since=starts[v.wijk_id], now=now) for v in volgers]
        per_wijk = [n for n in per_wijk if not n.empty]
        if per_wijk:
            user = db.session.get(User, user_id)
            uit = unsubscribe_url(user)
            queue_mail(user, _l("Nieuws uit je wijk"), "wijkagenda/email/digest.txt", now=now, unsubscribe=uit,
                       list_id="wijkdigest",
                       per_wijk=per_wijk, uit=uit, besluiten=BESLUITEN)
            sent += 1
        db.session.commit()  # a job of many items commits each: one that fails keeps the others sent
    return sent
