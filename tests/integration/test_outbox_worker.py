"""Web -> outbox -> broker -> a real worker, on the embedded broker and on Redis."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

from celery import Celery
from sqlalchemy import select

from omkijken.platform import clock
from omkijken.platform.extensions import db
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import submit, wait_for


def mails_to(app, address: str) -> list:
    folder = Path(app.config["MAIL_FOLDER"])
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def done(message_id: int) -> bool:
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message_id)
    db.session.rollback()
    return row is not None and row.done_at is not None


@contextmanager
def broker_down(app):
    """The web's connection to the broker is lost while the block commits."""
    good_sender = app.extensions["omkijken.sender"]
    dead = Celery("dead-broker", set_as_current=False)
    dead.conf.update(broker_url="redis://127.0.0.1:1/0", broker_connection_timeout=0.5)
    app.extensions["omkijken.sender"] = dead
    try:
        yield
    finally:
        app.extensions["omkijken.sender"] = good_sender


def test_registration_mail_travels_through_the_worker(app, client, worker):
    response = submit(client, "/registreren", {
        # An address no other test uses: the worker's mail folder lasts the whole test process.
        "naam": "Ahmed", "email": "ahmed.worker@example.nl", "password": "een lange zin",
        "postcode": "4907XK", "huisnummer": "3", "consent": "y",
    })
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage).filter_by(task=system.SEND_EMAIL))
    assert message.dispatched_at is not None

    wait_for(lambda: done(message.id), timeout=30, what="welkomstmail verwerkt")
    mails = mails_to(app, "ahmed.worker@example.nl")
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Welkom bij Omkijken"
    assert "Dommelbergen" in mails[0].get_body(preferencelist=("plain",)).get_content()


def test_what_a_lost_broker_left_behind_is_sent_by_the_relay(app, worker):
    """The broker is unreachable at commit time: the row waits, the relay sends it later."""
    payload = {"to": "relay@example.nl", "subject": "Via de relay", "body": "Hallo"}
    with broker_down(app):
        message = system.enqueue(system.SEND_EMAIL, payload, now=clock.utcnow())
        db.session.commit()
    db.session.refresh(message)
    assert message.dispatched_at is None and message.done_at is None

    assert system.relay_pending(now=clock.utcnow() + timedelta(minutes=1)) == 1

    wait_for(lambda: done(message.id), timeout=30, what="relay-bericht verwerkt")
    assert len(mails_to(app, "relay@example.nl")) == 1


def test_a_message_that_runs_twice_is_sent_once(app, worker):
    message = system.enqueue(
        system.SEND_EMAIL, {"to": "twice@example.nl", "subject": "Eén keer", "body": "x"}, now=clock.utcnow()
    )
    db.session.commit()
    wait_for(lambda: done(message.id), timeout=30, what="eerste keer verwerkt")
    assert len(mails_to(app, "twice@example.nl")) == 1
    before = _last_heartbeat()

    system.dispatch([(message.id, message.task)])
    # The worker runs one task at a time, in order (--pool=solo): a heartbeat sent behind the
    # duplicate and recorded after ``before`` means the duplicate has run.
    app.extensions["omkijken.sender"].send_task("omkijken.heartbeat", retry=False)
    wait_for(lambda: (_last_heartbeat() or before) > before if before else _last_heartbeat() is not None,
             timeout=30, what="worker verwerkt de dubbele taak")

    assert len(mails_to(app, "twice@example.nl")) == 1


def test_the_relay_sends_again_what_a_lost_worker_took_a_quarter_of_an_hour_ago(app, worker):
    """A worker that took a message and died leaves it dispatched and not done: after 15 minutes the
    relay sends it again, and not sooner (a slow worker may still be at it)."""
    now = clock.utcnow()
    with broker_down(app):
        lost, busy = (system.enqueue(system.SEND_EMAIL, {"to": f"{naam}@example.nl", "subject": "Toch nog",
                                                         "body": "x"}, now=now - timedelta(minutes=20))
                      for naam in ("verloren", "bezig"))
        db.session.commit()
    lost.dispatched_at, busy.dispatched_at = now - timedelta(minutes=16), now - timedelta(minutes=14)
    db.session.commit()

    assert system.relay_pending(now=now) == 1

    wait_for(lambda: done(lost.id), timeout=30, what="verloren bericht opnieuw verstuurd")
    assert len(mails_to(app, "verloren@example.nl")) == 1
    assert not done(busy.id) and mails_to(app, "bezig@example.nl") == []


def _last_heartbeat():
    db.session.expire_all()
    seen = system.last_heartbeat()
    db.session.rollback()
    return seen
