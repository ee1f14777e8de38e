"""How long from publishing a hulpvraag to its voorstel in the database, with one real worker?

    .venv/bin/python bench/pipeline.py                      # PostGIS + Redis when both answer, else SpatiaLite
    .venv/bin/python bench/pipeline.py --backend spatialite # SQLite + SpatiaLite, embedded broker
    .venv/bin/python bench/pipeline.py --backend postgis --pool solo -n 200

The target (DESIGN.md, matching pipeline): under 2 s at p95 with one worker on Redis.

Set-up: a fresh database of its own (PostGIS: ``omk_bench_pipeline``, dropped and made again; its
name must contain "bench"), Redis db 9 (flushed) or the embedded broker (a redis-server of its own
on a socket in the instance folder, as ``omkijken run`` starts it), and a temporary instance
folder (mail, broker, worker log), removed at the end. It seeds a gemeente: ``--aanbod``
volunteers with an aanbod at random homes inside the wijken of Oss (inserted without outbox
messages, so the worker starts with an empty queue). Then ONE Celery worker process starts, as
``omkijken worker --concurrency 1`` would start it (``--pool`` overrides the pool), and ``-n``
hulpvragen are published one by one through ``posts.services.create`` (commit + dispatch), each a
few hundred metres from a volunteer whose categories fit. After each, the script polls the
database for the voorstel (every 2 ms, from a connection of its own) before publishing the next.

With ``--under-load`` it runs on the production stack of bench/web_load.py instead: the demo data
scaled to Oss (``--scale``, ``--reuse``), gunicorn, ``omkijken worker --concurrency 2`` and beat on
PostGIS + Redis, while web_load's mix of ``--users`` users (32) runs against the site; then the
hulpvragen are published the same way, near volunteers of the scaled data, and matched by the
stack's own worker, which also matches what the load users post.

    .venv/bin/python bench/pipeline.py --under-load                       # scale 1, 32 users
    .venv/bin/python bench/pipeline.py --under-load --scale 0.1 -n 30     # a quick run

Latency = from calling create() to the voorstel row being visible. Beside the figures asked for,
the JSON line splits it: ``publish`` (create(): insert, commit, send to the broker), ``queue``
(from create() returning to the task starting: the broker and the worker picking it up; read
from voorstel.created_at, which is the task's start time) and ``work`` (the rest: the spatial
query, the engine, the insert and its commit, the mail rows, and polling).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _setup import migrated_app

DEFAULT_POSTGIS_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/omk_bench_pipeline"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
GEMEENTE = "GM0828"  # Oss
PASSWORD_HASH = "bench-not-a-login"  # no one logs in; hashing 300 passwords would only slow the seed
TIMEOUT_S = 30.0
POLL_S = 0.002


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def postgis_answers(url: str) -> bool:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(make_url(url).set(database="postgres"))
    try:
        with admin.connect() as conn:
            return bool(conn.scalar(text("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")))
    except Exception:
        return False
    finally:
        admin.dispose()


def fresh_postgis(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    if "bench" not in (target.database or ""):
        raise SystemExit(f"weiger {target.database!r} te wissen: de naam van een bench-database bevat 'bench'")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile, as the target is stated ("p95 under 2 s")."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def seed(count: int, rng: random.Random, now: datetime) -> list[tuple[int, float, float, list[str], bool]]:
    """``count`` volunteers with an aanbod at home in Oss; returns (aanbod id, lat, lon, categories, vog)."""
    from sqlalchemy import select

    from omkijken.demo.neighbourhood import NIET_WONEN, _Wijken
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.accounts.models import User
    from omkijken.platform.areas.models import Gemeente, Wijk
    from omkijken.platform.extensions import db
    from omkijken.platform.koppelingen import diensten
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Aanbod
    from omkijken.platform.posts.vocabulary import CATEGORIEEN, SLOTS

    diensten.ensure_standard()
    wijken = _Wijken()
    oss = db.session.scalar(select(Gemeente).filter_by(code=GEMEENTE))
    codes = [c for c in db.session.scalars(select(Wijk.code).where(Wijk.gemeente_id == oss.id).order_by(Wijk.code))
             if c not in NIET_WONEN]
    weights = [wijken.shape[c].area ** 0.5 for c in codes]  # bigger wijken a bit more, not in proportion
    categories = list(CATEGORIEEN)
    made = []
    for number in range(count):
        lat, lon = wijken.point_in(rng.choices(codes, weights=weights)[0], rng)
        user = User(email=f"vrijwilliger{number:04d}@bench.omkijken.local", naam=f"Vrijwilliger {number}",
                    password_hash=PASSWORD_HASH, consent_at=now, created_at=now)
        accounts.set_home(user, lat, lon)
        db.session.add(user)
        aanbod = Aanbod(
            titel=f"Bench aanbod {number}", categorieen=rng.sample(categories, rng.choice((1, 1, 2, 3))),
            dagdelen=rng.sample(SLOTS, rng.randint(4, 10)) if rng.random() < 0.5 else [],
            radius_m=rng.choice((1000, 2000, 3000, 3000, 5000)), capaciteit=rng.choice((1, 1, 2)),
            heeft_vog=rng.random() < 0.4,
        )
        aanbod.auteur = user
        aanbod.created_at = aanbod.updated_at = now - timedelta(days=rng.randint(1, 300))
        aanbod.status = "open"
        # What posts.create does, without the outbox message: the worker starts with an empty queue.
        posts._place(aanbod, lat, lon, op_huisadres=True)
        db.session.add(aanbod)
        db.session.flush()
        made.append((aanbod.id, lat, lon, list(aanbod.categorieen), aanbod.heeft_vog))
    db.session.commit()
    return made


def vog_categories() -> set[str]:
    from omkijken.platform.koppelingen.vocabulary import STANDAARD_DIENSTEN

    return {c for _code, _n, _b, _s, _m, vog, cats in STANDAARD_DIENSTEN if vog for c in cats}


def start_worker(app, env: dict[str, str], pool: str | None, log_path: Path) -> subprocess.Popen:
    from omkijken.cli.run import worker_command

    with app.app_context():
        command = worker_command(concurrency=1)
    if pool:
        command = [c for c in command if not c.startswith(("--pool", "--concurrency"))] + [f"--pool={pool}"]
        if pool != "solo":
            command.append("--concurrency=1")
    log = open(log_path, "ab")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    process.bench_log = log  # type: ignore[attr-defined]
    process.bench_command = command  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if b" ready." in log_path.read_bytes():
            return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    stop_worker(process)
    raise SystemExit("de worker start niet:\n" + log_path.read_text(errors="replace")[-3000:])


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.bench_log.close()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("postgis", "spatialite"), default=os.environ.get("OMKIJKEN_BENCH_BACKEND"))
    parser.add_argument("--database-url", default=os.environ.get("OMKIJKEN_BENCH_POSTGIS_URL", DEFAULT_POSTGIS_URL))
    parser.add_argument("--redis-url", default=os.environ.get("OMKIJKEN_BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--broker", choices=("redis", "embedded"), help="default: redis on postgis, embedded on spatialite")
    parser.add_argument("--pool", choices=("solo", "prefork", "threads"), help="default: what `omkijken worker` uses")
    parser.add_argument("-n", type=int, default=100, help="hulpvragen to publish, one by one")
    parser.add_argument("--aanbod", type=int, default=300, help="volunteers to seed")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--under-load", action="store_true",
                        help="on web_load's stack and data while its mix runs (the options below)")
    from web_load import stack_arguments

    stack_arguments(parser.add_argument_group("under load"), users=32, duration=0)
    args = parser.parse_args()
    # A bench stopped by SIGTERM still stops its worker and removes its folder (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.under_load:
        under_load(args)
        return

    backend = args.backend or ("postgis" if postgis_answers(args.database_url) and redis_answers(args.redis_url)
                               else "spatialite")
    broker = args.broker or ("redis" if backend == "postgis" else "embedded")
    # What a developer exported for their own site must not reach the bench app or its worker.
    for name in [n for n in os.environ if n.startswith("OMKIJKEN_") and not n.startswith("OMKIJKEN_BENCH_")]:
        del os.environ[name]
    database_url = args.database_url if backend == "postgis" else None  # None: a file in the instance folder
    redis_url = args.redis_url if broker == "redis" else None
    if database_url:
        fresh_postgis(database_url)
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    # A temporary instance folder (from _setup): database file, embedded broker, mail, worker log.
    app = migrated_app(database_url, GEOCODER="off", REDIS_URL=redis_url, RATELIMIT_STORAGE_URI="memory://")
    instance = Path(app.instance_path)
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    worker = embedded = None
    try:
        if not redis_url:
            from omkijken.platform.system.broker import EmbeddedBroker

            embedded = EmbeddedBroker(instance)
            embedded.start(stdout=subprocess.DEVNULL)
        rng = random.Random(args.seed)
        now = datetime.now(timezone.utc)
        with app.app_context():
            started = time.perf_counter()
            volunteers = seed(args.aanbod, rng, now)
            seed_s = time.perf_counter() - started
            from omkijken.platform.extensions import db

            db.engine.dispose()

        env = {name: value for name, value in os.environ.items() if not name.startswith("OMKIJKEN_")}
        env.update({
            "OMKIJKEN_DATABASE_URL": database_url,
            "OMKIJKEN_INSTANCE_PATH": str(instance),
            "OMKIJKEN_SECRET_KEY": "bench",
            "OMKIJKEN_GEOCODER": "off",
        })
        if redis_url:
            env["OMKIJKEN_REDIS_URL"] = redis_url
        worker = start_worker(app, env, args.pool, instance / "worker.log")
        figures = publish_and_wait(app, volunteers, args.n, rng)
    finally:
        if worker is not None:
            stop_worker(worker)
        if embedded is not None:
            embedded.stop()
        shutil.rmtree(instance, ignore_errors=True)

    latencies = figures["latency"]
    found = len(latencies)
    ms = lambda seconds: round(seconds * 1000, 1)  # noqa: E731
    print(json.dumps({
        "benchmark": "pipeline",
        "backend": backend,
        "broker": broker,
        "pool": next((c.split("=", 1)[1] for c in worker.bench_command if c.startswith("--pool=")), "prefork"),
        "n": args.n,
        "p50_ms": ms(percentile(latencies, 0.50)) if found else None,
        "p95_ms": ms(percentile(latencies, 0.95)) if found else None,
        "max_ms": ms(max(latencies)) if found else None,
        "aanbod": args.aanbod,
        "matched": found,
        "publish_p50_ms": ms(statistics.median(figures["publish"])),
        "queue_p50_ms": ms(statistics.median(figures["queue"])) if found else None,
        "queue_p95_ms": ms(percentile(figures["queue"], 0.95)) if found else None,
        "work_p50_ms": ms(statistics.median(figures["work"])) if found else None,
        "seed_s": round(seed_s, 2),
    }))


def publish_and_wait(app, volunteers, n: int, rng: random.Random, *, title: str = "Bench hulpvraag"
                     ) -> dict[str, list[float]]:
    from sqlalchemy import select, text

    from omkijken.platform.accounts.models import User
    from omkijken.platform.clock import as_utc
    from omkijken.platform.extensions import db
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Hulpvraag
    from omkijken.platform.system import services as system
    from omkijken.platform.system.models import OutboxMessage

    needs_vog = vog_categories()
    figures: dict[str, list[float]] = {"latency": [], "publish": [], "queue": [], "work": []}
    with app.app_context():
        now = datetime.now(timezone.utc)
        residents = []
        for number in range(20):
            email = f"inwoner{number:02d}@bench.omkijken.local"
            resident = db.session.scalar(select(User).filter_by(email=email))  # a reused database has them
            if resident is None:
                resident = User(email=email, naam=f"Inwoner {number}", password_hash=PASSWORD_HASH, consent_at=now,
                                created_at=now)
                db.session.add(resident)
            residents.append(resident)
        db.session.commit()
        residents = [resident.id for resident in residents]  # loaded again per vraag: the session is emptied
        poll = db.engine.connect()
        found = text("SELECT created_at FROM voorstellen WHERE hulpvraag_id = :id LIMIT 1")
        handled = text("SELECT done_at FROM outbox_messages WHERE id = :id")
        anchors = rng.sample(volunteers, min(n, len(volunteers)))
        try:
            for number in range(n):
                # Near a volunteer (up to about 500 m), in one of their categories that they may serve;
                # every volunteer is the anchor of at most one vraag while there are enough of them.
                _id, lat, lon, categories, vog = anchors[number] if number < len(anchors) else rng.choice(volunteers)
                allowed = [c for c in categories if vog or c not in needs_vog] or categories
                vraag = Hulpvraag(titel=f"{title} {number}", categorie=rng.choice(allowed),
                                  nodig="Iemand die even helpt.")
                where = (lat + rng.uniform(-0.0035, 0.0035), lon + rng.uniform(-0.0055, 0.0055))
                resident = db.session.get(User, residents[number % len(residents)])
                started = time.perf_counter()
                posted_at = datetime.now(timezone.utc)
                posts.create(vraag, auteur=resident, now=posted_at, where=where)
                db.session.commit()  # as the request that posts it: then the message goes to the broker
                published = time.perf_counter()
                published_at = datetime.now(timezone.utc)
                vraag_id = vraag.id
                # This vraag's own message: under load the site's residents post vragen too.
                message = next(m_id for m_id, payload in db.session.execute(
                    select(OutboxMessage.id, OutboxMessage.payload).where(
                        OutboxMessage.task == system.MATCH_POST, OutboxMessage.created_at == posted_at))
                    if payload.get("post_id") == vraag_id)
                db.session.rollback()
                created = None
                while time.perf_counter() - started < TIMEOUT_S:
                    created = poll.execute(found, {"id": vraag_id}).scalar()
                    done = created is None and poll.execute(handled, {"id": message}).scalar()
                    poll.rollback()
                    if created is not None or done:
                        break  # done without a voorstel: no volunteer fits (capacity used up)
                    time.sleep(POLL_S)
                seen = time.perf_counter()
                figures["publish"].append(published - started)
                if created is None:
                    continue
                if isinstance(created, str):  # SQLite through a plain text() query
                    created = datetime.fromisoformat(created)
                queue = max(0.0, (as_utc(created) - published_at).total_seconds())
                figures["latency"].append(seen - started)
                figures["queue"].append(queue)
                figures["work"].append(max(0.0, (seen - published) - queue))
                db.session.expunge_all()
        finally:
            poll.close()
            db.session.remove()
            db.engine.dispose()
    return figures


def scaled_volunteers() -> list[tuple[int, float, float, list[str], bool]]:
    """(aanbod id, lat, lon, categories, vog) of the open aanbod of the scaled data, at home."""
    from sqlalchemy import func, select

    from omkijken.platform.extensions import db
    from omkijken.platform.posts.models import Aanbod

    rows = db.session.execute(
        select(Aanbod.id, func.ST_Y(Aanbod.locatie), func.ST_X(Aanbod.locatie), Aanbod.categorieen, Aanbod.heeft_vog)
        .where(Aanbod.status == "open", Aanbod.verborgen.is_(False)).order_by(Aanbod.id))
    return [(i, lat, lon, list(cats or []), bool(vog)) for i, lat, lon, cats, vog in rows]


def under_load(args) -> None:
    """Publish-to-voorstel on web_load's stack while its mix runs."""
    import _stack
    from web_load import configuration, start

    from omkijken.platform import create_app

    stack, data, plan_path = start(args)
    load = None
    try:
        stack.start()
        out = stack.instance / "mix.json"
        load = _stack.start_load(
            [sys.executable, str(_stack.BENCH / "_load_users.py"), "--host", stack.url, "--plan", str(plan_path),
             "--users", str(args.users), "--duration", "3600", "--warmup", str(args.warmup), "--mix", "mix",
             "--think", str(args.think), "--out", str(out)], out)
        time.sleep(args.warmup + 5)  # the users are logged in and the site is busy
        app = create_app({"SQLALCHEMY_DATABASE_URI": _stack.postgis_url(), "REDIS_URL": _stack.redis_url(),
                          "SECRET_KEY": _stack.SECRET_KEY, "GEOCODER": "off", "INSTANCE_PATH": str(stack.instance),
                          "RATELIMIT_STORAGE_URI": "memory://"})
        with app.app_context():
            volunteers = scaled_volunteers()
        started = time.perf_counter()
        figures = publish_and_wait(app, volunteers, args.n, random.Random(args.seed), title=f"{_stack.LOAD_TITLE}pijplijn")
        publishing_s = time.perf_counter() - started
        web = load.finish()
        logged = stack.errors_in_logs()
        config = configuration(stack, args)
    finally:
        if load is not None:
            load.stop()
        stack.stop()
        _stack.remove(stack.instance)

    latencies = figures["latency"]
    found = len(latencies)
    ms = lambda seconds: round(seconds * 1000, 1)  # noqa: E731
    print(json.dumps({
        "benchmark": "pipeline",
        "mode": "under web load",
        **config,
        "data": data.get("counts"),
        "n": args.n,
        "matched": found,
        "p50_ms": ms(percentile(latencies, 0.50)) if found else None,
        "p95_ms": ms(percentile(latencies, 0.95)) if found else None,
        "max_ms": ms(max(latencies)) if found else None,
        "publish_p50_ms": ms(statistics.median(figures["publish"])),
        "queue_p50_ms": ms(statistics.median(figures["queue"])) if found else None,
        "queue_p95_ms": ms(percentile(figures["queue"], 0.95)) if found else None,
        "work_p50_ms": ms(statistics.median(figures["work"])) if found else None,
        "work_p95_ms": ms(percentile(figures["work"], 0.95)) if found else None,
        "publishing_s": round(publishing_s, 1),
        "web": {k: web[k] for k in ("rps", "p50_ms", "p95_ms", "errors", "public_p95_max_ms")},
        "web_posts": web["pages"].get("plaatsen (hulpvraag)", {}).get("requests", 0),
        "logged_errors": logged,
        "targets": {"p95_under_2_s": found == args.n and percentile(latencies, 0.95) < 2.0,
                    "zero_errors": web["errors"] == 0 and not any(logged.values())},
    }))


if __name__ == "__main__":
    main()
