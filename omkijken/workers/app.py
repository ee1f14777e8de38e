"""The Celery app of the workers, bound to the Flask app so every task runs in its context.

Start with ``omkijken worker`` / ``omkijken beat`` (or ``celery -A omkijken.workers.app:celery``).
"""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask

from omkijken.platform import create_app
from omkijken.platform.jobs import JOBS, Cron, Job
from omkijken.platform.system.broker import celery_settings
from omkijken.platform.transaction import unit_of_work


def _schedule(job: Job) -> float | crontab:
    if isinstance(job.schedule, Cron):
        return crontab(minute=job.schedule.minute, hour=job.schedule.hour,
                       day_of_week=job.schedule.day_of_week, day_of_month=job.schedule.day_of_month)
    return job.schedule


BEAT_SCHEDULE = {
    # Every RELAY_INTERVAL_SECONDS (config): what waited while Redis was down goes out soon after.
    "relay-outbox": {"task": "omkijken.relay_outbox", "schedule": 10.0},
    # Every HEARTBEAT_SECONDS (config): /health and the beheerder see whether a worker is alive.
    "heartbeat": {"task": "omkijken.heartbeat", "schedule": 30.0},
    # The periodic jobs of platform/jobs.py, each with what it does in its summary.
    **{job.beat: {"task": job.task, "schedule": _schedule(job)} for job in JOBS},
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
