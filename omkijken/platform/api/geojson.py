"""Public posts as GeoJSON, by bounding box: the markers of the map (static/js/kaart.js).

Only the public point (``toon_locatie``, blurred for a post at someone's home) is ever read here;
the exact point (``locatie``) is not selected at all. Rows are plain tuples, not ORM objects, so
a full view stays fast. At most ``cap`` features (newest first) are sent; when there are more the
answer says ``"truncated": true`` and how many there are (``"total"``).

The map asks for ``clusters``: when more than ``cap`` posts are in view it gets groups instead,
one per cell of a grid, with how many posts the cell holds and the cell's box. A phone
zoomed out over a town then loads a few kilobytes and shows where all the posts are, not the
newest 500 of them in 120 kB; zooming in brings the posts themselves back. The grid is fixed to
the globe (cells of 360/2^k degrees), so groups stay where they are while the visitor pans.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, func, or_, select

from omkijken.platform.areas import services as areas
from omkijken.platform.database import InBox
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Post

CAP = 500
# Four numbers separated by commas, as the OpenAPI document says; the ranges (inside WGS84, south below
# north) are checked after. ASCII digits only, as \d means in the document's (ECMA-262) regex.
BBOX_PATTERN = r"^\s*-?\d+(\.\d+)?(\s*,\s*-?\d+(\.\d+)?){3}\s*$"
BBOX_MAX_CHARS = 200
DECIMALS = 5  # about 1 m: the public point is already blurred by 250-450 m where it matters
# At least this many grid cells across the longer side of the box (at most twice as many): the map
# merges groups that come closer than its cluster radius, so a phone screen does not crowd.
CELLS_ACROSS = 8
# Cells are this much less tall than wide in degrees, so they are about square on a map of the
# Netherlands (cos 52°); one fixed number keeps the grid from moving when the map pans.
LAT_PER_LON = 0.62


class BadBox(ValueError):
    pass


def parse_bbox(value: str | None) -> tuple[float, float, float, float]:
    """``minLon,minLat,maxLon,maxLat`` in WGS84; raises BadBox with a Dutch message."""
    if value is None or not value.strip():
        raise BadBox("Geef een gebied op: bbox=minLon,minLat,maxLon,maxLat (bijvoorbeeld bbox=5.4,51.7,5.6,51.8).")
    if len(value) > BBOX_MAX_CHARS:
        raise BadBox("De bbox is te lang. Gebruik vier getallen: minLon,minLat,maxLon,maxLat.")
    parts = value.split(",")
    if len(parts) == 4 and not re.fullmatch(BBOX_PATTERN, value, re.ASCII):
        raise BadBox("Schrijf de bbox als vier gewone getallen, zoals bbox=5.4,51.7,5.6,51.8: cijfers, "
                     "een punt voor decimalen en een min-teken waar nodig.")
    if len(parts) != 4:
        raise BadBox("De bbox moet vier getallen hebben, gescheiden door komma's: minLon,minLat,maxLon,maxLat.")
    numbers = []
    for part in parts:
        part = part.strip()
        try:
            number = float(part)
        except ValueError:
            raise BadBox(f"'{part[:20]}' in de bbox is geen getal. Gebruik een punt voor decimalen.") from None
        if not math.isfinite(number):
            raise BadBox("De bbox mag alleen gewone getallen hebben (geen NaN of oneindig).")
        numbers.append(number)
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise BadBox("De lengtegraden (lon) in de bbox moeten tussen -180 en 180 liggen.")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise BadBox("De breedtegraden (lat) in de bbox moeten tussen -90 en 90 liggen.")
    # West above east is a box across the antimeridian (RFC 7946 5.2); south above north means nothing.
    if min_lon == max_lon or min_lat >= max_lat:
        raise BadBox("De bbox staat verkeerd om: eerst de kleinste lon en lat, dan de grootste.")
    return min_lon, min_lat, max_lon, max_lat


def crosses_antimeridian(bbox: tuple[float, float, float, float]) -> bool:
    return bbox[0] > bbox[2]


def lon_span(bbox: tuple[float, float, float, float]) -> float:
    """How many degrees of longitude the box covers, the long way round when it crosses the antimeridian."""
    return bbox[2] - bbox[0] if not crosses_antimeridian(bbox) else bbox[2] + 360 - bbox[0]


def feature_collection(filters: services.Filters, bbox: tuple[float, float, float, float], *,
                       cap: int = CAP, clusters: bool = False) -> dict[str, Any]:
    """The public posts inside ``bbox`` that pass ``filters``, newest first, at most ``cap``; with
    ``clusters``, groups of them when there are more than ``cap``."""
    if crosses_antimeridian(bbox):
        # Two boxes, west of the line and east of it: the spatial index serves both.
        west, south, east, north = bbox
        stmt = services.public_query(replace(filters, bbox=None)).where(or_(
            InBox(Post.toon_locatie, west, south, 180, north), InBox(Post.toon_locatie, -180, south, east, north)))
    else:
        stmt = services.public_query(replace(filters, bbox=bbox))
    # Counting stops after cap + 1: cheap either way, where grouping a handful of posts is not.
    if clusters and db.session.scalar(select(func.count()).select_from(
            stmt.order_by(None).with_only_columns(Post.id).limit(cap + 1).subquery())) > cap:
        groups = _groups(stmt, bbox)
        return {"type": "FeatureCollection", "features": groups, "total": sum(g["properties"]["aantal"] for g in groups),
                "truncated": False, "clustered": True}
    lon, lat = func.ST_X(Post.toon_locatie), func.ST_Y(Post.toon_locatie)
    rows = db.session.execute(
        stmt.with_only_columns(Post.id, Post.soort, Post.titel, Post.categorie, Post.wijk_id, lon, lat)
        .limit(cap + 1)
    ).all()
    # A few dozen wijken, kept by the process: naming them here is cheaper than a join on every row.
    wijk_namen = areas.wijk_names() if rows else {}
    truncated = len(rows) > cap
    if truncated:
        rows = rows[:cap]
        total = db.session.scalar(
            select(func.count()).select_from(stmt.order_by(None).with_only_columns(Post.id).subquery())
        )
    else:
        total = len(rows)
    features = [
        {
            "type": "Feature",
            "id": post_id,
            "geometry": {"type": "Point", "coordinates": [round(x, DECIMALS), round(y, DECIMALS)]},
            "properties": {
                "id": post_id,
                "soort": soort,
                "titel": titel,
                "categorie": categorie,
                "wijk": wijk_namen.get(wijk_id),
                "url": f"/prikbord/{post_id}",
            },
        }
        for post_id, soort, titel, categorie, wijk_id, x, y in rows
    ]
    body = {"type": "FeatureCollection", "features": features, "total": total, "truncated": truncated}
    if clusters:
        body["clustered"] = False
    return body


def cell_size(bbox: tuple[float, float, float, float]) -> float:
    """The width in degrees of a grid cell for this box: 360/2^k, CELLS_ACROSS to twice that across."""
    _min_lon, min_lat, _max_lon, max_lat = bbox
    span = max(lon_span(bbox), (max_lat - min_lat) / LAT_PER_LON)
    return 360 / 2 ** min(max(math.ceil(math.log2(CELLS_ACROSS * 360 / span)), 0), 40)


def _groups(stmt: Select, bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    """One feature per grid cell with posts: how many, their mean point and the cell's box (to zoom
    to). The box of the cell, not of its posts: four aggregates fewer over thousands of rows."""
    width = cell_size(bbox)
    height = width * LAT_PER_LON
    lon, lat = func.ST_X(Post.toon_locatie), func.ST_Y(Post.toon_locatie)
    column, row = func.floor(lon / width), func.floor(lat / height)
    rows = db.session.execute(
        stmt.order_by(None).with_only_columns(column, row, func.count(), func.avg(lon), func.avg(lat))
        .group_by(column, row)
    ).all()
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, DECIMALS), round(y, DECIMALS)]},
            "properties": {"cluster": True, "aantal": aantal, "bbox": [
                round(value, DECIMALS) for value in (c * width, r * height, (c + 1) * width, (r + 1) * height)]},
        }
        for c, r, aantal, x, y in rows
    ]
