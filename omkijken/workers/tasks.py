"""Tasks are thin: the rules are in the platform services. The periodic ones are made from
``platform/jobs.py``; the others (mail, matching one post, the relay, the heartbeat) are here."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from flask import current_app

from omkijken.platform import clock
from omkijken.platform.accounts import passwords
from omkijken.platform.jobs import JOBS, Job
from omkijken.platform.koppelingen import nazorg, pipeline
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import Email, deliver

# A refused or unreachable mail server; also what smtplib raises for a 4xx or 5xx answer.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def _deliver(config, payload: dict) -> str:
    fields = {key: value for key, value in payload.items() if key != system.CHECKIN_ID}
    return deliver(config, Email(**fields), now=clock.utcnow())


def _tell_coordinator(payload: dict) -> None:
    if payload.get(system.CHECKIN_ID):
        nazorg.mail_undeliverable(payload[system.CHECKIN_ID], now=clock.utcnow())


@shared_task(name=system.SEND_EMAIL, bind=True, max_retries=None)
def send_email(self, message_id: int) -> bool:
    """A mail the server refuses is tried again after MAIL_RETRY_BACKOFF_SECONDS, then twice as
    long each time, MAIL_MAX_RETRIES times (from config, so tests can make it short). After the
    last try the outbox row is given up (else the relay would start all over) and a check-in
    that could not be asked goes to the coordinator's call list."""
    config = current_app.config
    try:
        return system.run_message(message_id, lambda payload: _deliver(config, payload), now=clock.utcnow())
    except MAIL_ERRORS as error:
        tries = self.request.retries
        if tries < config["MAIL_MAX_RETRIES"]:
            raise self.retry(exc=error, countdown=config["MAIL_RETRY_BACKOFF_SECONDS"] * 2 ** tries)
        system.give_up(message_id, now=clock.utcnow(), handler=_tell_coordinator)
        return False


@shared_task(name=passwords.RESET_LINK)
def wachtwoord_link(message_id: int) -> bool:
    now = clock.utcnow()
    return system.run_message(message_id, lambda payload: passwords.send_reset_link(payload["email"], now=now), now=now)


@shared_task(name="omkijken.relay_outbox")
def relay_outbox() -> int:
    after = timedelta(seconds=current_app.config["RELAY_AFTER_SECONDS"])
    return system.relay_pending(now=clock.utcnow(), unsent_after=after)


@shared_task(name="omkijken.heartbeat", bind=True)
def heartbeat(self) -> None:
    system.record_heartbeat(self.request.hostname or "worker", now=clock.utcnow())


@shared_task(name=system.MATCH_POST)
def match_post(message_id: int) -> bool:
    now = clock.utcnow()
    return system.run_message(message_id, lambda payload: pipeline.match_post(payload["post_id"], now=now), now=now)


def _periodic(job: Job) -> Task:
    """The task of a periodic job: run its service now and return its result."""

    def run() -> Any:
        return job.result(job.run(clock.utcnow()))

    run.__name__ = run.__qualname__ = job.name
    run.__doc__ = job.summary
    return shared_task(name=job.task)(run)


# One task per job of platform/jobs.py, under the job's name: omkijken.workers.tasks.follow_ups, ...
globals().update({job.name: _periodic(job) for job in JOBS})
