"""One KPI per wijk: the numbers and the choropleth map that shows them.

The colours come from fixed classes per KPI (around its target where it has one), not from the
spread of today's data, so a map of March and a map of June can be compared by eye. The legend
is HTML beside the map, not a folium/branca legend: that one loads d3 from a CDN, and text on
the page is readable without the map. Wijken without data are grey and say "geen gegevens".
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping

import folium
from sqlalchemy import func, select

from omkijken.matching.durability import satisfaction, share
from omkijken.platform.areas import maps
from omkijken.platform.areas.models import Gemeente, Wijk
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.insights.feiten import Feiten
from omkijken.platform.insights.kpi import groepeer, samenvatting
from omkijken.platform.posts.models import Hulpvraag

GEEN_GEGEVENS = "#d9d9d9"
# ColorBrewer YlGnBu, 5 classes: readable for the common colour blindnesses, light to dark.
KLEUREN = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")


@dataclass(frozen=True)
class Kpi:
    label: Any
    eenheid: Any
    grenzen: tuple[float, ...]  # lower bounds of the five classes


KPIS: dict[str, Kpi] = {
    "duurzaam": Kpi(_l("Duurzame koppelingen"), "%", (0, 50, 70, 85, 95)),
    "tevredenheid": Kpi(_l("Tevredenheid (cijfer × 10)"), "", (0, 60, 75, 85, 95)),
    "zelf_gevonden": Kpi(_l("Zelf gevonden"), "%", (0, 40, 60, 79, 90)),
    "wachttijd": Kpi(_l("Wachttijd (mediaan, dagen)"), _l("dagen"), (0, 3, 7, 14, 28)),
    "open_vragen": Kpi(_l("Open hulpvragen nu"), "", (0, 1, 3, 6, 11)),
}


@dataclass(frozen=True)
class WijkWaarde:
    wijk_id: int
    code: str
    naam: str
    gemeente: str
    waarde: float | None
    aantal: int  # what the value rests on: decided koppelingen, ratings, vragen


def open_vragen(wijk_ids: set[int]) -> Counter[int]:
    """Open hulpvragen per wijk right now (not bound to the period): where help is waiting."""
    rows = db.session.execute(
        select(Hulpvraag.wijk_id, func.count()).where(
            Hulpvraag.status == "open", Hulpvraag.verborgen.is_(False), Hulpvraag.wijk_id.in_(wijk_ids))
        .group_by(Hulpvraag.wijk_id))
    return Counter({wijk_id: count for wijk_id, count in rows})


def per_wijk(feiten: Feiten, kpi: str) -> list[WijkWaarde]:
    """The chosen KPI for every wijk of the period's gemeente (or both), data or not."""
    wijken = {i: w for i, w in feiten.wijken.items() if feiten.periode.gemeente in (None, w[2])}
    values: dict[int, tuple[float | None, int]] = {}
    if kpi == "duurzaam":
        for wijk_id, items in groepeer(feiten.koppelingen, lambda k: k.wijk_id).items():
            summary = samenvatting(feiten, items)
            values[wijk_id] = (None if summary.rate is None else summary.rate * 100, summary.decided)
    elif kpi == "zelf_gevonden":
        for wijk_id, items in groepeer(feiten.koppelingen, lambda k: k.wijk_id).items():
            found = share(sum(k.zelf_gevonden for k in items), len(items))
            values[wijk_id] = (None if found.rate is None else found.rate * 100, found.denominator)
    elif kpi == "tevredenheid":
        for wijk_id, rows in groepeer(feiten.cijfers, lambda row: row[2]).items():
            values[wijk_id] = (satisfaction(c for c, _d, _w in rows), len(rows))
    elif kpi == "wachttijd":
        for wijk_id, rows in groepeer(feiten.wachten, lambda row: row[2]).items():
            values[wijk_id] = (statistics.median(d for d, _c, _w in rows), len(rows))
    elif kpi == "open_vragen":
        counts = open_vragen(set(wijken))
        values = {wijk_id: (float(counts[wijk_id]), counts[wijk_id]) for wijk_id in wijken}
    else:
        raise ValueError(f"unknown KPI {kpi!r}")
    result = []
    for wijk_id, (code, naam, _gcode, gemeente) in wijken.items():
        waarde, aantal = values.get(wijk_id, (None, 0))
        result.append(WijkWaarde(wijk_id, code, naam, gemeente, waarde, aantal))
    return sorted(result, key=lambda w: (w.gemeente, w.naam))


def klasse(kpi: str, waarde: float | None) -> int | None:
    """Index of the colour class of a value; None without a value."""
    if waarde is None:
        return None
    grenzen = KPIS[kpi].grenzen
    return max(i for i, low in enumerate(grenzen) if waarde >= low)


def legenda(kpi: str) -> list[tuple[str, str]]:
    """(colour, range text) per class, for the HTML legend."""
    grenzen = KPIS[kpi].grenzen
    rows = []
    for i, low in enumerate(grenzen):
        if i + 1 < len(grenzen):
            high = grenzen[i + 1]
            text = f"{low:g}" if kpi == "open_vragen" and high - low == 1 else f"{low:g} – {high:g}"
            if kpi == "open_vragen" and high - low > 1:
                text = f"{low:g} – {high - 1:g}"
        else:
            text = f"{low:g} +" if kpi in ("wachttijd", "open_vragen") else f"{low:g} – 100"
        rows.append((KLEUREN[i], text))
    return rows


def wijk_geojson(wijk_ids: set[int]) -> dict[int, dict]:
    """The outlines of many wijken in one query (areas.services does one at a time)."""
    rows = db.session.execute(select(Wijk.id, func.ST_AsGeoJSON(Wijk.geom)).where(Wijk.id.in_(wijk_ids)))
    return {wijk_id: json.loads(text) for wijk_id, text in rows}


def kaart(config: Mapping[str, Any], kpi: str, waarden: list[WijkWaarde], *, tekst: Mapping[int, str],
          geen: str) -> maps.MapParts:
    """A folium map with every wijk coloured by its class; ``tekst`` is the tooltip per wijk."""
    shapes = wijk_geojson({w.wijk_id for w in waarden})
    features = []
    for w in waarden:
        if w.wijk_id not in shapes:
            continue
        index = klasse(kpi, w.waarde)
        features.append({"type": "Feature", "geometry": shapes[w.wijk_id], "properties": {
            "naam": f"{w.naam} ({w.gemeente})", "waarde": tekst.get(w.wijk_id, geen),
            "kleur": GEEN_GEGEVENS if index is None else KLEUREN[index], "leeg": index is None,
        }})
    fmap = maps.base_map(config, centre=None, zoom=10)
    if features:
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=str(KPIS[kpi].label),
            style_function=lambda f: {
                "fillColor": f["properties"]["kleur"], "fillOpacity": 0.75, "color": "#1b1b1b",
                "weight": 1, "dashArray": "4 3" if f["properties"]["leeg"] else None,
            },
            tooltip=folium.GeoJsonTooltip(fields=["naam", "waarde"], labels=False),
        )
        layer.add_to(fmap)
        fmap.fit_bounds(layer.get_bounds())
    return maps.parts(fmap)


def gemeente_namen() -> dict[str, str]:
    return dict(db.session.execute(select(Gemeente.code, Gemeente.naam).order_by(Gemeente.naam)).all())
