"""Placing a post of each kind through the web form, as a resident, volunteer, organisation or
coordinator would, and what others then see on its page."""

from __future__ import annotations

import html
import json
import re

from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Activiteit, Ontmoetingsplek, Post
from tests.support import DOMMELBERGEN, OSS_CENTRUM, RUWAARD, a_home_that_moves_on_both_axes, submit

HULPVRAAG = {
    "titel": "Hulp bij boodschappen",
    "wil": "Ik wil zelf blijven koken.",
    "kan_zelf": "Ik kan een lijstje maken.",
    "nodig": "Iemand die op dinsdag met mij naar de markt gaat.",
    "categorie": "boodschappen",
    "dagdelen": ["di-ochtend", "do-middag"],
    "waar": "thuis",
    "periode_tot": "2031-06-30",
    "voorkeur_taal": "tr",
    "voorkeur_geslacht": "vrouw",
}


def is_checked(page: str, name: str, value: str) -> bool:
    inputs = re.findall(r"<input[^>]*>", page)
    return any(f'name="{name}"' in i and f'value="{value}"' in i and re.search(r"\bchecked\b", i) for i in inputs)


def only_post() -> Post:
    posts = db.session.scalars(select(Post)).all()
    assert len(posts) == 1, posts
    return posts[0]


def test_anonymous_visitors_go_to_login_to_place_something(client):
    for url in ("/plaatsen", "/plaatsen/hulpvraag", "/mijn-berichten", "/gesprekken"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/inloggen"), url


def test_the_choice_page_offers_six_kinds(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    page = client.get("/plaatsen").get_data(as_text=True)

    assert "Wat wil je plaatsen?" in page
    for soort in ("hulpvraag", "aanbod", "vacature", "initiatief", "ontmoetingsplek", "activiteit"):
        assert f'href="/plaatsen/{soort}"' in page
    assert client.get("/plaatsen/iets-anders").status_code == 404


def test_a_hulpvraag_from_home_is_public_but_never_shows_the_home(client, make_user, login):
    home = a_home_that_moves_on_both_axes()
    make_user("truus@example.nl", home=home, naam="Truus")
    login("truus@example.nl")

    form = client.get("/plaatsen/hulpvraag").get_data(as_text=True)
    assert "Stap 1 van 4" in form and "Stap 4 van 4" in form
    assert is_checked(form, "waar", "thuis")  # "bij mij thuis" is the default

    response = submit(client, "/plaatsen/hulpvraag", HULPVRAAG)

    assert response.status_code == 302
    vraag = only_post()
    assert response.location == f"/prikbord/{vraag.id}"
    assert (vraag.soort, vraag.categorie, vraag.op_huisadres) == ("hulpvraag", "boodschappen", True)
    assert vraag.dagdelen == ["di-ochtend", "do-middag"] and vraag.voorkeur_taal == "tr"
    assert vraag.wijk.naam == "Ruwaard"
    assert "staat op het prikbord" in client.get(response.location).get_data(as_text=True)

    submit(client, "/uitloggen", {}, page="/")
    page = client.get(f"/prikbord/{vraag.id}").get_data(as_text=True)
    assert "Hulp bij boodschappen" in page and "Iemand die op dinsdag" in page
    assert "dinsdagochtend" in page and "donderdagmiddag" in page
    assert "Ruwaard" in page and "Boodschappen" in page
    assert "De plek is verschoven, zodat niemand ziet waar iemand woont" in page
    assert "Log in om te reageren" in page
    assert "truus@example.nl" not in page
    for exact in (f"{home[0]:.4f}", f"{home[1]:.4f}"):
        assert exact not in page
    drawn = re.search(r"L\.circle\(\s*\[([-\d.]+),\s*([-\d.]+)\]", page)
    assert drawn, "geen kaart met een cirkel"
    shown = services.public_point(vraag)  # the map is there, at the blurred point
    assert abs(float(drawn.group(1)) - shown[0]) < 1e-6 and abs(float(drawn.group(2)) - shown[1]) < 1e-6


def test_a_hulpvraag_elsewhere_uses_the_postcode_and_is_still_blurred(client, make_user, login):
    make_user("truus@example.nl", naam="Truus")  # no home known
    login("truus@example.nl")

    without_home = submit(client, "/plaatsen/hulpvraag", HULPVRAAG)
    assert without_home.status_code == 422
    assert "We weten je adres nog niet" in without_home.get_data(as_text=True)

    response = submit(client, "/plaatsen/hulpvraag",
                      {**HULPVRAAG, "waar": "anders", "postcode": "5345 AB", "huisnummer": "12"})

    assert response.status_code == 302
    vraag = only_post()
    assert vraag.wijk.naam == "Ruwaard" and vraag.op_huisadres
    assert services.public_point(vraag) != services.exact_point(vraag)


def test_bad_input_gets_a_message_by_the_field_and_keeps_everything_else(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    response = submit(client, "/plaatsen/hulpvraag", {**HULPVRAAG, "titel": "", "datum": "2031-07-01"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef je bericht een korte titel." in page
    assert "Deze datum ligt voor de dag van de hulp" in page
    assert "Ik kan een lijstje maken." in page and "Iemand die op dinsdag met mij naar de markt gaat." in page
    assert is_checked(page, "categorie", "boodschappen")
    assert is_checked(page, "dagdelen", "di-ochtend") and is_checked(page, "dagdelen", "do-middag")
    assert not is_checked(page, "dagdelen", "ma-ochtend")
    assert 'value="2031-06-30"' in page
    assert db.session.scalar(select(Post)) is None


def test_an_aanbod_needs_the_volunteer_role(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=DOMMELBERGEN, naam="Sanne")
    login("truus@example.nl")

    refused = client.get("/plaatsen/aanbod")
    assert refused.status_code == 403
    assert "vrijwilliger" in refused.get_data(as_text=True)
    submit(client, "/uitloggen", {}, page="/")

    login("sanne@example.nl")
    response = submit(client, "/plaatsen/aanbod", {
        "beschrijving": "Ik help graag in de tuin.\nOok met snoeien.",
        "categorieen": ["tuinonderhoud", "klussen"],
        "dagdelen": ["za-ochtend"],
        "gebied": "afstand",
        "radius_m": "5000",
        "talen": ["nl", "en"],
        "capaciteit": "2",
        "heeft_vog": "y",
    })

    assert response.status_code == 302, response.get_data(as_text=True)
    aanbod = only_post()
    assert aanbod.titel == "Ik help graag in de tuin."
    assert (aanbod.categorieen, aanbod.radius_m, aanbod.capaciteit, aanbod.heeft_vog) == (
        ["tuinonderhoud", "klussen"], 5000, 2, True)
    assert aanbod.op_huisadres and aanbod.wijk.naam == "Dommelbergen"
    page = client.get(f"/prikbord/{aanbod.id}").get_data(as_text=True)
    assert "Tuinonderhoud" in page and "zaterdagochtend" in page and "5 km" in page


def test_an_aanbod_in_chosen_wijken(client, make_user, login):
    from omkijken.platform.areas.services import all_wijken

    make_user("sanne@example.nl", roles=("vrijwilliger",), home=RUWAARD)
    login("sanne@example.nl")
    wijk = all_wijken()[0]

    no_wijk = submit(client, "/plaatsen/aanbod", {"beschrijving": "Ik fiets graag.", "categorieen": ["vervoer"],
                                                   "gebied": "wijken", "radius_m": "2000", "capaciteit": "1"})
    assert no_wijk.status_code == 422 and "Kies minstens één wijk." in no_wijk.get_data(as_text=True)

    response = submit(client, "/plaatsen/aanbod", {"beschrijving": "Ik fiets graag.", "categorieen": ["vervoer"],
                                                    "gebied": "wijken", "wijk_ids": [str(wijk.id)],
                                                    "radius_m": "2000", "capaciteit": "1"})
    assert response.status_code == 302
    assert only_post().wijk_ids == [wijk.id]


def test_a_vacature_is_for_organisations_and_shows_its_exact_place(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    make_user("club@example.nl", roles=("organisatie",), naam="Buurtbus Oss")
    login("truus@example.nl")
    assert client.get("/plaatsen/vacature").status_code == 403
    submit(client, "/uitloggen", {}, page="/")

    login("club@example.nl")
    no_place = submit(client, "/plaatsen/vacature", {"titel": "Chauffeur", "categorie": "vervoer"})
    assert no_place.status_code == 422
    page = no_place.get_data(as_text=True)
    assert "wijs de plek aan op de kaart" in page and 'value="Chauffeur"' in page

    response = submit(client, "/plaatsen/vacature", {
        "titel": "Chauffeur buurtbus", "beschrijving": "Rijden op de buurtbus.", "categorie": "vervoer",
        "uren": "4 uur per week", "plaats": "Centrum Oss",
        "lat": str(OSS_CENTRUM[0]), "lon": str(OSS_CENTRUM[1]),
    })

    assert response.status_code == 302
    vacature = only_post()
    assert not vacature.op_huisadres
    assert services.public_point(vacature) == services.exact_point(vacature)
    page = client.get(f"/prikbord/{vacature.id}").get_data(as_text=True)
    assert "4 uur per week" in page and "Centrum Oss" in page
    assert "De plek is verschoven" not in page


def test_an_initiatief_at_home_is_blurred_and_at_a_public_place_is_not(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    thuis = submit(client, "/plaatsen/initiatief", {"titel": "Moestuin", "beschrijving": "Samen groente kweken.",
                                                     "categorie": "ontmoeting", "vraagt": ["mensen", "geld"],
                                                     "waar": "thuis"})
    plein = submit(client, "/plaatsen/initiatief", {"titel": "Buurtbankje", "categorie": "ontmoeting",
                                                     "waar": "plek", "postcode": "5341 CD", "huisnummer": "1"})

    assert thuis.status_code == 302 and plein.status_code == 302
    moestuin, bankje = db.session.scalars(select(Post).order_by(Post.id)).all()
    assert moestuin.op_huisadres and moestuin.vraagt == ["mensen", "geld"]
    assert not bankje.op_huisadres and services.public_point(bankje) == services.exact_point(bankje)
    page = client.get(f"/prikbord/{moestuin.id}").get_data(as_text=True)
    assert "Mensen die meedoen" in page and "Geld" in page and "Idee" in page


def test_an_ontmoetingsplek_with_opening_hours(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    data = {"titel": "Koffiecorner bibliotheek", "beschrijving": "Koffie en de krant.", "plek_soort": "publiek",
            "adres": "Raadhuislaan 10, Oss", "open_ma": "9:00-17:00", "open_za": "10:00-12:00",
            "lat": str(OSS_CENTRUM[0]), "lon": str(OSS_CENTRUM[1])}

    bad = submit(client, "/plaatsen/ontmoetingsplek", {**data, "open_di": "de hele dag"})
    assert bad.status_code == 422
    assert "Schrijf de tijden zoals 9:00-17:00" in bad.get_data(as_text=True)
    assert 'value="Raadhuislaan 10, Oss"' in bad.get_data(as_text=True)

    response = submit(client, "/plaatsen/ontmoetingsplek", data)

    assert response.status_code == 302
    plek = only_post()
    assert plek.openingstijden == {"ma": "9:00-17:00", "za": "10:00-12:00"} and not plek.op_huisadres
    page = client.get(f"/prikbord/{plek.id}").get_data(as_text=True)
    assert "9:00-17:00" in page and "dicht" in page and "Raadhuislaan 10, Oss" in page


def test_a_coordinator_places_a_hulpvraag_for_a_resident(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("co@example.nl", roles=("coordinator",), naam="Coby")
    login("co@example.nl")

    form = client.get("/plaatsen/hulpvraag").get_data(as_text=True)
    assert "Plaatsen voor (e-mailadres van de inwoner)" in form
    unknown = submit(client, "/plaatsen/hulpvraag", {**HULPVRAAG, "namens_email": "niemand@example.nl"})
    assert unknown.status_code == 422
    assert "We kennen geen account met dit e-mailadres" in unknown.get_data(as_text=True)

    response = submit(client, "/plaatsen/hulpvraag", {**HULPVRAAG, "namens_email": "Truus@example.nl"})

    assert response.status_code == 302
    vraag = only_post()
    assert (vraag.auteur.naam, vraag.namens.naam) == ("Truus", "Coby")
    assert vraag.wijk.naam == "Ruwaard"  # at Truus's home, not the coordinator's
    page = client.get(f"/prikbord/{vraag.id}").get_data(as_text=True)
    assert "Geplaatst door Coby voor Truus" in page
    assert "Bericht veranderen" in page  # the coordinator may still edit what they placed


def test_only_a_coordinator_can_place_for_someone_else(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("piet@example.nl", home=DOMMELBERGEN, naam="Piet")
    login("piet@example.nl")

    assert "Plaatsen voor" not in client.get("/plaatsen/hulpvraag").get_data(as_text=True)
    response = submit(client, "/plaatsen/hulpvraag", {**HULPVRAAG, "namens_email": "truus@example.nl"})

    assert response.status_code == 302
    vraag = only_post()
    assert vraag.auteur.naam == "Piet" and vraag.namens is None
    assert "Geplaatst door Piet" in client.get(response.location).get_data(as_text=True)


def test_a_title_with_html_is_shown_as_text(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    evil = "<script>alert(1)</script>"

    response = submit(client, "/plaatsen/hulpvraag", {**HULPVRAAG, "titel": evil, "nodig": f"<b>{evil}</b>"})

    assert response.status_code == 302
    for url in (response.location, "/mijn-berichten"):
        page = client.get(url).get_data(as_text=True)
        assert evil not in page, url
        assert html.escape(evil, quote=False) in page or "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_mijn_berichten_lists_own_posts_with_status(client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD)
    piet = make_user("piet@example.nl", home=RUWAARD)
    from omkijken.platform.posts.models import Hulpvraag

    eigen = services.create(Hulpvraag(titel="Mijn vraag", categorie="vervoer"), auteur=truus, now=utcnow())
    services.set_status(eigen, by=truus, status="gepauzeerd", now=utcnow())
    services.create(Hulpvraag(titel="Vraag van Piet", categorie="vervoer"), auteur=piet, now=utcnow())
    login("truus@example.nl")

    page = client.get("/mijn-berichten").get_data(as_text=True)

    assert "Mijn vraag" in page and "Gepauzeerd" in page and f"/prikbord/{eigen.id}/bewerken" in page
    assert "Vraag van Piet" not in page


# --- activiteiten -------------------------------------------------------------------------------


def activiteit_data(**changes) -> dict:
    data = {
        "titel": "Wandelgroep",
        "beschrijving": "Samen een uur wandelen.",
        "categorie": "ontmoeting",
        "datum": "2031-05-06",
        "begintijd": "14:00",
        "eindtijd": "15:30",
        "herhaling": "FREQ=WEEKLY",
        "herhaling_tot": "2031-09-30",
        "plek_id": "0",
        "initiatief_id": "0",
        "prijs": "1,50",
        "regels_gelezen": "y",
        "lat": str(OSS_CENTRUM[0]),
        "lon": str(OSS_CENTRUM[1]),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_activiteit_shows_the_rules_and_needs_the_checkbox(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    form = client.get("/plaatsen/activiteit").get_data(as_text=True)
    assert "Geen activiteiten over geloof of politiek." in form and "Geen feesten." in form
    assert "hooguit 5,00 euro" in form

    response = submit(client, "/plaatsen/activiteit", activiteit_data(regels_gelezen=None))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Zet een vinkje als je activiteit binnen de regels past." in page
    assert 'value="Wandelgroep"' in page and 'value="1,50"' in page
    assert db.session.scalar(select(Post)) is None


def test_an_activiteit_that_costs_too_much_is_refused(app, client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    response = submit(client, "/plaatsen/activiteit", activiteit_data(prijs="12,50"))

    assert response.status_code == 422
    assert "Deze prijs is te hoog. Een activiteit kost hooguit 5,00 euro." in response.get_data(as_text=True)
    app.config["ACTIVITEIT_MAX_PRIJS"] = 15
    assert submit(client, "/plaatsen/activiteit", activiteit_data(prijs="12,50")).status_code == 302


def test_an_activiteit_at_a_plek_uses_its_public_point_and_has_json_ld(client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus de Vries")
    plek = services.create(Ontmoetingsplek(titel="Buurthuis De Ruwaard", adres="Ruwaardstraat 1"), auteur=truus,
                           now=utcnow(), where=OSS_CENTRUM, op_huisadres=False)
    login("truus@example.nl")
    assert "Buurthuis De Ruwaard" in client.get("/plaatsen/activiteit").get_data(as_text=True)

    response = submit(client, "/plaatsen/activiteit",
                      activiteit_data(titel="Kaartclub </script><b>", plek_id=str(plek.id), lat="", lon=""))

    assert response.status_code == 302, response.get_data(as_text=True)
    activiteit = db.session.scalar(select(Activiteit))
    assert activiteit.plek_id == plek.id and not activiteit.op_huisadres
    assert services.public_point(activiteit) == services.public_point(plek)

    submit(client, "/uitloggen", {}, page="/")
    page = client.get(f"/prikbord/{activiteit.id}").get_data(as_text=True)
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    event = json.loads(scripts[0])
    assert event["@type"] == "Event" and event["name"] == "Kaartclub </script><b>"
    assert event["startDate"] == "2031-05-06T14:00:00+02:00"
    assert event["endDate"] == "2031-05-06T15:30:00+02:00"
    assert event["location"]["name"] == "Buurthuis De Ruwaard"
    lat, lon = services.public_point(plek)
    assert event["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": round(lat, 5),
                                        "longitude": round(lon, 5)}
    assert event["organizer"]["name"] == "Truus"
    assert event["offers"] == {"@type": "Offer", "price": "1.50", "priceCurrency": "EUR"}
    assert event["isAccessibleForFree"] is False
    assert event["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")
    assert "Elke week" in page and "14:00" in page and "15:30" in page and "€ 1,50" in page


def test_an_activiteit_without_a_plek_names_its_wijk_in_the_json_ld(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    assert submit(client, "/plaatsen/activiteit", activiteit_data()).status_code == 302
    activiteit = db.session.scalar(select(Activiteit))

    page = client.get(f"/prikbord/{activiteit.id}").get_data(as_text=True)
    (script,) = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert json.loads(script)["location"]["name"] == "Centrum"
