"""The beheerder's dienst pages: the list, changing a dienst and who coordinates it, a new dienst.

Used as a beheerder with a browser would: load the page, fill in the form, tap the button."""

from __future__ import annotations

import re
from html import unescape

import pytest

from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten
from omkijken.platform.koppelingen.models import Dienst
from omkijken.platform.posts.models import Hulpvraag
from tests.support import submit

LIST = "/beheer/diensten"
NEW = "/beheer/diensten/nieuw"


@pytest.fixture
def people(standaard_diensten, make_user):
    """Bea the beheerder; Coby coordinates Maatjes only; Kees is a coordinator without a dienst."""
    bea = make_user("bea@example.nl", roles=("beheerder",), naam="Bea")
    coby = make_user("coby@example.nl", roles=("coordinator",), naam="Coby")
    kees = make_user("kees@example.nl", roles=("coordinator",), naam="Kees")
    standaard_diensten["maatjes"].coordinatoren.append(coby)
    db.session.commit()
    return bea, coby, kees


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return text(response)


def form_of(dienst: Dienst, **changes) -> dict:
    """The edit form as the page fills it in, with ``changes`` made by the beheerder."""
    data = {
        "naam": dienst.naam,
        "beschrijving": dienst.beschrijving,
        "soort_koppeling": dienst.soort_koppeling,
        "categorieen": list(dienst.categorieen),
        "coordinatoren": [str(user.id) for user in dienst.coordinatoren],
        "duurzaam_doel": diensten.target_text(dienst.duurzaam_doel),
        "horizon_periodiek": str(dienst.horizon_periodiek),
        "horizon_maatje": str(dienst.horizon_maatje),
    }
    if dienst.bemiddeld:
        data["bemiddeld"] = "y"
    if dienst.vog_nodig:
        data["vog_nodig"] = "y"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def checked(html: str, name: str, value: str) -> bool:
    """Whether the checkbox or radio ``name`` = ``value`` is ticked on the page."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    raise AssertionError(f"geen {name}={value} op de pagina")


# --- the list -------------------------------------------------------------------------------------


def test_a_beheerder_sees_every_dienst_with_what_it_does_and_its_coordinators(people, standaard_diensten, client, login):
    login("bea@example.nl")

    html = page(client, LIST)

    for naam in ("Burenhulp", "Formulierenbrigade", "Maatjes", "Blink", "Even vrij (mantelzorg)"):
        assert naam in html
    assert "Coby" in html  # coordinator of Maatjes
    assert "Maatje: ongeveer een jaar samen optrekken" in html
    assert "Ja, bij elk voorstel" in html  # Blink is mediated
    assert "Tuinonderhoud" in html and "Administratie en formulieren" in html
    assert f'href="/beheer/diensten/{standaard_diensten["blink"].id}"' in html
    assert f'href="{NEW}"' in html and "Nieuwe dienst" in html


def test_the_users_page_links_to_the_diensten(people, client, login):
    login("bea@example.nl")

    html = page(client, "/beheer/gebruikers")

    assert f'href="{LIST}"' in html and "Diensten beheren" in html


# --- changing a dienst ----------------------------------------------------------------------------


def test_a_beheerder_gives_blink_a_coordinator_and_stops_the_mediation(people, standaard_diensten, client, login):
    bea, coby, kees = people
    blink = standaard_diensten["blink"]
    url = f"/beheer/diensten/{blink.id}"
    assert not diensten.coordinates(coby, blink.id)  # Coby only coordinates Maatjes
    login("bea@example.nl")

    html = page(client, url)
    assert 'value="Blink"' in html
    assert checked(html, "bemiddeld", "y")
    assert "Een coördinator bekijkt elk voorstel voordat de twee het zien." in html
    assert "Coby" in html and "Kees" in html  # the coordinators to choose from
    assert "Bea" not in html.split("<form", 1)[1]  # a beheerder is not a coordinator

    response = submit(client, url, form_of(blink, coordinatoren=[str(coby.id)], bemiddeld=None))

    assert response.status_code == 302 and response.headers["Location"].endswith(LIST)
    listing = text(client.get(LIST))
    assert "De dienst Blink is bewaard." in listing
    db.session.expire_all()
    assert diensten.coordinates(coby, blink.id)
    assert db.session.get(Dienst, blink.id).bemiddeld is False
    html = page(client, url)
    assert not checked(html, "bemiddeld", "y")
    assert checked(html, "coordinatoren", str(coby.id))

    submit(client, url, form_of(db.session.get(Dienst, blink.id), bemiddeld="y"))

    db.session.expire_all()
    assert db.session.get(Dienst, blink.id).bemiddeld is True


def test_a_category_can_move_from_one_dienst_to_another(people, standaard_diensten, client, login):
    burenhulp, maatjes = standaard_diensten["burenhulp"], standaard_diensten["maatjes"]
    login("bea@example.nl")
    zonder_vervoer = [c for c in burenhulp.categorieen if c != "vervoer"]

    first = submit(client, f"/beheer/diensten/{burenhulp.id}", form_of(burenhulp, categorieen=zonder_vervoer))
    second = submit(client, f"/beheer/diensten/{maatjes.id}",
                    form_of(maatjes, categorieen=[*maatjes.categorieen, "vervoer"]))

    assert first.status_code == second.status_code == 302
    db.session.expire_all()
    assert diensten.dienst_for(Hulpvraag(titel="Rit naar het ziekenhuis", categorie="vervoer")).code == "maatjes"


def test_a_category_of_another_dienst_is_refused_and_what_was_typed_stays(people, standaard_diensten, client, login):
    maatjes = standaard_diensten["maatjes"]
    url = f"/beheer/diensten/{maatjes.id}"
    login("bea@example.nl")

    response = submit(client, url, form_of(maatjes, naam="Maatjes Oss", categorieen=["maatje", "vervoer"]))

    assert response.status_code == 422
    html = text(response)
    assert "Het onderwerp Vervoer hoort al bij de dienst Burenhulp." in html
    assert 'value="Maatjes Oss"' in html
    assert checked(html, "categorieen", "vervoer")
    db.session.expire_all()
    assert db.session.get(Dienst, maatjes.id).naam == "Maatjes"
    assert "vervoer" not in db.session.get(Dienst, maatjes.id).categorieen


def test_only_coordinators_can_coordinate_a_dienst(people, standaard_diensten, make_user, client, login):
    truus = make_user("truus@example.nl", naam="Truus")
    blink = standaard_diensten["blink"]
    login("bea@example.nl")

    response = submit(client, f"/beheer/diensten/{blink.id}", form_of(blink, coordinatoren=[str(truus.id)]))

    assert response.status_code == 422
    assert "Kies alleen mensen die de rol coördinator hebben." in text(response)
    db.session.expire_all()
    assert db.session.get(Dienst, blink.id).coordinatoren == []


def test_a_dienst_needs_a_name(people, standaard_diensten, client, login):
    blink = standaard_diensten["blink"]
    login("bea@example.nl")

    response = submit(client, f"/beheer/diensten/{blink.id}", form_of(blink, naam="   "))

    assert response.status_code == 422
    assert "Vul een naam in." in text(response)


def test_a_beheerder_sets_the_target_and_the_horizons_of_a_dienst(people, standaard_diensten, client, login):
    """Issue 23: only Blink starts with a target (85%); every dienst judges a series after 91 days and a
    maatje after 182, unless the beheerder chooses otherwise."""
    blink, maatjes = standaard_diensten["blink"], standaard_diensten["maatjes"]
    assert (blink.duurzaam_doel, maatjes.duurzaam_doel) == (0.85, None)
    login("bea@example.nl")
    html = page(client, f"/beheer/diensten/{blink.id}")
    assert 'name="duurzaam_doel"' in html and 'value="85"' in html
    assert 'value="91"' in html and 'value="182"' in html
    assert re.search(r'<input[^>]*name="duurzaam_doel"[^>]*value=""', page(client, f"/beheer/diensten/{maatjes.id}"))

    response = submit(client, f"/beheer/diensten/{blink.id}",
                      form_of(blink, duurzaam_doel="80%", horizon_maatje="365", horizon_periodiek=""))
    assert response.status_code == 302
    db.session.expire_all()
    blink = db.session.get(Dienst, blink.id)
    assert (blink.duurzaam_doel, blink.horizon_maatje, blink.horizon_periodiek) == (0.8, 365, 91)

    submit(client, f"/beheer/diensten/{blink.id}", form_of(blink, duurzaam_doel=""))
    db.session.expire_all()
    assert db.session.get(Dienst, blink.id).duurzaam_doel is None


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("duurzaam_doel", "tachtig", "Schrijf het doel als een heel getal van 1 tot en met 100, bijvoorbeeld 85."),
    ("duurzaam_doel", "120", "Schrijf het doel als een heel getal van 1 tot en met 100, bijvoorbeeld 85."),
    ("horizon_maatje", "5", "Schrijf een heel aantal dagen van 14 tot en met 730. Bijvoorbeeld: 182."),
    ("horizon_periodiek", "kwartaal", "Schrijf een heel aantal dagen van 14 tot en met 730. Bijvoorbeeld: 91."),
])
def test_a_wrong_target_or_horizon_says_so_and_keeps_what_was_typed(people, standaard_diensten, client, login,
                                                                      field, typed, message):
    blink = standaard_diensten["blink"]
    login("bea@example.nl")
    response = submit(client, f"/beheer/diensten/{blink.id}", form_of(blink, **{field: typed}))

    assert response.status_code == 422
    html = text(response)
    assert message in html and f'value="{typed}"' in html
    db.session.expire_all()
    assert (db.session.get(Dienst, blink.id).duurzaam_doel, db.session.get(Dienst, blink.id).horizon_maatje) == (
        0.85, 182)


# --- a new dienst ---------------------------------------------------------------------------------


def test_a_beheerder_creates_a_new_dienst(people, client, login):
    bea, coby, kees = people
    login("bea@example.nl")
    html = page(client, NEW)
    assert "Alleen kleine letters, cijfers en streepjes" in html
    assert "Een onderwerp kan maar bij één dienst horen." in html

    response = submit(client, NEW, {
        "naam": "Boodschappenmaatje", "code": "boodschappen-maatje", "beschrijving": "Samen naar de winkel.",
        "soort_koppeling": "periodiek", "vog_nodig": "y", "coordinatoren": [str(kees.id)],
    })

    assert response.status_code == 302 and response.headers["Location"].endswith(LIST)
    listing = text(client.get(LIST))
    assert "De dienst Boodschappenmaatje is gemaakt." in listing
    assert "Samen naar de winkel." in listing
    dienst = diensten.by_code("boodschappen-maatje")
    assert dienst.naam == "Boodschappenmaatje" and dienst.soort_koppeling == "periodiek"
    assert dienst.vog_nodig and not dienst.bemiddeld
    assert diensten.coordinates(kees, dienst.id) and not diensten.coordinates(coby, dienst.id)


@pytest.mark.parametrize("code, message", [
    ("blink", "Er is al een dienst met de code blink."),
    ("eten & drinken", "Gebruik alleen kleine letters, cijfers en streepjes (-), zonder spaties."),
    ("", "Vul een code in."),
])
def test_a_taken_or_malformed_code_is_refused(people, client, login, code, message):
    login("bea@example.nl")

    response = submit(client, NEW, {"naam": "Nieuwe hulp", "code": code, "soort_koppeling": "eenmalig"})

    assert response.status_code == 422
    html = text(response)
    assert message in html
    assert 'value="Nieuwe hulp"' in html
    assert db.session.query(Dienst).filter_by(naam="Nieuwe hulp").count() == 0


def test_a_new_dienst_cannot_take_a_category_of_another(people, client, login):
    login("bea@example.nl")

    response = submit(client, NEW, {"naam": "Tuinploeg", "code": "tuinploeg", "soort_koppeling": "eenmalig",
                                    "categorieen": ["tuinonderhoud"]})

    assert response.status_code == 422
    html = text(response)
    assert "Het onderwerp Tuinonderhoud hoort al bij de dienst Burenhulp." in html
    assert 'value="Tuinploeg"' in html and 'value="tuinploeg"' in html
    assert diensten.by_code("tuinploeg") is None


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["coby@example.nl", "truus@example.nl"])
def test_coordinators_and_residents_may_not_change_diensten(people, standaard_diensten, make_user, client, login,
                                                             email):
    make_user("truus@example.nl", naam="Truus")
    login(email)

    for url in (LIST, NEW, f"/beheer/diensten/{standaard_diensten['blink'].id}"):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_go_to_the_login_page(standaard_diensten, client):
    for url in (LIST, NEW, f"/beheer/diensten/{standaard_diensten['blink'].id}"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen"), response.headers["Location"]
