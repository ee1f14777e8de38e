"""``omkijken db-upgrade``, ``import-areas``, ``relocate``, ``import-kerncijfers``, ``seed-demo``, ``create-user``
and ``match``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from omkijken.cli import main


@main.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or update the database schema (Alembic migrations)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database is bijgewerkt.")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@main.command("match")
@click.option("--all", "everything", is_flag=True, required=True,
              help="Alle open hulpvragen zonder voorstel opnieuw koppelen aan vrijwilligers.")
@with_appcontext
def match_command(everything: bool) -> None:
    """Zoek voorstellen voor alle open hulpvragen (wat de worker elke nacht doet)."""
    from omkijken.platform.clock import utcnow
    from omkijken.platform.koppelingen import pipeline

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
    click.echo(f"{_count(outcome.requests, 'hulpvraag', 'hulpvragen')} zonder voorstel, "
               f"{_count(outcome.offers, 'vrijwilliger', 'vrijwilligers')}: "
               f"{_count(outcome.proposed, 'nieuw voorstel', 'nieuwe voorstellen')}.")


@main.command("import-areas")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gemeenten", default="", metavar="GM0828,GM0826",
              help="Uit een GeoPackage van het CBS: alleen deze gemeenten (verplicht bij een .gpkg).")
@with_appcontext
def import_areas(files: tuple[Path, ...], gemeenten: str) -> None:
    """Import CBS wijken and buurten: the Wijk- en Buurtkaart (.gpkg) or GeoJSON (default: the
    bundled Oss and Oosterhout files). The files are the whole map of their gemeenten: a wijk or
    buurt whose code is gone is mapped to the new area it overlaps most. Stored posts and homes
    are placed again afterwards."""
    from omkijken.platform.areas import boundaries
    from omkijken.platform.areas import services as areas

    codes = tuple(code.strip().upper() for code in gemeenten.split(",") if code.strip())
    try:
        features = [f for path in (files or areas.BUNDLED_FILES) for f in boundaries.read(path, gemeenten=codes)]
    except areas.AreaImportError as error:
        raise click.ClickException(str(error)) from error
    with click.progressbar(length=len(features), label="Gebieden importeren") as bar:

        def progress(items):
            for item in items:
                yield item
                bar.update(1)

        try:
            counts = areas.import_features(features, complete=True, progress=progress)
        except areas.AreaImportError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"{counts['wijken']} wijken en {counts['buurten']} buurten geïmporteerd, "
               f"{counts['gewijzigd']} daarvan nieuw of veranderd.")
    if counts["overgeslagen"]:
        click.echo(f"{counts['overgeslagen']} gebieden overgeslagen: zonder vlak in het bronbestand.")
    for old, new in counts.get("hernoemd", {}).items():
        click.echo(f"{old} heet nu {new}: alles wat erbij hoorde, hoort bij {new}.")
    for code in counts.get("niet_gekoppeld", []):
        click.echo(f"{code} staat niet meer in de kaart en overlapt niets nieuws: hij blijft zoals hij was.")
    _echo_relocated(areas.relocate_all())


def _echo_relocated(changed: dict[str, int]) -> None:
    click.echo(f"{_count(changed.get('posts', 0), 'bericht', 'berichten')} en "
               f"{_count(changed.get('woonadressen', 0), 'woonadres', 'woonadressen')} naar een andere wijk of buurt "
               "verplaatst.")


@main.command("relocate")
@with_appcontext
def relocate() -> None:
    """Place every stored post and home again in the wijk whose polygon holds it."""
    from omkijken.platform.areas import services as areas

    _echo_relocated(areas.relocate_all())


@main.command("import-kerncijfers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--jaar", type=click.IntRange(1990, 2100), help="Het jaar van de cijfers, als het niet in het bestand "
              "of de bestandsnaam staat.")
@with_appcontext
def import_kerncijfers(file: Path, jaar: int | None) -> None:
    """Read the CBS "Kerncijfers wijken en buurten" CSV: residents, age groups, households and income."""
    from omkijken.platform.areas import kerncijfers

    try:
        found = kerncijfers.import_file(file, jaar=jaar)
    except kerncijfers.KerncijfersError as error:
        raise click.ClickException(f"{file.name}: {error}") from error
    click.echo(f"Kerncijfers {found.jaar}: {found.wijken} wijken en {found.buurten} buurten bewaard.")
    if found.onbekend:
        click.echo(f"{found.onbekend} wijken en buurten overgeslagen: die kennen we niet.")


@main.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo data (idempotent) and print the demo logins. Refused in production: the demo's
    beheerder has a password everyone can read in the README."""
    from flask import current_app

    from omkijken.demo import logins_text, seed
    from omkijken.platform.clock import utcnow

    if current_app.config["PRODUCTION"]:
        raise click.ClickException(
            "Geen demo op een echte site: de demo-accounts (ook een beheerder) hebben een wachtwoord dat iedereen "
            "kan lezen. Gebruik een test-omgeving zonder OMKIJKEN_ENV=production.")

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
    from omkijken.platform.clock import utcnow

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
