"""Fault 6: the embedded default under a burst. `omkijken run` as `make run` starts it (SQLite +
SpatiaLite, its own redis-server on a socket, one solo worker and beat, beat firing every second)
takes hulpvragen through the site at RATE per second for a full minute, each near volunteers, so
every post is a match task and two mails: 24 messages a second through the broker, above the 20 the
issue asks. (At 25 posts a second, 75 messages, it held too: 50 a second end to end, but it took three
minutes of every run.) Nothing is lost: every outbox message is done, every vraag
has its voorstel and both mails are written, no request gets a 5xx, and at the end the worker is
alive (the same process or one the supervisor started again) and /health says so.

This is what killed the embedded worker before (issue 18: kombu's filesystem transport read a
message file that was still being written). It needs none of the throw-away PostgreSQL or Redis of
the other fault tests: it is the embedded default. The figures it measured are printed (run with -s).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import requests
from sqlalchemy import func, select

from tests.support import HULPVRAAG_FORM, NEAR_RUWAARD, RUWAARD, free_port, require, wait_for

OMKIJKEN = [sys.executable, "-m", "omkijken.cli"]
RATE = 8  # hulpvragen per second offered
MESSAGES_PER_POST = 3  # its match task and the two mails of its voorstel
MIN_MESSAGES_PER_S = 20
BURST_S = 60.0
RESIDENTS = 8  # one client thread each, its own logged-in session
VOLUNTEERS = 10
PASSWORD = "wachtwoord-123"
VOOR_VRIJWILLIGER = "Iemand bij jou in de buurt zoekt hulp"
VOOR_INWONER = "We hebben iemand gevonden die je kan helpen"


def _people(instance: Path) -> None:
    """Residents at Ruwaard and volunteers 440 m away whose aanbod fits every vraag, with room for
    all of them (a waiting voorstel takes a place until it is answered)."""
    from omkijken.platform import create_app
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.clock import utcnow
    from omkijken.platform.extensions import db
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Aanbod

    app = create_app({"INSTANCE_PATH": str(instance), "GEOCODER": "off"})
    with app.app_context():
        now = utcnow()
        for number in range(VOLUNTEERS):
            vrijwilliger = accounts.create_user(email=f"v{number}@example.nl", naam=f"Vrijwilliger {number}",
                                                password=PASSWORD, roles=("inwoner", "vrijwilliger"),
                                                home=NEAR_RUWAARD, now=now)
            posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000,
                                capaciteit=int(RATE * BURST_S)), auteur=vrijwilliger, now=now)
        for number in range(RESIDENTS):
            accounts.create_user(email=f"r{number}@example.nl", naam=f"Inwoner {number}", password=PASSWORD,
                                 roles=("inwoner",), home=RUWAARD, now=now)
        db.session.commit()
        db.engine.dispose()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert found, (url, page.status_code)
    return found.group(1)


def _login(base: str, email: str) -> tuple[requests.Session, str]:
    """A resident's session and the CSRF token of its form (one per session, reused for every post)."""
    session = requests.Session()
    response = session.post(base + "/inloggen", data={"csrf_token": _csrf(session, base + "/inloggen"),
                                                     "email": email, "password": PASSWORD}, allow_redirects=False)
    assert response.status_code == 302, (email, response.status_code)
    return session, _csrf(session, base + "/plaatsen/hulpvraag")


def _burst(base: str, clients: list[tuple[requests.Session, str]]) -> dict:
    """Post number k at start + k / RATE (open loop: a thread that is late posts at once), for BURST_S."""
    start = time.monotonic() + 0.5
    numbers, lock = itertools.count(), threading.Lock()
    results: list[tuple[int, int | str, float]] = []  # (k, status or error, seconds)

    def client(session: requests.Session, token: str) -> None:
        while True:
            with lock:
                k = next(numbers)
            due = start + k / RATE
            if due >= start + BURST_S:
                return
            time.sleep(max(0.0, due - time.monotonic()))
            sent = time.monotonic()
            try:
                response = session.post(base + "/plaatsen/hulpvraag",
                                        data={"csrf_token": token, **HULPVRAAG_FORM, "titel": f"Burst {k}"},
                                        allow_redirects=False, timeout=60)
                outcome: int | str = response.status_code
            except requests.RequestException as error:
                outcome = type(error).__name__
            results.append((k, outcome, time.monotonic() - sent))

    threads = [threading.Thread(target=client, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BURST_S + 120)
    return {"results": results, "seconds": time.monotonic() - start}


class _Stack:
    """Read-only looks at the database of the running stack from this process."""

    def __init__(self, instance: Path) -> None:
        from omkijken.platform import create_app

        self.app = create_app({"INSTANCE_PATH": str(instance), "GEOCODER": "off"})

    def counts(self) -> dict[str, int]:
        from omkijken.platform.extensions import db
        from omkijken.platform.koppelingen.models import Voorstel
        from omkijken.platform.posts.models import Hulpvraag
        from omkijken.platform.system.models import OutboxMessage

        with self.app.app_context():
            count = lambda stmt: db.session.scalar(stmt)  # noqa: E731
            outbox = select(func.count()).select_from(OutboxMessage)
            found = {
                "vragen": count(select(func.count()).select_from(Hulpvraag)),
                "voorstellen": count(select(func.count()).select_from(Voorstel)),
                "vragen_met_voorstel": count(select(func.count(func.distinct(Voorstel.hulpvraag_id)))),
                "outbox": count(outbox),
                "outbox_open": count(outbox.where(OutboxMessage.done_at.is_(None))),
                "outbox_errors": count(outbox.where(OutboxMessage.last_error.is_not(None))),
                "mail_rows": count(outbox.where(OutboxMessage.task == "omkijken.send_email")),
            }
            db.session.remove()
            return found

    def titles(self) -> set[str]:
        from omkijken.platform.extensions import db
        from omkijken.platform.posts.models import Hulpvraag

        with self.app.app_context():
            found = set(db.session.scalars(select(Hulpvraag.titel)))
            db.session.remove()
            return found

    def close(self) -> None:
        from omkijken.platform.extensions import db

        with self.app.app_context():
            db.engine.dispose()


def _mails(folder: Path) -> Counter:
    subjects: Counter = Counter()
    for path in folder.glob("*.eml"):
        subjects[str(message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"])] += 1
    return subjects


def _health(base: str) -> dict | None:
    try:
        return requests.get(base + "/health", timeout=10).json()
    except (requests.RequestException, ValueError):
        return None


def test_the_embedded_default_loses_nothing_under_a_minute_of_twenty_messages_a_second(tmp_path: Path):
    require(shutil.which("redis-server") is not None, "redis-server (Debian-pakket redis-server)")
    instance = tmp_path / "instance"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("OMKIJKEN_")},
           "OMKIJKEN_INSTANCE_PATH": str(instance), "OMKIJKEN_GEOCODER": "off",
           "OMKIJKEN_RELAY_INTERVAL_SECONDS": "1", "OMKIJKEN_RELAY_AFTER_SECONDS": "1"}
    done = subprocess.run(OMKIJKEN + ["db-upgrade"], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    _people(instance)

    port, log_path = free_port(), tmp_path / "run.log"
    base = f"http://127.0.0.1:{port}"
    log = open(log_path, "wb")
    server = subprocess.Popen(OMKIJKEN + ["run", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    stack = _Stack(instance)
    try:
        wait_for(lambda: b"ready." in log_path.read_bytes() or server.poll() is not None, timeout=120,
                 what="worker klaar")
        assert server.poll() is None, log_path.read_text()[-3000:]
        clients = [_login(base, f"r{number}@example.nl") for number in range(RESIDENTS)]
        before = stack.counts()

        burst = _burst(base, clients)
        burst_end = time.monotonic()
        during = stack.counts()
        results = burst["results"]
        statuses = Counter(outcome for _k, outcome, _s in results)
        accepted = [s for _k, outcome, s in results if outcome == 302]

        def drained() -> dict | None:
            now = stack.counts()
            return now if now["outbox_open"] == 0 and now["voorstellen"] >= now["vragen"] else None

        after = wait_for(drained, timeout=900, interval=1.0, what="alle berichten verwerkt")
        drain_s = time.monotonic() - burst_end
        health = wait_for(lambda: (h := _health(base)) and h["worker"] == "ok" and h, timeout=120,
                          what="/health meldt de worker")
        assert server.poll() is None, "omkijken run stopte"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=90)
        log.close()
        stack.close()

    text = log_path.read_text(errors="replace")
    tasks = after["outbox"] - before["outbox"]
    figures = {
        "offered_per_s": RATE,
        "posts": len(results),
        "accepted": len(accepted),
        "burst_s": round(burst["seconds"], 1),
        "accepted_per_s": round(len(accepted) / burst["seconds"], 1),
        "post_p50_ms": round(statistics.median(accepted) * 1000) if accepted else None,
        "post_p95_ms": round(statistics.quantiles(accepted, n=20)[-1] * 1000) if len(accepted) > 1 else None,
        "outbox_messages": tasks,
        "done_during_burst": (during["outbox"] - during["outbox_open"]) - (before["outbox"] - before["outbox_open"]),
        "drain_after_burst_s": round(drain_s, 1),
        "messages_per_s_end_to_end": round(tasks / (burst["seconds"] + drain_s), 1),
        "worker_restarts": text.count("worker herstart"),
    }
    print("\nburst: " + json.dumps(figures))

    # No 5xx and no error: every post was accepted with its redirect to the new post.
    assert statuses == Counter({302: len(results)}), statuses
    assert len(accepted) * MESSAGES_PER_POST / burst["seconds"] >= MIN_MESSAGES_PER_S, figures
    # Nothing lost: every vraag is there, has one voorstel, and both its mails were written.
    vragen = len(accepted)
    assert stack.titles() == {f"Burst {k}" for k, outcome, _s in results if outcome == 302}
    assert after["vragen"] == after["voorstellen"] == after["vragen_met_voorstel"] == vragen, after
    assert after["outbox_open"] == 0 and after["outbox_errors"] == 0, after
    assert after["mail_rows"] == 2 * vragen, after
    mails = _mails(instance / "mail")
    assert mails[VOOR_VRIJWILLIGER] == mails[VOOR_INWONER] == vragen, mails
    # The worker is alive at the end (/health above), and nothing went wrong on the way.
    assert health["worker"] == "ok"
    for trouble in ("database is locked", "Unrecoverable error", "Traceback", "CRITICAL"):
        assert trouble not in text, f"{trouble!r} in de log van omkijken run"
