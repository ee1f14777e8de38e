"""Throw-away services the tests start for themselves: a PostgreSQL cluster (with PostGIS) and a
Redis server, each in a temporary folder on a free port.

The suite never touches a person's own databases: ``make test`` runs the PostGIS tests on a cluster
of their own (tests/conftest.py), and the fault tests kill and restart theirs on purpose. Both come
from the Debian binaries that ``scripts/test-setup.sh`` installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support import free_port, wait_for

PG_VERSIONS = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
PG_BIN = Path(os.environ.get("OMKIJKEN_TEST_PG_BIN") or (PG_VERSIONS[-1].parent if PG_VERSIONS else "/nonexistent"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root (CI runs as root): run them as ``postgres``."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresCluster:
    """A cluster of our own in a temporary folder, on a free port, with trust for local users."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="omkijken-test-pg-"))
        self.data, self.log = self.root / "data", self.root / "postgres.log"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                     "-E", "UTF8", "--locale=C", "--no-sync"]),
                       check=True, capture_output=True)

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                                     "-t", "60", "-o", options, *args]), check=True, capture_output=True)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        """What an operator's ``systemctl restart postgresql`` does: every connection is cut."""
        self._ctl("restart", "-m", "fast")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """``redis-server`` on a free port without persistence; ``stop``/``start`` keep the port."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="omkijken-test-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root)],
            stdout=open(self.root / "redis.log", "ab"), stderr=subprocess.STDOUT)
        wait_for(self.answers, timeout=20, what="Redis start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class OwnServices:
    """The PostgreSQL cluster and Redis server of one test process, started when a test first needs
    them and removed when the process ends: each pytest-xdist worker has its own, so two workers
    never share a database or a queue."""

    def __init__(self) -> None:
        self.postgres: PostgresCluster | None = None
        self.redis: RedisServer | None = None

    def postgres_url(self, database: str) -> str | None:
        """None when the PostgreSQL binaries are not installed."""
        if self.postgres is None:
            if not (PG_BIN / "initdb").exists():
                return None
            self.postgres = PostgresCluster()
            self.postgres.start()
        return self.postgres.url(database)

    def redis_url(self, number: int) -> str | None:
        """None when redis-server is not installed."""
        if self.redis is None:
            if not Path(REDIS_SERVER).exists():
                return None
            self.redis = RedisServer()
            self.redis.start()
        return self.redis.url.removesuffix("/0") + f"/{number}"

    def remove(self) -> None:
        for service in (self.redis, self.postgres):
            if service is not None:
                service.remove()
