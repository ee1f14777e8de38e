"""The periodic jobs by hand, with ``--now`` to move the clock (tests and demo's)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from omkijken.cli import main
from omkijken.platform.clock import as_utc


def parse_moment(value: str) -> datetime:
    """``--now`` of the commands that move the clock; a moment without a zone is UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is geen datum en tijd. Schrijf bijvoorbeeld 2026-12-01T09:00.",
                                 param_hint="--now") from error
    return as_utc(moment)


@main.command("follow-ups")
@click.option("--now", "moment", default=None,
              help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC), voor tests en demo's.")
@with_appcontext
def follow_ups(moment: str | None) -> None:
    """Verstuur de check-ins van de nazorg die klaarstaan, herinneringen, en geef stille koppelingen aan
    de coördinator (wat beat elk kwartier doet)."""
    from omkijken.platform.clock import utcnow
    from omkijken.platform.koppelingen import nazorg

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
    from omkijken.platform.clock import utcnow
    from omkijken.platform.subsidies import opvolging

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
    from omkijken.platform.clock import utcnow

    maanden = current_app.config["HULPVRAAG_BEWAAR_MAANDEN"]
    wiped = retention.wis_oude_hulpvragen(now=parse_moment(moment) if moment else utcnow(), maanden=maanden)
    click.echo(f"Hulpvragen geanonimiseerd: {wiped} (bewaartermijn {maanden} maanden).")


@main.command("wijk-digest")
@click.option("--now", "moment", default=None, help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC).")
@with_appcontext
def wijk_digest(moment: str | None) -> None:
    """Verstuur de wekelijkse mail aan wie een wijk volgt (wat beat elke maandag doet)."""
    from omkijken.platform.clock import utcnow
    from omkijken.platform.wijkagenda import digest

    sent = digest.send_digests(now=parse_moment(moment) if moment else utcnow())
    click.echo(f"Wijkmails verstuurd: {sent}.")


@main.command("wachtlijst-rapport")
@click.option("--maand", default=None, help="De maand van het rapport, bijvoorbeeld 2026-03. Standaard: vorige maand.")
@click.option("--now", "moment", default=None, help="Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC).")
@with_appcontext
def wachtlijst_rapport(maand: str | None, moment: str | None) -> None:
    """Maak het wachtlijstrapport van een maand en bewaar het (wat beat op de eerste van de maand doet)."""
    from omkijken.platform.clock import utcnow
    from omkijken.platform.insights import wachtlijst

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
