"""Follow-up after a grant: reminders of the accountability, and "bestaat het nog?" a year after
the support ended (the target: 80% of initiatieven still active one year after support ends,
004:932). Beat runs :func:`sweep` once a day; ``omkijken subsidie-opvolging --now`` does the same.

The accountability (``verantwoording_gevraagd``) is due four weeks after the gemeente asked for it
(the moment of that step in the audit log; the activity's date is free text, so it cannot be the
clock). Is it not in by then, the aanvrager gets a reminder on the due date, and a second one two
weeks after the first; never more than two. A sweep that did not run for a while sends one
reminder, not two at once.

A year after the support ended (``steun_eind``, set when the gemeente closes the aanvraag), the
initiatief's author gets one mail: does the initiatief still exist? Two signed links, "ja" and
"nee" (their own salt, 30 days valid, good for one answer); a link opens a page with one button,
because mail scanners open links and must not answer for people. Only the answer is kept; the
initiatief's fase is the author's to change. One question per closed aanvraag: each grant is one
end of support.

Each mail is claimed with a conditional UPDATE of the aanvraag in the same transaction as its
outbox row, so two sweeps at once (or one that runs twice) send nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from omkijken.platform import links
from omkijken.platform.accounts.models import User
from omkijken.platform.clock import as_utc, local, werkdag
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.links import LinkInvalid
from omkijken.platform.subsidies.models import Regeling, Subsidieaanvraag
from omkijken.platform.system.mail import queue_mail
from omkijken.platform.system.models import AuditEntry

VERANTWOORDING_TERMIJN = timedelta(weeks=4)
HERINNER_OPNIEUW = timedelta(weeks=2)
MAX_HERINNERINGEN = 2
BESTAAT_NOG_NA_DAGEN = 365
LINK_DAGEN = 30
ANSWERS = ("ja", "nee")
DOEL = 0.80


class OpvolgingError(RuleBroken):
    """The answer cannot be stored (asked for nothing, or answered already)."""


@dataclass(frozen=True)
class SweepResult:
    herinneringen: int
    bestaat_nog: int


@dataclass(frozen=True)
class BestaatNog:
    """The one-year figures for the gemeente's dashboard: answered ja, nee, and asked without an
    answer. ``share`` is ja of those who answered, None while nobody did."""

    ja: int
    nee: int
    open: int
    doel: float = DOEL

    @property
    def beantwoord(self) -> int:
        return self.ja + self.nee

    @property
    def gevraagd(self) -> int:
        return self.ja + self.nee + self.open

    @property
    def share(self) -> float | None:
        return self.ja / self.beantwoord if self.beantwoord else None

    @property
    def procent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    @property
    def doel_procent(self) -> int:
        return round(self.doel * 100)

    @property
    def haalt_doel(self) -> bool | None:
        return None if self.share is None else self.share >= self.doel


# ---- the sweep -----------------------------------------------------------------------------------

def sweep(*, now: datetime) -> SweepResult:
    """Both follow-ups that are due at ``now``."""
    return SweepResult(herinneringen=remind(now=now), bestaat_nog=ask_bestaat_nog(now=now))


def asked_at(aanvraag_ids: list[int]) -> dict[int, datetime]:
    """When the gemeente asked for the accountability, per aanvraag: the audit entry of the step."""
    if not aanvraag_ids:
        return {}
    rows = db.session.execute(
        select(AuditEntry.onderwerp_id, func.max(AuditEntry.at)).where(
            AuditEntry.onderwerp == "subsidieaanvraag", AuditEntry.besluit == "verantwoording_gevraagd",
            AuditEntry.onderwerp_id.in_(aanvraag_ids)).group_by(AuditEntry.onderwerp_id))
    return {aanvraag_id: as_utc(at) for aanvraag_id, at in rows}


def reminder_due(aanvraag: Subsidieaanvraag, asked: datetime, *, now: datetime) -> bool:
    """The rule of the module's docstring, for one aanvraag that waits for its accountability."""
    if aanvraag.herinneringen >= MAX_HERINNERINGEN:
        return False
    if aanvraag.herinneringen == 0:
        return now >= asked + VERANTWOORDING_TERMIJN
    last = as_utc(aanvraag.herinnerd_at) if aanvraag.herinnerd_at else asked + VERANTWOORDING_TERMIJN
    return now >= max(asked + VERANTWOORDING_TERMIJN + HERINNER_OPNIEUW, last + HERINNER_OPNIEUW)


def remind(*, now: datetime) -> int:
    """Remind the aanvragers whose accountability is due; how many mails went out."""
    waiting = db.session.scalars(select(Subsidieaanvraag).where(
        Subsidieaanvraag.status == "verantwoording_gevraagd", Subsidieaanvraag.aanvrager_id.is_not(None),
        Subsidieaanvraag.herinneringen < MAX_HERINNERINGEN).order_by(Subsidieaanvraag.id)).all()
    asked = asked_at([a.id for a in waiting])
    sent = 0
    for aanvraag in waiting:
        since = asked.get(aanvraag.id) or as_utc(aanvraag.besloten_at or aanvraag.updated_at)
        if not reminder_due(aanvraag, since, now=now):
            continue
        count = aanvraag.herinneringen
        claimed = db.session.execute(
            update(Subsidieaanvraag).where(
                Subsidieaanvraag.id == aanvraag.id, Subsidieaanvraag.status == "verantwoording_gevraagd",
                Subsidieaanvraag.herinneringen == count)
            .values(herinneringen=count + 1, herinnerd_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        db.session.refresh(aanvraag)
        _mail_reminder(aanvraag, due=since + VERANTWOORDING_TERMIJN, now=now)
        db.session.commit()  # a job of many items commits each: one that fails keeps the others sent
        sent += 1
    return sent


def _mail_reminder(aanvraag: Subsidieaanvraag, *, due: datetime, now: datetime) -> None:
    aanvrager = aanvraag.aanvrager
    queue_mail(aanvrager, _l("Vertel je nog hoe het ging? %(titel)s", titel=aanvraag.titel),
               "subsidies/email/opvolging_herinnering.txt", now=now, aanvraag=aanvraag,
               uiterlijk=werkdag(local(due).date()), laatste=aanvraag.herinneringen >= MAX_HERINNERINGEN)


def recipient(aanvraag: Subsidieaanvraag) -> User | None:
    """Who is asked whether the initiatief still exists: its author, else who applied."""
    if aanvraag.initiatief is not None and aanvraag.initiatief.auteur is not None:
        return aanvraag.initiatief.auteur
    return aanvraag.aanvrager


def ask_bestaat_nog(*, now: datetime) -> int:
    """Ask, a year after the support ended, whether the initiatief still exists; how many mails."""
    until = local(now).date() - timedelta(days=BESTAAT_NOG_NA_DAGEN)
    due = db.session.scalars(select(Subsidieaanvraag).where(
        Subsidieaanvraag.status == "afgesloten", Subsidieaanvraag.steun_eind.is_not(None),
        Subsidieaanvraag.steun_eind <= until, Subsidieaanvraag.bestaat_nog_gevraagd_at.is_(None),
    ).order_by(Subsidieaanvraag.id)).all()
    sent = 0
    for aanvraag in due:
        person = recipient(aanvraag)
        if person is None:
            continue
        claimed = db.session.execute(
            update(Subsidieaanvraag).where(Subsidieaanvraag.id == aanvraag.id,
                                           Subsidieaanvraag.bestaat_nog_gevraagd_at.is_(None))
            .values(bestaat_nog_gevraagd_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        db.session.refresh(aanvraag)
        naam = aanvraag.initiatief.titel if aanvraag.initiatief is not None else aanvraag.titel
        queue_mail(person, _l("Bestaat %(titel)s nog?", titel=naam), "subsidies/email/opvolging_bestaat_nog.txt",
                   now=now, aanvraag=aanvraag, ja=url(aanvraag.id, person.id, "ja"),
                   nee=url(aanvraag.id, person.id, "nee"), dagen=LINK_DAGEN)
        db.session.commit()  # a job of many items commits each: one that fails keeps the others sent
        sent += 1
    return sent


# ---- the signed links ----------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkAnswer:
    aanvraag_id: int
    user_id: int
    answer: str

    @property
    def ja(self) -> bool:
        return self.answer == "ja"


def token(aanvraag_id: int, user_id: int, answer: str) -> str:
    if answer not in ANSWERS:
        raise ValueError(answer)
    return links.sign("bestaat_nog", aanvraag_id, user_id, answer)


def url(aanvraag_id: int, user_id: int, answer: str) -> str:
    return f"{current_app.config['SITE_URL']}/subsidies/bestaat-nog/{token(aanvraag_id, user_id, answer)}"


def read(value: str) -> LinkAnswer:
    """The link's content; LinkInvalid when it was changed, made with another salt, or is older
    than ``LINK_DAGEN``."""
    try:
        aanvraag_id, user_id, answer = links.read("bestaat_nog", value, max_age=timedelta(days=LINK_DAGEN))
        loaded = LinkAnswer(int(aanvraag_id), int(user_id), answer)
    except (ValueError, TypeError) as error:
        raise LinkInvalid(expired=False) from error
    if answer not in ANSWERS:
        raise LinkInvalid(expired=False)
    return loaded


def may_answer(aanvraag: Subsidieaanvraag, user_id: int) -> bool:
    """Only the person who was asked, and only while no answer is in."""
    person = recipient(aanvraag)
    return (person is not None and person.id == user_id and aanvraag.bestaat_nog_gevraagd_at is not None)


def answer(aanvraag: Subsidieaanvraag, ja: bool, *, now: datetime) -> Subsidieaanvraag:
    """Keep the answer; the first one counts (a conditional UPDATE, so two taps store one)."""
    stored = db.session.execute(
        update(Subsidieaanvraag).where(Subsidieaanvraag.id == aanvraag.id,
                                       Subsidieaanvraag.bestaat_nog_gevraagd_at.is_not(None),
                                       Subsidieaanvraag.bestaat_nog.is_(None))
        .values(bestaat_nog=ja, bestaat_nog_at=now).execution_options(synchronize_session=False))
    if stored.rowcount != 1:
        db.session.rollback()
        raise OpvolgingError("", _l("Je hebt deze vraag al beantwoord. Dank je!"))
    db.session.flush()
    db.session.refresh(aanvraag)
    return aanvraag


# ---- the figures ---------------------------------------------------------------------------------

def summary(gemeente_id: int | None = None) -> BestaatNog:
    """Ja, nee and open answers to "bestaat het nog?", of one gemeente (by the regeling that paid)
    or of all."""
    gevraagd = select(Subsidieaanvraag.bestaat_nog, func.count(Subsidieaanvraag.id)).where(
        Subsidieaanvraag.bestaat_nog_gevraagd_at.is_not(None))
    if gemeente_id is not None:
        gevraagd = gevraagd.join(Regeling, Regeling.id == Subsidieaanvraag.regeling_id).where(
            Regeling.gemeente_id == gemeente_id)
    counts = {value: count for value, count in db.session.execute(gevraagd.group_by(Subsidieaanvraag.bestaat_nog))}
    return BestaatNog(ja=counts.get(True, 0), nee=counts.get(False, 0), open=counts.get(None, 0))
