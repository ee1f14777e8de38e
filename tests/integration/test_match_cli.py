"""``omkijken match --all``: what the nightly run does, by hand, for vragen that are still waiting."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery import Celery
from sqlalchemy import select

from omkijken.cli import main
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import NEAR_RUWAARD, RUWAARD


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args))


@contextmanager
def broker_down(app):
    """Posts placed while the broker is unreachable: their match messages wait in the outbox, as
    after an outage, so no worker of this test run matches them before the command does."""
    good = app.extensions["omkijken.sender"]
    dead = Celery("dead-broker", set_as_current=False)
    dead.conf.update(broker_url="redis://127.0.0.1:1/0", broker_connection_timeout=0.5,
                     broker_transport_options={"max_retries": 0})  # fail at once, not after retries
    app.extensions["omkijken.sender"] = dead
    try:
        yield
    finally:
        app.extensions["omkijken.sender"] = good


@pytest.fixture
def waiting(app, standaard_diensten, make_user):
    sanne = make_user("sanne.cli@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    piet = make_user("piet.cli@example.nl", roles=("inwoner", "vrijwilliger"), home=(RUWAARD[0], RUWAARD[1] + 0.01),
                     naam="Piet")
    truus = make_user("truus.cli@example.nl", home=NEAR_RUWAARD, naam="Truus")
    gerrit = make_user("gerrit.cli@example.nl", home=NEAR_RUWAARD, naam="Gerrit")
    earlier = utcnow() - timedelta(days=3)
    with broker_down(app):
        for helper in (sanne, piet):
            posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000),
                         auteur=helper, now=earlier)
        vragen = [
            posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=earlier),
            posts.create(Hulpvraag(titel="Gras maaien", categorie="tuinonderhoud"), auteur=gerrit, now=earlier),
            # Nobody does administratie: this vraag keeps waiting.
            posts.create(Hulpvraag(titel="Brief van de belasting", categorie="administratie"), auteur=truus,
                         now=earlier),
        ]
    undispatched = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.MATCH_POST)).all()
    assert len(undispatched) == 5 and all(m.dispatched_at is None for m in undispatched)
    return sanne, piet, vragen


def test_match_all_proposes_for_every_waiting_vraag_and_says_so_in_dutch(app, waiting):
    sanne, piet, (heg, gras, brief) = waiting

    result = run(app, "match", "--all")

    assert result.exit_code == 0, result.output
    assert "3 hulpvragen zonder voorstel, 2 vrijwilligers: 2 nieuwe voorstellen." in result.output
    db.session.expire_all()
    rows = db.session.scalars(select(Voorstel).order_by(Voorstel.hulpvraag_id)).all()
    assert {v.hulpvraag_id for v in rows} == {heg.id, gras.id}
    assert {v.vrijwilliger_id for v in rows} == {sanne.id, piet.id}
    assert all((v.status, v.bron) == ("open", "match") for v in rows)

    again = run(app, "match", "--all")

    assert again.exit_code == 0, again.output
    assert "0 nieuwe voorstellen." in again.output
    assert len(db.session.scalars(select(Voorstel)).all()) == 2


def test_match_without_all_explains_itself(app):
    result = run(app, "match")

    assert result.exit_code != 0
    assert "--all" in result.output
