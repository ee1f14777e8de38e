"""How heavy is the prikbord map with 10,000 posts in Oss? Prints JSON; run per backend.

    .venv/bin/python bench/map_payload.py                      # SpatiaLite (temporary file)
    .venv/bin/python bench/map_payload.py --database-url postgresql+psycopg://postgres@127.0.0.1/omkijken_bench

The PostgreSQL database must exist and be empty or already migrated; it is migrated, the CBS areas
are imported and the posts of earlier runs (title prefix 'Bench ') are replaced. Posts are drawn at
random (fixed seed) inside the polygons of the wijken of Oss and written with one bulk insert per
table (SQLAlchemy core); the public point of a post at someone's home is blurred as the site does.
Then the Flask test client fetches /kaart and the first GeoJSON the map asks for, as kaart.js asks
it: the box of gemeente Oss with ``clusters=1``, and a browser's Accept-Encoding (so the bytes are
those that travel). The plain answer without clusters is measured beside it.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import datetime, timedelta, timezone

from _setup import migrated_app

KINDS = [("hulpvraag", 35), ("aanbod", 25), ("initiatief", 10), ("ontmoetingsplek", 10),
         ("activiteit", 10), ("vacature", 10)]
HOME_BASED = {"hulpvraag", "aanbod"}
PREFIX = "Bench "


def random_points_in(polygons, count: int, rng: random.Random):
    """``count`` (wijk_id, lat, lon) inside the given (wijk_id, shapely polygon) pairs, by rejection."""
    from shapely import prepared
    from shapely.geometry import Point

    prepared_polygons = [(wijk_id, shape, prepared.prep(shape)) for wijk_id, shape in polygons]
    weights = [shape.area for _id, shape, _p in prepared_polygons]
    points = []
    while len(points) < count:
        wijk_id, shape, inside = rng.choices(prepared_polygons, weights=weights)[0]
        west, south, east, north = shape.bounds
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if inside.contains(Point(lon, lat)):
            points.append((wijk_id, lat, lon))
    return points


def seed(count: int, secret: str) -> None:
    from shapely import wkt
    from sqlalchemy import delete, func, insert, select, text, update

    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.accounts.models import User
    from omkijken.platform.areas import services as areas
    from omkijken.platform.areas.models import Gemeente, Wijk
    from omkijken.platform.database import RD_NEW, WGS84
    from omkijken.platform.extensions import db
    from omkijken.platform.posts import models
    from omkijken.platform.posts.vocabulary import CATEGORIEEN

    now = datetime.now(timezone.utc)
    db.session.execute(delete(models.Post).where(models.Post.titel.like(f"{PREFIX}%")))
    author = db.session.scalar(select(User).filter_by(email="bench@omkijken.local")) or accounts.create_user(
        email="bench@omkijken.local", naam="Bench", password="bench-wachtwoord", roles=("inwoner",), now=now
    )
    oss = db.session.scalar(select(Gemeente).filter_by(code="GM0828"))
    polygons = [
        (wijk_id, wkt.loads(text))
        for wijk_id, text in db.session.execute(
            select(Wijk.id, func.ST_AsText(Wijk.geom)).where(Wijk.gemeente_id == oss.id)
        )
    ]
    rng = random.Random(2026)
    points = random_points_in(polygons, count, rng)
    kinds = rng.choices([k for k, _w in KINDS], weights=[w for _k, w in KINDS], k=count)
    categories = list(CATEGORIEEN)
    dummy_rd = f"SRID={RD_NEW};POINT(0 0)"

    rows = []
    for number, ((wijk_id, lat, lon), kind) in enumerate(zip(points, kinds)):
        shown = areas.blur(lat, lon, secret=secret) if kind in HOME_BASED else (lat, lon)
        created = now - timedelta(minutes=number * 7)
        rows.append({
            "soort": kind, "titel": f"{PREFIX}{kind} {number}", "beschrijving": "",
            "categorie": rng.choice(categories), "auteur_id": author.id, "wijk_id": wijk_id,
            "op_huisadres": kind in HOME_BASED,
            "locatie": f"SRID={WGS84};POINT({lon:.7f} {lat:.7f})",
            "toon_locatie": f"SRID={WGS84};POINT({shown[1]:.7f} {shown[0]:.7f})",
            "locatie_rd": dummy_rd, "toon_locatie_rd": dummy_rd,
            "status": "open", "verborgen": False, "is_demo": True, "created_at": created, "updated_at": created,
        })
    posts = models.Post.__table__
    ids = db.session.execute(insert(posts).returning(posts.c.id, posts.c.soort), rows).all()
    tables = {"hulpvraag": models.Hulpvraag, "aanbod": models.Aanbod, "vacature": models.Vacature,
              "initiatief": models.Initiatief, "ontmoetingsplek": models.Ontmoetingsplek,
              "activiteit": models.Activiteit}
    for kind, model in tables.items():
        extra = {"start": now + timedelta(days=7)} if kind == "activiteit" else {}
        children = [{"id": post_id, **extra} for post_id, soort in ids if soort == kind]
        if children:
            db.session.execute(insert(model.__table__), children)
    # The RD New points in one statement: the database transforms, as point_rd() does per post.
    bench = posts.c.titel.like(f"{PREFIX}%")
    db.session.execute(
        update(posts).where(bench).values(
            locatie_rd=func.ST_Transform(posts.c.locatie, RD_NEW),
            toon_locatie_rd=func.ST_Transform(posts.c.toon_locatie, RD_NEW),
        )
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE posts"))  # what autovacuum does soon after a bulk load
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()

    from geoalchemy2.shape import to_shape
    from sqlalchemy import select

    from omkijken.platform.areas.models import Gemeente

    app = migrated_app(args.database_url, GEOCODER="off")
    with app.app_context():
        start = time.perf_counter()
        seed(args.posts, app.config["SECRET_KEY"])
        seed_s = time.perf_counter() - start
        from omkijken.platform.extensions import db

        west, south, east, north = to_shape(db.session.scalar(select(Gemeente.geom).filter_by(code="GM0828"))).bounds
        bbox = f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}"
        db.session.remove()

    client = app.test_client()
    page = client.get("/kaart")
    assert page.status_code == 200, page.status_code
    as_the_map = f"/api/v1/posts.geojson?bbox={bbox}&clusters=1"  # static/js/kaart.js
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    start = time.perf_counter()
    answer = client.get(as_the_map, headers=browser)
    geojson_ms = (time.perf_counter() - start) * 1000
    assert answer.status_code == 200, answer.status_code
    body = client.get(as_the_map).get_json(force=True)
    warm = []
    for _ in range(5):
        start = time.perf_counter()
        client.get(as_the_map, headers=browser)
        warm.append((time.perf_counter() - start) * 1000)
    plain = client.get(f"/api/v1/posts.geojson?bbox={bbox}", headers=browser)

    print(json.dumps({
        "benchmark": "map_payload",
        "backend": app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0],
        "posts": args.posts,
        "map_page_bytes": len(page.data),
        "geojson_url": as_the_map.replace(bbox, "<box of Oss>"),
        "first_geojson_bytes_transferred": len(answer.data),
        "content_encoding": answer.headers.get("Content-Encoding", "identity"),
        "first_geojson_bytes_uncompressed": len(client.get(as_the_map).data),
        "features": len(body["features"]),
        "cluster_features": sum(1 for f in body["features"] if f["properties"].get("cluster")),
        "truncated": body.get("truncated"),
        "total_in_view": body.get("total"),
        "without_clusters_bytes_transferred": len(plain.data),
        "geojson_ms": round(geojson_ms, 1),
        "geojson_ms_warm_median": round(sorted(warm)[len(warm) // 2], 1),
        "seed_s": round(seed_s, 2),
    }))


if __name__ == "__main__":
    main()
