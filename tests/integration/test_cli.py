"""The omkijken command: demo data, accounts and area import."""

from __future__ import annotations

from sqlalchemy import func, select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.posts.models import Ontmoetingsplek
from omkijken.platform.cli import main
from omkijken.platform.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from omkijken.platform.extensions import db


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args))


def test_seed_demo_loads_every_role_and_the_named_places_once(app):
    first = run(app, "seed-demo")
    second = run(app, "seed-demo")

    assert first.exit_code == 0, first.output
    assert "beheerder@demo.omkijken.nl" in first.output and DEMO_PASSWORD in first.output
    assert "0 accounts, 0 plekken" in second.output
    users = db.session.scalars(select(User)).all()
    assert len(users) == len(DEMO_ACCOUNTS) and all(u.is_demo for u in users)
    roles = set().union(*(u.role_names for u in users))
    assert roles == {"inwoner", "vrijwilliger", "organisatie", "coordinator", "opbouwwerker", "gemeente", "beheerder"}
    plekken = {p.titel: p for p in db.session.scalars(select(Ontmoetingsplek))}
    assert plekken["Activiteitencentrum Dommelbergen"].wijk.naam == "Dommelbergen"
    assert plekken["Dorpshuis de Klip"].wijk.naam == "Dorst"
    assert plekken["Wijkhuis de Ruwaard"].wijk.naam == "Ruwaard"
    assert accounts.authenticate("inwoner@demo.omkijken.nl", DEMO_PASSWORD).wijk.naam == "Ruwaard"


def test_create_user_with_a_scoped_role(app):
    result = run(
        app, "create-user", "--email", "els@example.nl", "--naam", "Els", "--password", "geheim-genoeg",
        "--role", "opbouwwerker", "--wijk", "WK082606",
    )

    assert result.exit_code == 0, result.output
    els = accounts.find_by_email("els@example.nl")
    assert [(g.role, g.wijk.naam) for g in els.roles] == [("opbouwwerker", "Dommelbergen")]


def test_create_user_refuses_an_unknown_role_or_wijk(app):
    bad_role = run(app, "create-user", "--email", "x@example.nl", "--naam", "X", "--password", "p", "--role", "koning")
    bad_wijk = run(
        app, "create-user", "--email", "x@example.nl", "--naam", "X", "--password", "p",
        "--role", "opbouwwerker", "--wijk", "WK999999",
    )

    assert bad_role.exit_code != 0 and "onbekende rol" in bad_role.output
    assert bad_wijk.exit_code != 0 and "onbekende wijk" in bad_wijk.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_import_areas_reports_what_it_did(app):
    result = run(app, "import-areas")

    assert result.exit_code == 0, result.output
    assert "36 wijken en 133 buurten" in result.output
    assert "11 gebieden overgeslagen" in result.output
