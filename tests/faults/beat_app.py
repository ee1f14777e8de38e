"""The production Celery app, with the two sweeps that mail people firing every second instead of
every 15 minutes and weekly: two beat processes started on it fire each of them many times at once."""

from omkijken.workers.app import celery

celery.conf.beat_schedule = {
    "follow-ups": {"task": "omkijken.follow_ups", "schedule": 1.0},
    "wijk-digest-weekly": {"task": "omkijken.wijk_digest", "schedule": 1.0},
}
