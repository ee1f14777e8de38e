"""``omkijken run``, ``worker`` and ``beat``: the site with its supervised worker, or each on its own."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import make_server

from omkijken.cli import main

CELERY_APP = "omkijken.workers.app:celery"


def _celery_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", CELERY_APP, *args]


def worker_command(concurrency: int | None = None) -> list[str]:
    """The embedded default runs one worker process with the solo pool. SQLite lets one writer in at
    a time, so a second pool process mostly waits for the lock: in the embedded burst test
    (tests/faults/test_embedded_burst.py, 2 cores) a prefork pool of two drained about 50 messages a
    second after the burst, solo about 45, for twice the memory. One process is also the one pid
    that ``omkijken run`` watches and restarts. The price: a long task (the nightly match_all)
    holds up the others, the heartbeat too, until it ends."""
    embedded = not current_app.config.get("REDIS_URL")
    args = ["worker", "--loglevel=INFO", "--without-mingle", "--without-gossip"]
    if embedded:
        args.append("--pool=solo")
    elif concurrency:
        args.append(f"--concurrency={concurrency}")
    return _celery_command(*args)


def beat_command() -> list[str]:
    schedule = Path(current_app.instance_path) / "celerybeat-schedule"
    return _celery_command("beat", "--loglevel=INFO", f"--schedule={schedule}")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("OMKIJKEN_INSTANCE_PATH", current_app.instance_path)
    return env


def _become(command: list[str]) -> None:
    """Replace this process by Celery, so signals from a supervisor reach it directly."""
    os.execve(command[0], command, _child_env())



@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def run_command(host: str, port: int) -> None:
    """Serve the site with a Celery worker and beat beside it, and without OMKIJKEN_REDIS_URL the
    embedded broker (redis-server on a socket in the instance folder); all three are restarted
    when they stop (system/supervisor.py)."""
    from omkijken.demo import logins_text
    from omkijken.platform.system.broker import BrokerBusy, BrokerMissing, EmbeddedBroker
    from omkijken.platform.system.supervisor import Child, Supervisor

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    children = []
    if not current_app.config.get("REDIS_URL"):
        broker = EmbeddedBroker(current_app.instance_path)
        try:
            command = broker.prepare()
        except (BrokerMissing, BrokerBusy) as error:
            raise click.ClickException(str(error)) from error
        children.append(Child("broker", command, ready=broker.wait_until_answering))
    children += [Child("worker", worker_command()), Child("beat", beat_command())]
    # Bound before the children start, so a port in use stops us before anything runs.
    server = make_server(host, port, current_app._get_current_object(), threaded=True)
    supervisor = Supervisor(children, env=_child_env())
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    web = threading.Thread(target=server.serve_forever, name="web", daemon=True)
    try:
        supervisor.start()
        web.start()
        click.echo(f"\nOmkijken draait op http://{host}:{port}\n")
        click.echo(logins_text())
        click.echo(f"\nE-mail gaat naar {current_app.config['MAIL_FOLDER']} (op /beheer/mail zonder de sleutels in de links).\n")
        while not stop.wait(0.5):
            supervisor.check(time.monotonic())
    finally:
        if web.is_alive():
            server.shutdown()  # waits for serve_forever, so only when it runs
        server.server_close()
        supervisor.stop()


@main.command("worker")
@click.option("--concurrency", type=int, default=None, help="Processes (only with Redis).")
@with_appcontext
def worker(concurrency: int | None) -> None:
    """Start a Celery worker."""
    _become(worker_command(concurrency))


@main.command("beat")
@with_appcontext
def beat() -> None:
    """Start Celery beat, which plans the periodic tasks."""
    _become(beat_command())
