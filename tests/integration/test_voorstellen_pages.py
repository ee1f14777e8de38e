"""What the two people of a voorstel see and do: the list, yes and no, the link from the email,
"ik help" on a vraag, "vraag om hulp" on an aanbod, and the koppeling with both addresses."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import links
from omkijken.platform.koppelingen.models import Koppeling, Voorstel
from omkijken.platform.links import SALTS
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL
from tests.support import NEAR_RUWAARD, RUWAARD, garden_voorstel, submit


@pytest.fixture
def voorstel(standaard_diensten, make_user):
    return garden_voorstel(make_user)


def mail_to(address: str) -> str:
    """Every mail body to ``address`` in the outbox, newest last."""
    bodies = [m.payload["body"] for m in db.session.scalars(
        select(OutboxMessage).filter_by(task=SEND_EMAIL).order_by(OutboxMessage.id)) if m.payload["to"] == address]
    assert bodies, f"geen mail aan {address}"
    return "\n".join(bodies)


def log_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def test_both_say_yes_in_the_app_and_see_each_others_address(voorstel, client, login, make_user):
    login("sanne@example.nl")
    page = client.get("/voorstellen").get_data(as_text=True)
    assert "Heg knippen" in page and "Truus zoekt hulp" in page and "Waarom dit past" in page
    response = submit(client, f"/voorstellen/{voorstel.id}/ja", {}, page="/voorstellen", follow_redirects=True)
    assert "We wachten nu op het antwoord van de ander" in response.get_data(as_text=True)

    log_out(client)
    login("truus@example.nl")
    response = submit(client, f"/voorstellen/{voorstel.id}/ja", {}, page="/voorstellen", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Jullie zijn gekoppeld" in page
    koppeling = db.session.scalar(select(Koppeling))
    # her exact home, which only the two of them see: on a map, as no address was found for it (made as
    # the CLI does, without the address service), never as coordinates
    assert "Kaart met het huis van Truus" in page and "Adres niet bekend" in page
    assert f"{NEAR_RUWAARD[0]:.5f}, {NEAR_RUWAARD[1]:.5f}" not in page

    log_out(client)
    make_user("kees@example.nl", home=NEAR_RUWAARD)
    login("kees@example.nl")
    assert client.get(f"/koppelingen/{koppeling.id}").status_code == 404


def test_the_link_in_the_email_opens_one_button_and_needs_no_login(voorstel, client):
    body = mail_to("sanne@example.nl")
    ja_url = re.search(r"(/voorstellen/antwoord/\S+)", body.split("Ja, dat is goed:")[1]).group(1)

    page = client.get(ja_url)
    assert page.status_code == 200 and "Ja, dat is goed" in page.get_data(as_text=True)
    db.session.refresh(voorstel)
    assert voorstel.vrijwilliger_akkoord_at is None  # opening the link answers nothing

    response = submit(client, ja_url, {})
    assert "We wachten nu op het antwoord van de ander" in response.get_data(as_text=True)
    db.session.refresh(voorstel)
    assert voorstel.vrijwilliger_akkoord_at is not None


def test_no_by_link_frees_the_vraag_for_the_next_volunteer(voorstel, client):
    nee_url = links.url(voorstel.id, voorstel.vrijwilliger_id, "nee").split("127.0.0.1:5000")[-1]
    response = submit(client, nee_url, {})
    assert "We zoeken iemand anders" in response.get_data(as_text=True)
    db.session.refresh(voorstel)
    assert voorstel.status == "afgewezen"
    assert db.session.scalar(select(OutboxMessage).filter_by(task="omkijken.match_post")
                             .order_by(OutboxMessage.id.desc())).payload == {"post_id": voorstel.hulpvraag_id}
    assert "kan helaas niet helpen" in mail_to("truus@example.nl")


def test_an_expired_or_forged_link_says_so_in_plain_dutch(voorstel, client, app):
    old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALTS["voorstel"])
    token = old.dumps([voorstel.id, voorstel.vrijwilliger_id, "ja"])
    app.config["VOORSTEL_LINK_DAGEN"] = -1
    response = client.get(f"/voorstellen/antwoord/{token}")
    assert response.status_code == 410 and "Deze link is verlopen" in response.get_data(as_text=True)
    app.config["VOORSTEL_LINK_DAGEN"] = 14

    response = client.get(f"/voorstellen/antwoord/{token[:-3]}xyz")
    assert response.status_code == 410 and "Deze link werkt niet" in response.get_data(as_text=True)


def test_a_volunteer_offers_help_on_a_vraag_and_the_resident_answers(standaard_diensten, client, login, make_user):
    make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Piet")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    vraag = posts.create(Hulpvraag(titel="Lamp ophangen", categorie="klussen"), auteur=truus, now=utcnow())

    login("piet@example.nl")
    response = submit(client, f"/prikbord/{vraag.id}/ik-help", {"tekst": "Ik kan zaterdag."},
                      page=f"/prikbord/{vraag.id}", follow_redirects=True)
    assert "Truus krijgt je aanbod" in response.get_data(as_text=True)

    voorstel = db.session.scalar(select(Voorstel))
    assert voorstel.bron == "vrijwilliger" and voorstel.vrijwilliger_akkoord_at is not None
    assert "Lamp ophangen" in mail_to("truus@example.nl")
    assert "Ik kan zaterdag." in client.get(f"/voorstellen/{voorstel.id}/gesprek",
                                            follow_redirects=True).get_data(as_text=True)


def test_a_resident_asks_a_volunteer_and_must_choose_an_own_vraag(standaard_diensten, client, login, make_user):
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Piet")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    aanbod = posts.create(Aanbod(titel="Ik rijd je", categorieen=["vervoer"], radius_m=3000), auteur=piet,
                          now=utcnow())
    vraag = posts.create(Hulpvraag(titel="Naar de huisarts", categorie="vervoer"), auteur=truus, now=utcnow())

    login("truus@example.nl")
    url = f"/prikbord/{aanbod.id}/vraag-hulp"
    response = submit(client, url, {"tekst": "Dinsdag om 10 uur?"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies een van je hulpvragen." in page and "Dinsdag om 10 uur?" in page

    response = submit(client, url, {"hulpvraag": vraag.id, "tekst": "Dinsdag om 10 uur?"}, follow_redirects=True)
    assert "Piet krijgt je vraag" in response.get_data(as_text=True)
    voorstel = db.session.scalar(select(Voorstel))  # hers, or the worker's for the same pair: one row
    assert voorstel.vrijwilliger_id == piet.id and voorstel.vraag_akkoord_at is not None
    assert voorstel.vrijwilliger_akkoord_at is None
