"""The public prikbord list at /prikbord: what a visitor sees, filters, pages, and what is never shown."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.support import DOMMELBERGEN, RUWAARD

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
METRES_PER_DEGREE_LAT = 111_320.0


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0] + metres / METRES_PER_DEGREE_LAT, point[1]


def east_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0], point[1] + metres / (METRES_PER_DEGREE_LAT * math.cos(math.radians(point[0])))


def place(kind: str, titel: str, *, auteur, where=None, op_huisadres=None, categorie=None,
          created_at: datetime | None = None, beschrijving: str = "", **extra):
    """Publish a post through the service, as the posting form does."""
    from omkijken.platform.posts import models, services

    cls = {"hulpvraag": models.Hulpvraag, "aanbod": models.Aanbod, "vacature": models.Vacature,
           "initiatief": models.Initiatief, "ontmoetingsplek": models.Ontmoetingsplek,
           "activiteit": models.Activiteit}[kind]
    if kind == "activiteit":
        extra.setdefault("start", NOW + timedelta(days=3))
        extra.setdefault("regels_gelezen", True)
    post = cls(titel=titel, categorie=categorie, beschrijving=beschrijving, **extra)
    return services.create(post, auteur=auteur, now=created_at or NOW - timedelta(days=2),
                           where=where, op_huisadres=op_huisadres)


def titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h3><a href="/prikbord/\d+">([^<]*)</a></h3>', html)


@pytest.fixture
def truus(make_user):
    return make_user("truus@example.nl", naam="Truus", home=RUWAARD)


@pytest.fixture
def board(truus, make_user):
    """A few posts of different kinds in Oss (Ruwaard) and Oosterhout (Dommelbergen)."""
    ahmed = make_user("ahmed@example.nl", naam="Ahmed", home=DOMMELBERGEN)
    return {
        "tuin": place("hulpvraag", "Hulp bij de tuin gezocht", auteur=truus, categorie="tuinonderhoud",
                      beschrijving="De heg moet gesnoeid worden"),
        "rijden": place("aanbod", "Ik rij je naar het ziekenhuis", auteur=ahmed, categorie="vervoer"),
        "koffie": place("ontmoetingsplek", "Koffiecorner de Schakel", auteur=truus, where=RUWAARD,
                        op_huisadres=False, categorie="ontmoeting"),
        "computer": place("hulpvraag", "Wie helpt met mijn computer?", auteur=ahmed, categorie="digitaal"),
    }


def test_anyone_sees_open_posts_newest_first_with_kind_category_wijk_and_age(client, truus, app):
    place("hulpvraag", "Oude vraag over boodschappen", auteur=truus, categorie="boodschappen",
          created_at=NOW - timedelta(days=5))
    place("ontmoetingsplek", "Nieuwe koffiecorner", auteur=truus, where=RUWAARD, op_huisadres=False,
          categorie="ontmoeting", created_at=datetime.now(timezone.utc) - timedelta(days=2, hours=1))

    response = client.get("/prikbord")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert titles(response) == ["Nieuwe koffiecorner", "Oude vraag over boodschappen"]
    assert "Ontmoetingsplek" in html and "Hulpvraag" in html
    assert "Ontmoeting en gezelschap" in html and "Boodschappen" in html
    assert "Wijk Ruwaard" in html
    assert "2 dagen geleden" in html
    assert "2 berichten" in html
    assert 'href="/kaart"' in html and "Bekijk op de kaart" in html


def test_hidden_closed_and_paused_posts_never_appear(client, truus):
    from omkijken.platform.posts import services

    place("hulpvraag", "Zichtbare vraag", auteur=truus)
    hidden = place("hulpvraag", "Verborgen vraag", auteur=truus)
    closed = place("hulpvraag", "Gesloten vraag", auteur=truus)
    paused = place("hulpvraag", "Gepauzeerde vraag", auteur=truus)
    hidden.verborgen = True
    services.set_status(closed, by=truus, status="gesloten", reden="gelukt", now=NOW)
    services.set_status(paused, by=truus, status="gepauzeerd", now=NOW)

    assert titles(client.get("/prikbord")) == ["Zichtbare vraag"]


def test_filter_on_kind_category_wijk_and_text(client, board):
    from omkijken.platform.areas import services as areas

    dommelbergen = areas.locate(*DOMMELBERGEN).wijk
    assert set(titles(client.get("/prikbord?soort=hulpvraag"))) == {
        "Hulp bij de tuin gezocht", "Wie helpt met mijn computer?"}
    assert titles(client.get("/prikbord?categorie=vervoer")) == ["Ik rij je naar het ziekenhuis"]
    assert set(titles(client.get(f"/prikbord?wijk={dommelbergen.code}"))) == {
        "Ik rij je naar het ziekenhuis", "Wie helpt met mijn computer?"}
    assert set(titles(client.get(f"/prikbord?wijk={dommelbergen.id}"))) == {
        "Ik rij je naar het ziekenhuis", "Wie helpt met mijn computer?"}
    assert titles(client.get("/prikbord?zoek=HEG")) == ["Hulp bij de tuin gezocht"]  # in the description
    assert titles(client.get("/prikbord?zoek=computer&soort=hulpvraag")) == ["Wie helpt met mijn computer?"]


def test_filter_on_wijk_by_code_keeps_the_choice_in_the_form(client, board):
    from omkijken.platform.areas import services as areas

    ruwaard = areas.locate(*RUWAARD).wijk
    response = client.get(f"/prikbord?wijk={ruwaard.code}")

    assert set(titles(response)) == {"Hulp bij de tuin gezocht", "Koffiecorner de Schakel"}
    assert f'<option value="{ruwaard.code}" selected>' in response.get_data(as_text=True)
    # The link to the map keeps the filter.
    assert f'href="/kaart?wijk={ruwaard.code}"' in response.get_data(as_text=True)


def test_wrong_filter_values_are_left_out_with_a_notice_not_an_error(client, board):
    response = client.get("/prikbord?wijk=abc&afstand=-5&soort=raket&categorie=%00x&pagina=twee&van=huis")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Deze wijk kennen we niet" in html
    assert "Kies een afstand van 1, 2, 5 of 10 km" in html
    assert "Dit soort bericht kennen we niet" in html
    assert len(titles(response)) == 4


@pytest.mark.parametrize("query", [
    "afstand=1&van=WK999999", "afstand=5", "afstand=5&van=huis", "afstand=nan&van=huis", "afstand=1e999",
    "wijk=99999999999999999999", "wijk=%C2%B2", "zoek=" + "x" * 5000, "pagina=99999999999999999999",
    "pagina=-3", "zoek=%00%00", "soort=%F0%9F%98%80",
])
def test_strange_input_never_breaks_the_list(client, board, query):
    assert client.get(f"/prikbord?{query}").status_code == 200


def _ontmoetingsplek_near(centre, auteur):
    """Meeting places are not at someone's home: their public point is exact, so distances are too."""
    place("ontmoetingsplek", "Plek op 500 meter", auteur=auteur, where=north_of(centre, 500), op_huisadres=False)
    place("ontmoetingsplek", "Plek op 1500 meter", auteur=auteur, where=east_of(centre, 1500), op_huisadres=False)
    place("ontmoetingsplek", "Plek op 7 kilometer", auteur=auteur, where=north_of(centre, 7000), op_huisadres=False)


def test_distance_from_the_centre_of_a_wijk(client, truus):
    from omkijken.platform.areas import services as areas

    ruwaard = areas.locate(*RUWAARD).wijk
    _ontmoetingsplek_near(areas.representative_point(ruwaard), truus)

    assert titles(client.get(f"/prikbord?afstand=1&van={ruwaard.code}")) == ["Plek op 500 meter"]
    assert set(titles(client.get(f"/prikbord?afstand=2&van={ruwaard.code}"))) == {
        "Plek op 500 meter", "Plek op 1500 meter"}
    assert len(titles(client.get(f"/prikbord?afstand=10&van={ruwaard.code}"))) == 3


def test_distance_from_my_home_only_when_logged_in(client, truus, login):
    _ontmoetingsplek_near(RUWAARD, truus)

    anonymous = client.get("/prikbord?afstand=1&van=huis")
    assert "Log in en vul je adres in" in anonymous.get_data(as_text=True)
    assert 'value="huis"' not in anonymous.get_data(as_text=True)
    assert len(titles(anonymous)) == 3

    login("truus@example.nl")
    mine = client.get("/prikbord?afstand=1&van=huis")
    assert titles(mine) == ["Plek op 500 meter"]
    assert '<option value="huis" selected>' in mine.get_data(as_text=True)


def test_twenty_per_page_with_previous_and_next(client, truus):
    for number in range(25):
        place("initiatief", f"Initiatief nummer {number:02d}", auteur=truus, where=RUWAARD, op_huisadres=False,
              created_at=NOW - timedelta(hours=number))

    first = client.get("/prikbord?soort=initiatief")
    assert titles(first) == [f"Initiatief nummer {n:02d}" for n in range(20)]
    html = first.get_data(as_text=True)
    assert "Pagina 1 van 2" in html and "Volgende" in html and ">Vorige<" not in html
    assert 'href="?soort=initiatief&amp;pagina=2"' in html

    second = client.get("/prikbord?soort=initiatief&pagina=2")
    assert titles(second) == [f"Initiatief nummer {n:02d}" for n in range(20, 25)]
    assert ">Vorige<" in second.get_data(as_text=True) and ">Volgende<" not in second.get_data(as_text=True)

    beyond = client.get("/prikbord?soort=initiatief&pagina=9")
    assert beyond.status_code == 200 and titles(beyond) == titles(second)
    assert "Pagina 2 van 2" in beyond.get_data(as_text=True)


def test_no_place_or_contact_details_in_the_list(client, truus):
    from omkijken.platform.posts import services

    vraag = place("hulpvraag", "Hulp bij de boodschappen", auteur=truus, categorie="boodschappen")
    lat, lon = services.exact_point(vraag)

    html = client.get("/prikbord").get_data(as_text=True)
    assert "Hulp bij de boodschappen" in html
    for decimals in (4, 5):
        assert f"{lat:.{decimals}f}" not in html
        assert f"{lon:.{decimals}f}" not in html
    assert "truus@example.nl" not in html
    assert "Truus" not in html


def test_the_list_comes_before_the_filters(client, board):
    html = client.get("/prikbord").get_data(as_text=True)

    assert html.index('class="berichten"') < html.index('id="filters"')
    assert 'href="#filters"' in html  # a jump to the filters at the top


def test_the_first_page_mixes_the_kinds_instead_of_filling_up_with_meeting_places(client, truus):
    """Issue 22, item 12: twenty-five meeting places entered at once, newer than every vraag, filled
    the first page. Now the kinds take turns (newest of each kind first, newest first within a turn)."""
    for number in range(25):
        place("ontmoetingsplek", f"Plek {number:02d}", auteur=truus, where=RUWAARD, op_huisadres=False,
              categorie="ontmoeting", created_at=NOW - timedelta(minutes=number))
    for number, days in enumerate((3, 4, 5)):
        place("hulpvraag", f"Vraag {number}", auteur=truus, categorie="vervoer", created_at=NOW - timedelta(days=days))
    for number, days in enumerate((3.5, 6)):
        place("aanbod", f"Aanbod {number}", auteur=truus, categorie="vervoer", created_at=NOW - timedelta(days=days))

    first = titles(client.get("/prikbord"))
    assert first[:8] == ["Plek 00", "Vraag 0", "Aanbod 0", "Plek 01", "Vraag 1", "Aanbod 1", "Plek 02", "Vraag 2"]
    assert first[8:] == [f"Plek {n:02d}" for n in range(3, 15)]
    second = titles(client.get("/prikbord?pagina=2"))
    assert second == [f"Plek {n:02d}" for n in range(15, 25)]

    # One kind chosen: newest first, as before.
    assert titles(client.get("/prikbord?soort=hulpvraag")) == ["Vraag 0", "Vraag 1", "Vraag 2"]
