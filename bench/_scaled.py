"""The demo data scaled to the size of Oss: about 2,000 open hulpvragen, 10,000 volunteers and
10,000 posts on the map (at ``scale`` 1.0), for the web load and soak benches.

First the ordinary demo (``demo.seed``: the named accounts, voorstellen, koppelingen, wijkagenda and
subsidies, about 25 s), then the rest in bulk. Going through ``posts.create`` per row would take
about 15 minutes for 20,000 rows (a point-in-buurt query, a transform and a commit each), so the
bulk part does what those services do, per batch:

- every point is drawn inside a real wijk polygon where people live (``demo_neighbourhood``'s
  sampler), and its buurt and wijk are found against the same CBS polygons (shapely, in memory);
- the public point of a home is ``areas.blur`` with the site's secret key, as ``posts._place`` does;
- the RD New columns come from PostGIS's ``ST_Transform`` (what ``database.point_rd`` asks for),
  one query per batch;
- no outbox rows: the worker starts with an empty queue, as in bench/pipeline.py.

Everyone made here has the password ``BENCH_PASSWORD``, hashed once.

Totals at scale 1.0 (public posts are open and not hidden, as on the map):
``VOLUNTEERS`` volunteers, of whom ``AANBOD_SHARE`` have an open aanbod at home; open hulpvragen up to
``OPEN_HULPVRAGEN``, each from a resident at home; activiteiten, initiatieven, ontmoetingsplekken and
vacatures fill up to ``PUBLIC_POSTS``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Iterable

from geoalchemy2 import WKTElement
from shapely import wkt as shapely_wkt
from shapely.geometry import Point
from shapely.prepared import prep
from sqlalchemy import func, insert, select, text

OPEN_HULPVRAGEN = 2_000
VOLUNTEERS = 10_000
PUBLIC_POSTS = 10_000
AANBOD_SHARE = 0.7
VRAGEN_PER_RESIDENT = 1.25
BENCH_PASSWORD = "omkijken-bench"
DOMAIN = "bench.omkijken.local"
VOLUNTEER_EMAIL = "vrijwilliger{:05d}@" + DOMAIN
RESIDENT_EMAIL = "inwoner{:05d}@" + DOMAIN
# The rest of the map after hulpvragen and aanbod, by kind.
OTHER_KINDS = {"activiteit": 0.4, "vacature": 0.25, "initiatief": 0.2, "ontmoetingsplek": 0.15}
BATCH = 2_000
MARKER = "omkijken-bench-scale"


def targets(scale: float) -> dict[str, int]:
    volunteers = max(1, round(VOLUNTEERS * scale))
    return {
        "volunteers": volunteers,
        "aanbod": round(volunteers * AANBOD_SHARE),
        "open_hulpvragen": max(1, round(OPEN_HULPVRAGEN * scale)),
        "public_posts": max(1, round(PUBLIC_POSTS * scale)),
    }


def loaded_scale() -> float | None:
    """The scale this database was loaded at, or None (not loaded, or a load that did not finish)."""
    from omkijken.platform.extensions import db

    try:
        return db.session.scalar(text("SELECT scale FROM bench_marker WHERE name = :name"), {"name": MARKER})
    except Exception:
        db.session.rollback()
        return None


def counts() -> dict[str, int]:
    """What the map and the matching see now (for the JSON)."""
    from omkijken.platform.accounts.models import RoleGrant
    from omkijken.platform.extensions import db
    from omkijken.platform.posts.models import Post

    public = (Post.status == "open") & Post.verborgen.is_(False)
    return {
        "volunteers": db.session.scalar(select(func.count(func.distinct(RoleGrant.user_id)))
                                        .where(RoleGrant.role == "vrijwilliger")),
        "open_hulpvragen": db.session.scalar(select(func.count()).where(public, Post.soort == "hulpvraag")),
        "open_aanbod": db.session.scalar(select(func.count()).where(public, Post.soort == "aanbod")),
        "public_posts": db.session.scalar(select(func.count()).where(public)),
    }


class _Areas:
    """The wijken where people live and the buurten inside them, as shapely shapes."""

    def __init__(self) -> None:
        from omkijken.demo.neighbourhood import NIET_WONEN, _Wijken
        from omkijken.platform.areas.models import Buurt, Wijk
        from omkijken.platform.extensions import db

        self.sampler = _Wijken()
        self.wijk_id = dict(db.session.execute(select(Wijk.code, Wijk.id)).all())
        self.codes = [c for c in sorted(self.sampler.shape) if c not in NIET_WONEN]
        # Bigger wijken get more people, not in proportion (a village wijk is large and empty).
        self.weights = [self.sampler.shape[c].area ** 0.5 for c in self.codes]
        self.buurten: dict[int, list[tuple[int, Any]]] = {}
        for buurt_id, wijk_id, shape in db.session.execute(select(Buurt.id, Buurt.wijk_id, func.ST_AsText(Buurt.geom))):
            self.buurten.setdefault(wijk_id, []).append((buurt_id, prep(shapely_wkt.loads(shape))))

    def home(self, rng: random.Random) -> tuple[float, float, int, int | None]:
        """(lat, lon, wijk id, buurt id) of a random point where people live."""
        code = rng.choices(self.codes, weights=self.weights)[0]
        lat, lon = self.sampler.point_in(code, rng)
        wijk_id = self.wijk_id[code]
        here = Point(lon, lat)
        buurt_id = next((b for b, shape in self.buurten.get(wijk_id, ()) if shape.contains(here)), None)
        return lat, lon, wijk_id, buurt_id


def _rd(points: list[tuple[float, float]]) -> list[WKTElement]:
    """RD New of WGS84 (lat, lon) points, by PostGIS's ST_Transform as database.point_rd does."""
    from omkijken.platform.extensions import db

    rows = db.session.execute(text(
        "SELECT ST_AsText(ST_Transform(ST_GeomFromText(w, 4326), 28992)) FROM unnest(CAST(:w AS text[])) "
        "WITH ORDINALITY AS t(w, n) ORDER BY n"
    ), {"w": [f"POINT({lon:.7f} {lat:.7f})" for lat, lon in points]}).scalars().all()
    return [WKTElement(row, srid=28992) for row in rows]


def _wgs(lat: float, lon: float) -> WKTElement:
    return WKTElement(f"POINT({lon:.7f} {lat:.7f})", srid=4326)


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _insert_users(people: list[dict[str, Any]], roles: tuple[str, ...], now: datetime) -> list[int]:
    from omkijken.platform.accounts.models import RoleGrant, User, new_login_token
    from omkijken.platform.extensions import db

    ids: list[int] = []
    for chunk in _chunks(people):
        rd = _rd([(p["lat"], p["lon"]) for p in chunk])
        rows = [{
            "email": p["email"], "naam": p["naam"], "password_hash": p["password_hash"],
            "login_token": new_login_token(), "home": _wgs(p["lat"], p["lon"]), "home_rd": home_rd,
            "wijk_id": p["wijk_id"], "buurt_id": p["buurt_id"], "taal": "nl",
            "consent_at": now, "created_at": p["created_at"], "is_demo": False,
        } for p, home_rd in zip(chunk, rd)]
        made = db.session.execute(insert(User.__table__).returning(User.id, sort_by_parameter_order=True), rows)
        chunk_ids = list(made.scalars())
        db.session.execute(insert(RoleGrant.__table__), [
            {"user_id": user_id, "role": role, "wijk_id": None, "granted_at": now}
            for user_id in chunk_ids for role in roles
        ])
        ids += chunk_ids
    return ids


def _insert_posts(kind: str, posts: list[dict[str, Any]], secret: str) -> list[int]:
    """Rows of ``posts`` and of the kind's own table; each dict has the common columns, the
    exact point as lat/lon, op_huisadres, and ``own`` with the kind's columns."""
    from omkijken.platform.areas import services as areas
    from omkijken.platform.extensions import db
    from omkijken.platform.posts import models

    Post = models.Post
    own_table = {"hulpvraag": models.Hulpvraag, "aanbod": models.Aanbod, "activiteit": models.Activiteit,
                 "vacature": models.Vacature, "initiatief": models.Initiatief,
                 "ontmoetingsplek": models.Ontmoetingsplek}[kind].__table__
    ids: list[int] = []
    for chunk in _chunks(posts):
        shown = [areas.blur(p["lat"], p["lon"], secret=secret) if p["op_huisadres"] else (p["lat"], p["lon"])
                 for p in chunk]
        rd = _rd([(p["lat"], p["lon"]) for p in chunk] + shown)
        exact_rd, shown_rd = rd[:len(chunk)], rd[len(chunk):]
        rows = [{
            "soort": kind, "titel": p["titel"], "beschrijving": p.get("beschrijving", ""),
            "categorie": p.get("categorie"), "auteur_id": p["auteur_id"], "namens_id": None,
            "wijk_id": p["wijk_id"], "buurt_id": p["buurt_id"], "op_huisadres": p["op_huisadres"],
            "locatie": _wgs(p["lat"], p["lon"]), "locatie_rd": exact_rd[n],
            "toon_locatie": _wgs(*shown[n]), "toon_locatie_rd": shown_rd[n],
            "status": "open", "sluit_reden": None, "verborgen": False,
            "beoordeeld_at": p.get("beoordeeld_at"), "moderatie_reden": "", "is_demo": False,
            "created_at": p["created_at"], "updated_at": p["created_at"],
        } for n, p in enumerate(chunk)]
        made = db.session.execute(insert(Post.__table__).returning(Post.id, sort_by_parameter_order=True), rows)
        chunk_ids = list(made.scalars())
        db.session.execute(insert(own_table), [{"id": post_id, **p["own"]} for post_id, p in zip(chunk_ids, chunk)])
        ids += chunk_ids
    return ids


def _name(rng: random.Random) -> str:
    from omkijken.demo.neighbourhood import INITIALEN, VOORNAMEN

    return f"{rng.choice(VOORNAMEN)} {rng.choice(INITIALEN)}."


def _person(areas: _Areas, rng: random.Random, email: str, password_hash: str, created_at: datetime) -> dict[str, Any]:
    lat, lon, wijk_id, buurt_id = areas.home(rng)
    return {"email": email, "naam": _name(rng), "password_hash": password_hash, "lat": lat, "lon": lon,
            "wijk_id": wijk_id, "buurt_id": buurt_id, "created_at": created_at}


def load(scale: float, *, now: datetime, secret: str, seed: int = 2026) -> dict[str, Any]:
    """Fill a migrated, empty database up to ``targets(scale)``; returns what was made."""
    from werkzeug.security import generate_password_hash

    from omkijken import demo
    from omkijken.demo.neighbourhood import (
        AANBOD_GEWICHT,
        AANBOD_ZINNEN,
        ACTIVITEIT_SOORTEN,
        EXTRA_PLEKKEN,
        HULPVRAGEN_PER_CATEGORIE,
        INITIATIEVEN,
        VRAAG_ZINNEN,
    )
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.extensions import db
    from omkijken.platform.posts.vocabulary import SLOTS, TALEN

    rng = random.Random(seed)
    demo_counts = demo.seed(now=now)
    db.session.commit()
    goal, have = targets(scale), counts()
    areas = _Areas()
    password_hash = generate_password_hash(BENCH_PASSWORD)  # one hash for all: hashing 12,000 takes minutes
    made: dict[str, int] = {}

    # Volunteers, and an aanbod at home for most of them.
    new_volunteers = max(0, goal["volunteers"] - have["volunteers"])
    volunteers = [_person(areas, rng, VOLUNTEER_EMAIL.format(n), password_hash, now - timedelta(days=rng.uniform(1, 700)))
                  for n in range(new_volunteers)]
    volunteer_ids = _insert_users(volunteers, ("inwoner", "vrijwilliger"), now)
    made["volunteers"] = len(volunteer_ids)
    namen, gewichten = list(AANBOD_GEWICHT), list(AANBOD_GEWICHT.values())
    aanbod = []
    for person, user_id in zip(volunteers, volunteer_ids):
        if rng.random() >= AANBOD_SHARE:
            continue
        categorieen = list(dict.fromkeys(rng.choices(namen, gewichten, k=rng.randint(1, 3))))
        if rng.random() < 0.04:  # tuinonderhoud is short of volunteers, as in the demo
            categorieen.insert(0, "tuinonderhoud")
        created = person["created_at"] + timedelta(days=rng.uniform(0, 30))
        aanbod.append({
            **person, "titel": rng.choice(AANBOD_ZINNEN[categorieen[0]]), "categorie": categorieen[0],
            "beschrijving": "Ik help graag een buur. Stuur me een bericht, dan spreken we iets af.",
            "auteur_id": user_id, "op_huisadres": True, "created_at": min(created, now),
            "own": {
                "categorieen": categorieen,
                "dagdelen": sorted(rng.sample(SLOTS, rng.randint(2, 8)), key=SLOTS.index) if rng.random() < 0.6 else [],
                "radius_m": rng.choice((1000, 2000, 2000, 3000, 5000)), "wijk_ids": [],
                "talen": ["nl"] + ([rng.choice(list(TALEN)[1:])] if rng.random() < 0.25 else []),
                "capaciteit": rng.choice((1, 1, 1, 2, 3)), "heeft_vog": rng.random() < 0.4,
                "volgt_per_mail": rng.random() < 0.5,
            },
        })
    made["aanbod"] = len(_insert_posts("aanbod", aanbod, secret))

    # Open hulpvragen, each from a resident at home (some residents ask twice).
    new_vragen = max(0, goal["open_hulpvragen"] - have["open_hulpvragen"])
    residents = [_person(areas, rng, RESIDENT_EMAIL.format(n), password_hash, now - timedelta(days=rng.uniform(30, 700)))
                 for n in range(max(1, round(new_vragen / VRAGEN_PER_RESIDENT)) if new_vragen else 0)]
    resident_ids = _insert_users(residents, ("inwoner",), now)
    made["residents"] = len(resident_ids)
    categories, weights = list(HULPVRAGEN_PER_CATEGORIE), list(HULPVRAGEN_PER_CATEGORIE.values())
    vragen = []
    for number in range(new_vragen):
        index = number % len(residents)
        person, user_id = residents[index], resident_ids[index]
        categorie = rng.choices(categories, weights)[0]
        titel, wil, kan, nodig = rng.choice(VRAAG_ZINNEN[categorie])
        vragen.append({
            **person, "titel": titel, "categorie": categorie, "beschrijving": f"{wil} {nodig}",
            "auteur_id": user_id, "op_huisadres": True, "created_at": now - timedelta(days=rng.uniform(0, 60)),
            "own": {
                "wil": wil, "kan_zelf": kan, "nodig": nodig,
                "dagdelen": sorted(rng.sample(SLOTS, rng.randint(1, 4)), key=SLOTS.index),
                "datum": None, "periode_tot": (now + timedelta(days=rng.choice((30, 60, 90, 180)))).date(),
                "voorkeur_taal": None, "voorkeur_geslacht": None,
            },
        })
    made["hulpvragen"] = len(_insert_posts("hulpvraag", vragen, secret))

    # The rest of the map: public places, activities, initiatives and vacatures (never at a home).
    opbouw = accounts.find_by_email("opbouwwerker@demo.omkijken.nl").id
    organisatie = accounts.find_by_email("organisatie@demo.omkijken.nl").id
    rest = max(0, goal["public_posts"] - have["public_posts"] - made["aanbod"] - made["hulpvragen"])
    for kind, share in OTHER_KINDS.items():
        rows = []
        for number in range(round(rest * share)):
            lat, lon, wijk_id, buurt_id = areas.home(rng)
            row = {"lat": lat, "lon": lon, "wijk_id": wijk_id, "buurt_id": buurt_id, "op_huisadres": False,
                   "auteur_id": opbouw, "created_at": now - timedelta(days=rng.uniform(0, 120)),
                   "beoordeeld_at": now - timedelta(days=rng.uniform(0, 1))}
            if kind == "activiteit":
                soort = rng.choice(ACTIVITEIT_SOORTEN)
                start = (now + timedelta(days=rng.randint(1, 28))).replace(
                    hour=soort.begin.hour, minute=soort.begin.minute, second=0, microsecond=0)
                row.update(titel=f"{soort.titel} {number}", categorie=soort.categorie, beschrijving=soort.beschrijving,
                           own={"start": start, "eind": start + timedelta(minutes=soort.minuten),
                                "herhaling": soort.herhaling, "herhaling_tot": None, "plek_id": None,
                                "initiatief_id": None,
                                "prijs": Decimal(soort.prijs) if soort.prijs else None, "regels_gelezen": True})
            elif kind == "vacature":
                categorie = rng.choice(categories)
                row.update(titel=f"Vrijwilliger gezocht: {categorie} ({number})", categorie=categorie,
                           beschrijving="Wij zoeken iemand die een paar uur per week wil helpen.",
                           auteur_id=organisatie, own={"uren": "2 tot 4 uur per week", "plaats": "In de wijk"})
            elif kind == "initiatief":
                titel, categorie, beschrijving, vraagt = rng.choice(INITIATIEVEN)
                row.update(titel=f"{titel} {number}", categorie=categorie, beschrijving=beschrijving,
                           auteur_id=rng.choice(resident_ids or [opbouw]),
                           own={"vraagt": list(vraagt), "fase": rng.choice(("idee", "actief", "actief", "zelfstandig")),
                                "losgelaten_reden": None})
            else:
                titel, _wijk, plek_soort, tijden, beschrijving = rng.choice(EXTRA_PLEKKEN)
                row.update(titel=f"{titel.split()[0]} {number}", categorie="ontmoeting", beschrijving=beschrijving,
                           own={"plek_soort": plek_soort, "adres": "", "openingstijden": dict(tijden),
                                "bij_benadering": True})
            rows.append(row)
        made[kind] = len(_insert_posts(kind, rows, secret))

    db.session.execute(text("CREATE TABLE IF NOT EXISTS bench_marker (name text PRIMARY KEY, scale float NOT NULL)"))
    db.session.execute(text("INSERT INTO bench_marker VALUES (:name, :scale) ON CONFLICT (name) DO UPDATE "
                            "SET scale = excluded.scale"), {"name": MARKER, "scale": scale})
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"demo": {k: v for k, v in demo_counts.items() if v}, "bulk": made}
