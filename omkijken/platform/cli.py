"""The ``omkijken`` command: run the site, the workers, migrations, imports and demo data."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from werkzeug.serving import make_server
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from omkijken.platform import create_app

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


main = FlaskGroup(
    name="omkijken", create_app=create_app, add_default_commands=False, help=__doc__, set_debug_flag=False
)
main.add_command(shell_command)
main.add_command(routes_command)


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def run_command(host: str, port: int) -> None:
    """Serve the site with a Celery worker and beat beside it, and without OMKIJKEN_REDIS_URL the
    embedded broker (redis-server on a socket in the instance folder); all three are restarted
    when they stop (system/supervisor.py)."""
    from omkijken.platform.demo import logins_text
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
        click.echo(f"\nE-mail gaat naar {current_app.config['MAIL_FOLDER']} (te zien op /beheer/mail).\n")
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


@main.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or update the database schema (Alembic migrations)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database is bijgewerkt.")


@main.command("match")
@click.option("--all", "everything", is_flag=True, required=True,
              help="Alle open hulpvragen zonder voorstel opnieuw koppelen aan vrijwilligers.")
@with_appcontext
def match_command(everything: bool) -> None:
    """Zoek voorstellen voor alle open hulpvragen (wat de worker elke nacht doet)."""
    from omkijken.platform.koppelingen import pipeline
    from omkijken.platform.system.services import utcnow

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Voorstellen opslaan")
            bar.__enter__()
        bar.update(1)

    outcome = pipeline.match_all(now=utcnow(), progress=progress)
    if bar is not None:
        bar.__exit__(None, None, None)
    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    click.echo(f"{count(outcome.requests, 'hulpvraag', 'hulpvragen')} zonder voorstel, "
               f"{count(outcome.offers, 'vrijwilliger', 'vrijwilligers')}: "
               f"{count(outcome.proposed, 'nieuw voorstel', 'nieuwe voorstellen')}.")


def parse_moment(value: str) -> datetime:
    """``--now`` of the commands that move the clock; a moment without a zone is UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is geen datum en tijd. Schrijf bijvoorbeeld 2026-12-01T09:00.",
                                 param_hint="--now") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@main.command("follow-ups")
@click.option("--now", "moment", default=None,
              help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC), voor tests en demo's.")
@with_appcontext
def follow_ups(moment: str | None) -> None:
    """Verstuur de check-ins van de nazorg die klaarstaan, herinneringen, en geef stille koppelingen aan
    de coördinator (wat beat elk kwartier doet)."""
    from omkijken.platform.koppelingen import nazorg
    from omkijken.platform.system.services import utcnow

    result = nazorg.sweep(now=parse_moment(moment) if moment else utcnow())
    click.echo(f"Check-ins verstuurd: {result.sent}, herinneringen: {result.reminded}, "
               f"naar de coördinator: {result.escalated}.")


@main.command("subsidie-opvolging")
@click.option("--now", "moment", default=None,
              help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC), voor tests en demo's.")
@with_appcontext
def subsidie_opvolging(moment: str | None) -> None:
    """Herinner aan de verantwoording die te laat is, en vraag een jaar na de steun of het initiatief
    nog bestaat (wat beat elke dag om 9:00 doet)."""
    from omkijken.platform.subsidies import opvolging
    from omkijken.platform.system.services import utcnow

    result = opvolging.sweep(now=parse_moment(moment) if moment else utcnow())
    click.echo(f"Herinneringen verantwoording: {result.herinneringen}, "
               f"vragen 'bestaat het nog?': {result.bestaat_nog}.")


@main.command("hulpvragen-bewaren")
@click.option("--now", "moment", default=None,
              help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC), voor tests en demo's.")
@with_appcontext
def hulpvragen_bewaren(moment: str | None) -> None:
    """Haal tekst en precieze plek weg van hulpvragen die langer dan de bewaartermijn klaar zijn
    (wat beat elke nacht om 2:30 doet)."""
    from flask import current_app

    from omkijken.platform.accounts import retention
    from omkijken.platform.system.services import utcnow

    maanden = current_app.config["HULPVRAAG_BEWAAR_MAANDEN"]
    wiped = retention.wis_oude_hulpvragen(now=parse_moment(moment) if moment else utcnow(), maanden=maanden)
    click.echo(f"Hulpvragen geanonimiseerd: {wiped} (bewaartermijn {maanden} maanden).")


@main.command("wijk-digest")
@click.option("--now", "moment", default=None, help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC).")
@with_appcontext
def wijk_digest(moment: str | None) -> None:
    """Verstuur de wekelijkse mail aan wie een wijk volgt (wat beat elke maandag doet)."""
    from omkijken.platform.system.services import utcnow
    from omkijken.platform.wijkagenda import digest

    sent = digest.send_digests(now=parse_moment(moment) if moment else utcnow())
    click.echo(f"Wijkmails verstuurd: {sent}.")


@main.command("wachtlijst-rapport")
@click.option("--maand", default=None, help="De maand van het rapport, bijvoorbeeld 2026-03. Standaard: vorige maand.")
@click.option("--now", "moment", default=None, help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC).")
@with_appcontext
def wachtlijst_rapport(maand: str | None, moment: str | None) -> None:
    """Maak het wachtlijstrapport van een maand en bewaar het (wat beat op de eerste van de maand doet)."""
    from omkijken.platform.insights import wachtlijst
    from omkijken.platform.system.services import utcnow

    now = parse_moment(moment) if moment else utcnow()
    try:
        chosen = datetime.strptime(maand, "%Y-%m").date() if maand else wachtlijst.previous_months(now, 1)[0]
    except ValueError as error:
        raise click.BadParameter(f"{maand!r} is geen maand. Schrijf bijvoorbeeld 2026-03.",
                                 param_hint="--maand") from error
    try:
        rapport = wachtlijst.generate(chosen, now=now)
    except wachtlijst.WachtlijstError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Wachtlijstrapport {rapport.maand:%Y-%m}: {rapport.data['open']} open hulpvragen, "
               f"{rapport.data['tekort']} vrijwilligers te weinig.")


@main.command("import-areas")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_areas(files: tuple[Path, ...]) -> None:
    """Import CBS wijken and buurten from GeoJSON (default: the bundled Oss and Oosterhout files)."""
    from omkijken.platform.areas import services as areas

    features = [f for path in (files or areas.BUNDLED_FILES) for f in areas.load_geojson(path)]
    with click.progressbar(length=len(features), label="Gebieden importeren") as bar:

        def progress(items):
            for item in items:
                yield item
                bar.update(1)

        try:
            counts = areas.import_features(features, progress=progress)
        except areas.AreaImportError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"{counts['wijken']} wijken en {counts['buurten']} buurten geïmporteerd.")
    if counts["overgeslagen"]:
        click.echo(f"{counts['overgeslagen']} gebieden overgeslagen: zonder vlak in het bronbestand.")


@main.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo data (idempotent) and print the demo logins."""
    from omkijken.platform.demo import logins_text, seed
    from omkijken.platform.system.services import utcnow

    counts = seed(now=utcnow())
    click.echo(", ".join(f"{value} {key}" for key, value in counts.items()) + " toegevoegd.")
    click.echo(logins_text())


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--naam", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True, required=True, help="Repeat for more roles.")
@click.option("--wijk", "wijken", multiple=True, help="CBS wijkcode for the opbouwwerker, e.g. WK082806.")
@with_appcontext
def create_user(email: str, naam: str, password: str, roles: tuple[str, ...], wijken: tuple[str, ...]) -> None:
    """Create an account with roles, for example the first beheerder."""
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.areas import services as areas
    from omkijken.platform.system.services import utcnow

    wijk_ids = []
    for code in wijken:
        wijk = areas.wijk_by_code(code)
        if wijk is None:
            raise click.ClickException(f"onbekende wijk {code}")
        wijk_ids.append(wijk.id)
    try:
        user = accounts.create_user(
            email=email, naam=naam, password=password, roles=roles, wijk_ids=wijk_ids, now=utcnow()
        )
    except accounts.AccountError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Account {user.email} gemaakt met rollen: {', '.join(sorted(user.role_names))}.")


if __name__ == "__main__":
    main()
