"""How fast is point -> buurt and wijk? Prints JSON; run per backend.

    .venv/bin/python bench/point_in_wijk.py                      # SpatiaLite (temporary file)
    .venv/bin/python bench/point_in_wijk.py --database-url postgresql+psycopg://postgres@127.0.0.1/omkijken_bench

The PostgreSQL database must exist and be empty or already migrated; it is migrated and the CBS
areas are imported. Points are drawn at random (fixed seed) in the boxes around Oss and Oosterhout;
each lookup runs in a new session, as a request's does.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from _setup import migrated_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--points", type=int, default=2000)
    args = parser.parse_args()

    from omkijken.platform.areas import services as areas
    from omkijken.platform.extensions import db

    app = migrated_app(args.database_url)
    with app.app_context():
        rng = random.Random(2026)
        boxes = [((51.70, 51.83), (5.35, 5.65)), ((51.57, 51.68), (4.78, 4.93))]  # Oss, Oosterhout
        points = [
            (rng.uniform(*lat), rng.uniform(*lon))
            for lat, lon in (boxes[i % 2] for i in range(args.points))
        ]
        for lat, lon in points[:50]:
            areas.locate(lat, lon)
        timings, inside = [], 0
        for lat, lon in points:
            db.session.remove()  # each lookup in a session of its own, as each request has: no warm identity map
            start = time.perf_counter()
            found = areas.locate(lat, lon)
            timings.append((time.perf_counter() - start) * 1000)
            inside += found.wijk is not None
    timings.sort()
    print(json.dumps({
        "benchmark": "point_in_wijk",
        "backend": app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0],
        "points": len(points),
        "inside_a_wijk": inside,
        "ms_p50": round(statistics.median(timings), 3),
        "ms_p95": round(timings[int(len(timings) * 0.95) - 1], 3),
        "ms_max": round(timings[-1], 3),
    }))


if __name__ == "__main__":
    main()
