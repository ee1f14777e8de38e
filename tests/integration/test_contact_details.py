"""A message with a phone number or e-mail address is not sent at once: the writer is asked first,
as the chat already advises ("Deel je adres of telefoonnummer pas als je de ander vertrouwt").
Issue 19, finding 10 (a product decision: warn, do not forbid)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.formfields import has_contact_details
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Bericht, Hulpvraag
from omkijken.platform.wijkagenda.models import Reactie
from tests.support import NEAR_RUWAARD, RUWAARD, submit

WARNING = "Je bericht heeft een telefoonnummer of e-mailadres."
CONFIRM = "Ja, verstuur het toch"


@pytest.mark.parametrize("text", ["Bel me op 06-12345678", "mijn nummer: 0612345678", "+31 6 1234 5678",
                                  "0031 (0)13 123 4567", "013 - 123 45 67", "Mail naar truus.de.vries@example.nl",
                                  "truus@ziggo.nl graag"])
def test_phone_numbers_and_addresses_are_recognised(text):
    assert has_contact_details(text)


@pytest.mark.parametrize("text", ["Ik kan dinsdag om 10:30", "Op 12-03-2025 of 13-03-2025", "Postcode 5341 AB",
                                  "Het kost € 1.250,50", "Huisnummer 12a, 2e verdieping", "Wij zijn met 20 mensen",
                                  "@Truus: goed plan!", ""])
def test_ordinary_text_is_not(text):
    assert not has_contact_details(text)


@pytest.fixture
def vraag(make_user):
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=NEAR_RUWAARD, naam="Piet")
    return posts.create(Hulpvraag(titel="Lamp ophangen", categorie="klussen"), auteur=truus, now=utcnow())


def test_reageer_asks_before_it_sends_a_phone_number_and_keeps_the_text(client, login, vraag):
    login("piet@example.nl")
    url = f"/prikbord/{vraag.id}"
    response = submit(client, f"{url}/reageer", {"tekst": "Bel me: 06-12345678"}, page=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert WARNING in html and CONFIRM in html and "Bel me: 06-12345678" in html
    assert db.session.scalar(select(Bericht)) is None

    response = submit(client, f"{url}/reageer", {"tekst": "Bel me: 06-12345678", "toch_versturen": "y"}, page=url)
    assert response.status_code == 302
    assert db.session.scalar(select(Bericht.tekst)) == "Bel me: 06-12345678"


def test_an_answer_in_a_conversation_asks_too_and_plain_text_goes_at_once(client, login, vraag):
    login("piet@example.nl")
    url = f"/prikbord/{vraag.id}"
    gesprek = submit(client, f"{url}/reageer", {"tekst": "Ik kan zaterdag."}, page=url).location
    response = submit(client, gesprek, {"tekst": "Mail me: piet@example.nl"})
    assert response.status_code == 422 and WARNING in response.get_data(as_text=True)
    assert submit(client, gesprek, {"tekst": "Mail me: piet@example.nl", "toch_versturen": "y"}).status_code == 302
    assert [b.tekst for b in db.session.scalars(select(Bericht).order_by(Bericht.id))] == [
        "Ik kan zaterdag.", "Mail me: piet@example.nl"]


def test_ik_help_with_a_phone_number_asks_on_a_page_of_its_own(client, login, vraag, standaard_diensten):
    from omkijken.platform.koppelingen.models import Voorstel

    login("piet@example.nl")
    url = f"/prikbord/{vraag.id}"
    response = submit(client, f"{url}/ik-help", {"tekst": "Bel 0612345678"}, page=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert WARNING in html and CONFIRM in html and "Bel 0612345678" in html
    assert db.session.scalar(select(Voorstel)) is None

    response = submit(client, f"{url}/ik-help", {"tekst": "Bel 0612345678", "toch_versturen": "y"}, page=url)
    assert response.status_code == 302 and db.session.scalar(select(Voorstel)) is not None


def test_vraag_om_hulp_asks_too(client, login, make_user, standaard_diensten):
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=NEAR_RUWAARD, naam="Piet")
    aanbod = posts.create(Aanbod(titel="Ik rijd je", categorieen=["vervoer"], radius_m=3000), auteur=piet,
                          now=utcnow())
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    eigen = posts.create(Hulpvraag(titel="Naar de huisarts", categorie="vervoer"), auteur=truus, now=utcnow())
    login("truus@example.nl")
    url = f"/prikbord/{aanbod.id}/vraag-hulp"
    response = submit(client, url, {"hulpvraag": eigen.id, "tekst": "Mijn nummer is 013-1234567"})
    assert response.status_code == 422 and WARNING in response.get_data(as_text=True)
    response = submit(client, url, {"hulpvraag": eigen.id, "tekst": "Mijn nummer is 013-1234567",
                                    "toch_versturen": "y"})
    assert response.status_code == 302


def test_a_public_reactie_on_the_wijkagenda_asks_too(client, login, make_user):
    from tests.integration.test_wijkagenda import new_punt

    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    punt = new_punt(truus)
    punt.moderatie = "goedgekeurd"  # reactions are for punten on the agenda
    db.session.commit()
    login("truus@example.nl")
    url = f"/wijkagenda/punt/{punt.id}"
    response = submit(client, f"{url}/reactie", {"tekst": "Bel me, 06 1234 5678"}, page=url)
    assert response.status_code == 422 and WARNING in response.get_data(as_text=True)
    assert db.session.scalar(select(Reactie)) is None
    response = submit(client, f"{url}/reactie", {"tekst": "Bel me, 06 1234 5678", "toch_versturen": "y"}, page=url)
    assert response.status_code == 302 and db.session.scalar(select(Reactie.tekst)) == "Bel me, 06 1234 5678"
