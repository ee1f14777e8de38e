"""Celery settings shared by the web process (which only sends) and the workers, and the embedded
broker.

The broker is always Redis. In production it is the server of ``OMKIJKEN_REDIS_URL``. Without that
setting (the embedded default of ``make run``) it is a ``redis-server`` that ``omkijken run`` starts
itself as a child process (:class:`EmbeddedBroker`), listening only on a Unix socket in the instance
folder. One transport, so visibility timeout, restore of unacknowledged tasks and the fail-fast
sender behave the same on a laptop and in production.

Why not kombu's filesystem transport, which needs no server: its reader can open a message file
that the sender has not finished writing, and then the worker dies of a JSONDecodeError (kombu
issue #1551). A worker of the embedded default died that way after a few minutes while the site
kept telling residents "je krijgt een mail".
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Mapping

from celery import Celery

from omkijken.platform.config import socket_path

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "redis-server ontbreekt. Omkijken gebruikt het als wachtrij voor de achtergrondtaken. "
    "Installeer het met: sudo apt-get install redis-server "
    "(of zet OMKIJKEN_REDIS_URL op een Redis-server die al draait)."
)


def broker_url(config: Mapping[str, Any]) -> str:
    """``OMKIJKEN_REDIS_URL`` when set, else the embedded broker's socket."""
    return config.get("REDIS_URL") or f"redis+socket://{config['BROKER_SOCKET']}"


def celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    visibility = int(config.get("BROKER_VISIBILITY_TIMEOUT", 3600))
    return {
        "broker_url": broker_url(config),
        "broker_transport_options": {
            "visibility_timeout": visibility,
            # Look for tasks of killed workers a few times per visibility timeout, not once in
            # kombu's default ten sweeps of 10 s.
            "unacked_restore_interval": max(1, min(60, visibility // 4)),
            "unacked_restore_throttle": 1,
        },
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


def make_sender(config: Mapping[str, Any]) -> Celery:
    """A Celery app that only publishes tasks by name; the web never imports the workers.

    One try to reach the broker, not kombu's retries for broker_connection_timeout: while it is
    down (Redis restarting, or the embedded broker's socket not there) every commit would wait for
    nothing. The outbox row waits for the relay instead."""
    sender = Celery("omkijken-sender", set_as_current=False)
    settings = celery_settings(config)
    settings["broker_transport_options"] = {**settings["broker_transport_options"], "max_retries": 0}
    sender.conf.update(settings)
    return sender


class BrokerMissing(RuntimeError):
    """The ``redis-server`` binary is not installed; the message says what to install."""


class BrokerBusy(RuntimeError):
    """Another broker answers on our socket already."""


class EmbeddedBroker:
    """``redis-server`` as a child process on a Unix socket in ``<instance>/broker``.

    No TCP port (``--port 0``), a socket only its owner may open, and an append-only file fsynced
    every second, so tasks that wait in the queue survive a restart of the broker (at most the last
    second is lost, and the outbox relay sends what a lost message left behind). No RDB snapshots.

    ``omkijken run`` supervises the process it gets from :meth:`spawn`; tests and the bench use
    :meth:`start` and :meth:`stop`.
    """

    def __init__(self, instance_path: Path | str, *, binary: str | None = None) -> None:
        self.folder = Path(instance_path).resolve() / "broker"
        self.socket = socket_path(instance_path)
        self.binary = binary or shutil.which("redis-server")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis+socket://{self.socket}"

    def command(self) -> list[str]:
        if not self.binary or not Path(self.binary).exists():
            raise BrokerMissing(INSTALL_HINT)
        return [
            self.binary,
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.folder),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", "",
            "--loglevel", "warning",
        ]

    def _client(self):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: redis-py's default tries three times with pauses, 4 s for a missing socket.
        return redis.Redis(unix_socket_path=str(self.socket), socket_timeout=2, socket_connect_timeout=1,
                           retry=Retry(NoBackoff(), 0))

    def answers(self) -> bool:
        """Whether a broker answers PING on the socket."""
        import redis

        try:
            with self._client() as client:
                return bool(client.ping())
        except (redis.RedisError, OSError):
            return False

    def prepare(self) -> list[str]:
        """The command to start, after making the folder. A broker that already answers on the socket
        belongs to another ``omkijken run`` of this instance folder (or to one that was killed
        without the chance to stop it): we do not take it over or stop it, we say so."""
        command = self.command()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.answers():
            raise BrokerBusy(
                f"Er draait al een broker op {self.socket}. Draait 'omkijken run' al voor deze map? "
                "Stop die eerst, of stop het oude redis-server-proces.")
        return command

    def spawn(self, **popen: Any) -> subprocess.Popen:
        """Start the server and return at once; see :meth:`wait_until_answering`."""
        return subprocess.Popen(self.prepare(), **popen)

    def wait_until_answering(self, process: subprocess.Popen, timeout: float = 30.0) -> None:
        """Until PING answers (loading a long append-only file takes a while); raises when the
        process stops or the time is up."""
        deadline = time.monotonic() + timeout
        while not self.answers():
            if process.poll() is not None:
                raise RuntimeError(f"redis-server stopte meteen (exitcode {process.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server antwoordt niet na {timeout:.0f} s op {self.socket}")
            time.sleep(0.05)

    def start(self, timeout: float = 30.0, **popen: Any) -> None:
        self.process = self.spawn(**popen)
        try:
            self.wait_until_answering(self.process, timeout)
        except RuntimeError:
            self.stop()
            raise

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM: Redis fsyncs the append-only file and removes its socket."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout)
