"""A forgotten password, a changed password, and what they must not give away."""

from __future__ import annotations

import statistics
import time

import itsdangerous.timed
from sqlalchemy import select

from omkijken.platform.accounts import passwords, services
from omkijken.platform.extensions import db
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import submit, wait_for


def outbox(task: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).filter_by(task=task).order_by(OutboxMessage.id)))


def run_reset_links() -> None:
    """Wait for the worker to look up each queued address and queue the mails (as in production)."""
    def all_done() -> bool:
        db.session.expire_all()
        waiting = [m for m in outbox(passwords.RESET_LINK) if m.done_at is None]
        db.session.rollback()
        return not waiting

    wait_for(all_done, timeout=30, what="wachtwoordlinks opgezocht door de worker")


def reset_link_in_mail(to: str) -> str:
    mails = [m.payload for m in outbox(system.SEND_EMAIL) if m.payload["to"] == to]
    assert len(mails) == 1, mails
    line = next(line for line in mails[0]["body"].splitlines() if "/wachtwoord-vergeten/" in line)
    return line.strip().split("127.0.0.1:5000", 1)[1]


def flash_after(client, response) -> str:
    page = client.get(response.location).get_data(as_text=True)
    return page.split('<p class="flash flash-', 1)[1].split("</p>", 1)[0]


def test_a_forgotten_password_is_replaced_by_a_link_that_works_once(app, client, make_user, worker):
    user = make_user("sanne@example.nl")
    other_device = app.test_client()
    submit(other_device, "/inloggen", {"email": "sanne@example.nl", "password": "wachtwoord-123"})
    assert other_device.get("/profiel").status_code == 200

    asked = submit(client, "/wachtwoord-vergeten", {"email": " Sanne@Example.nl"})
    assert asked.status_code == 302
    assert "krijg je binnen een paar minuten een mail" in flash_after(client, asked)
    run_reset_links()
    link = reset_link_in_mail("sanne@example.nl")

    assert "Kies een nieuw wachtwoord" in client.get(link).get_data(as_text=True)
    mismatch = submit(client, link, {"password": "nieuwe lange zin", "again": "andere zin"})
    assert mismatch.status_code == 422
    assert "De twee wachtwoorden zijn niet hetzelfde" in mismatch.get_data(as_text=True)
    done = submit(client, link, {"password": "nieuwe lange zin", "again": "nieuwe lange zin"})

    assert done.status_code == 302 and done.location == "/profiel"
    assert client.get("/profiel").status_code == 200, "na het kiezen ben je ingelogd"
    assert other_device.get("/profiel").status_code == 302, "andere apparaten zijn uitgelogd"
    assert services.authenticate("sanne@example.nl", "wachtwoord-123") is None
    assert services.authenticate("sanne@example.nl", "nieuwe lange zin") == user
    used = client.get(link)
    assert used.status_code == 404 and "al gebruikt" in used.get_data(as_text=True)


def test_asking_for_an_unknown_address_looks_the_same_and_mails_nobody(client, make_user, worker):
    make_user("sanne@example.nl")

    known = submit(client, "/wachtwoord-vergeten", {"email": "sanne@example.nl"})
    known_message = flash_after(client, known)
    unknown = submit(client, "/wachtwoord-vergeten", {"email": "niemand@example.nl"})

    assert known.status_code == unknown.status_code == 302 and known.location == unknown.location
    assert known_message == flash_after(client, unknown)
    assert len(outbox(passwords.RESET_LINK)) == 2, "beide vragen kosten de site hetzelfde werk"
    run_reset_links()
    assert [m.payload["to"] for m in outbox(system.SEND_EMAIL)] == ["sanne@example.nl"]


def test_a_link_from_before_the_time_limit_or_a_forged_one_is_refused(app, client, make_user, monkeypatch):
    user = make_user("sanne@example.nl")
    with app.test_request_context():
        token = passwords.reset_token(user)

    forged = client.get("/wachtwoord-vergeten/" + token[:-3] + "abc")
    assert forged.status_code == 404 and "niet helemaal goed overgenomen" in forged.get_data(as_text=True)

    later = time.time() + app.config["WACHTWOORD_LINK_MINUTEN"] * 60 + 5
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    expired = client.get(f"/wachtwoord-vergeten/{token}")
    assert expired.status_code == 404 and "De link is te oud" in expired.get_data(as_text=True)
    refused = submit(client, f"/wachtwoord-vergeten/{token}",
                     {"password": "nieuwe lange zin", "again": "nieuwe lange zin"}, page="/wachtwoord-vergeten")
    assert refused.status_code == 404
    assert services.authenticate("sanne@example.nl", "wachtwoord-123") == user


def test_asking_for_links_is_rate_limited(client):
    codes = [submit(client, "/wachtwoord-vergeten", {"email": f"iemand{i}@example.nl"}).status_code for i in range(6)]

    assert codes[:5] == [302] * 5 and codes[5] == 429


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, make_user, login):
    make_user("sanne@example.nl")
    other_device = app.test_client()
    submit(other_device, "/inloggen", {"email": "sanne@example.nl", "password": "wachtwoord-123"})
    login("sanne@example.nl")

    wrong = submit(client, "/profiel/wachtwoord", {"huidig": "fout", "password": "nieuwe lange zin",
                                                   "again": "nieuwe lange zin"})
    assert wrong.status_code == 422
    assert "Dit is niet je huidige wachtwoord" in wrong.get_data(as_text=True)
    assert other_device.get("/profiel").status_code == 200

    done = submit(client, "/profiel/wachtwoord", {"huidig": "wachtwoord-123", "password": "nieuwe lange zin",
                                                  "again": "nieuwe lange zin"})
    assert done.status_code == 302
    assert client.get("/profiel").status_code == 200
    assert other_device.get("/profiel").status_code == 302
    assert services.authenticate("sanne@example.nl", "nieuwe lange zin") is not None


def test_an_unknown_email_costs_the_login_as_long_as_a_wrong_password(app, make_user):
    """Timing must not tell whether an address has an account: both check a password hash.

    With production's scrypt the hash is most of a login's time; the suite's cheap test hash would leave
    the comparison to noise (a failed login's own database writes once made it flaky).
    """
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    make_user("sanne@example.nl")

    def seconds(email: str) -> float:
        client = app.test_client()
        start = time.perf_counter()
        assert submit(client, "/inloggen", {"email": email, "password": "fout"}).status_code == 422
        return time.perf_counter() - start

    known = statistics.median(seconds("sanne@example.nl") for _ in range(5))
    unknown = statistics.median(seconds("niemand@example.nl") for _ in range(5))

    assert unknown > known * 0.5, (known, unknown)
