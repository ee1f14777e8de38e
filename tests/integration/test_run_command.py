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

from omkijken.platform.demo import DEMO_PASSWORD
from tests.conftest import backend_config, make_app
from tests.support import free_port, wait_for

OMKIJKEN = [sys.executable, "-m", "omkijken.platform.cli"]
HULPVRAAG = {"titel": "Heg knippen na de herstart", "wil": "Ik wil weer in mijn tuin kunnen zitten.",
             "kan_zelf": "Ik kan koffie zetten.", "nodig": "Iemand die de heg knipt.", "categorie": "tuinonderhoud",
             "waar": "thuis"}


def test_run_serves_the_site_with_worker_and_beat(tmp_path: Path):
    database = backend_config(tmp_path, "run")
    instance = tmp_path / "instance"
    env = {**os.environ, "OMKIJKEN_INSTANCE_PATH": str(instance), "OMKIJKEN_GEOCODER": "off"}
    if database.get("REDIS_URL"):
        env["OMKIJKEN_DATABASE_URL"] = database["SQLALCHEMY_DATABASE_URI"]
        env["OMKIJKEN_REDIS_URL"] = database["REDIS_URL"]
    for step in (["db-upgrade"], ["seed-demo"]):
        done = subprocess.run(OMKIJKEN + step, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    port = free_port()
    log_path = tmp_path / "run.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(OMKIJKEN + ["run", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    children: list[int] = []
    try:
        home = wait_for(lambda: _get(base + "/"), timeout=60, what="startpagina")
        assert "Naar elkaar omkijken" in home.text
        assert "inwoner@demo.omkijken.nl" in log_path.read_text()
        if not database.get("REDIS_URL"):
            assert "broker gestart" in log_path.read_text()

        session = requests.Session()
        token = _csrf(session, base + "/inloggen")
        login = session.post(base + "/inloggen", data={
            "csrf_token": token, "email": "inwoner@demo.omkijken.nl", "password": DEMO_PASSWORD})
        assert login.ok and "Je bent ingelogd." in login.text and "Ruwaard" in login.text

        first_seen = wait_for(lambda: _worker_ok(base), timeout=90, what="worker meldt zich via beat")
        children = _children(server.pid)

        # The worker dies (an OOM killer, a crash): the supervisor notices, logs it, starts a new one.
        worker = _child(server.pid, "worker")
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: "worker stopte onverwacht (exitcode -9 (SIGKILL))" in log_path.read_text(), timeout=10,
                 what="de run meldt dat de worker stopte")
        posted = session.post(base + "/plaatsen/hulpvraag", data={"csrf_token": _csrf(session, base + "/plaatsen/hulpvraag"),
                                                                 **HULPVRAAG}, allow_redirects=False)
        assert posted.status_code == 302, posted.text[:500]
        post_id = int(posted.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        wait_for(lambda: "worker herstart" in log_path.read_text(), timeout=30, what="de run herstart de worker")
        restarted = _child(server.pid, "worker")
        assert restarted != worker

        # The hulpvraag posted while no worker ran is matched by the new one, and the heartbeat is back.
        # On SpatiaLite the run uses the default database file of its instance folder.
        run_database = database["SQLALCHEMY_DATABASE_URI"] if database.get("REDIS_URL") \
            else f"sqlite:///{instance / 'omkijken.sqlite'}"
        app = make_app(instance, {**database, "SQLALCHEMY_DATABASE_URI": run_database})
        with app.app_context():
            wait_for(lambda: _matched(post_id), timeout=90, what="de nieuwe worker koppelt de hulpvraag")
            from omkijken.platform.extensions import db

            db.engine.dispose()
        wait_for(lambda: (_worker_ok(base) or "") > first_seen, timeout=90, what="hartslag van de nieuwe worker")
        children = _children(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        code = server.wait(timeout=60)
        log.close()
    text = log_path.read_text()
    assert code == 0, text[-3000:]
    # Stopped in reverse order of their start, and none left behind.
    stops = re.findall(r"(broker|worker|beat) gestopt", text)
    assert stops == (["beat", "worker"] + ([] if database.get("REDIS_URL") else ["broker"])), stops
    assert [pid for pid in children if _alive(pid)] == []


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


def _child(pid: int, kind: str) -> int:
    """The pid of the run's Celery ``worker`` or ``beat`` child (waits for it)."""
    def find() -> int | None:
        found = subprocess.run(["pgrep", "-P", str(pid), "-f", f"celery -A [^ ]+ {kind}"], capture_output=True, text=True)
        pids = found.stdout.split()
        return int(pids[0]) if len(pids) == 1 else None

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
