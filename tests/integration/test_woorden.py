"""Words that were wrong or early (issue 22, item 9): a voorstel said "Sanne wil je helpen" before
Sanne answered; the resident chose from the volunteer's reasons to say no and read how long she
herself had waited as a reason; a category was pasted raw into "helpt met ..."; distances were
written "3.0 km" beside "2,4 km"; a weekly vraag's koppeling was "Eenmalig"; and "Kijk of de
postcode klopt" was said when the address service could not be reached."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
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
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL
from tests.support import DOMMELBERGEN, NEAR_RUWAARD, RUWAARD, commit, garden_voorstel, submit


def mail_to(address: str) -> str:
    bodies = [m.payload["body"] for m in db.session.scalars(
        select(OutboxMessage).filter_by(task=SEND_EMAIL).order_by(OutboxMessage.id)) if m.payload["to"] == address]
    assert bodies, f"geen mail aan {address}"
    return "\n".join(bodies)


def reasons_on_page(html: str) -> list[str]:
    found = re.search(r'<ul class="redenen">(.*?)</ul>', html, re.S)
    assert found, "no reasons on the page"
    return [re.sub(r"\s+", " ", r).strip() for r in re.findall(r"<li>(.*?)</li>", found[1], re.S)]


def log_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def nee_choices(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r'<label for="reden-[^"]+">(.*?)</label>', html, re.S)]


# ---- a: "wil je helpen" only when the volunteer said so ------------------------------------------

def test_the_resident_is_not_told_that_a_volunteer_wants_to_help_before_he_said_yes(
        standaard_diensten, make_user, client, login):
    voorstel = garden_voorstel(make_user)  # the engine proposed Sanne; Sanne has not answered
    assert voorstel.vrijwilliger_akkoord_at is None

    login("truus@example.nl")
    page = client.get("/voorstellen").get_data(as_text=True)
    assert "Sanne wil je helpen" not in page
    assert "Misschien kan Sanne je helpen. We vragen het ook aan Sanne." in page
    mail = mail_to("truus@example.nl")
    assert "wil je helpen" not in mail and "Misschien kan Sanne je helpen" in mail

    ja_url = re.search(r"(/voorstellen/antwoord/\S+)", mail.split("Ja, dat is goed:")[1]).group(1)
    log_out(client)
    link_page = client.get(ja_url).get_data(as_text=True)
    assert "Sanne wil je helpen" not in link_page and "Misschien kan Sanne je helpen" in link_page


def test_a_volunteer_who_offered_help_himself_does_want_to_help(standaard_diensten, make_user, client, login):
    make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Piet")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    vraag = posts.create(Hulpvraag(titel="Lamp ophangen", categorie="klussen"), auteur=truus, now=utcnow())
    login("piet@example.nl")
    submit(client, f"/prikbord/{vraag.id}/ik-help", {"tekst": ""}, page=f"/prikbord/{vraag.id}")
    log_out(client)

    login("truus@example.nl")
    page = client.get("/voorstellen").get_data(as_text=True)
    assert "Piet wil je helpen" in page and "Misschien" not in page
    assert "Piet wil je helpen." in mail_to("truus@example.nl")


# ---- b: each side reads what is meant for it ------------------------------------------------------

def test_the_resident_says_no_with_her_own_reasons_and_the_volunteer_with_his(
        standaard_diensten, make_user, client, login):
    voorstel = garden_voorstel(make_user)

    login("sanne@example.nl")
    assert "Ik heb nu geen tijd" in nee_choices(client.get("/voorstellen").get_data(as_text=True))
    log_out(client)

    login("truus@example.nl")
    choices = nee_choices(client.get("/voorstellen").get_data(as_text=True))
    assert choices == ["Ik wil liever iemand anders", "Het komt nu niet goed uit", "Iets anders"]
    submit(client, f"/voorstellen/{voorstel.id}/nee", {"reden": "iemand_anders"}, page="/voorstellen")
    db.session.refresh(voorstel)
    assert (voorstel.status, voorstel.afgewezen_door, voorstel.afwijs_reden) == (
        "afgewezen", "hulpvrager", "Ik wil liever iemand anders")


def test_how_long_the_vraag_waited_is_a_reason_for_the_volunteer_only(standaard_diensten, make_user, client, login):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    vraag = posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus,
                         now=utcnow() - timedelta(days=12))
    posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000),
                 auteur=sanne, now=utcnow() - timedelta(days=1))
    pipeline.match_post(vraag.id, now=utcnow())
    commit()
    assert any(r.get("code") == "wacht" for r in db.session.scalar(select(Voorstel)).redenen)

    login("sanne@example.nl")
    assert "wacht al 12 dagen" in reasons_on_page(client.get("/voorstellen").get_data(as_text=True))
    assert "wacht al 12 dagen" in mail_to("sanne@example.nl")
    log_out(client)
    login("truus@example.nl")
    assert not any("wacht" in r for r in reasons_on_page(client.get("/voorstellen").get_data(as_text=True)))
    assert "wacht al" not in mail_to("truus@example.nl")


# ---- d: what a volunteer does, as a sentence ------------------------------------------------------

def test_what_a_volunteer_helps_with_reads_as_dutch_and_as_english(standaard_diensten, make_user, client, login):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    posts.create(Aanbod(titel="Ik help met de computer", categorieen=["digitaal"], radius_m=3000),
                 auteur=sanne, now=utcnow() - timedelta(days=1))
    vraag = posts.create(Hulpvraag(titel="Hulp met mijn tablet", categorie="digitaal"), auteur=truus, now=utcnow())
    pipeline.match_post(vraag.id, now=utcnow())
    commit()

    login("truus@example.nl")
    dutch = reasons_on_page(client.get("/voorstellen").get_data(as_text=True))
    assert "helpt met de computer en de telefoon" in dutch
    assert not any("digitaal" in r or "digitale hulp" in r for r in dutch)
    # the mail words its reasons too, instead of printing what is stored
    mail = mail_to("truus@example.nl")
    assert "helpt met de computer en de telefoon" in mail and "'code'" not in mail

    truus.taal = "en"
    db.session.commit()
    english = reasons_on_page(client.get("/voorstellen").get_data(as_text=True))
    assert "helps with computers and phones" in english


# ---- e: distances the Dutch way, through the one km filter ---------------------------------------

def test_every_distance_is_written_in_the_readers_notation(standaard_diensten, make_user, client, login):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    aanbod = posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=2500),
                          auteur=sanne, now=utcnow())
    commit()
    login("sanne@example.nl")
    assert "binnen 2,5 km" in client.get("/voor-jou").get_data(as_text=True)
    assert "Tot 2,5 km van huis" in client.get(f"/prikbord/{aanbod.id}").get_data(as_text=True)

    sanne.taal = "en"
    db.session.commit()
    assert "within 2.5 km" in client.get("/voor-jou").get_data(as_text=True)
    assert "Up to 2.5 km from home" in client.get(f"/prikbord/{aanbod.id}").get_data(as_text=True)


def test_editing_an_aanbod_of_3_km_keeps_3_km(standaard_diensten, make_user, client, login):
    """3 km is what an aanbod gets by default, and what the demo's volunteers have: the form offered
    only 1, 2, 5 and 10 km, so the page selected none and saving made it 1 km."""
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    aanbod = posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000),
                          auteur=sanne, now=utcnow())
    commit()
    login("sanne@example.nl")
    form = client.get(f"/prikbord/{aanbod.id}/bewerken").get_data(as_text=True)
    assert re.search(r'<option selected value="3000">3 km</option>|<option value="3000" selected>3 km</option>', form)


# ---- g: an address service that cannot be reached is not a wrong postcode ------------------------

def _unreachable(url, params):
    raise ConnectionError("PDOK antwoordt niet")


@pytest.fixture
def pdok_down(app):
    """The suite's PDOK geocoder with a transport that cannot reach the service."""
    recorded = app.extensions["omkijken.geocoder"]
    app.extensions["omkijken.geocoder"] = PdokGeocoder("https://pdok.test/free", fetch=_unreachable)
    yield
    app.extensions["omkijken.geocoder"] = recorded


def test_when_the_address_service_is_down_the_resident_is_told_so_and_keeps_what_she_typed(
        pdok_down, make_user, client, login):
    make_user("sanne@example.nl", home=RUWAARD)
    login("sanne@example.nl")
    response = submit(client, "/profiel", {"naam": "Sanne", "postcode": "4907 XK", "huisnummer": "3", "taal": "nl"})
    page = html.unescape(response.get_data(as_text=True))
    assert "Kijk of de postcode klopt" not in page
    assert "We kunnen adressen nu niet opzoeken. Dat ligt niet aan jou. Wijs je huis aan op de kaart" in page
    assert 'value="4907 XK"' in page and 'value="3"' in page  # what she typed stays
    assert re.search(r"<details open>\s*<summary>Of wijs je huis aan op de kaart", page)  # the way on is open

    # with the point picked on the map she goes on, and what she typed is her address
    moved = submit(client, "/profiel", {"naam": "Sanne", "postcode": "4907 XK", "huisnummer": "3", "taal": "nl",
                                        "lat": str(DOMMELBERGEN[0]), "lon": str(DOMMELBERGEN[1])})
    assert moved.status_code == 302
    user = db.session.scalar(select(User))
    db.session.refresh(user)
    assert user.wijk.naam == "Dommelbergen" and user.adres == "4907XK 3"


def test_a_post_elsewhere_while_the_address_service_is_down(pdok_down, make_user, client, login):
    make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    login("truus@example.nl")
    response = submit(client, "/plaatsen/hulpvraag", {
        "titel": "Hulp bij boodschappen", "wil": "Zelf koken.", "kan_zelf": "Een lijstje maken.",
        "nodig": "Iemand die meegaat.", "categorie": "boodschappen", "waar": "anders",
        "postcode": "5345 AB", "huisnummer": "12"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Kijk of de postcode klopt" not in page
    assert "We kunnen adressen nu niet opzoeken. Dat ligt niet aan jou. Wijs de plek aan op de kaart" in page
    assert 'value="5345 AB"' in page


def test_an_address_that_does_not_exist_still_asks_to_check_the_postcode(make_user, client, login):
    make_user("sanne@example.nl", home=RUWAARD)
    login("sanne@example.nl")
    response = submit(client, "/profiel", {"naam": "Sanne", "postcode": "9999 ZZ", "huisnummer": "1", "taal": "nl"})
    page = html.unescape(response.get_data(as_text=True))
    assert "Kijk of de postcode klopt" in page and "niet opzoeken" not in page


# ---- c: the kind of koppeling follows the vraag ----------------------------------------------------

def _koppel(vraag, vrijwilliger):
    voorstel = koppelingen.offer_help(vraag, by=vrijwilliger, tekst="", now=utcnow())
    koppeling = koppelingen.accept(voorstel, by=vraag.auteur, now=utcnow())
    commit()
    return koppeling


def test_a_weekly_vraag_makes_a_series_not_a_one_off(standaard_diensten, make_user, client, login):
    """Boodschappen belong to Burenhulp, whose usual koppeling is one task. A vraag up to an end date
    is a series: "Een tijdje", asked about after two and six weeks and at its end."""
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    tot = (utcnow() + timedelta(days=90)).date()
    vraag = posts.create(Hulpvraag(titel="Wekelijkse boodschappen", categorie="boodschappen", periode_tot=tot,
                                   dagdelen=["di-ochtend"], nodig="Elke dinsdag samen naar de markt."),
                         auteur=truus, now=utcnow())
    koppeling = _koppel(vraag, sanne)

    assert koppeling.dienst.code == "burenhulp" and koppeling.soort == "periodiek"
    assert koppeling.eind_datum == tot
    assert sorted({c.dagen for c in koppeling.checkins}) == [14, 42, (tot - utcnow().date()).days]
    login("truus@example.nl")
    page = client.get(f"/koppelingen/{koppeling.id}").get_data(as_text=True)
    assert "Een tijdje" in page and "Eenmalig" not in page


def test_a_vraag_for_one_day_is_one_task_whatever_its_dienst_usually_does(standaard_diensten, make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    dag = (utcnow() + timedelta(days=5)).date()
    vraag = posts.create(Hulpvraag(titel="Brief van de belasting", categorie="administratie", datum=dag),
                         auteur=truus, now=utcnow())
    koppeling = _koppel(vraag, sanne)
    assert koppeling.dienst.code == "formulierenbrigade" and koppeling.soort == "eenmalig"

    # without a date or an end date the dienst's usual kind stays
    vraag = posts.create(Hulpvraag(titel="Formulier huurtoeslag", categorie="administratie"),
                         auteur=truus, now=utcnow())
    assert _koppel(vraag, sanne).soort == "periodiek"


def test_a_volunteer_who_chose_wijken_reads_his_wijken_not_a_distance(standaard_diensten, make_user, client, login):
    """The aanbod page says where: the chosen wijken, or a distance from home. "Voor jou" said
    "binnen 3 km" to a volunteer who chose wijken, a distance he never chose."""
    from omkijken.platform.areas import services as areas

    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000,
                        wijk_ids=[areas.wijk_by_code("WK082806").id]), auteur=sanne, now=utcnow())
    commit()
    login("sanne@example.nl")
    page = client.get("/voor-jou").get_data(as_text=True)
    assert "in Ruwaard" in page and "km" not in re.sub(r"<[^>]+>", "", page.split("<h1>")[1])
