"""The KPI figures of the durability dashboard, for the page, the CSV files and ``/api/v1/kpi``.

One function, :func:`dashboard`, makes every figure, so the page, the downloads and the API can
never disagree. The facts come from ``insights.feiten``; the verdicts and intervals from
``matching.durability``; the rules of nazorg from ``koppelingen.nazorg``.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Hashable, Iterable, TypeVar

from omkijken.matching.durability import (
    DurabilitySummary,
    Share,
    helped,
    judge,
    kaplan_meier,
    satisfaction,
    share,
    summarize,
)
from omkijken.platform.formatting import datum
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.insights.feiten import Feiten, KoppelingFeit, Periode, load
from omkijken.platform.koppelingen.nazorg import HORIZON_DAGEN
from omkijken.platform.posts.vocabulary import CATEGORIEEN

#: The horizon of an outcome without its own (each koppeling carries its dienst's, per kind).
STANDAARD_HORIZON = HORIZON_DAGEN["periodiek"]

# Durability targets belong to a dienst (Dienst.duurzaam_doel: only Blink's 85% in the seeds). The
# satisfaction norm 85 (004:242) is the formal social teams' and is reported, not held against
# volunteers (DOMAIN.md), so it has no constant here.
ZELF_GEVONDEN_DOEL = 0.79  # Oosterhout matched 79% without mediation in 2019 and wants more (001:2374-2378)
COLLECTIEF_DOEL = 0.40  # 40% of individual vragen linked to a collective offer (004:934)
BLINK = "blink"
#: Who reads the figures (DOMAIN.md: the gemeente reads the KPI dashboards; coordinators steer by them).

#: The verdicts of ``durability.judge`` in the reader's language.
OORDELEN = {"gehaald": _l("gehaald"), "niet gehaald": _l("niet gehaald"), "onzeker": _l("onzeker")}

#: Short names of the kinds for charts and tables (koppelingen.vocabulary.SOORTEN explains them).
SOORT_NAMEN = {"eenmalig": _l("Eenmalig"), "periodiek": _l("Een tijdje"), "maatje": _l("Maatje")}
ALLE = "alle"
GEEN = "geen"

K = TypeVar("K", bound=Hashable)


# --- the figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Groep:
    """Durability of one group (a dienst, wijk, onderwerp, soort or start month), and *geholpen*
    for its eenmalig koppelingen. ``doel`` and ``oordeel`` only for a dienst that has a target:
    the verdict (``judge``) is "gehaald", "niet gehaald" or "onzeker"."""

    code: str
    label: str
    duurzaam: DurabilitySummary
    geholpen: DurabilitySummary | None = None
    doel: float | None = None
    oordeel: str | None = None


@dataclass(frozen=True)
class Aandeel:
    """A share (self-service, placement, collective) of one group, with its interval."""

    code: str
    label: str
    aandeel: Share


@dataclass(frozen=True)
class Tevredenheid:
    code: str
    label: str
    score: float | None  # mean cijfer x 10
    aantal: int  # how many ratings


@dataclass(frozen=True)
class Wachttijd:
    """Days from a vraag's publication to its first koppeling or its referral."""

    code: str
    label: str
    aantal: int
    mediaan: float | None
    p90: float | None


@dataclass(frozen=True)
class Dashboard:
    periode: Periode
    now: datetime
    totaal: DurabilitySummary
    geholpen: DurabilitySummary
    per_dienst: list[Groep]
    per_wijk: list[Groep]
    per_onderwerp: list[Groep]
    per_soort: list[Groep]
    per_maand: list[Groep]
    blink: Groep | None
    overleving: list[tuple[float, float]]
    overleving_blink: list[tuple[float, float]]
    tevredenheid: list[Tevredenheid]
    zelf_gevonden: list[Aandeel]
    wachttijd: list[Wachttijd]
    plaatsing: list[Aandeel]
    collectief: list[Aandeel]
    horizon_dagen: int  # where the survival curves end: the longest horizon among the koppelingen

    @property
    def met_doel(self) -> list[Groep]:
        """The diensten with a durability target, for the staff's summary at the top."""
        return [g for g in self.per_dienst if g.doel is not None]


# --- grouping ------------------------------------------------------------------------------------


def groepeer(items: Iterable, key: Callable[[object], K]) -> dict[K, list]:
    """Items by key, in the order they came."""
    grouped: dict[K, list] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: always a wait that really happened, also for three vragen."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def _wijk_label(feiten: Feiten, wijk_id: int | None) -> str:
    if wijk_id not in feiten.wijken:
        return str(_l("Wijk onbekend"))
    _code, naam, _gcode, gemeente = feiten.wijken[wijk_id]
    return naam if feiten.periode.gemeente else f"{naam} ({gemeente})"


def _wijk_code(feiten: Feiten, wijk_id: int | None) -> str:
    return feiten.wijken[wijk_id][0] if wijk_id in feiten.wijken else GEEN


def _categorie_label(code: str | None) -> str:
    return str(CATEGORIEEN.get(code, code)) if code else str(_l("Geen onderwerp"))


def samenvatting(feiten: Feiten, items: list[KoppelingFeit]) -> DurabilitySummary:
    return summarize([k.outcome for k in items], now=feiten.now, horizon_days=STANDAARD_HORIZON)


def groep(feiten: Feiten, code: str, label: str, items: list[KoppelingFeit], doel: float | None = None) -> Groep:
    """Durability and geholpen of one group, judged against ``doel`` only when there is one."""
    duurzaam = samenvatting(feiten, items)
    return Groep(code, label, duurzaam, helped([k.outcome for k in items], now=feiten.now), doel,
                 None if doel is None else judge(duurzaam, doel))


def _dienst_naam(feiten: Feiten, dienst_id: int | None) -> tuple[str, str]:
    dienst = feiten.diensten.get(dienst_id)
    return (dienst.code, dienst.label) if dienst else (GEEN, str(_l("Zonder dienst")))


def _dienst_ids(feiten: Feiten, grouped: dict) -> list[int | None]:
    """Every dienst, also one without koppelingen (a zero is news too), by name."""
    return sorted(set(feiten.diensten) | set(grouped), key=lambda i: _dienst_naam(feiten, i)[1].lower())


def _per_dienst(feiten: Feiten) -> list[Groep]:
    grouped = groepeer(feiten.koppelingen, lambda k: k.dienst_id)
    ids = _dienst_ids(feiten, grouped)
    return [groep(feiten, *_dienst_naam(feiten, i), grouped.get(i, []),
                  doel=feiten.diensten[i].duurzaam_doel if i in feiten.diensten else None) for i in ids]


def _wijk_order(feiten: Feiten, wijk_id: int | None) -> tuple[bool, str, str]:
    """By gemeente, then wijk; the vragen without a wijk last."""
    if wijk_id not in feiten.wijken:
        return (True, "", "")
    _code, naam, _gcode, gemeente = feiten.wijken[wijk_id]
    return (False, gemeente, naam)


def _per_wijk(feiten: Feiten) -> list[Groep]:
    grouped = groepeer(feiten.koppelingen, lambda k: k.wijk_id)
    return [groep(feiten, _wijk_code(feiten, i), _wijk_label(feiten, i), grouped[i])
            for i in sorted(grouped, key=lambda i: _wijk_order(feiten, i))]


def _categorie_order(code: str | None) -> int:
    return list(CATEGORIEEN).index(code) if code in CATEGORIEEN else len(CATEGORIEEN)


def _per_onderwerp(feiten: Feiten) -> list[Groep]:
    grouped = groepeer(feiten.koppelingen, lambda k: k.categorie)
    return [groep(feiten, c or GEEN, _categorie_label(c), grouped[c])
            for c in sorted(grouped, key=_categorie_order)]


def _per_soort(feiten: Feiten) -> list[Groep]:
    grouped = groepeer(feiten.koppelingen, lambda k: k.soort)
    return [groep(feiten, s, str(SOORT_NAMEN[s]), grouped.get(s, [])) for s in SOORT_NAMEN]


def maand_label(code: str) -> str:
    year, month = code.split("-")
    return datum(date(int(year), int(month), 1), "LLLL yyyy")


def _per_maand(feiten: Feiten) -> list[Groep]:
    grouped = groepeer(feiten.koppelingen, lambda k: k.maand)
    return [groep(feiten, m, maand_label(m), grouped.get(m, [])) for m in feiten.periode.maanden()]


def _tevredenheid(feiten: Feiten) -> list[Tevredenheid]:
    grouped = groepeer(feiten.cijfers, lambda row: row[1])
    rows = [Tevredenheid(ALLE, str(_l("Alle diensten")), satisfaction(c for c, _d, _w in feiten.cijfers),
                         len(feiten.cijfers))]
    for dienst_id in _dienst_ids(feiten, grouped):
        cijfers = [c for c, _d, _w in grouped.get(dienst_id, [])]
        rows.append(Tevredenheid(*_dienst_naam(feiten, dienst_id), satisfaction(cijfers), len(cijfers)))
    return rows


def _aandeel(code: str, label: str, flags: list[bool]) -> Aandeel:
    return Aandeel(code, label, share(sum(flags), len(flags)))


def _zelf_gevonden(feiten: Feiten) -> list[Aandeel]:
    grouped = groepeer(feiten.koppelingen, lambda k: k.dienst_id)
    rows = [_aandeel(ALLE, str(_l("Alle diensten")), [k.zelf_gevonden for k in feiten.koppelingen])]
    for dienst_id in _dienst_ids(feiten, grouped):
        rows.append(_aandeel(*_dienst_naam(feiten, dienst_id), [k.zelf_gevonden for k in grouped.get(dienst_id, [])]))
    return rows


def _wacht(code: str, label: str, days: list[float]) -> Wachttijd:
    return Wachttijd(code, label, len(days), statistics.median(days) if days else None, percentile(days, 0.9))


def _wachttijd(feiten: Feiten) -> list[Wachttijd]:
    grouped = groepeer(feiten.wachten, lambda row: row[1])
    rows = [_wacht(ALLE, str(_l("Alle onderwerpen")), [d for d, _c, _w in feiten.wachten])]
    for categorie in sorted(grouped, key=_categorie_order):
        rows.append(_wacht(categorie or GEEN, _categorie_label(categorie), [d for d, _c, _w in grouped[categorie]]))
    return rows


def _plaatsing(feiten: Feiten) -> list[Aandeel]:
    people = feiten.vrijwilligers
    rows = [_aandeel(ALLE, str(_l("Alle vrijwilligers")), [p in feiten.geplaatst for p in people])]
    gemeenten = sorted({(w[2], w[3]) for w in feiten.wijken.values()}, key=lambda g: g[1])
    for code, naam in gemeenten:
        if feiten.periode.gemeente in (None, code):
            rows.append(_aandeel(code, naam, [p in feiten.geplaatst for p, codes in people.items() if code in codes]))
    return rows


def _collectief(feiten: Feiten) -> list[Aandeel]:
    grouped = groepeer(feiten.vragen, lambda row: row[1])
    rows = [_aandeel(ALLE, str(_l("Alle onderwerpen")), [c for c, _k, _w in feiten.vragen])]
    for categorie in sorted(grouped, key=_categorie_order):
        rows.append(_aandeel(categorie or GEEN, _categorie_label(categorie), [c for c, _k, _w in grouped[categorie]]))
    return rows


def dashboard(periode: Periode, *, now: datetime) -> Dashboard:
    """Every figure of the dashboard for one period (and gemeente)."""
    feiten = load(periode, now=now)
    per_dienst = _per_dienst(feiten)
    outcomes = [k.outcome for k in feiten.koppelingen]
    blink_ids = {i for i, d in feiten.diensten.items() if d.code == BLINK}
    totaal = samenvatting(feiten, feiten.koppelingen)
    return Dashboard(
        periode=periode, now=now, totaal=totaal, geholpen=helped(outcomes, now=now), per_dienst=per_dienst,
        per_wijk=_per_wijk(feiten), per_onderwerp=_per_onderwerp(feiten), per_soort=_per_soort(feiten),
        per_maand=_per_maand(feiten), blink=next((g for g in per_dienst if g.code == BLINK), None),
        # Both curves run to the longest horizon, so they can share one chart.
        overleving=kaplan_meier(outcomes, now=now, horizon_days=totaal.horizon_days),
        overleving_blink=kaplan_meier([k.outcome for k in feiten.koppelingen if k.dienst_id in blink_ids],
                                      now=now, horizon_days=totaal.horizon_days),
        horizon_dagen=totaal.horizon_days,
        tevredenheid=_tevredenheid(feiten), zelf_gevonden=_zelf_gevonden(feiten), wachttijd=_wachttijd(feiten),
        plaatsing=_plaatsing(feiten), collectief=_collectief(feiten),
    )
