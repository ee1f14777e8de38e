"""What `make run` does, end to end: migrate, load the demo, serve with a worker and beat (and, in the
embedded default, the broker), restart a worker that dies, and stop everything on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests
from sqlalchemy import select

from omkijken.demo import DEMO_PASSWORD
from tests.conftest import backend_config, make_app
from tests.support import HULPVRAAG_FORM, RUWAARD, free_port, wait_for

OMKIJKEN = [sys.executable, "-m", "omkijken.cli"]


class _Run:
    """``omkijken run`` as ``make run`` starts it, on the backend of this run, in its own instance folder."""

    def __init__(self, tmp_path: Path, *, demo: bool) -> None:
        self.database = backend_config(tmp_path, "run")
        self.embedded = not self.database.get("REDIS_URL")
        self.instance = tmp_path / "instance"
        # A heartbeat every 2 s, not 30: the tests wait for the first one, and for one after a restart.
        env = {**os.environ, "OMKIJKEN_INSTANCE_PATH": str(self.instance), "OMKIJKEN_GEOCODER": "off",
               "OMKIJKEN_HEARTBEAT_SECONDS": "2"}
        if not self.embedded:
            env["OMKIJKEN_DATABASE_URL"] = self.database["SQLALCHEMY_DATABASE_URI"]
            env["OMKIJKEN_REDIS_URL"] = self.database["REDIS_URL"]
        for step in (["db-upgrade"], ["seed-demo"]) if demo else (["db-upgrade"],):
            done = subprocess.run(OMKIJKEN + step, env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
        self.log_path = tmp_path / "run.log"
        self.log = open(self.log_path, "wb")
        self.base = f"http://127.0.0.1:{free_port()}"
        self.server = subprocess.Popen(OMKIJKEN + ["run", "--port", self.base.rsplit(":", 1)[1]], env=env,
                                       stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.children: list[int] = []

    def app(self):
        """An app on the run's database (on SpatiaLite the default file of its instance folder)."""
        uri = f"sqlite:///{self.instance / 'omkijken.sqlite'}" if self.embedded \
            else self.database["SQLALCHEMY_DATABASE_URI"]
        return make_app(self.instance, {**self.database, "SQLALCHEMY_DATABASE_URI": uri})

    def text(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> str:
        """SIGTERM, as Ctrl-C or a service manager; every child stops, in reverse order of its start."""
        os.killpg(self.server.pid, signal.SIGTERM)
        code = self.server.wait(timeout=60)
        self.log.close()
        text = self.text()
        assert code == 0, text[-3000:]
        stops = re.findall(r"(broker|worker|beat) gestopt", text)
        assert stops == ["beat", "worker"] + (["broker"] if self.embedded else []), stops
        assert [pid for pid in self.children if _alive(pid)] == []
        return text


def test_run_serves_the_site_with_worker_and_beat(tmp_path: Path):
    run = _Run(tmp_path, demo=True)
    try:
        home = wait_for(lambda: _get(run.base + "/"), timeout=60, what="startpagina")
        assert "Naar elkaar omkijken" in home.text
        assert "inwoner@demo.omkijken.nl" in run.text()
        if run.embedded:
            assert "broker gestart" in run.text()

        session = requests.Session()
        token = _csrf(session, run.base + "/inloggen")
        login = session.post(run.base + "/inloggen", data={
            "csrf_token": token, "email": "inwoner@demo.omkijken.nl", "password": DEMO_PASSWORD})
        assert login.ok and "Je bent ingelogd." in login.text and "Ruwaard" in login.text

        wait_for(lambda: _worker_ok(run.base), timeout=90, what="worker meldt zich via beat")
        run.children = _children(run.server.pid)
    finally:
        run.stop()


def test_run_starts_a_worker_that_died_again(tmp_path: Path):
    run = _Run(tmp_path, demo=False)
    app = run.app()
    with app.app_context():
        from omkijken.platform.accounts import services as accounts
        from omkijken.platform.clock import utcnow
        from omkijken.platform.extensions import db

        accounts.create_user(email="truus@example.nl", naam="Truus", password="wachtwoord-123", roles=("inwoner",),
                             home=RUWAARD, now=utcnow())
        db.session.commit()
        db.engine.dispose()
    try:
        first_seen = wait_for(lambda: _worker_ok(run.base), timeout=90, what="worker meldt zich via beat")
        session = requests.Session()
        session.post(run.base + "/inloggen", data={"csrf_token": _csrf(session, run.base + "/inloggen"),
                                                   "email": "truus@example.nl", "password": "wachtwoord-123"})

        # The worker dies (an OOM killer, a crash): the supervisor notices, logs it, starts a new one.
        worker = _child(run, "worker")
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: "worker stopte onverwacht (exitcode -9 (SIGKILL))" in run.text(), timeout=10,
                 what="de run meldt dat de worker stopte")
        posted = session.post(run.base + "/plaatsen/hulpvraag", allow_redirects=False, data={
            "csrf_token": _csrf(session, run.base + "/plaatsen/hulpvraag"), "titel": "Heg knippen na de herstart", **HULPVRAAG_FORM})
        assert posted.status_code == 302, posted.text[:500]
        post_id = int(posted.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        wait_for(lambda: "worker herstart" in run.text(), timeout=30, what="de run herstart de worker")
        assert _child(run, "worker") != worker

        # The hulpvraag posted while no worker ran is matched by the new one, and the heartbeat is back.
        with app.app_context():
            wait_for(lambda: _matched(post_id), timeout=90, what="de nieuwe worker koppelt de hulpvraag")
            from omkijken.platform.extensions import db

            db.engine.dispose()
        wait_for(lambda: (_worker_ok(run.base) or "") > first_seen, timeout=90, what="hartslag van de nieuwe worker")
        run.children = _children(run.server.pid)
    finally:
        run.stop()


def _get(url: str):
    try:
        response = requests.get(url, timeout=5)
    except requests.ConnectionError:
        return None
    return response if response.ok else None


def _csrf(session: requests.Session, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', session.get(url, timeout=30).text).group(1)


def _worker_ok(base: str) -> str | None:
    """The time of the last heartbeat when /health says the worker is fine."""
    health = _get(base + "/health")
    return health.json()["worker_last_seen"] if health and health.json()["worker"] == "ok" else None


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


def _child(run: "_Run", kind: str) -> int:
    """The pid of the run's Celery ``worker`` or ``beat`` child (waits for it): the newest one the
    supervisor logged as started, while it runs. Not by command line: Celery renames its processes
    when setproctitle is installed."""
    def find() -> int | None:
        started = re.findall(rf"{kind} (?:gestart|herstart) \(pid (\d+)", run.text())
        return int(started[-1]) if started and int(started[-1]) in _children(run.server.pid) else None

    return wait_for(find, timeout=30, what=f"{kind} draait onder omkijken run")


def _matched(post_id: int) -> bool:
    from omkijken.platform.extensions import db
    from omkijken.platform.system import services as system
    from omkijken.platform.system.models import OutboxMessage

    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.MATCH_POST)).all()
    done = any(row.payload.get("post_id") == post_id and row.done_at is not None for row in rows)
    db.session.rollback()
    return done


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
