"""The fault tests: a PostgreSQL cluster with PostGIS and a Redis server of their own
(tests/services.py), so a test can kill and restart them without touching the machine's services.

These tests do not depend on OMKIJKEN_TEST_BACKEND: they always run on PostgreSQL + PostGIS and
Redis, started here from the Debian binaries. In CI a missing binary fails the tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.services import PG_BIN, REDIS_SERVER, PostgresCluster, RedisServer
from tests.support import WorkerProcess, free_port, require, wait_for

DATABASE = "omkijken_faults"
# Short timings of the fault tests (production keeps the defaults of config.py).
FAST = {
    "OMKIJKEN_BROKER_VISIBILITY_TIMEOUT": "8",
    "OMKIJKEN_RELAY_INTERVAL_SECONDS": "2",
    "OMKIJKEN_RELAY_AFTER_SECONDS": "2",
    "OMKIJKEN_MAIL_RETRY_BACKOFF_SECONDS": "1",
    "OMKIJKEN_MAIL_MAX_RETRIES": "3",
}


@pytest.fixture(scope="session")
def postgres_cluster():
    require((PG_BIN / "initdb").exists(), f"PostgreSQL ({PG_BIN}/initdb)")
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def redis_server():
    require(Path(REDIS_SERVER).exists(), "redis-server")
    server = RedisServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def database(instance_path: Path, postgres_cluster: PostgresCluster, redis_server: RedisServer) -> dict[str, Any]:
    """Replaces the suite's ``database``: the migrated database on our own cluster, so the suite's
    ``app`` fixture (tables emptied per test) works unchanged on it."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from omkijken.platform.areas import services as areas
    from omkijken.platform.extensions import db
    from tests.conftest import make_app

    admin = create_engine(postgres_cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    config = {"SQLALCHEMY_DATABASE_URI": postgres_cluster.url(DATABASE), "REDIS_URL": redis_server.url,
              "RATELIMIT_STORAGE_URI": redis_server.url, **fast_config()}
    app = make_app(instance_path, config)
    with app.app_context():
        upgrade()
        areas.import_features([f for p in areas.MAP_2014 for f in areas.load_geojson(p)])
        db.session.commit()
        db.engine.dispose()
    return config


def fast_config() -> dict[str, Any]:
    """FAST as Flask config of the test app (the same values the processes read from the environment)."""
    return {name.removeprefix("OMKIJKEN_"): int(value) for name, value in FAST.items()}


@pytest.fixture
def service_env(instance_path: Path, database: dict[str, Any]) -> dict[str, str]:
    """The environment of a worker, beat or web process on our services."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("OMKIJKEN_")},
        "OMKIJKEN_DATABASE_URL": database["SQLALCHEMY_DATABASE_URI"],
        "OMKIJKEN_REDIS_URL": database["REDIS_URL"],
        "OMKIJKEN_INSTANCE_PATH": str(instance_path),
        "OMKIJKEN_SECRET_KEY": "test-secret",
        "OMKIJKEN_GEOCODER": "off",
        **FAST,
    }


class FaultWorker(WorkerProcess):
    """A worker as production starts it (``omkijken worker``: prefork) in its own process group,
    so ``kill`` can SIGKILL it with its pool children, as an OOM killer or a lost host would."""

    def __init__(self, env: dict[str, str], log_path: Path, command: list[str]) -> None:
        super().__init__(env, log_path)
        self.command = command

    def start(self) -> None:
        self.log = open(self.log_path, "ab")
        offset = self.log.tell()
        self.process = subprocess.Popen(self.command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        if "beat" in self.command:
            wait_for(lambda: b"beat: Starting" in self.log_path.read_bytes()[offset:] or self.process.poll() is not None,
                     timeout=60, what="Celery beat gestart")
        else:
            wait_for(lambda: b" ready." in self.log_path.read_bytes()[offset:] or self.process.poll() is not None,
                     timeout=60, what="Celery worker klaar")
        assert self.process.poll() is None, self.log_path.read_text()
        WorkerProcess.running, WorkerProcess.current = True, self

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        self.log.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        if WorkerProcess.current is self:
            WorkerProcess.running = False
        if not self.log.closed:
            self.log.close()


@pytest.fixture
def processes(service_env, tmp_path):
    """Start workers and beats on our services; all are stopped after the test."""
    started: list[FaultWorker] = []

    def start(kind: str = "worker", *extra: str, env: dict[str, str] | None = None,
              celery_app: str = "omkijken.workers.app:celery") -> FaultWorker:
        celery = [sys.executable, "-m", "celery", "-A", celery_app]
        if kind == "worker":
            command = [*celery, "worker", "--loglevel=INFO", "--without-mingle", "--without-gossip",
                       f"--hostname=fault{len(started)}@%h", *extra]
        else:
            command = [*celery, "beat", "--loglevel=INFO", f"--schedule={tmp_path / f'beat{len(started)}'}", *extra]
        process = FaultWorker({**service_env, **(env or {})}, tmp_path / f"{kind}{len(started)}.log", command)
        process.start()
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        process.stop()


class WebServer:
    """gunicorn as the Dockerfile starts it, on a free port."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 2, threads: int = 4) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "ab")
        self.log_path = log_path
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
             "omkijken.platform:create_app()"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._up, timeout=60, what="gunicorn antwoordt")

    def _up(self) -> bool:
        import requests

        assert self.process.poll() is None, self.log_path.read_text()
        try:
            return requests.get(f"{self.url}/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture
def web_server(service_env, tmp_path):
    server = WebServer(service_env, tmp_path / "gunicorn.log")
    yield server
    server.stop()


def http_submit(session, base: str, path: str, data: dict[str, Any], *, page: str | None = None, **kwargs):
    """A form post over HTTP the way a browser does it: load the page for its CSRF token first."""
    import re

    form = session.get(base + (page or path), timeout=30)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
    assert token, f"geen CSRF-token op {page or path}: {form.status_code}"
    return session.post(base + path, data={"csrf_token": token.group(1), **data}, allow_redirects=False,
                        timeout=60, **kwargs)


def elapsed(since: float) -> float:
    return time.monotonic() - since
