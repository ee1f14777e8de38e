"""The monthly waiting-list report (004:266-270): who is still waiting for help at the end of a
month, for how long, in which category and wijk, and how many volunteers are missing there.

Beat keeps one report per month (:func:`generate`) on the first of the next month. A report
describes the list *as it was* at the end of its month: a vraag counts as waiting then when it
was published before that moment and had no koppeling running and was not closed or handled yet,
so a report made late (by the CLI, or by the demo for earlier months) still tells that month's
story. Vragen linked to a group activity are not waiting: they found their place.

A wijk where nobody lives (an industrial estate, ``Wijk.woonwijk`` False) has a row only when a
vraag waits there, like every wijk, and the row says so: such a vraag is usually placed wrongly.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from omkijken.platform.areas.models import Gemeente, Wijk
from omkijken.platform.clock import AMSTERDAM, as_utc, at_local
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.insights.models import Wachtlijstrapport
from omkijken.platform.koppelingen.models import Afhandeling, Koppeling
from omkijken.platform.posts.models import Aanbod, Hulpvraag

#: (label, lowest age in days, highest age in days or None)
LEEFTIJDEN = (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("90+", 91, None))
ONBEKEND = "onbekend"


class WachtlijstError(RuleBroken):
    """A report that cannot be made (yet)."""


def month_start(maand: date) -> datetime:
    """The first moment of the month in the Netherlands, as UTC."""
    return at_local(maand.replace(day=1))


def month_end(maand: date) -> datetime:
    first = maand.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return month_start(following)


def previous_months(now: datetime, count: int) -> list[date]:
    """The ``count`` whole months before the month of ``now``, the latest first."""
    first = now.astimezone(AMSTERDAM).date().replace(day=1)
    months = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


def _bucket(days: int) -> int:
    return next(i for i, (_, low, high) in enumerate(LEEFTIJDEN) if days >= low and (high is None or days <= high))


def _waiting(at: datetime) -> list[tuple[str, int | None, datetime]]:
    """(categorie, wijk id, published) of every vraag that was waiting at ``at``."""
    running = select(Koppeling.id).where(
        Koppeling.hulpvraag_id == Hulpvraag.id, Koppeling.started_at <= at,
        or_(Koppeling.ended_at.is_(None), Koppeling.ended_at > at),
    ).exists()
    rows = db.session.execute(
        select(Hulpvraag.categorie, Hulpvraag.wijk_id, Hulpvraag.created_at).where(
            Hulpvraag.created_at <= at, Hulpvraag.verborgen.is_(False), Hulpvraag.collectief_id.is_(None),
            or_(Hulpvraag.status == "open", Hulpvraag.updated_at > at), ~running,
        )
    ).all()
    return [(r.categorie or ONBEKEND, r.wijk_id, as_utc(r.created_at)) for r in rows]


def _capacity(at: datetime) -> dict[tuple[int, str], list[int]]:
    """(wijk id, categorie) -> [volunteers, capacity] of open aanbod there: the wijk the aanbod is
    placed in (the volunteer's home, mostly) and the wijken it names."""
    out: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for aanbod in db.session.scalars(
        select(Aanbod).where(Aanbod.status == "open", Aanbod.verborgen.is_(False), Aanbod.created_at <= at)
    ):
        wijken = {aanbod.wijk_id, *(aanbod.wijk_ids or [])} - {None}
        for wijk_id in wijken:
            for categorie in set(aanbod.categorieen or [aanbod.categorie]):
                out[(wijk_id, categorie)][0] += 1
                out[(wijk_id, categorie)][1] += max(aanbod.capaciteit or 1, 1)
    return out


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _waiting_times(maand: date) -> dict[str, Any]:
    """Days from publication to the first koppeling, or to a referral, for what happened this month."""
    start, end = month_start(maand), month_end(maand)
    earlier = aliased(Koppeling)
    first = ~select(earlier.id).where(earlier.hulpvraag_id == Koppeling.hulpvraag_id,
                                      earlier.started_at < Koppeling.started_at).exists()
    gekoppeld = db.session.execute(
        select(Hulpvraag.categorie, Hulpvraag.created_at, Koppeling.started_at)
        .join(Hulpvraag, Koppeling.hulpvraag_id == Hulpvraag.id)
        .where(Koppeling.started_at >= start, Koppeling.started_at < end, first)
    ).all()
    verwezen = db.session.execute(
        select(Hulpvraag.categorie, Hulpvraag.created_at, Afhandeling.created_at)
        .join(Hulpvraag, Afhandeling.hulpvraag_id == Hulpvraag.id)
        .where(Afhandeling.soort == "doorverwezen", Afhandeling.created_at >= start, Afhandeling.created_at < end)
    ).all()
    per_categorie: dict[str, list[float]] = defaultdict(list)
    for categorie, published, done in [*gekoppeld, *verwezen]:
        days = max((as_utc(done) - as_utc(published)).total_seconds() / 86_400, 0.0)
        per_categorie[categorie or ONBEKEND].append(days)
    return {
        "gekoppeld": len(gekoppeld), "doorverwezen": len(verwezen),
        "mediaan_dagen": _median([d for days in per_categorie.values() for d in days]),
        "per_categorie": [{"categorie": c, "aantal": len(d), "mediaan_dagen": _median(d)}
                          for c, d in sorted(per_categorie.items())],
    }


def build(*, now: datetime, maand: date | None = None) -> dict[str, Any]:
    """The report's figures at ``now``, with the waiting times of ``maand`` (default: the month
    before the month of ``now``). Plain JSON values: the report is kept as it was."""
    maand = (maand or previous_months(now, 1)[0]).replace(day=1)
    wijken = {w.id: w for w in db.session.scalars(select(Wijk))}
    gemeenten = {g.id: g for g in db.session.scalars(select(Gemeente))}
    cells: dict[tuple[int | None, str], list[int]] = defaultdict(lambda: [0] * len(LEEFTIJDEN))
    for categorie, wijk_id, published in _waiting(now):
        cells[(wijk_id, categorie)][_bucket((now - published).days)] += 1
    capacity = _capacity(now)

    rijen = []
    for (wijk_id, categorie), ages in cells.items():
        wijk = wijken.get(wijk_id)
        gemeente = gemeenten.get(wijk.gemeente_id) if wijk else None
        volunteers, room = capacity.get((wijk_id, categorie), (0, 0))
        rijen.append({
            "gemeente_code": gemeente.code if gemeente else ONBEKEND, "gemeente": gemeente.naam if gemeente else "",
            "wijk_code": wijk.code if wijk else ONBEKEND, "wijk": wijk.naam if wijk else "",
            "woonwijk": wijk.woonwijk if wijk else True,
            "categorie": categorie, "leeftijden": ages, "open": sum(ages), "vrijwilligers": volunteers,
            "capaciteit": room, "tekort": max(sum(ages) - room, 0),
        })
    rijen.sort(key=lambda r: (r["gemeente"], -r["tekort"], r["wijk"], r["categorie"]))

    per_gemeente: dict[str, dict[str, Any]] = {}
    for rij in rijen:
        g = per_gemeente.setdefault(rij["gemeente_code"], {"code": rij["gemeente_code"], "naam": rij["gemeente"],
                                                           "open": 0, "categorieen": {}})
        ages = g["categorieen"].setdefault(rij["categorie"], [0] * len(LEEFTIJDEN))
        for i, n in enumerate(rij["leeftijden"]):
            ages[i] += n
        g["open"] += rij["open"]
    for g in per_gemeente.values():
        g["categorieen"] = [{"categorie": c, "leeftijden": a, "open": sum(a)}
                            for c, a in sorted(g["categorieen"].items(), key=lambda item: (-sum(item[1]), item[0]))]
    return {
        "maand": maand.strftime("%Y-%m"),
        "peilmoment": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "leeftijden": [label for label, _, _ in LEEFTIJDEN],
        "open": sum(r["open"] for r in rijen),
        "tekort": sum(r["tekort"] for r in rijen),
        "gemeenten": sorted(per_gemeente.values(), key=lambda g: g["naam"]),
        "wijken": rijen,
        "tekort_per_categorie": tekort_per_categorie(rijen),
        "wachttijd": _waiting_times(maand),
    }


def tekort_per_categorie(rijen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of one report (per wijk and category) added up per category, so that here too
    tekort = open - vrije plaatsen, as the page says. In a wijk, places beyond what waits there
    are not a negative tekort (``build`` keeps that row's tekort at 0), and they do not fill a gap
    in another wijk: per category a wijk's places count up to what waits in it."""
    som: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for rij in rijen:
        som[rij["categorie"]][0] += rij["open"]
        som[rij["categorie"]][1] += min(rij["capaciteit"], rij["open"])
    out = [{"categorie": c, "open": o, "capaciteit": k, "tekort": o - k} for c, (o, k) in som.items()]
    return sorted(out, key=lambda r: (-r["tekort"], r["categorie"]))


def generate(maand: date, *, now: datetime) -> Wachtlijstrapport:
    """Make and keep the report of ``maand`` once. The list is taken at the end of the month, so
    when the report is made does not change it. A second call, or a second beat at the same
    moment (the unique month decides), gets the report that is already there."""
    maand = maand.replace(day=1)
    end = month_end(maand)
    if now < end:
        raise WachtlijstError("maand", _l("Deze maand is nog niet voorbij. Maak het rapport daarna."))
    existing = by_month(maand)
    if existing is not None:
        return existing
    rapport = Wachtlijstrapport(maand=maand, created_at=now, data=build(now=end, maand=maand))
    db.session.add(rapport)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return by_month(maand)
    return rapport


def latest() -> Wachtlijstrapport | None:
    return db.session.scalar(select(Wachtlijstrapport).order_by(Wachtlijstrapport.maand.desc()).limit(1))


def by_month(maand: date) -> Wachtlijstrapport | None:
    return db.session.scalar(select(Wachtlijstrapport).where(Wachtlijstrapport.maand == maand.replace(day=1)))


def all_reports() -> list[Wachtlijstrapport]:
    return list(db.session.scalars(select(Wachtlijstrapport).order_by(Wachtlijstrapport.maand.desc())))


def csv_rows(data: dict[str, Any], label) -> tuple[list[str], list[list[Any]]]:
    """One flat table for a spreadsheet: a row per wijk and category, with the ages, the
    volunteers and what is missing; ``label`` turns a category code into its name."""
    from omkijken.platform.i18n import gettext as _

    header = [_("gemeente"), _("wijkcode"), _("wijk"), _("onderwerp")]
    header += [_("%(leeftijd)s dagen", leeftijd=leeftijd) for leeftijd in data["leeftijden"]]
    header += [_("open"), _("vrijwilligers"), _("plaatsen"), _("tekort")]
    rows = [[r["gemeente"], r["wijk_code"], r["wijk"], label(r["categorie"]), *r["leeftijden"], r["open"],
             r["vrijwilligers"], r["capaciteit"], r["tekort"]] for r in data["wijken"]]
    return header, rows

