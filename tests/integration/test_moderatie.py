"""Reported posts reach the opbouwwerker of their wijk, and only them."""

from __future__ import annotations

from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.system.services import utcnow
from tests.support import DOMMELBERGEN, RUWAARD, submit


def reported_post(make_user, home=RUWAARD):
    truus = make_user("truus@example.nl", home=home)
    post = services.create(Hulpvraag(titel="Koop mijn spullen", categorie="klussen"), auteur=truus, now=utcnow())
    for name in "abc":
        services.report(post, by=make_user(f"{name}@example.nl"), reden="Dit is reclame", now=utcnow())
    return post


def test_the_opbouwwerker_of_the_wijk_sees_and_decides(client, make_user, login):
    post = reported_post(make_user)
    make_user("karim@example.nl", roles=("opbouwwerker",), wijken=("WK082806",))
    login("karim@example.nl")

    page = client.get("/moderatie").get_data(as_text=True)
    assert "Koop mijn spullen" in page and "Dit is reclame" in page and "nu verborgen" in page

    submit(client, f"/moderatie/melding/{post.id}", {"besluit": "terugzetten"}, page="/moderatie")
    db.session.refresh(post)
    assert not post.verborgen
    assert "Koop mijn spullen" not in client.get("/moderatie").get_data(as_text=True)


def test_an_opbouwwerker_of_another_wijk_cannot(client, make_user, login):
    post = reported_post(make_user)
    make_user("els@example.nl", roles=("opbouwwerker",), wijken=("WK082606",))
    login("els@example.nl")

    assert "Koop mijn spullen" not in client.get("/moderatie").get_data(as_text=True)
    response = submit(client, f"/moderatie/melding/{post.id}", {"besluit": "terugzetten"}, page="/moderatie")
    assert response.status_code == 403
    db.session.refresh(post)
    assert post.verborgen


def test_residents_have_no_moderation_queue(client, make_user, login):
    make_user("ahmed@example.nl", home=DOMMELBERGEN)
    login("ahmed@example.nl")

    assert client.get("/moderatie").status_code == 403
