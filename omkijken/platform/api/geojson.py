"""Public posts as GeoJSON, by bounding box: the markers of the map (static/js/kaart.js).

Only the public point (``toon_locatie``, blurred for a post at someone's home) is ever read here;
the exact point (``locatie``) is not selected at all. Rows are plain tuples, not ORM objects, so
a full view stays fast. At most ``cap`` features (newest first) are sent; when there are more the
answer says ``"truncated": true`` and how many there are (``"total"``), and the map asks the
visitor to zoom in.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from omkijken.platform.areas.models import Wijk
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Post

CAP = 500
BBOX_MAX_CHARS = 200
DECIMALS = 5  # about 1 m: the public point is already blurred by 250-450 m where it matters


class BadBox(ValueError):
    pass


def parse_bbox(value: str | None) -> tuple[float, float, float, float]:
    """``minLon,minLat,maxLon,maxLat`` in WGS84; raises BadBox with a Dutch message."""
    if value is None or not value.strip():
        raise BadBox("Geef een gebied op: bbox=minLon,minLat,maxLon,maxLat (bijvoorbeeld bbox=5.4,51.7,5.6,51.8).")
    if len(value) > BBOX_MAX_CHARS:
        raise BadBox("De bbox is te lang. Gebruik vier getallen: minLon,minLat,maxLon,maxLat.")
    parts = value.split(",")
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
    if min_lon >= max_lon or min_lat >= max_lat:
        raise BadBox("De bbox staat verkeerd om: eerst de kleinste lon en lat, dan de grootste.")
    return min_lon, min_lat, max_lon, max_lat


def feature_collection(filters: services.Filters, bbox: tuple[float, float, float, float], *,
                       cap: int = CAP) -> dict[str, Any]:
    """The public posts inside ``bbox`` that pass ``filters``, newest first, at most ``cap``."""
    stmt = services.public_query(replace(filters, bbox=bbox))
    lon, lat = func.ST_X(Post.toon_locatie), func.ST_Y(Post.toon_locatie)
    rows = db.session.execute(
        stmt.with_only_columns(Post.id, Post.soort, Post.titel, Post.categorie, Post.wijk_id, lon, lat)
        .limit(cap + 1)
    ).all()
    # A few dozen wijken: naming them here is cheaper than a join on every row before the sort.
    wijk_namen = dict(db.session.execute(select(Wijk.id, Wijk.naam)).all()) if rows else {}
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
    return {
        "type": "FeatureCollection",
        "features": features,
        "total": total,
        "truncated": truncated,
    }
