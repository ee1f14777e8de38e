"""Celery settings shared by the web process (which only sends) and the workers.

Without ``OMKIJKEN_REDIS_URL`` the broker is kombu's filesystem transport: a folder under
``instance/`` that web, worker and beat share, so the embedded default needs no server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from celery import Celery


def celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 2,
        "timezone": "Europe/Amsterdam",
        "enable_utc": True,
    }
    if config.get("REDIS_URL"):
        settings["broker_url"] = config["REDIS_URL"]
        visibility = int(config.get("BROKER_VISIBILITY_TIMEOUT", 3600))
        settings["broker_transport_options"] = {
            "visibility_timeout": visibility,
            # Look for tasks of killed workers a few times per visibility timeout, not once in
            # kombu's default ten sweeps of 10 s.
            "unacked_restore_interval": max(1, min(60, visibility // 4)),
            "unacked_restore_throttle": 1,
        }
    else:
        folder = Path(config["BROKER_FOLDER"])
        queue, processed = folder / "queue", folder / "processed"
        for path in (queue, processed, folder / "control"):
            path.mkdir(parents=True, exist_ok=True)
        settings["broker_url"] = "filesystem://"
        settings["broker_transport_options"] = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(processed),
            "control_folder": str(folder / "control"),
            "store_processed": False,
            # The folder is checked this often (kombu's default is 1 s): a new hulpvraag gets
            # its voorstel well within 2 s, at the cost of ten folder listings a second.
            "polling_interval": 0.1,
        }
        settings["worker_enable_remote_control"] = False
    return settings


def make_sender(config: Mapping[str, Any]) -> Celery:
    """A Celery app that only publishes tasks by name; the web never imports the workers."""
    sender = Celery("omkijken-sender", set_as_current=False)
    settings = celery_settings(config)
    if config.get("REDIS_URL"):
        # One try to reach Redis, not kombu's retries for broker_connection_timeout: while Redis is
        # down every commit would wait 2 s for nothing. The outbox row waits for the relay instead.
        settings["broker_transport_options"] = {**settings["broker_transport_options"], "max_retries": 0}
    sender.conf.update(settings)
    return sender
