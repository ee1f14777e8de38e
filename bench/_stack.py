"""The production stack on loopback for the web benches: gunicorn, a Celery worker and beat, as
docker/compose.yaml starts them, on PostGIS + Redis with the demo data scaled to Oss
(bench/_scaled.py).

Settings: ``OMKIJKEN_BENCH_POSTGIS_URL`` (default: database ``omkijken_bench`` on the local
PostgreSQL; its name must contain "bench", it is dropped and made again unless reused) and
``OMKIJKEN_BENCH_REDIS_URL`` (default: Redis db 4, emptied at the start).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_POSTGIS_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/omkijken_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"
# Fixed, so the blurred points the loader computes are those the site would compute; long
# enough for OMKIJKEN_ENV=production, which refuses short or known keys.
SECRET_KEY = "bench-only-secret-key-for-the-loopback-stack-0123456789"
# docker/compose.yaml's commands.
GUNICORN_WORKERS = 3
WORKER_CONCURRENCY = 2


def postgis_url() -> str:
    return os.environ.get("OMKIJKEN_BENCH_POSTGIS_URL", DEFAULT_POSTGIS_URL)


def redis_url() -> str:
    return os.environ.get("OMKIJKEN_BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment() -> None:
    """What a developer exported for their own site must not reach the bench app or its processes."""
    for name in [n for n in os.environ if n.startswith("OMKIJKEN_") and not n.startswith("OMKIJKEN_BENCH_")]:
        del os.environ[name]


def prepare_database(scale: float, *, reuse: bool, instance: Path) -> dict[str, Any]:
    """A database with the scaled data: reused when it was loaded at this scale and ``reuse`` is
    set (after removing what an earlier load run posted), else made afresh. Returns the counts
    and the plan the load users need (post ids, accounts, places)."""
    from sqlalchemy import delete

    sys.path.insert(0, str(BENCH))
    import _scaled
    from _setup import migrated_app
    from pipeline import fresh_postgis

    url = postgis_url()
    settings = dict(GEOCODER="off", REDIS_URL=None, RATELIMIT_STORAGE_URI="memory://", SECRET_KEY=SECRET_KEY,
                    INSTANCE_PATH=str(instance))
    started = time.perf_counter()
    loaded = None
    if reuse:
        from sqlalchemy import create_engine, make_url, text

        admin = create_engine(make_url(url).set(database="postgres"))
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": make_url(url).database})
        admin.dispose()
        if exists:
            app = migrated_app(url, **settings)
            with app.app_context():
                loaded = _scaled.loaded_scale()
    if loaded is not None and abs(loaded - scale) < 1e-9:
        from omkijken.platform.extensions import db
        from omkijken.platform.posts.models import Post

        with app.app_context():
            removed = db.session.execute(delete(Post).where(Post.titel.like(f"{LOAD_TITLE}%"))).rowcount
            db.session.commit()
            made = {"reused": True, "removed_load_posts": removed}
    else:
        fresh_postgis(url)
        app = migrated_app(url, **settings)
        with app.app_context():
            made = _scaled.load(scale, now=datetime.now(timezone.utc), secret=SECRET_KEY)
            made["reused"] = False
    with app.app_context():
        made["counts"] = _scaled.counts()
        made["seconds"] = round(time.perf_counter() - started, 1)
        plan = load_plan(scale)
        from omkijken.platform.extensions import db

        db.session.remove()
        db.engine.dispose()
    return {"data": made, "plan": plan}


# Hulpvragen the load users post start with this, so a reused database can drop them.
LOAD_TITLE = "Loadtest: "


def load_plan(scale: float) -> dict[str, Any]:
    """What the load users pick from: public post ids, wijk codes, accounts to log in with."""
    import _scaled
    from sqlalchemy import func, select

    from omkijken.platform.accounts.models import RoleGrant, User
    from omkijken.platform.areas.models import Gemeente, Wijk
    from omkijken.platform.extensions import db
    from omkijken.platform.posts.models import Post

    public = (Post.status == "open") & Post.verborgen.is_(False)
    post_ids = list(db.session.scalars(select(Post.id).where(public).order_by(Post.id)))
    box = db.session.execute(select(func.ST_XMin(func.ST_Extent(Gemeente.geom)), func.ST_YMin(func.ST_Extent(Gemeente.geom)),
                                    func.ST_XMax(func.ST_Extent(Gemeente.geom)), func.ST_YMax(func.ST_Extent(Gemeente.geom)))).one()
    volunteers = list(db.session.scalars(
        select(User.email).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "vrijwilliger", User.email.like(f"%@{_scaled.DOMAIN}")).order_by(User.id).limit(500)))
    residents = list(db.session.scalars(
        select(User.email).where(User.email.like(f"inwoner%@{_scaled.DOMAIN}")).order_by(User.id).limit(500)))
    # Map views are centred where the posts are (people look at their own part of town).
    centres = [[round(x, 5), round(y, 5)] for x, y in db.session.execute(
        select(func.ST_X(Post.toon_locatie), func.ST_Y(Post.toon_locatie)).where(public)
        .order_by(func.random()).limit(2000))]
    return {
        "post_ids": post_ids,
        "centres": centres,
        "wijken": list(db.session.scalars(select(Wijk.code).order_by(Wijk.code))),
        "extent": list(box),
        "volunteers": volunteers,
        "residents": residents,
        "password": _scaled.BENCH_PASSWORD,
        "load_title": LOAD_TITLE,
    }


def service_env(instance: Path, **extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("OMKIJKEN_")}
    env.update({
        "OMKIJKEN_DATABASE_URL": postgis_url(),
        "OMKIJKEN_REDIS_URL": redis_url(),
        "OMKIJKEN_INSTANCE_PATH": str(instance),
        "OMKIJKEN_SECRET_KEY": SECRET_KEY,
        "OMKIJKEN_ENV": "production",
        "OMKIJKEN_GEOCODER": "off",
        # Every load user comes from 127.0.0.1: the per-address login limit would refuse all but ten.
        "OMKIJKEN_RATELIMIT_LOGIN": "100000 per minute",
        **extra,
    })
    return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path

    def alive(self) -> bool:
        return self.popen.poll() is None


@dataclass
class Stack:
    """gunicorn, a worker and beat, each in its own process group (stopped with its children)."""

    instance: Path
    gunicorn_workers: int = GUNICORN_WORKERS
    threads: int = 1
    worker_concurrency: int = WORKER_CONCURRENCY
    worker_class: str = "sync"
    port: int = field(default_factory=free_port)
    processes: list[Process] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def gunicorn_command(self) -> list[str]:
        command = [str(VENV_BIN / "gunicorn"), f"--bind=127.0.0.1:{self.port}", f"--workers={self.gunicorn_workers}",
                   "--worker-tmp-dir=/dev/shm", "--access-logfile=-"]
        if self.worker_class != "sync":
            command.append(f"--worker-class={self.worker_class}")
        if self.threads > 1:
            command.append(f"--threads={self.threads}")
        return [*command, "omkijken.platform:create_app()"]

    def _start(self, name: str, command: list[str], env: dict[str, str], ready) -> Process:
        log_path = self.instance / f"{name}.log"
        log = open(log_path, "ab")
        popen = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                 cwd=str(BENCH.parent))
        log.close()
        process = Process(name, popen, log_path)
        self.processes.append(process)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if not process.alive():
                raise SystemExit(f"{name} start niet:\n" + log_path.read_text(errors="replace")[-3000:])
            if ready(log_path):
                return process
            time.sleep(0.2)
        raise SystemExit(f"{name} is na 90 s niet klaar:\n" + log_path.read_text(errors="replace")[-3000:])

    def start(self) -> None:
        import redis

        redis.Redis.from_url(redis_url()).flushdb()  # only our own db
        env = service_env(self.instance)
        omkijken = str(VENV_BIN / "omkijken")
        self._start("worker", [omkijken, "worker", "--concurrency", str(self.worker_concurrency)], env,
                    lambda log: b" ready." in log.read_bytes())
        self._start("beat", [omkijken, "beat"], env, lambda log: b"beat: Starting" in log.read_bytes())
        self._start("gunicorn", self.gunicorn_command(), env, lambda _log: self._answers())

    def _answers(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.alive():
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()
        self.processes.clear()

    def members(self) -> dict[str, list[int]]:
        """Process ids by role: the gunicorn master and its workers, the Celery worker and its
        pool, beat. Read again at each sample, since gunicorn may replace a worker."""
        import psutil

        roles: dict[str, list[int]] = {}
        for process in self.processes:
            try:
                parent = psutil.Process(process.popen.pid)
                children = parent.children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            if process.name == "gunicorn":
                roles["gunicorn master"] = [parent.pid]
                roles["gunicorn workers"] = [c.pid for c in children]
            elif process.name == "worker":
                roles["celery worker"] = [parent.pid]
                roles["celery pool"] = [c.pid for c in children]
            else:
                roles["beat"] = [parent.pid, *(c.pid for c in children)]
        return roles

    def cpu_seconds(self) -> float:
        """CPU used so far by every process of the stack (and their children)."""
        import psutil

        total = 0.0
        for pids in self.members().values():
            for pid in pids:
                try:
                    times = psutil.Process(pid).cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
        return total

    def errors_in_logs(self) -> dict[str, int]:
        """Tracebacks and errors the processes logged (a 500 is logged by Flask; a failed task by Celery)."""
        found = {}
        for process in self.processes:
            text = process.log_path.read_text(errors="replace")
            found[process.name] = text.count("Traceback (most recent call last)") + text.count("] ERROR")
        return found


def instance_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="omkijken-bench-"))


def remove(instance: Path) -> None:
    shutil.rmtree(instance, ignore_errors=True)


def run_load(host: str, plan_path: Path, *, users: int, duration: float, warmup: float, mix: str,
             out: Path, think: float = 0.0, rate: float = 0.0) -> dict[str, Any]:
    """Run the load users (bench/_load_users.py) in a process of their own (Locust patches the
    standard library with gevent, which this process must not have) and return their JSON."""
    command = [sys.executable, str(BENCH / "_load_users.py"), "--host", host, "--plan", str(plan_path),
               "--users", str(users), "--duration", str(duration), "--warmup", str(warmup), "--mix", mix,
               "--think", str(think), "--rate", str(rate), "--out", str(out)]
    return start_load(command, out).result()


@dataclass
class LoadRun:
    popen: subprocess.Popen
    out: Path

    def result(self, timeout: float | None = None) -> dict[str, Any]:
        code = self.popen.wait(timeout=timeout)
        if code != 0 or not self.out.exists():
            raise SystemExit(f"de load users stopten met code {code}")
        return json.loads(self.out.read_text())

    def finish(self, timeout: float = 60) -> dict[str, Any]:
        """End the users now; they still write their figures."""
        if self.popen.poll() is None:
            self.popen.terminate()
        return self.result(timeout=timeout)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start_load(command: list[str], out: Path) -> LoadRun:
    return LoadRun(subprocess.Popen(command), out)
