"""Where things are: import of CBS areas, point -> buurt and wijk, and blurring a home."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from flask import current_app
from geoalchemy2 import WKTElement
from shapely import make_valid
from shapely import wkt as shapely_wkt
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union
from sqlalchemy import func, select

from omkijken.platform.areas.models import Buurt, Gemeente, Wijk
from omkijken.platform.areas.signals import wijken_in_use
from omkijken.platform.database import WGS84, point
from omkijken.platform.extensions import db

DATA_FOLDER = Path(__file__).parent / "data"
BUNDLED_FILES = (
    DATA_FOLDER / "cbs-wijken-2014-oss-oosterhout.geojson",
    DATA_FOLDER / "cbs-buurten-2014-oss-oosterhout.geojson",
)
GEMEENTE_NAMEN = {"GM0828": "Oss", "GM0826": "Oosterhout"}
_WIJK_PREFIX = re.compile(r"^Wijk \d+\s+")


class AreaImportError(ValueError):
    pass


@dataclass(frozen=True)
class Location:
    wijk: Wijk | None
    buurt: Buurt | None


def wijk_display_name(statnaam: str) -> str:
    """CBS calls a wijk 'Wijk 06 Ruwaard'; residents call it 'Ruwaard'."""
    return _WIJK_PREFIX.sub("", statnaam).strip() or statnaam


def _multipolygon_wkt(geometry: dict) -> str | None:
    """Clean a CBS shape into a valid MultiPolygon.

    The coarse 2014 TopoJSON has slivers: rings of fewer than four points. They are dropped
    and what remains is made valid, so both databases accept it and ST_Contains is exact.
    Returns None when nothing remains (11 of the 144 buurten of the 2014 file).
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise AreaImportError(f"verwacht een vlak, kreeg {kind}")
    parts = []
    for rings in polygons:
        rings = [ring for ring in rings if len(ring) >= 4]
        if rings:
            parts.append(Polygon(rings[0], rings[1:]))
    cleaned = make_valid(MultiPolygon(parts)) if parts else None
    if cleaned is None or cleaned.is_empty:
        return None
    polygons_only = [g for g in getattr(cleaned, "geoms", [cleaned]) if g.geom_type in {"Polygon", "MultiPolygon"}]
    flat = [p for g in polygons_only for p in getattr(g, "geoms", [g]) if not p.is_empty]
    return MultiPolygon(flat).wkt if flat else None


def _gemeente_for(code: str) -> Gemeente:
    gm = "GM" + code[2:6]
    gemeente = db.session.scalar(select(Gemeente).filter_by(code=gm))
    if gemeente is None:
        gemeente = Gemeente(code=gm, naam=GEMEENTE_NAMEN.get(gm, f"Gemeente {gm[2:]}"))
        db.session.add(gemeente)
        db.session.flush()
    return gemeente


def import_features(
    features: list[dict], *, progress: Callable[[Iterable[dict]], Iterable[dict]] = iter
) -> dict[str, int]:
    """Upsert wijken and buurten by CBS code. Wijken go first, so buurten find their wijk."""
    ordered = sorted(features, key=lambda f: 0 if f["properties"].get("rubriek") == "wijk" else 1)
    counts = {"wijken": 0, "buurten": 0, "overgeslagen": 0}
    touched_gemeenten: set[int] = set()
    for feature in progress(ordered):
        props = feature.get("properties") or {}
        code, naam, rubriek = props.get("statcode"), props.get("statnaam"), props.get("rubriek")
        if not code or not naam or rubriek not in {"wijk", "buurt"}:
            raise AreaImportError(f"object zonder statcode, statnaam of rubriek: {props}")
        wkt = _multipolygon_wkt(feature["geometry"])
        if wkt is None:
            counts["overgeslagen"] += 1
            continue
        geom = WKTElement(wkt, srid=WGS84)
        if rubriek == "wijk":
            gemeente = _gemeente_for(code)
            wijk = db.session.scalar(select(Wijk).filter_by(code=code)) or Wijk(code=code)
            wijk.naam, wijk.cbs_naam, wijk.gemeente, wijk.geom = wijk_display_name(naam), naam, gemeente, geom
            db.session.add(wijk)
            touched_gemeenten.add(gemeente.id)
            counts["wijken"] += 1
        else:
            wijk_code = "WK" + code[2:8]
            wijk = db.session.scalar(select(Wijk).filter_by(code=wijk_code))
            if wijk is None:
                raise AreaImportError(f"buurt {code} hoort bij wijk {wijk_code}, die er nog niet is")
            buurt = db.session.scalar(select(Buurt).filter_by(code=code)) or Buurt(code=code)
            buurt.naam, buurt.wijk, buurt.geom = naam, wijk, geom
            db.session.add(buurt)
            counts["buurten"] += 1
        db.session.flush()
    for gemeente_id in touched_gemeenten:
        _update_gemeente_outline(gemeente_id)
    db.session.flush()
    forget_wijken()
    return counts


def _update_gemeente_outline(gemeente_id: int) -> None:
    wkts = db.session.scalars(select(func.ST_AsText(Wijk.geom)).filter_by(gemeente_id=gemeente_id))
    union = unary_union([shapely_wkt.loads(text) for text in wkts])
    if union.geom_type == "Polygon":
        union = MultiPolygon([union])
    db.session.get(Gemeente, gemeente_id).geom = WKTElement(union.wkt, srid=WGS84)


def load_geojson(path: Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        raise AreaImportError(f"{path} is geen GeoJSON FeatureCollection")
    return data["features"]


def locate(lat: float, lon: float) -> Location:
    """The buurt and wijk that contain a point (None outside the imported areas)."""
    here = point(lat, lon)
    buurt = db.session.scalar(select(Buurt).where(func.ST_Contains(Buurt.geom, here)).limit(1))
    if buurt is not None:
        return Location(wijk=buurt.wijk, buurt=buurt)
    wijk = db.session.scalar(select(Wijk).where(func.ST_Contains(Wijk.geom, here)).limit(1))
    return Location(wijk=wijk, buurt=None)


def representative_point(wijk: Wijk | WijkInfo) -> tuple[float, float]:
    """A point surely inside the wijk (lat, lon), for places we only know by wijk."""
    text = db.session.scalar(select(func.ST_AsText(Wijk.geom)).where(Wijk.id == wijk.id))
    inside = shapely_wkt.loads(text).representative_point()
    return inside.y, inside.x


def blur(lat: float, lon: float, *, secret: str, min_m: float = 250.0, max_m: float = 450.0) -> tuple[float, float]:
    """The public point of a home: moved between ``min_m`` and ``max_m`` metres.

    The direction and distance come from a keyed hash of the home itself (to about 10 m), so one
    home always shows the same point: repeated looks, or many posts from one address, cannot be
    averaged back to the house, and without the key the offset cannot be undone.
    """
    lat, lon = round(lat, 4), round(lon, 4)
    key = f"{lat}:{lon}".encode()
    digest = hmac.new(secret.encode(), key, hashlib.sha256).digest()
    angle = int.from_bytes(digest[:4], "big") / 2**32 * 2 * math.pi
    distance = min_m + int.from_bytes(digest[4:8], "big") / 2**32 * (max_m - min_m)
    dlat = distance * math.cos(angle) / 111_320.0
    dlon = distance * math.sin(angle) / (111_320.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def gemeenten() -> list[Gemeente]:
    return list(db.session.scalars(select(Gemeente).order_by(Gemeente.naam)))


def bounds(areas: Iterable[WijkInfo | GemeenteInfo]) -> list[list[float]] | None:
    """[[south, west], [north, east]] around some wijken or gemeenten (from the kept envelopes)."""
    boxes = [area.box for area in areas if area.box is not None]
    if not boxes:
        return None
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [[south, west], [north, east]]


def wijk_by_code(code: str) -> Wijk | None:
    return db.session.scalar(select(Wijk).filter_by(code=code))


Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class GemeenteInfo:
    id: int
    code: str
    naam: str
    box: Box | None


@dataclass(frozen=True)
class WijkInfo:
    """A wijk as pages name and show it: no outline, no session; the same in every request."""

    id: int
    code: str
    naam: str
    gemeente: GemeenteInfo
    box: Box | None
    woonwijk: bool = True

    @property
    def gemeente_id(self) -> int:
        return self.gemeente.id

    @property
    def volledige_naam(self) -> str:
        return f"{self.naam} ({self.gemeente.naam})"


@dataclass(frozen=True)
class _Wijken:
    until: float
    ordered: tuple[WijkInfo, ...]
    by_code: dict[str, WijkInfo]
    by_id: dict[int, WijkInfo]


# Wijken change only when CBS areas are imported. The prikbord, the map, the API and the forms
# name them on every request (a query and 36 ORM objects each time) and the map opens on their
# envelopes (another query), so each process keeps them this long; an import in the same process
# forgets them at once.
WIJKEN_KEPT_S = 300.0
_WIJKEN = "omkijken.wijken"


def _wijken() -> _Wijken:
    kept = current_app.extensions.get(_WIJKEN)
    if kept is None or kept.until < time.monotonic():
        rows = db.session.execute(
            select(Wijk.id, Wijk.code, Wijk.naam, func.ST_AsText(func.ST_Envelope(Wijk.geom)),
                   Gemeente.id, Gemeente.code, Gemeente.naam, func.ST_AsText(func.ST_Envelope(Gemeente.geom)),
                   Wijk.woonwijk)
            .join(Gemeente, Wijk.gemeente_id == Gemeente.id).order_by(Gemeente.naam, Wijk.code))
        gemeenten: dict[int, GemeenteInfo] = {}
        ordered = tuple(
            WijkInfo(wijk_id, code, naam, gemeenten.setdefault(
                gemeente_id, GemeenteInfo(gemeente_id, gm, gm_naam, _box(gm_envelope))), _box(envelope),
                bool(woonwijk))
            for wijk_id, code, naam, envelope, gemeente_id, gm, gm_naam, gm_envelope, woonwijk in rows)
        kept = _Wijken(time.monotonic() + WIJKEN_KEPT_S, ordered, {w.code: w for w in ordered},
                       {w.id: w for w in ordered})
        current_app.extensions[_WIJKEN] = kept
    return kept


def _box(envelope_wkt: str | None) -> Box | None:
    return shapely_wkt.loads(envelope_wkt).bounds if envelope_wkt else None


def all_gemeenten() -> tuple[GemeenteInfo, ...]:
    """The gemeenten that have wijken, by name."""
    return tuple(dict.fromkeys(w.gemeente for w in _wijken().ordered))


def forget_wijken() -> None:
    current_app.extensions.pop(_WIJKEN, None)


def all_wijken() -> tuple[WijkInfo, ...]:
    """Every wijk with its gemeente, by gemeente name and code."""
    return _wijken().ordered


def public_wijken() -> tuple[WijkInfo, ...]:
    """The wijken public lists and filters offer: every woonwijk, and a wijk where nobody lives
    (an industrial estate) only while something is posted there (areas.signals.wijken_in_use)."""
    ordered = _wijken().ordered
    elders = {w.id for w in ordered if not w.woonwijk}
    if elders:
        for _receiver, found in wijken_in_use.send(frozenset(elders)):
            elders -= set(found or ())
    return tuple(w for w in ordered if w.id not in elders)


def public_per_gemeente() -> list[tuple[GemeenteInfo, list[WijkInfo]]]:
    """:func:`public_wijken` per gemeente, by gemeente name and wijk code."""
    grouped: dict[GemeenteInfo, list[WijkInfo]] = {}
    for wijk in public_wijken():
        grouped.setdefault(wijk.gemeente, []).append(wijk)
    return list(grouped.items())


def wijk_info(code_or_id: str | int) -> WijkInfo | None:
    """A wijk by CBS code (WK082806) or by id, from the same kept list."""
    found = _wijken()
    return found.by_id.get(code_or_id) if isinstance(code_or_id, int) else found.by_code.get(code_or_id)


def wijk_names() -> dict[int, str]:
    """Wijk id to name, from the kept list: lists of posts name their wijk without a join."""
    return {wijk.id: wijk.naam for wijk in _wijken().ordered}


def area_outline_geojson(model: type[Wijk] | type[Buurt], area_id: int) -> dict:
    text = db.session.scalar(select(func.ST_AsGeoJSON(model.geom)).where(model.id == area_id))
    return json.loads(text)
