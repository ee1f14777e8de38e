"""Tasks are thin: the rules are in the platform services."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from celery import shared_task
from flask import current_app

from omkijken.platform.insights import wachtlijst
from omkijken.platform.koppelingen import nazorg, pipeline, wachtrij
from omkijken.platform.posts import volgen
from omkijken.platform.subsidies import opvolging
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import Email, deliver
from omkijken.platform.wijkagenda import digest


@shared_task(
    name=system.SEND_EMAIL,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=6,
)
def send_email(message_id: int) -> bool:
    config = current_app.config
    return system.run_message(
        message_id,
        lambda payload: deliver(config, Email(**payload), now=system.utcnow()),
        now=system.utcnow(),
    )


@shared_task(name="omkijken.relay_outbox")
def relay_outbox() -> int:
    after = timedelta(seconds=current_app.config["RELAY_AFTER_SECONDS"])
    return system.relay_pending(now=system.utcnow(), unsent_after=after)


@shared_task(name="omkijken.heartbeat", bind=True)
def heartbeat(self) -> None:
    system.record_heartbeat(self.request.hostname or "worker", now=system.utcnow())


@shared_task(name="omkijken.vragen_digest")
def vragen_digest() -> int:
    return volgen.stuur_digests(now=system.utcnow())


@shared_task(name=system.MATCH_POST)
def match_post(message_id: int) -> bool:
    now = system.utcnow()
    return system.run_message(message_id, lambda payload: pipeline.match_post(payload["post_id"], now=now), now=now)


@shared_task(name="omkijken.match_all")
def match_all() -> int:
    return pipeline.match_all(now=system.utcnow()).proposed


@shared_task(name="omkijken.follow_ups")
def follow_ups() -> dict[str, int]:
    result = nazorg.sweep(now=system.utcnow())
    return {"sent": result.sent, "reminded": result.reminded, "escalated": result.escalated}


@shared_task(name="omkijken.wachtlijst_rapport")
def wachtlijst_rapport() -> str:
    """The report of the month that just ended; a second run finds it there."""
    now = system.utcnow()
    return wachtlijst.generate(wachtlijst.previous_months(now, 1)[0], now=now).maand.isoformat()


@shared_task(name="omkijken.samen_doen")
def samen_doen() -> int:
    return wachtrij.mail_idle_volunteers(now=system.utcnow())


@shared_task(name="omkijken.wijk_digest")
def wijk_digest() -> int:
    return digest.send_digests(now=system.utcnow())


@shared_task(name="omkijken.subsidie_opvolging")
def subsidie_opvolging() -> dict[str, int]:
    """Reminders of the accountability and the one-year "bestaat het nog?" that are due."""
    result = opvolging.sweep(now=system.utcnow())
    return {"herinneringen": result.herinneringen, "bestaat_nog": result.bestaat_nog}
