"""The facts behind the KPI dashboard: which period, and what happened in it.

:func:`load` reads them with a fixed handful of set-based queries (no query per koppeling:
Oss-scale means thousands of koppelingen); ``insights.kpi`` turns them into figures.

The period is a range of *dates in Oss* (Europe/Amsterdam): a koppeling belongs to the period in
which it started, a rating to the period in which it was given, a wait to the period in which it
ended, a hulpvraag (collective share) to the period in which it was posted. ``now`` is always an
argument: what we know *today* decides whether a koppeling is still pending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, union_all

from omkijken.matching.durability import Outcome
from omkijken.platform.areas.models import Gemeente, Wijk
from omkijken.platform.clock import as_utc, at_local, local
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Afhandeling, Checkin, Dienst, Koppeling
from omkijken.platform.koppelingen.uitkomsten import outcomes_for
from omkijken.platform.posts.models import Aanbod, Hulpvraag

GEREGISTREERD_DAGEN = 30  # placement: volunteers registered for longer than this ...
GEPLAATST_DAGEN = 90  # ... who were in a koppeling in this many days before the end of the period


@dataclass(frozen=True)
class Periode:
    """Start and end date, both included, and optionally one gemeente (CBS code)."""

    van: date
    tot: date
    gemeente: str | None = None

    @property
    def start(self) -> datetime:
        return at_local(self.van)

    @property
    def end(self) -> datetime:
        """The first moment after the period: midnight after ``tot`` in Oss."""
        return at_local(self.tot + timedelta(days=1))

    def maanden(self) -> list[str]:
        """Every month of the period as YYYY-MM, so months without koppelingen show too."""
        months, year, month = [], self.van.year, self.van.month
        while (year, month) <= (self.tot.year, self.tot.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def standaard_periode(now: datetime, gemeente: str | None = None) -> Periode:
    """Twelve start months: this month so far and the eleven before it."""
    today = local(now).date()
    month = today.year * 12 + today.month - 1 - 11
    return Periode(van=date(month // 12, month % 12 + 1, 1), tot=today, gemeente=gemeente)


@dataclass(frozen=True)
class KoppelingFeit:
    outcome: Outcome
    dienst_id: int | None
    wijk_id: int | None
    categorie: str | None
    soort: str
    maand: str
    zelf_gevonden: bool


@dataclass
class Feiten:
    """Everything the figures are made of, loaded once per request."""

    periode: Periode
    now: datetime
    koppelingen: list[KoppelingFeit] = field(default_factory=list)
    cijfers: list[tuple[int, int | None, int | None]] = field(default_factory=list)  # cijfer, dienst, wijk
    wachten: list[tuple[float, str | None, int | None]] = field(default_factory=list)  # dagen, categorie, wijk
    vragen: list[tuple[bool, str | None, int | None]] = field(default_factory=list)  # collectief, categorie, wijk
    vrijwilligers: dict[int, set[str]] = field(default_factory=dict)  # user id -> gemeente codes
    geplaatst: set[int] = field(default_factory=set)
    diensten: dict[int, Dienst] = field(default_factory=dict)
    wijken: dict[int, tuple[str, str, str, str]] = field(default_factory=dict)  # code, naam, gemeente code+naam


def _in_gemeente(column, wijk_ids: set[int] | None) -> list:
    return [] if wijk_ids is None else [column.in_(wijk_ids)]


def load(periode: Periode, *, now: datetime) -> Feiten:
    """The facts of one period: nine queries, and one more per 500 koppelingen for their check-ins."""
    start, end = periode.start, periode.end
    feiten = Feiten(periode=periode, now=now)
    feiten.diensten = {d.id: d for d in db.session.scalars(select(Dienst))}
    feiten.wijken = {
        row.id: (row.code, row.naam, row.gemeente_code, row.gemeente_naam)
        for row in db.session.execute(select(Wijk.id, Wijk.code, Wijk.naam, Gemeente.code.label("gemeente_code"),
                                             Gemeente.naam.label("gemeente_naam")).join(Gemeente))
    }
    wijk_ids = None if not periode.gemeente else {i for i, w in feiten.wijken.items() if w[2] == periode.gemeente}

    rows = db.session.execute(
        select(Koppeling, Hulpvraag.categorie, Hulpvraag.wijk_id)
        .join(Hulpvraag, Koppeling.hulpvraag_id == Hulpvraag.id)
        .where(Koppeling.started_at >= start, Koppeling.started_at < end, *_in_gemeente(Hulpvraag.wijk_id, wijk_ids))
    ).all()
    outcomes = outcomes_for([row[0] for row in rows], now=now)
    for koppeling, categorie, wijk_id in rows:
        feiten.koppelingen.append(KoppelingFeit(
            outcome=outcomes[koppeling.id], dienst_id=koppeling.dienst_id, wijk_id=wijk_id, categorie=categorie,
            soort=koppeling.soort, maand=local(koppeling.started_at).strftime("%Y-%m"),
            zelf_gevonden=koppeling.zelf_gevonden,
        ))

    feiten.cijfers = [tuple(row) for row in db.session.execute(
        select(Checkin.cijfer, Koppeling.dienst_id, Hulpvraag.wijk_id)
        .join(Koppeling, Checkin.koppeling_id == Koppeling.id)
        .join(Hulpvraag, Koppeling.hulpvraag_id == Hulpvraag.id)
        .where(Checkin.cijfer.is_not(None), Checkin.answered_at >= start, Checkin.answered_at < end,
               *_in_gemeente(Hulpvraag.wijk_id, wijk_ids))
    )]

    # A vraag's wait ends at its first koppeling or its referral, whichever came first.
    ends = union_all(
        select(Koppeling.hulpvraag_id.label("vraag_id"), Koppeling.started_at.label("at")),
        select(Afhandeling.hulpvraag_id.label("vraag_id"), Afhandeling.created_at.label("at"))
        .where(Afhandeling.soort == "doorverwezen"),
    ).subquery()
    first = select(ends.c.vraag_id, func.min(ends.c.at).label("at")).group_by(ends.c.vraag_id).subquery()
    for categorie, wijk_id, created_at, ended_at in db.session.execute(
        select(Hulpvraag.categorie, Hulpvraag.wijk_id, Hulpvraag.created_at, first.c.at)
        .join(first, first.c.vraag_id == Hulpvraag.id)
        .where(first.c.at >= start, first.c.at < end, *_in_gemeente(Hulpvraag.wijk_id, wijk_ids))
    ):
        days = (as_utc(ended_at) - as_utc(created_at)).total_seconds() / 86_400
        feiten.wachten.append((max(days, 0.0), categorie, wijk_id))

    feiten.vragen = [(collectief_id is not None, categorie, wijk_id) for collectief_id, categorie, wijk_id in
                     db.session.execute(
                         select(Hulpvraag.collectief_id, Hulpvraag.categorie, Hulpvraag.wijk_id)
                         .where(Hulpvraag.created_at >= start, Hulpvraag.created_at < end,
                                Hulpvraag.verborgen.is_(False), *_in_gemeente(Hulpvraag.wijk_id, wijk_ids)))]

    _load_placement(feiten, wijk_ids)
    return feiten


def _load_placement(feiten: Feiten, wijk_ids: set[int] | None) -> None:
    """Placement rate (DOMAIN.md): volunteers registered over 30 days who were in a koppeling in
    the last 90 days, counted at the end of the period (or today, if that is earlier).

    A volunteer is someone with an aanbod that is not hidden or closed: one who closed it no longer
    offers help. Collective activities do not record who volunteered in them, so only koppelingen
    count here; the rate is a lower bound of the placement DOMAIN.md asks for.
    """
    ref = min(feiten.periode.end, as_utc(feiten.now))
    for user_id, wijk_id in db.session.execute(
        select(Aanbod.auteur_id, Aanbod.wijk_id).where(
            Aanbod.created_at <= ref - timedelta(days=GEREGISTREERD_DAGEN), Aanbod.verborgen.is_(False),
            Aanbod.status != "gesloten", *_in_gemeente(Aanbod.wijk_id, wijk_ids))
    ):
        codes = feiten.vrijwilligers.setdefault(user_id, set())
        if wijk_id in feiten.wijken:
            codes.add(feiten.wijken[wijk_id][2])
    feiten.geplaatst = set(db.session.scalars(
        select(Koppeling.vrijwilliger_id).distinct().where(
            Koppeling.started_at <= ref,
            or_(Koppeling.ended_at.is_(None), Koppeling.ended_at >= ref - timedelta(days=GEPLAATST_DAGEN)))
    ))
