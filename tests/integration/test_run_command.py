"""What `make run` does, end to end: migrate, load the demo, serve with a worker and beat."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from omkijken.platform.demo import DEMO_PASSWORD
from tests.conftest import backend_config
from tests.support import free_port, wait_for

OMKIJKEN = [sys.executable, "-m", "omkijken.platform.cli"]


def test_run_serves_the_site_with_worker_and_beat(tmp_path: Path):
    database = backend_config(tmp_path, "run")
    env = {**os.environ, "OMKIJKEN_INSTANCE_PATH": str(tmp_path / "instance"), "OMKIJKEN_GEOCODER": "off"}
    if database.get("REDIS_URL"):
        env["OMKIJKEN_DATABASE_URL"] = database["SQLALCHEMY_DATABASE_URI"]
        env["OMKIJKEN_REDIS_URL"] = database["REDIS_URL"]
    for step in (["db-upgrade"], ["seed-demo"]):
        done = subprocess.run(OMKIJKEN + step, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    port = free_port()
    log = open(tmp_path / "run.log", "wb")
    server = subprocess.Popen(OMKIJKEN + ["run", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        home = wait_for(lambda: _get(base + "/"), timeout=60, what="startpagina")
        assert "Naar elkaar omkijken" in home.text
        assert "inwoner@demo.omkijken.nl" in (tmp_path / "run.log").read_text()

        session = requests.Session()
        form = session.get(base + "/inloggen").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        login = session.post(base + "/inloggen", data={
            "csrf_token": token, "email": "inwoner@demo.omkijken.nl", "password": DEMO_PASSWORD})
        assert login.ok and "Je bent ingelogd." in login.text and "Ruwaard" in login.text

        wait_for(lambda: _get(base + "/health").json()["worker"] == "ok", timeout=90, what="worker meldt zich via beat")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _get(url: str):
    try:
        response = requests.get(url, timeout=5)
    except requests.ConnectionError:
        return None
    return response if response.ok else None
