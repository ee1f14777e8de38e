"""The koppeling page shows where to go as a street address with a small map, not as coordinates
(issue 22, item 2). The address is found once, when the home is picked on the map, from the PDOK
answers in tests/fixtures/pdok; the tests never reach the internet."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.areas.geocoding import PdokGeocoder
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import pipeline
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from tests.support import NEAR_RUWAARD, RUWAARD, commit, recorded_pdok, submit

PASSWORD = "wachtwoord-123"


def register_on_the_map(client, email: str, naam: str, home: tuple[float, float], **typed: str) -> User:
    form = {"naam": naam, "email": email, "password": PASSWORD, "consent": "y",
            "lat": f"{home[0]:.6f}", "lon": f"{home[1]:.6f}", **typed}
    assert submit(client, "/registreren", form).status_code == 302
    return db.session.scalar(select(User).filter_by(email=email))


def koppeling_with(truus: User, make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=NEAR_RUWAARD, naam="Sanne")
    posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000),
                 auteur=sanne, now=utcnow() - timedelta(days=2))
    vraag = posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())
    pipeline.match_post(vraag.id, now=utcnow())
    voorstel = db.session.scalar(select(Voorstel))
    koppelingen.accept(voorstel, by=sanne, now=utcnow())
    koppeling = koppelingen.accept(voorstel, by=truus, now=utcnow())
    commit()
    return koppeling


def test_a_home_picked_on_the_map_shows_as_a_street_with_a_map(standaard_diensten, client, login, make_user):
    truus = register_on_the_map(client, "truus@example.nl", "Truus", RUWAARD)
    koppeling = koppeling_with(truus, make_user)

    login("sanne@example.nl")
    page = client.get(f"/koppelingen/{koppeling.id}").get_data(as_text=True)

    assert "Witte Hoefstraat 12, 5345AB Oss" in page  # found once, when she picked her home
    assert f"{RUWAARD[0]:.5f}, {RUWAARD[1]:.5f}" not in page
    assert 'aria-label="Kaart met het huis van Truus"' in page and "leaflet" in page  # a small map of the spot

    # Only the two of them (and the coordinator of its dienst) see it, as before.
    with client.session_transaction() as session:
        session.clear()
    make_user("kees@example.nl", home=NEAR_RUWAARD)
    login("kees@example.nl")
    assert client.get(f"/koppelingen/{koppeling.id}").status_code == 404
    post_page = client.get(f"/prikbord/{koppeling.hulpvraag.id}")
    assert post_page.status_code == 200 and "Witte Hoefstraat" not in post_page.get_data(as_text=True)


def test_what_the_person_typed_comes_before_the_lookup(standaard_diensten, client, login, make_user):
    truus = register_on_the_map(client, "truus@example.nl", "Truus", RUWAARD, postcode="5341 cd", huisnummer="1")
    koppeling = koppeling_with(truus, make_user)

    login("sanne@example.nl")
    page = client.get(f"/koppelingen/{koppeling.id}").get_data(as_text=True)

    assert "Kruisstraat 1, 5341CD Oss" in page
    assert "Witte Hoefstraat" not in page


def test_without_the_address_service_the_page_says_so_in_dutch(standaard_diensten, app, client, login, make_user):
    def offline(url, params):
        raise ConnectionError("geen internet")

    app.extensions["omkijken.geocoder"] = PdokGeocoder("https://pdok.test/free", fetch=offline)
    truus = register_on_the_map(client, "truus@example.nl", "Truus", RUWAARD)
    app.extensions["omkijken.geocoder"] = PdokGeocoder("https://pdok.test/free", fetch=recorded_pdok)
    koppeling = koppeling_with(truus, make_user)

    login("sanne@example.nl")
    page = client.get(f"/koppelingen/{koppeling.id}").get_data(as_text=True)

    assert "Adres niet bekend. Kijk op de kaart waar het is." in page
    assert f"{RUWAARD[0]:.5f}, {RUWAARD[1]:.5f}" not in page
    assert "Witte Hoefstraat" not in page  # stored when picked, not looked up on every page view
    assert 'aria-label="Kaart met het huis van Truus"' in page
