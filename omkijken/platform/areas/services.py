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
from typing import Any, Callable, Iterable

from flask import current_app
from geoalchemy2 import WKTElement
from shapely import make_valid, normalize
from shapely import wkt as shapely_wkt
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.schema import UniqueConstraint

from omkijken.platform.areas.models import Buurt, Gemeente, Wijk
from omkijken.platform.areas.signals import relocating, wijk_merged, wijken_in_use
from omkijken.platform.database import WGS84, point
from omkijken.platform.extensions import db

DATA_FOLDER = Path(__file__).parent / "data"
# The map the demo and a new site start with (data/SOURCE.md): the wijken of 2023, Geffen in Oss
# included, and the buurten of 2014 under them.
BUNDLED_FILES = (
    DATA_FOLDER / "cbs-wijken-2023-oss-oosterhout.geojson",
    DATA_FOLDER / "cbs-buurten-2014-oss-oosterhout.geojson",
)
# The map of 2014 the tests are written against (their points, names and counts).
MAP_2014 = (
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


def _gemeente_for(code: str, naam: str | None = None) -> Gemeente:
    gm = "GM" + code[2:6]
    gemeente = db.session.scalar(select(Gemeente).filter_by(code=gm))
    if gemeente is None:
        gemeente = Gemeente(code=gm, naam=GEMEENTE_NAMEN.get(gm) or naam or f"Gemeente {gm[2:]}")
        db.session.add(gemeente)
        db.session.flush()
    return gemeente


@dataclass(frozen=True)
class _Area:
    rubriek: str
    code: str
    naam: str
    shape: MultiPolygon
    gemeentenaam: str | None


def _parse(features: list[dict]) -> tuple[list[_Area], int]:
    areas, skipped = [], 0
    for feature in features:
        props = feature.get("properties") or {}
        code, naam, rubriek = props.get("statcode"), props.get("statnaam"), props.get("rubriek")
        if not code or not naam or rubriek not in {"wijk", "buurt"}:
            raise AreaImportError(f"object zonder statcode, statnaam of rubriek: {props}")
        wkt = _multipolygon_wkt(feature["geometry"])
        if wkt is None:
            skipped += 1
            continue
        areas.append(_Area(rubriek, code, naam, shapely_wkt.loads(wkt), props.get("gemeentenaam")))
    return areas, skipped


def import_features(
    features: list[dict], *, complete: bool = False, progress: Callable[[Iterable[dict]], Iterable[dict]] = iter
) -> dict[str, Any]:
    """Upsert wijken and buurten by CBS code, in place: ids stay, so posts, homes, scopes and
    agendas stay attached. Wijken go first, so buurten find their wijk.

    ``complete``: the features are the whole map of their gemeenten (a new year of the Wijk- en
    Buurtkaart). A stored wijk or buurt of such a gemeente whose code is no longer there is then
    mapped to the new area it overlaps most: it takes the new code when no other takes it (a
    renumbering), else what refers to it moves to that area and the empty row goes (a merger).
    Counts: ``wijken``, ``buurten``, ``overgeslagen`` (no surface left), ``gewijzigd`` (areas new
    or different in name, wijk or outline), ``hernoemd`` (old code: new code) and
    ``niet_gekoppeld`` (gone codes that overlap nothing new; they stay as they were).
    """
    parsed, skipped = _parse(features)
    counts: dict[str, Any] = {"wijken": 0, "buurten": 0, "overgeslagen": skipped, "gewijzigd": 0,
                              "hernoemd": {}, "niet_gekoppeld": []}
    merges: dict[str, list[tuple[int, str]]] = {"wijk": [], "buurt": []}
    if complete:
        for rubriek, model in (("wijk", Wijk), ("buurt", Buurt)):
            merges[rubriek] = _map_gone_codes(model, [a for a in parsed if a.rubriek == rubriek], counts)
    touched_gemeenten: set[int] = set()
    by_code = {area.code: area for area in parsed}
    for feature in progress(features):
        area = by_code.get((feature.get("properties") or {}).get("statcode"))
        if area is None or area.rubriek == "buurt":
            continue
        gemeente = _gemeente_for(area.code, area.gemeentenaam)
        wijk = db.session.scalar(select(Wijk).filter_by(code=area.code)) or Wijk(code=area.code)
        if _differs(wijk, area, naam=wijk_display_name(area.naam), cbs_naam=area.naam, gemeente_id=gemeente.id):
            counts["gewijzigd"] += 1
            wijk.naam, wijk.cbs_naam, wijk.gemeente = wijk_display_name(area.naam), area.naam, gemeente
            wijk.geom = WKTElement(area.shape.wkt, srid=WGS84)
            db.session.add(wijk)
        touched_gemeenten.add(gemeente.id)
        counts["wijken"] += 1
        db.session.flush()
    for feature in features:
        area = by_code.get((feature.get("properties") or {}).get("statcode"))
        if area is None or area.rubriek == "wijk":
            continue
        wijk_code = "WK" + area.code[2:8]
        wijk = db.session.scalar(select(Wijk).filter_by(code=wijk_code))
        if wijk is None:
            raise AreaImportError(f"buurt {area.code} hoort bij wijk {wijk_code}, die er nog niet is")
        buurt = db.session.scalar(select(Buurt).filter_by(code=area.code)) or Buurt(code=area.code)
        if _differs(buurt, area, naam=area.naam, wijk_id=wijk.id):
            counts["gewijzigd"] += 1
            buurt.naam, buurt.wijk, buurt.geom = area.naam, wijk, WKTElement(area.shape.wkt, srid=WGS84)
            db.session.add(buurt)
        counts["buurten"] += 1
        db.session.flush()
    for rubriek, model in (("wijk", Wijk), ("buurt", Buurt)):
        for old_id, new_code in merges[rubriek]:
            new_id = db.session.scalar(select(model.id).filter_by(code=new_code))
            _move_references(model, old_id, new_id)
            if model is Wijk:
                wijk_merged.send(None, old_id=old_id, new_id=new_id)
            db.session.execute(delete(model).where(model.id == old_id))
            counts["gewijzigd"] += 1
    db.session.expire_all()
    for gemeente_id in touched_gemeenten:
        _update_gemeente_outline(gemeente_id)
    db.session.flush()
    forget_wijken()
    return counts


def _differs(row: Wijk | Buurt, area: _Area, **values: Any) -> bool:
    """Whether storing ``area`` changes ``row``: a second import of the same map writes nothing.
    Outlines compare to 1e-6 degrees (10 cm): SpatiaLite writes coordinates back with six decimals."""
    if row.id is None or any(getattr(row, name) != value for name, value in values.items()):
        return True
    text = db.session.scalar(select(func.ST_AsText(type(row).geom)).where(type(row).id == row.id))
    return not normalize(shapely_wkt.loads(text)).equals_exact(normalize(area.shape), 1e-6)


def _map_gone_codes(model: type[Wijk] | type[Buurt], areas: list[_Area], counts: dict[str, Any]) -> list[tuple[int, str]]:
    """Map the stored areas of these gemeenten whose code is gone to the new area they overlap
    most. Renumbered ones take the new code now; the others are returned as (id, new code), to go
    into that area once it is stored."""
    new = {area.code: area.shape for area in areas}
    gemeenten = {code[2:6] for code in new}
    stored = {code: (row_id, text) for row_id, code, text in db.session.execute(
        select(model.id, model.code, func.ST_AsText(model.geom)))}
    candidates = []
    for code, (row_id, text) in stored.items():
        if code in new or code[2:6] not in gemeenten:
            continue
        old = shapely_wkt.loads(text)
        overlap, target = max(((old.intersection(shape).area, new_code) for new_code, shape in new.items()
                               if shape.intersects(old)), default=(0.0, None))
        if target is None or overlap <= 0:
            counts["niet_gekoppeld"].append(code)
            continue
        candidates.append((overlap, code, row_id, target))
    merges = []
    for _overlap, code, row_id, target in sorted(candidates, reverse=True):
        counts["hernoemd"][code] = target
        if target not in stored:
            db.session.execute(update(model).where(model.id == row_id).values(code=target),
                               execution_options={"synchronize_session": False})
            stored[target] = (row_id, "")
        else:
            merges.append((row_id, target))
    db.session.expire_all()
    return merges


def _move_references(model: type[Wijk] | type[Buurt], old_id: int, new_id: int) -> None:
    """Point every foreign key to ``old_id`` at ``new_id``, in any table of any domain. A row
    that would then repeat one that is there already (the same opbouwwerker's scope in both
    wijken, one follower of both) is dropped: the one left says the same."""
    target = model.__table__
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not any(fk.references(target) for fk in column.foreign_keys):
                continue
            for constraint in table.constraints:
                if isinstance(constraint, UniqueConstraint) and column.name in constraint.columns:
                    twin = table.alias("twin")
                    same = [twin.c[c.name] == c for c in constraint.columns if c.name != column.name]
                    db.session.execute(delete(table).where(column == old_id, exists().where(
                        twin.c[column.name] == new_id, *same)))
            db.session.execute(update(table).where(column == old_id).values({column.name: new_id}))


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
    """The wijk whose polygon holds a point, and the buurt of that wijk that holds it.

    The wijk decides: every per-wijk figure, scope and list counts by it. CBS buurt polygons do
    not always nest inside their wijk's (the coarse 2014 ones overlap a neighbouring wijk by a
    street or two), so when no buurt of the wijk holds the point, the nearest buurt of the same
    wijk is taken. A point outside every wijk polygon gets the buurt that holds it with that
    buurt's wijk (a sliver at the gemeente's edge), else no wijk and no buurt.
    """
    here = point(lat, lon)
    wijk = db.session.scalar(
        select(Wijk).where(func.ST_Contains(Wijk.geom, here)).order_by(Wijk.id).limit(1))
    if wijk is None:
        buurt = db.session.scalar(
            select(Buurt).where(func.ST_Contains(Buurt.geom, here)).order_by(Buurt.id).limit(1))
        return Location(wijk=None if buurt is None else buurt.wijk, buurt=buurt)
    buurt = db.session.scalar(
        select(Buurt).where(Buurt.wijk_id == wijk.id)
        .order_by(func.ST_Distance(Buurt.geom, here), Buurt.id).limit(1))
    return Location(wijk=wijk, buurt=buurt)


def relocate_all() -> dict[str, int]:
    """Place every stored point again with ``locate`` (after new boundaries came in): each domain
    moves its own (``signals.relocating``). Returns per kind how many changed wijk or buurt."""
    changed: dict[str, int] = {}
    db.session.flush()
    relocating.send(None, changed=changed)
    db.session.expire_all()  # the handlers update in bulk, past the objects this session holds
    return changed


def relocate_rows(model: Any, column: Any) -> int:
    """Give every row of ``model`` with a point in ``column`` the wijk_id and buurt_id ``locate``
    gives that point now; the number of rows that changed. For the ``relocating`` handlers."""
    rows = db.session.execute(select(model.id, model.wijk_id, model.buurt_id, func.ST_Y(column), func.ST_X(column))
                              .where(column.is_not(None)).order_by(model.id)).all()
    moved = 0
    for row_id, wijk_id, buurt_id, lat, lon in rows:
        where = locate(lat, lon)
        new = (getattr(where.wijk, "id", None), getattr(where.buurt, "id", None))
        if new != (wijk_id, buurt_id):
            db.session.execute(update(model).where(model.id == row_id).values(wijk_id=new[0], buurt_id=new[1]),
                               execution_options={"synchronize_session": False})
            moved += 1
    return moved


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
