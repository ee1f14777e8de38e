"""What the gemeente's pages read: the intake queue with each aanvraag's check, the pots per
regeling, and the counts by soort, wijk and outcome. Reading only; the rules stay in ``services``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import may, wijk_ids
from omkijken.platform.clock import local
from omkijken.platform.extensions import db
from omkijken.platform.subsidies import lifecycle, services, volledigheid
from omkijken.platform.subsidies.models import SOORTEN, Regeling, Subsidieaanvraag
from omkijken.platform.system.models import AuditEntry

# The order in which the officer works the open statuses: what waits for the gemeente first.
QUEUE_ORDER = ("ingediend", "in_behandeling", "vragen_gesteld", "advies_gevraagd")
# Where a decided aanvraag ended up, for counting outcomes.
UITKOMSTEN = ("toegekend", "deels_toegekend", "afgewezen", "ingetrokken", "open")


@dataclass
class Regel:
    """One aanvraag in the queue with what the officer sees at a glance."""

    aanvraag: Subsidieaanvraag
    check: volledigheid.Volledigheid
    dagen_over: int | None  # days until beslis_voor; negative when late

    @property
    def te_laat(self) -> bool:
        return self.dagen_over is not None and self.dagen_over < 0


@dataclass
class Wachtrij:
    per_status: dict[str, list[Regel]] = field(default_factory=dict)
    verantwoording: list[Subsidieaanvraag] = field(default_factory=list)  # asked, waiting for the aanvrager
    af_te_sluiten: list[Subsidieaanvraag] = field(default_factory=list)  # verantwoord: the officer closes
    te_verantwoorden: list[Subsidieaanvraag] = field(default_factory=list)  # granted: ask for the account
    advies: list[Regel] = field(default_factory=list)  # for the opbouwwerker: advice asked in their wijken

    @property
    def open_count(self) -> int:
        return sum(len(r) for r in self.per_status.values())


def _oldest_first(stmt: Any) -> Any:
    return stmt.order_by(Subsidieaanvraag.ingediend_at.is_(None), Subsidieaanvraag.ingediend_at,
                         Subsidieaanvraag.id)


def _loaded(stmt: Any) -> list[Subsidieaanvraag]:
    return list(db.session.scalars(stmt.options(
        selectinload(Subsidieaanvraag.regels), selectinload(Subsidieaanvraag.regeling),
        selectinload(Subsidieaanvraag.wijk), selectinload(Subsidieaanvraag.aanvrager))))


def regel(aanvraag: Subsidieaanvraag, *, today: date) -> Regel:
    check = volledigheid.completeness(aanvraag)
    dagen = (aanvraag.beslis_voor - today).days if aanvraag.beslis_voor else None
    return Regel(aanvraag, check, dagen)


def wachtrij(user: User, *, now: datetime) -> Wachtrij:
    """The officer's queue (gemeente and beheerder: every open aanvraag), or for an opbouwwerker
    only the aanvragen of their wijken that wait for their advice."""
    today = local(now).date()
    queue = Wachtrij()
    officer = may(user, "subsidies_behandelen")
    if officer:
        found = _loaded(_oldest_first(select(Subsidieaanvraag).where(
            Subsidieaanvraag.status.in_(lifecycle.OPEN))))
        for status in QUEUE_ORDER:
            queue.per_status[status] = [regel(a, today=today) for a in found if a.status == status]
        later = _loaded(_oldest_first(select(Subsidieaanvraag).where(
            Subsidieaanvraag.status.in_(("toegekend", "deels_toegekend", "verantwoording_gevraagd", "verantwoord")))))
        queue.te_verantwoorden = [a for a in later if a.status in lifecycle.TOEKENNINGEN]
        queue.verantwoording = [a for a in later if a.status == "verantwoording_gevraagd"]
        queue.af_te_sluiten = [a for a in later if a.status == "verantwoord"]
    wijken = wijk_ids(user, "adviseren")
    if wijken:
        found = _loaded(_oldest_first(select(Subsidieaanvraag).where(
            Subsidieaanvraag.status == "advies_gevraagd", Subsidieaanvraag.wijk_id.in_(wijken),
            Subsidieaanvraag.aanvrager_id != user.id)))
        queue.advies = [regel(a, today=today) for a in found]
    return queue


def advice_was_asked(aanvraag: Subsidieaanvraag) -> bool:
    """Whether the gemeente ever asked advice on this aanvraag (then its adviseur may read it)."""
    return bool(db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.onderwerp == services.ONDERWERP, AuditEntry.onderwerp_id == aanvraag.id,
        AuditEntry.besluit == "advies_gevraagd")))


# ---- the pots and the counts ----------------------------------------------------------------------

@dataclass
class Pot:
    regeling: Regeling
    toegekend_cents: int
    betaald_cents: int
    aantal: int  # aanvragen sent in against it (not drafts)

    @property
    def resterend_cents(self) -> int:
        return self.regeling.budget_cents - self.toegekend_cents


def potten() -> list[Pot]:
    """Every regeling with what it granted, paid and has left; by gemeente, newest year first."""
    regelingen = list(db.session.scalars(select(Regeling).options(selectinload(Regeling.gemeente))
                                         .order_by(Regeling.jaar.desc(), Regeling.gemeente_id, Regeling.naam)))
    met_geld = Subsidieaanvraag.status.in_(lifecycle.MET_GELD)
    rows = db.session.execute(select(
        Subsidieaanvraag.regeling_id,
        func.coalesce(func.sum(Subsidieaanvraag.toegekend_cents).filter(met_geld), 0),
        func.coalesce(func.sum(Subsidieaanvraag.betaald_cents), 0),
        func.count().filter(Subsidieaanvraag.status != "concept"),
    ).where(Subsidieaanvraag.regeling_id.is_not(None)).group_by(Subsidieaanvraag.regeling_id)).all()
    by_id = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}
    return [Pot(r, *by_id.get(r.id, (0, 0, 0))) for r in regelingen]


def besluiten(aanvraag_ids: list[int]) -> dict[int, str]:
    """The last decision (toegekend, deels_toegekend, afgewezen) of each aanvraag, from the audit
    log: after accountability and closing the status no longer says how it was decided."""
    if not aanvraag_ids:
        return {}
    rows = db.session.execute(select(AuditEntry.onderwerp_id, AuditEntry.besluit).where(
        AuditEntry.onderwerp == services.ONDERWERP, AuditEntry.onderwerp_id.in_(aanvraag_ids),
        AuditEntry.besluit.in_(lifecycle.BESLUITEN)).order_by(AuditEntry.at, AuditEntry.id)).all()
    return {row[0]: row[1] for row in rows}


def uitkomst(aanvraag: Subsidieaanvraag, besloten: dict[int, str]) -> str:
    """What came of it: the decision (also after accountability and closing), withdrawn, or open."""
    if aanvraag.status == "ingetrokken":
        return "ingetrokken"
    if aanvraag.status in lifecycle.BESLUITEN:
        return aanvraag.status
    if aanvraag.status in lifecycle.MET_GELD:
        return besloten.get(aanvraag.id, "toegekend")
    return "open"


@dataclass
class Tellingen:
    per_soort: list[tuple[str, int]]
    per_wijk: list[tuple[str, int]]
    per_uitkomst: list[tuple[str, int]]
    totaal: int


def ingediend() -> list[Subsidieaanvraag]:
    """Every aanvraag that was sent in (drafts are nobody's business yet), oldest first."""
    return _loaded(_oldest_first(select(Subsidieaanvraag).where(Subsidieaanvraag.status != "concept")))


def tellingen(aanvragen: list[Subsidieaanvraag]) -> Tellingen:
    soort = Counter(a.soort or "anders" for a in aanvragen)
    wijk = Counter(a.wijk.naam if a.wijk else "" for a in aanvragen)
    besloten = besluiten([a.id for a in aanvragen])
    uit = Counter(uitkomst(a, besloten) for a in aanvragen)
    return Tellingen(per_soort=[(s, soort.get(s, 0)) for s in SOORTEN],
                     per_wijk=sorted(wijk.items(), key=lambda kv: (-kv[1], kv[0])),
                     per_uitkomst=[(u, uit.get(u, 0)) for u in UITKOMSTEN], totaal=len(aanvragen))
