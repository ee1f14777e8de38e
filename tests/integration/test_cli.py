"""The omkijken command: demo data, accounts and area import."""

from __future__ import annotations

from sqlalchemy import func, select

from omkijken.cli import main
from omkijken.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_PLEKKEN
from omkijken.demo import history as demo_history
from omkijken.demo.neighbourhood import VOORNAMEN
from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.posts import volgen
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag, Initiatief, Ontmoetingsplek, Post
from omkijken.platform.posts.vocabulary import CATEGORIEEN


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args))


def test_seed_demo_is_refused_in_production(app):
    app.config["PRODUCTION"] = True
    result = run(app, "seed-demo")

    assert result.exit_code != 0 and "Geen demo op een echte site" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_seed_demo_loads_every_role_and_the_named_places_once(app):
    first = run(app, "seed-demo")
    second = run(app, "seed-demo")

    assert first.exit_code == 0, first.output
    assert "beheerder@demo.omkijken.nl" in first.output and DEMO_PASSWORD in first.output
    assert "0 accounts, 0 plekken" in second.output
    assert "0 hulpvragen, 0 aanbod, 0 initiatieven, 0 activiteiten" in second.output
    users = db.session.scalars(select(User)).all()
    assert len(users) == len(DEMO_ACCOUNTS) + len(VOORNAMEN) and all(u.is_demo for u in users)
    assert all(u.wijk is not None for u in users)
    count = lambda model: db.session.scalar(select(func.count(model.id)))  # noqa: E731
    assert (count(Ontmoetingsplek), count(Hulpvraag), count(Aanbod), count(Initiatief), count(Activiteit)) == (
        22, 200 + demo_history.VRAGEN, 81, 25, 40
    )
    assert db.session.scalar(select(func.count(Post.id)).where(Post.is_demo.is_(False), Post.wijk_id.is_(None))) == 0
    assert db.session.scalar(select(func.count(Hulpvraag.id)).where(Hulpvraag.op_huisadres.is_(False))) == 0
    tuin_vragen = db.session.scalar(select(func.count(Hulpvraag.id)).where(Hulpvraag.categorie == "tuinonderhoud"))
    tuin_aanbod = sum("tuinonderhoud" in a.categorieen for a in db.session.scalars(select(Aanbod)))
    assert tuin_vragen >= 5 * tuin_aanbod > 0
    roles = set().union(*(u.role_names for u in users))
    assert roles == {"inwoner", "vrijwilliger", "organisatie", "coordinator", "opbouwwerker", "gemeente", "beheerder"}
    plekken = {p.titel: p for p in db.session.scalars(select(Ontmoetingsplek))}
    assert plekken["Activiteitencentrum Dommelbergen"].wijk.naam == "Dommelbergen"
    assert plekken["Dorpshuis de Klip"].wijk.naam == "Dorst"
    assert plekken["Wijkhuis de Ruwaard"].wijk.naam == "Ruwaard"
    assert accounts.authenticate("inwoner@demo.omkijken.nl", DEMO_PASSWORD).wijk.naam == "Ruwaard"
    sanne = accounts.find_by_email("vrijwilliger@demo.omkijken.nl")
    assert volgen.vragen_voor(volgen.aanbod_van(sanne)[0]), "de demo-vrijwilliger ziet geen vragen voor zich"


def test_the_demo_neighbourhood_is_short_of_garden_volunteers_and_the_same_every_time(app):
    from omkijken.demo.neighbourhood import _Wijken, plan_neighbourhood
    from omkijken.platform.clock import utcnow

    now = utcnow()
    bewoners, plans = plan_neighbourhood(_Wijken(), now=now, named_places=DEMO_PLEKKEN)
    again = plan_neighbourhood(_Wijken(), now=now, named_places=DEMO_PLEKKEN)

    assert (bewoners, plans) == again
    vragen = [p for p in plans if p.soort == "hulpvraag" and p.values["categorie"] == "tuinonderhoud"]
    aanbod = [p for p in plans if p.soort == "aanbod" and "tuinonderhoud" in p.values["categorieen"]]
    assert len(vragen) >= 5 * len(aanbod) and aanbod
    assert {p.values["categorie"] for p in plans if p.soort == "hulpvraag"} == set(CATEGORIEEN)


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
    from omkijken.platform.areas import services as areas

    result = run(app, "import-areas", *map(str, areas.MAP_2014))  # the tests' own map: it commits

    assert result.exit_code == 0, result.output
    assert "36 wijken en 133 buurten geïmporteerd, 0 daarvan nieuw of veranderd." in result.output
    assert "11 gebieden overgeslagen" in result.output
