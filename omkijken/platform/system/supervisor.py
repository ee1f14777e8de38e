"""Keeps the child processes of ``omkijken run`` alive: the embedded broker, the Celery worker and beat.

A child that exits is started again after 1 s, then 2 s, 4 s ... up to 60 s when it keeps dying;
once a child has run for a minute, its next exit counts as the first again. Every exit and every
restart is logged with its exit code, so the run log tells what happened. On Ctrl-C or SIGTERM
the children stop in reverse order: beat, then the worker (it finishes its task, which needs the
broker), then the broker (which writes its append-only file).

Why not supervisord or honcho: supervisord is a daemon with a configuration file of its own, one
more thing to install and explain for a command that must just work on a fresh machine; honcho
(foreman) starts processes but stops them all when one exits instead of restarting it. What we
need is a loop of some forty lines, and its decisions are kept pure (:class:`RestartPolicy`, with
``now`` passed in) so they are tested without processes.

The children get a process group of their own, so a Ctrl-C in the terminal reaches only
``omkijken run``, which then stops them in order; on Linux they also get SIGTERM when it dies
without that chance (SIGKILL), so no worker or broker is left behind.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Life:
    """What the supervisor knows of one child: when it started, how often it failed in a row,
    and when to start it again (None while it runs)."""

    started_at: float
    failures: int = 0
    restart_at: float | None = None


@dataclass(frozen=True)
class RestartPolicy:
    first: float = 1.0
    cap: float = 60.0
    # A child that ran this long was healthy: its exit starts the backoff from the beginning.
    healthy_after: float = 60.0

    def delay(self, failures: int) -> float:
        """The pause before restart number ``failures`` of a series (1, 2, 3 ...)."""
        return min(self.cap, self.first * 2 ** max(0, failures - 1))

    def exited(self, life: Life, now: float) -> Life:
        """The child exited at ``now``: count the failure and plan the restart."""
        failures = 1 if now - life.started_at >= self.healthy_after else life.failures + 1
        return replace(life, failures=failures, restart_at=now + self.delay(failures))

    @staticmethod
    def due(life: Life, now: float) -> bool:
        return life.restart_at is not None and now >= life.restart_at

    @staticmethod
    def started(life: Life, now: float) -> Life:
        return replace(life, started_at=now, restart_at=None)


def describe_exit(returncode: int) -> str:
    """``exitcode 1``, or ``exitcode -9 (SIGKILL)`` for a child killed by a signal."""
    if returncode < 0:
        try:
            return f"exitcode {returncode} ({signal.Signals(-returncode).name})"
        except ValueError:
            pass
    return f"exitcode {returncode}"


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the thread that started it (the main thread of
    ``omkijken run``) dies. Only a system call, safe between fork and exec."""
    _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


@dataclass
class Child:
    name: str
    command: Sequence[str]
    # Called after each start; ``omkijken run`` waits for the broker's answer before the worker.
    ready: Callable[[subprocess.Popen], None] | None = None
    process: subprocess.Popen | None = None
    life: Life = field(default_factory=lambda: Life(started_at=0.0))


class Supervisor:
    """Starts its children in order, restarts those that exit, and stops them in reverse order.

    ``clock`` is ``time.monotonic`` by default; :meth:`check` takes ``now`` like the policy does.
    """

    def __init__(self, children: Sequence[Child], *, env: dict[str, str] | None = None,
                 policy: RestartPolicy = RestartPolicy(), stop_timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.children = list(children)
        self.env = env
        self.policy = policy
        self.stop_timeout = stop_timeout
        self.clock = clock
        self.stopping = False

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(
            list(child.command), env=self.env, process_group=0,
            preexec_fn=_die_with_parent if _PRCTL is not None else None)
        child.life = self.policy.started(child.life, self.clock())
        if child.ready is not None:
            child.ready(child.process)

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)
            log.info("%s gestart (pid %d)", child.name, child.process.pid)

    def check(self, now: float) -> None:
        """Note children that exited and start those whose pause is over."""
        if self.stopping:
            return
        for child in self.children:
            if child.life.restart_at is None and child.process is not None and child.process.poll() is not None:
                child.life = self.policy.exited(child.life, now)
                log.warning("%s stopte onverwacht (%s) na %.0f s; herstart over %.0f s",
                            child.name, describe_exit(child.process.returncode), now - child.life.started_at,
                            child.life.restart_at - now)
            elif self.policy.due(child.life, now):
                try:
                    self._spawn(child)
                except Exception:
                    log.exception("%s herstarten lukte niet", child.name)
                    if child.process is not None and child.process.poll() is None:
                        child.process.kill()  # started but never ready: not a second copy later
                        child.process.wait()
                    child.life = self.policy.exited(child.life, self.clock())
                    continue
                log.warning("%s herstart (pid %d, poging %d op rij)", child.name, child.process.pid,
                            child.life.failures)

    def pid(self, name: str) -> int | None:
        child = next(c for c in self.children if c.name == name)
        return child.process.pid if child.process and child.process.poll() is None else None

    def stop(self) -> None:
        """Stop every child, the last started first; a child that does not stop in time is killed."""
        self.stopping = True
        for child in reversed(self.children):
            process = child.process
            if process is None or process.poll() is not None:
                continue
            log.info("%s stoppen (pid %d)", child.name, process.pid)
            process.terminate()
            try:
                process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                log.warning("%s stopte niet binnen %.0f s: afgebroken", child.name, self.stop_timeout)
                process.kill()
                process.wait()
            log.info("%s gestopt (%s)", child.name, describe_exit(process.returncode))
