"""The outbox and the worker heartbeat.

A service that needs background work calls :func:`enqueue` in the transaction of its change (the
request's, task's or command's, which commits once at its end). After that commit the message is
sent to the broker by task name. If the broker is down the row stays, and
the relay task sends it later. Tasks call :func:`run_message`, which does the work at most once
per row, so a task that runs twice does no harm.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any, Callable

from flask import current_app
from sqlalchemy import String, cast, event, or_, select, update
from sqlalchemy.orm import Session

from omkijken.platform.clock import as_utc, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.system.models import OutboxMessage, WorkerHeartbeat

log = logging.getLogger(__name__)

SEND_EMAIL = "omkijken.send_email"
# A hulpvraag or aanbod was published or changed: look for voorstellen (payload: post_id).
MATCH_POST = "omkijken.match_post"
_PENDING = "omkijken.outbox_pending"
# A SEND_EMAIL payload key beside the Email fields: the check-in this mail asks.
CHECKIN_ID = "checkin_id"


def enqueue(task: str, payload: dict[str, Any], *, now: datetime) -> OutboxMessage:
    message = OutboxMessage(task=task, payload=payload, created_at=now)
    db.session.add(message)
    db.session.info.setdefault(_PENDING, []).append(message)
    return message


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending = [(m.id, m.task) for m in session.info.pop(_PENDING, []) if m.id is not None]
    if pending:
        dispatch(pending, bind=session.get_bind())


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def dispatch(messages: list[tuple[int, str]], *, bind=None) -> int:
    """Send messages to the broker; a failure leaves them for the relay. Returns how many went."""
    sender = current_app.extensions["omkijken.sender"]
    sent = []
    for message_id, task in messages:
        try:
            sender.send_task(task, args=[message_id], retry=False)
        except Exception:
            log.warning("broker unreachable, outbox message %s waits for the relay", message_id)
            break
        sent.append(message_id)
    if sent:
        with (bind or db.engine).begin() as conn:
            conn.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(sent))
                .values(dispatched_at=utcnow())
            )
    return len(sent)


def relay_pending(*, now: datetime, lost_after: timedelta = timedelta(minutes=15),
                  unsent_after: timedelta = timedelta(seconds=10)) -> int:
    """Send what a lost broker connection left behind, and what a lost worker never finished.
    A message younger than ``unsent_after`` may still be on its way from its own commit."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.task)
        .where(OutboxMessage.done_at.is_(None))
        .where(
            or_(
                OutboxMessage.dispatched_at.is_(None) & (OutboxMessage.created_at < now - unsent_after),
                OutboxMessage.dispatched_at < now - lost_after,
            )
        )
        .order_by(OutboxMessage.id)
        .limit(500)
    ).all()
    db.session.rollback()
    return dispatch([(row.id, row.task) for row in rows])


def run_message(message_id: int, handler: Callable[[dict[str, Any]], Any], *, now: datetime) -> bool:
    """Run ``handler`` for one outbox row unless it already ran. Returns whether it ran.

    The handler's changes and the row's ``done_at`` commit together, and the row stays locked until
    then; a handler that commits on its way (a job of many items) must itself be safe to run twice,
    as unique keys and claims make it."""
    message = db.session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.done_at is not None:
        db.session.rollback()
        return False
    message.attempts += 1
    try:
        handler(message.payload)
    except Exception as error:
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        db.session.commit()  # the outbox's own bookkeeping: the error stays although the task rolls back
        raise
    message.done_at = now
    message.last_error = None
    db.session.commit()  # the outbox's own bookkeeping: done in the handler's transaction, and the lock goes
    return True


def give_up(message_id: int, *, now: datetime, handler: Callable[[dict[str, Any]], Any] | None = None) -> bool:
    """After the last try: the row counts as done, its ``last_error`` saying why, so the relay does
    not start the retries again; ``handler`` tells whoever must know, in the same transaction."""
    message = db.session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.done_at is not None:
        db.session.rollback()
        return False
    message.done_at = now
    if handler:
        handler(message.payload)
    db.session.commit()  # the outbox's own bookkeeping: given up for good, before the task ends
    return True


def record_heartbeat(worker: str, *, now: datetime) -> None:
    beat = db.session.get(WorkerHeartbeat, worker)
    if beat is None:
        db.session.add(WorkerHeartbeat(worker=worker, seen_at=now))
    else:
        beat.seen_at = now
    db.session.flush()


def last_heartbeat() -> datetime | None:
    seen = db.session.scalar(select(WorkerHeartbeat.seen_at).order_by(WorkerHeartbeat.seen_at.desc()))
    return as_utc(seen) if seen else None


def worker_is_stale(*, now: datetime, stale_after: int, seen: datetime | None = None) -> bool:
    """``seen``: the last heartbeat when the caller has read it already (else it is read here)."""
    seen = seen or last_heartbeat()
    return seen is None or now - seen > timedelta(seconds=stale_after)


def payload_may_hold(text: str):
    """A pre-filter on outbox rows whose payload may hold ``text``; the caller checks the decoded
    payload. The JSON is kept with ``\\u`` escapes ("Ren\\u00e9e"), and PostgreSQL may keep it
    as written or decoded, so both spellings are looked for, with LIKE's own ``%`` and ``_`` in
    ``text`` taken literally (a name "_" matched every mail)."""
    column = cast(OutboxMessage.payload, String)
    spellings = {text, json.dumps(text)[1:-1]}
    return or_(*(column.contains(spelling, autoescape=True) for spelling in spellings))
