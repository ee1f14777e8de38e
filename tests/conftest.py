"""Apps per backend.

``OMKIJKEN_TEST_BACKEND=spatialite`` (default): SQLite + SpatiaLite with the embedded broker.
``OMKIJKEN_TEST_BACKEND=postgis``: PostgreSQL + PostGIS with Redis. ``make test`` runs both.
The schema is made once per run by the migrations, then every test starts from empty tables
(the CBS areas stay, they are read-only reference data).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import delete, update

from tests.services import OwnServices
from tests.support import IsolatedClient, commit, recorded_pdok, require

BACKEND = os.environ.get("OMKIJKEN_TEST_BACKEND", "spatialite")
# A server of the developer's choosing; without one the suite starts its own (tests/services.py).
CHOSEN_POSTGIS_URL = os.environ.get("OMKIJKEN_TEST_POSTGIS_URL")
CHOSEN_REDIS_URL = os.environ.get("OMKIJKEN_TEST_REDIS_URL")
# pytest-xdist runs the suite in several processes ("gw0", "gw1", ...): on a chosen server each
# takes databases and Redis numbers of its own.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
OWN_SERVICES = OwnServices()
REFERENCE_TABLES = {"gemeenten", "wijken", "buurten"}

# Config-from-environment must not pick up a developer's own settings.
for _name in [n for n in os.environ if n.startswith("OMKIJKEN_") and not n.startswith("OMKIJKEN_TEST_")]:
    del os.environ[_name]


def spatialite_available() -> bool:
    import omkijken.platform.database  # noqa: F401  (loads shapely before SpatiaLite)

    try:
        import sqlean

        conn = sqlean.connect(":memory:")
        conn.enable_load_extension(True)
        conn.load_extension("mod_spatialite")
        return True
    except Exception:
        return False


def redis_available(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def fresh_postgis_database(url: str) -> str | None:
    """Drop and create the test database; why not, when PostgreSQL or PostGIS is not there (a wrong
    password or a stopped server must fail the run with its reason, not look like a missing package)."""
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            has_postgis = conn.scalar(text("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'"))
            if not has_postgis:
                return "PostgreSQL draait, maar zonder de extensie PostGIS"
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
        return None
    except Exception as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    finally:
        admin.dispose()


def own_redis(url: str) -> str:
    """The Redis database before ``url``'s, emptied: a test that starts its own worker must not
    share the queue of the suite's worker, which would take its tasks to the other database.
    Before, not after: after /15 comes /0, everyone's default, which this empties."""
    import redis

    parts = urlsplit(url)
    number = (int(parts.path.strip("/") or 0) - 1) % 16
    own = urlunsplit(parts._replace(path=f"/{number}"))
    redis.Redis.from_url(own).flushdb()
    return own


def _database_name(purpose: str) -> str:
    from sqlalchemy import make_url

    base = make_url(CHOSEN_POSTGIS_URL).database if CHOSEN_POSTGIS_URL else "omkijken_test"
    return "_".join(part for part in (base, XDIST_WORKER if CHOSEN_POSTGIS_URL else "", purpose) if part)


def postgis_url(purpose: str = "") -> str | None:
    """The URL of this run's database for ``purpose``; None when PostgreSQL is not installed."""
    from sqlalchemy import make_url

    if CHOSEN_POSTGIS_URL:
        return make_url(CHOSEN_POSTGIS_URL).set(database=_database_name(purpose)).render_as_string(hide_password=False)
    return OWN_SERVICES.postgres_url(_database_name(purpose))


def redis_url() -> str | None:
    """The suite's Redis database; None when redis-server is not installed. On a chosen server each
    xdist worker takes two numbers of its own, counting down from the chosen one (15 by default)."""
    if not CHOSEN_REDIS_URL:
        return OWN_SERVICES.redis_url(15)
    parts = urlsplit(CHOSEN_REDIS_URL)
    number = int(parts.path.strip("/") or 0) - 2 * int(XDIST_WORKER.removeprefix("gw") or 0)
    return urlunsplit(parts._replace(path=f"/{number % 16}"))


def backend_config(tmp: Path, purpose: str = "") -> dict[str, Any]:
    """What a test app needs for the chosen backend, with services checked.

    ``purpose`` gives a test its own database beside the shared one, and its own Redis database.
    """
    if BACKEND == "postgis":
        url = postgis_url(purpose)
        why = fresh_postgis_database(url) if url is not None else "geen server gevonden"
        require(why is None, f"PostgreSQL met PostGIS ({why}; Debian-pakketten postgresql en postgresql-NN-postgis-3)")
        suite_redis = redis_url()
        require(suite_redis is not None and redis_available(suite_redis), "Redis (Debian-pakket redis-server)")
        redis = own_redis(suite_redis) if purpose else suite_redis
        return {"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis, "RATELIMIT_STORAGE_URI": redis}
    require(spatialite_available(), "SpatiaLite (Debian-pakket libsqlite3-mod-spatialite)")
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / ((_database_name(purpose)) + '.sqlite')}"}


def make_app(instance: Path, database: dict[str, Any], **extra: Any):
    from omkijken.platform import create_app
    from omkijken.platform.areas.geocoding import PdokGeocoder

    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret",
        "GEOCODER": "pdok",
        # Scrypt costs 0.1 s a hash; the suite makes thousands (accounts/password_hash.py).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **database,
        **extra,
    }
    app = create_app(config)
    app.test_client_class = IsolatedClient
    app.extensions["omkijken.geocoder"] = PdokGeocoder("https://pdok.test/free", fetch=recorded_pdok)
    return app


# Tests of a minute or more. They start first, so that pytest-xdist spreads them over its processes
# instead of leaving one process running a long test at the end while the others wait.
LONGEST_FIRST = ("test_xss_browser.py", "test_run_command.py", "test_fuzz_forms.py", "test_demo_", "test_cli.py",
                 "test_authorization_matrix.py", "test_embedded_burst.py", "test_axe_every_page.py",
                 "test_html_valid.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not any(name in item.nodeid for name in LONGEST_FIRST))


@pytest.fixture(scope="session", autouse=True)
def own_services():
    """Removes the PostgreSQL cluster and Redis server this process started, after everything else."""
    yield OWN_SERVICES
    OWN_SERVICES.remove()


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def embedded_broker(instance_path: Path):
    """On SpatiaLite, the embedded default's broker: redis-server on a socket in the session's
    instance folder, where the test apps' sender and the session's worker both look for it."""
    if BACKEND == "postgis":
        yield None
        return
    from omkijken.platform.system.broker import EmbeddedBroker

    broker = EmbeddedBroker(instance_path)
    require(broker.binary is not None, "redis-server (Debian-pakket redis-server)")
    broker.folder.mkdir(parents=True, exist_ok=True)
    with open(broker.folder / "redis.log", "ab") as log:
        broker.start(stdout=log, stderr=log)
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def database(instance_path: Path, embedded_broker) -> dict[str, Any]:
    """The migrated test database with the CBS areas, once per run."""
    from flask_migrate import upgrade

    from omkijken.platform.areas import services as areas

    config = backend_config(instance_path)
    if BACKEND == "postgis":
        import redis

        redis.Redis.from_url(config["REDIS_URL"]).flushdb()
    app = make_app(instance_path, config)
    with app.app_context():
        upgrade()
        areas.import_features([f for p in areas.MAP_2014 for f in areas.load_geojson(p)])
        from omkijken.platform.extensions import db

        db.session.commit()
        db.engine.dispose()
    return config


@pytest.fixture
def app(instance_path: Path, database: dict[str, Any]):
    from omkijken.platform.extensions import limiter

    app = make_app(instance_path, database)
    with app.app_context():
        limiter.reset()  # the login limit is per test, also when it lives in Redis
        yield app
        from omkijken.platform.extensions import db

        _check_every_mail(app, db)
        db.session.rollback()
        _let_the_worker_finish(db)
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                db.session.execute(delete(table))
        # The areas stay for the next test, as imported: a wijk marked "geen woonwijk" is one again.
        db.session.execute(update(db.metadata.tables["wijken"]).values(woonwijk=True))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _check_every_mail(app, db) -> None:
    """Every mail a test wrote into the outbox, committed or not, is built as the worker sends it
    and parsed back with the standard headers (issue 27, item 1: tests parse every mail)."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from omkijken.platform.system.models import OutboxMessage
    from omkijken.platform.system.services import SEND_EMAIL
    from tests.support import parsed_mail

    query = select(OutboxMessage.payload).where(OutboxMessage.task == SEND_EMAIL)
    try:
        payloads = list(db.session.scalars(query))
    except SQLAlchemyError:  # the test left its transaction broken: what it committed is still checked
        db.session.rollback()
        payloads = list(db.session.scalars(query))
    for payload in payloads:
        parsed_mail(app.config, payload)


def _let_the_worker_finish(db, timeout: float = 20.0) -> None:
    """Emptying tables under a worker that is still matching this test's posts deadlocks on
    PostgreSQL: wait until what this test sent to the broker is done (a worker works it in ms)."""
    import time

    from sqlalchemy import func, select

    from omkijken.platform.system.models import OutboxMessage
    from tests.support import WorkerProcess

    if not WorkerProcess.running or not (WorkerProcess.current and WorkerProcess.current.alive()):
        return
    waiting = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.dispatched_at.is_not(None), OutboxMessage.done_at.is_(None), OutboxMessage.last_error.is_(None))
    deadline = time.monotonic() + timeout
    while db.session.scalar(waiting) and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.05)
    db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user with roles directly through the service and commit, as the CLI does."""
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.areas import services as areas
    from omkijken.platform.clock import utcnow

    def make(email: str, roles=("inwoner",), *, password: str = "wachtwoord-123", wijken=(), home=None, naam=None):
        wijk_ids = [areas.wijk_by_code(code).id for code in wijken]
        user = accounts.create_user(
            email=email, naam=naam or email.split("@")[0].title(), password=password,
            roles=roles, wijk_ids=wijk_ids, home=home, now=utcnow(),
        )
        commit()
        return user

    return make


@pytest.fixture
def login(client):
    from tests.support import submit

    def do(email: str, password: str = "wachtwoord-123"):
        response = submit(client, "/inloggen", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do


@pytest.fixture(scope="session")
def worker_process(instance_path: Path, database: dict[str, Any], tmp_path_factory):
    """A real Celery worker process on the test database and the backend's broker."""
    from tests.support import WorkerProcess

    env = {
        **os.environ,
        "OMKIJKEN_DATABASE_URL": database["SQLALCHEMY_DATABASE_URI"],
        "OMKIJKEN_INSTANCE_PATH": str(instance_path),
        "OMKIJKEN_SECRET_KEY": "test-secret",
        "OMKIJKEN_GEOCODER": "off",
    }
    if database.get("REDIS_URL"):
        env["OMKIJKEN_REDIS_URL"] = database["REDIS_URL"]
    process = WorkerProcess(env, tmp_path_factory.mktemp("worker") / "worker.log")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def worker(app, worker_process):
    """The session's worker, checked to answer before the test relies on it."""
    worker_process.ensure_answering(app)
    yield worker_process


@pytest.fixture
def standaard_diensten(app):
    """The diensten every gemeente starts with (Burenhulp, Blink, ...); tables are emptied per test."""
    from omkijken.platform.extensions import db
    from omkijken.platform.koppelingen import diensten

    made = diensten.ensure_standard()
    db.session.commit()
    return {d.code: d for d in made}
