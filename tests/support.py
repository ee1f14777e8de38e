"""Helpers the tests share: recorded geocoding, CSRF-aware form posts, a live worker."""

from __future__ import annotations

import contextvars
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from flask.testing import FlaskClient

from omkijken.platform import clock

FIXTURES = Path(__file__).parent / "fixtures"
# Only ``make test-quick`` lets a test skip for a missing service; everywhere else it fails.
MAY_SKIP = os.environ.get("OMKIJKEN_TEST_MAY_SKIP") == "1" and not os.environ.get("CI")

# Points inside CBS 2014 buurten and their wijk polygons (see fixtures/pdok/README.md).
RUWAARD = (51.748697, 5.523308)  # Oss, wijk Ruwaard, buurt Witte Hoef
DOMMELBERGEN = (51.65987, 4.873661)  # Oosterhout, wijk Dommelbergen, buurt Schildersbuurt
OSS_CENTRUM = (51.763732, 5.52304)  # Oss, wijk Centrum, buurt Centrum Zuid
AMSTERDAM = (52.3731, 4.8922)
# About 440 m north of RUWAARD, just across the wijk border in Oss-Zuid (WK082803): a neighbour every
# test volunteer can reach. Use RUWAARD itself where the wijk matters (moderation is scoped by wijk).
NEAR_RUWAARD = (RUWAARD[0] + 0.004, RUWAARD[1])


def require(available: bool, what: str) -> None:
    """A missing service fails the test, saying what to install; ``make test-quick`` skips it."""
    if available:
        return
    if MAY_SKIP:
        pytest.skip(f"{what} ontbreekt")
    pytest.fail(f"{what} is nodig voor deze test en ontbreekt. `make test-setup` installeert het "
                "(of zet OMKIJKEN_TEST_MAY_SKIP=1 om zulke tests over te slaan).", pytrace=False)


def recorded_pdok(url: str, params: dict[str, Any]) -> dict[str, Any]:
    """A PDOK transport that answers from tests/fixtures/pdok instead of the internet: the ``free``
    search by postcode and number, and the ``reverse`` search by a point (lat and lon as sent)."""
    if url.endswith("/reverse"):
        path = FIXTURES / "pdok" / f"reverse-{params['lat']}-{params['lon']}.json"
        if not path.exists():
            return {"response": {"numFound": 0, "start": 0, "docs": []}}
        return json.loads(path.read_text())
    found = re.match(r"postcode:(\w+) and huisnummer:(\d+)", params["q"])
    path = FIXTURES / "pdok" / f"{found.group(1)}-{found.group(2)}.json"
    if not path.exists():
        return {"response": {"numFound": 0, "start": 0, "docs": []}}
    return json.loads(path.read_text())


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    found = _CSRF.search(page.get_data(as_text=True))
    assert found, f"geen CSRF-token op {url}"
    return found.group(1)


def submit(client, url: str, data: dict[str, Any], *, page: str | None = None, **kwargs):
    """Post a form the way a browser does: first load the page to get its CSRF token."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def commit() -> None:
    """End a test's unit of work as the request, task or CLI command around a service would: services
    only flush, and a worker, a server or another session sees nothing until it is committed."""
    from omkijken.platform.extensions import db

    db.session.commit()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"na {timeout} s nog steeds niet: {what}")


class WorkerProcess:
    """A real Celery worker in its own process, on the same database and broker as the test app.

    It lives for the whole session, so it also works the outbox of later tests that do not ask
    for it: ``running`` tells the app fixture to let it finish before the tables are emptied.
    """

    running = False
    current: "WorkerProcess | None" = None

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = open(self.log_path, "ab")
        offset = self.log.tell()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "omkijken.workers.app:celery", "worker",
             "--pool=solo", "--loglevel=INFO", "--without-mingle", "--without-gossip"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: b" ready." in self.log_path.read_bytes()[offset:] or self.process.poll() is not None,
                 timeout=60, what="Celery worker klaar")
        assert self.process.poll() is None, self.log_path.read_text()
        WorkerProcess.running = True
        WorkerProcess.current = self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def answers(self, app, timeout: float = 15.0) -> bool:
        """Send the heartbeat task and see it arrive: a worker that is up but stuck fails this."""
        from datetime import timedelta

        from omkijken.platform.system import services as system

        asked = clock.utcnow() - timedelta(seconds=1)
        app.extensions["omkijken.sender"].send_task("omkijken.heartbeat")

        def seen() -> bool:
            from omkijken.platform.extensions import db

            db.session.rollback()
            last = system.last_heartbeat()
            return last is not None and last >= asked

        try:
            wait_for(seen, timeout=timeout, what="de worker antwoordt")
            return True
        except AssertionError:
            return False

    def ensure_answering(self, app) -> None:
        """Before a test that needs the worker: restart it when it died or hangs, and say so."""
        if self.alive() and self.answers(app):
            return
        tail = self.log_tail()
        self.stop()
        self.start()
        assert self.answers(app, timeout=30), f"de worker antwoordt niet, ook niet na een herstart:\n{tail}"
        print(f"worker herstart; zijn log eindigde met:\n{tail}")

    def stop(self) -> None:
        WorkerProcess.running = False
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self.process:
            self.log.close()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as it would in a real server.

    The tests keep an app context open to look at the database; without this, requests would
    share it (and its ``g``: the logged-in user, the chosen language) with the test and each other.
    What the test made through the services before the request is committed first, as the request
    or task that made it would have (services only flush), so the request's own session sees it.
    """

    def open(self, *args, **kwargs):
        from flask import has_app_context

        if has_app_context():
            commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


def a_home_that_moves_on_both_axes() -> tuple[float, float]:
    """A home whose public point differs in both latitude and longitude by more than 20 m, so
    finding either exact coordinate in a page can only mean a leak (a blur due north would
    share the longitude). Needs an app context: the offset is keyed on the secret."""
    from flask import current_app

    from omkijken.platform.areas.services import blur

    secret = current_app.config["SECRET_KEY"]
    for step in range(200):
        home = (round(RUWAARD[0] + step * 0.00037, 6), round(RUWAARD[1] + step * 0.00041, 6))
        shown = blur(*home, secret=secret)
        if abs(shown[0] - home[0]) > 0.0002 and abs(shown[1] - home[1]) > 0.0003:
            return home
    raise AssertionError("geen geschikt huis gevonden")


def garden_voorstel(make_user):
    """Sanne (volunteer: gardens, 3 km) and her neighbour Truus with a garden vraag, and the one
    voorstel the matching handler makes for them, as the worker would."""
    from datetime import timedelta

    from sqlalchemy import select

    from omkijken.platform.clock import utcnow
    from omkijken.platform.extensions import db
    from omkijken.platform.koppelingen import pipeline
    from omkijken.platform.koppelingen.models import Voorstel
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Aanbod, Hulpvraag

    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000),
                 auteur=sanne, now=utcnow() - timedelta(days=2))
    vraag = posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())
    pipeline.match_post(vraag.id, now=utcnow())
    return db.session.scalar(select(Voorstel))


def at_once(app, work: Callable[[], Any], times: int) -> list[Any]:
    """Run ``work`` in ``times`` threads that start together, each in its own app context (as
    separate web or beat processes would), each one transaction as a request or task is; their
    results, or the first error raised. What the test made before is committed first."""
    import threading

    from omkijken.platform.transaction import unit_of_work

    commit()
    start = threading.Barrier(times)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context(), unit_of_work():
                start.wait()
                results.append(work())
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]
    return results


def seasoned(user):
    """An account made two months ago that placed a post a month ago (closed since): its reports
    count in full towards hiding a post (posts.services.report_weight). Returns the user."""
    from datetime import timedelta

    from omkijken.platform.clock import utcnow
    from omkijken.platform.extensions import db
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Hulpvraag

    now = utcnow()
    user.created_at = now - timedelta(days=60)
    earlier = posts.create(Hulpvraag(titel="Eerder gevraagd", categorie="klussen"), auteur=user,
                           where=DOMMELBERGEN, now=now - timedelta(days=30))
    earlier.status, earlier.sluit_reden = "gesloten", "gelukt"
    db.session.commit()
    return user


# A hulpvraag as the form posts it (without the title), for the tests that post over HTTP to a running site.
HULPVRAAG_FORM = {
    "wil": "Ik wil weer in mijn tuin kunnen zitten.",
    "kan_zelf": "Ik kan koffie zetten.",
    "nodig": "Iemand die de heg knipt.",
    "categorie": "tuinonderhoud",
    "waar": "thuis",
}


def parsed_mail(config, payload: dict, *, now=None):
    """The outbox row ``payload`` as the worker would send it, read back by Python's parser with
    ``email.policy.default``, after checking what every mail of the site must carry (issue 27,
    item 1): Date (RFC 5322), a Message-ID of the site's own domain, Auto-Submitted (RFC 3834);
    and on bulk mail List-Id (RFC 2919) and List-Unsubscribe with One-Click (RFC 8058)."""
    from email import message_from_bytes, policy
    from email.utils import parsedate_to_datetime
    from urllib.parse import urlsplit

    from omkijken.platform.clock import utcnow
    from omkijken.platform.system.mail import Email, build_message
    from omkijken.platform.system.services import CHECKIN_ID

    sent_at = (now or utcnow()).replace(microsecond=0)
    fields = {key: value for key, value in payload.items() if key != CHECKIN_ID}
    raw = build_message(config, Email(**fields), now=sent_at).as_bytes()
    message = message_from_bytes(raw, policy=policy.default)
    domain = urlsplit(config["SITE_URL"]).hostname
    assert parsedate_to_datetime(str(message["Date"])) == sent_at, message["Date"]
    assert message["Message-ID"].count("@") == 1 and str(message["Message-ID"]).endswith(f"@{domain}>"), \
        message["Message-ID"]
    assert message["Auto-Submitted"] == "auto-generated"
    if payload.get("list_id") or payload.get("unsubscribe"):
        assert str(message["List-Id"]).endswith(f"<{payload['list_id']}.{domain}>"), message["List-Id"]
        assert message["List-Unsubscribe"] == f"<{payload['unsubscribe']}>"
        assert urlsplit(payload["unsubscribe"]).scheme in ("http", "https")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(preferencelist=("plain",)) is not None
    return message


def static_url(filename: str) -> str:
    """The address pages give a static file: its name with the content's hash (platform/static_files.py)."""
    import hashlib

    from omkijken.platform import PACKAGE_ROOT

    digest = hashlib.sha256((PACKAGE_ROOT / "static" / filename).read_bytes()).hexdigest()[:12]
    stem, dot, ext = filename.rpartition(".")
    return f"/static/{stem}.{digest}.{ext}"
