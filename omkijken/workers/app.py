"""The Celery app of the workers, bound to the Flask app so every task runs in its context.

Start with ``omkijken worker`` / ``omkijken beat`` (or ``celery -A omkijken.workers.app:celery``).
"""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask

from omkijken.platform import create_app
from omkijken.platform.system.broker import celery_settings
from omkijken.platform.transaction import unit_of_work

BEAT_SCHEDULE = {
    # Every RELAY_INTERVAL_SECONDS (config): what waited while Redis was down goes out soon after.
    "relay-outbox": {"task": "omkijken.relay_outbox", "schedule": 10.0},
    # Every HEARTBEAT_SECONDS (config): /health and the beheerder see whether a worker is alive.
    "heartbeat": {"task": "omkijken.heartbeat", "schedule": 30.0},
    # Nazorg: check-ins that are due, reminders, and rondes for the coordinator.
    "follow-ups": {"task": "omkijken.follow_ups", "schedule": 900.0},
    "vragen-digest": {"task": "omkijken.vragen_digest", "schedule": crontab(hour=17, minute=0)},
    "match-all-nightly": {"task": "omkijken.match_all", "schedule": crontab(hour=3, minute=15)},
    "wijk-digest-weekly": {"task": "omkijken.wijk_digest", "schedule": crontab(day_of_week="mon", hour=8, minute=0)},
    "samen-doen-weekly": {"task": "omkijken.samen_doen", "schedule": crontab(day_of_week="mon", hour=10, minute=0)},
    # Subsidies: reminders of the accountability, and "bestaat het nog?" a year after support ended.
    "subsidie-opvolging": {"task": "omkijken.subsidie_opvolging", "schedule": crontab(hour=9, minute=0)},
    # Privacy: closed hulpvragen lose their text and exact place after OMKIJKEN_HULPVRAAG_BEWAAR_MAANDEN.
    "hulpvragen-bewaren": {"task": "omkijken.hulpvragen_bewaren", "schedule": crontab(hour=2, minute=30)},
    # The waiting-list report of the month before, kept (004:266-270).
    "wachtlijst-rapport": {"task": "omkijken.wachtlijst_rapport",
                           "schedule": crontab(day_of_month=1, hour=6, minute=0)},
}


def create_celery(flask_app: Flask | None = None) -> Celery:
    flask_app = flask_app or create_app()

    class FlaskTask(Task):
        """Runs in the Flask app's context as one transaction: committed when the task returns,
        rolled back when it raises (a retry starts from what was committed)."""

        def __call__(self, *args, **kwargs):
            with flask_app.app_context(), unit_of_work():
                return self.run(*args, **kwargs)

    app = Celery("omkijken", task_cls=FlaskTask, set_as_current=True)
    app.conf.update(celery_settings(flask_app.config))
    app.conf.beat_schedule = {
        **BEAT_SCHEDULE,
        "relay-outbox": {**BEAT_SCHEDULE["relay-outbox"], "schedule": float(flask_app.config["RELAY_INTERVAL_SECONDS"])},
        "heartbeat": {**BEAT_SCHEDULE["heartbeat"], "schedule": float(flask_app.config["HEARTBEAT_SECONDS"])},
    }
    app.conf.beat_schedule_filename = str(Path(flask_app.instance_path) / "celerybeat-schedule")
    app.conf.worker_hijack_root_logger = False
    app.flask_app = flask_app
    app.autodiscover_tasks(["omkijken.workers"], related_name="tasks", force=True)
    return app


celery = create_celery()
