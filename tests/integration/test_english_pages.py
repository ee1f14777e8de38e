"""An English reader sees English on the pages of a voorstel and a koppeling (issue 22, item 10):
the reasons of a voorstel (stored as codes; old rows as Dutch sentences), the names of the
diensten, and the map credit. The language is the person's own (``User.taal``, see select_locale)."""

from __future__ import annotations

import re

from sqlalchemy import select

from omkijken.platform import clock
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Voorstel
from tests.support import garden_voorstel


def reasons_on_page(html: str) -> list[str]:
    found = re.search(r'<ul class="redenen">(.*?)</ul>', html, re.S)
    assert found, "no reasons on the page"
    return [re.sub(r"\s+", " ", r).strip() for r in re.findall(r"<li>(.*?)</li>", found[1], re.S)]


def speaks(user, taal: str) -> None:
    user.taal = taal
    db.session.commit()


def test_the_reasons_of_a_new_voorstel_are_in_the_readers_language(standaard_diensten, make_user, client, login):
    voorstel = garden_voorstel(make_user)
    truus = voorstel.hulpvraag.auteur
    assert all(isinstance(r, dict) and r.get("code") for r in voorstel.redenen), "stored as codes"
    speaks(truus, "en")
    login("truus@example.nl")
    english = reasons_on_page(client.get("/voorstellen").get_data(as_text=True))
    assert english[0] in ("within 1 km", "1 to 3 km")
    assert "helps in the garden" in english
    assert not any("binnen" in r or "helpt" in r or "tot" in r for r in english)

    speaks(truus, "nl")
    dutch = reasons_on_page(client.get("/voorstellen").get_data(as_text=True))
    assert dutch[0] in ("binnen 1 km", "1 tot 3 km")
    assert "helpt in de tuin" in dutch


def test_reasons_stored_as_dutch_sentences_before_are_shown_in_english(standaard_diensten, make_user, client,
                                                                         login):
    voorstel = garden_voorstel(make_user)
    voorstel.redenen = ["1 tot 3 km", "helpt met tuinonderhoud", "beiden dinsdagochtend en vrijdagavond",
                        "beiden 5 dagdelen, o.a. maandagmiddag", "kan op elk dagdeel", "spreekt Nederlands en Arabisch",
                        "heeft een VOG", "wacht al 9 dagen", "Een coördinator koos deze twee"]
    speaks(voorstel.hulpvraag.auteur, "en")
    login("truus@example.nl")
    said = reasons_on_page(client.get("/voorstellen").get_data(as_text=True))
    assert said[0] == "1 to 3 km"
    assert said[1] == "helps in the garden"
    # "wacht al 9 dagen" is for the volunteer: Truus, who asked, does not read how long she waited.
    assert said[2:7] == ["both can on Tuesday morning and Friday evening",
                         "5 day parts in common, such as Monday afternoon", "can at any time",
                         "speaks Dutch and Arabic", "has a certificate of conduct (VOG)"]
    # Text the engine never wrote is shown as it was stored.
    assert said[7] == "Een coördinator koos deze twee"


def test_old_dutch_reasons_still_read_the_same_in_dutch(standaard_diensten, make_user, client, login):
    voorstel = garden_voorstel(make_user)
    old = ["1 tot 3 km", "helpt met tuinonderhoud", "beiden dinsdagochtend en vrijdagavond",
           "spreekt Nederlands en Arabisch", "heeft een VOG", "wacht al 9 dagen"]
    voorstel.redenen = old
    db.session.commit()
    login("truus@example.nl")
    said = reasons_on_page(client.get("/voorstellen").get_data(as_text=True))
    assert said[0] == "1 tot 3 km" and said[2:] == old[2:-1]  # without the waiting, which is for the volunteer
    assert said[1] == "helpt in de tuin"


def test_the_dienst_of_a_koppeling_is_named_in_english(standaard_diensten, make_user, client, login):
    voorstel = garden_voorstel(make_user)
    for person in (voorstel.vrijwilliger, voorstel.hulpvraag.auteur):
        koppeling = koppelingen.accept(voorstel, by=person, now=clock.utcnow())
    db.session.commit()
    speaks(voorstel.hulpvraag.auteur, "en")
    login("truus@example.nl")
    html = client.get(f"/koppelingen/{koppeling.id}").get_data(as_text=True)
    assert re.search(r"<dd>\s*Neighbour help\s*</dd>", html)
    assert "Burenhulp" not in html


def test_the_map_credit_follows_the_readers_language(standaard_diensten, make_user, client, login):
    voorstel = garden_voorstel(make_user)
    vraag_id = voorstel.hulpvraag_id
    login("truus@example.nl")
    dutch = client.get(f"/prikbord/{vraag_id}").get_data(as_text=True)
    assert "Kaartgegevens" in dutch
    speaks(db.session.scalar(select(Voorstel)).hulpvraag.auteur, "en")
    english = client.get(f"/prikbord/{vraag_id}").get_data(as_text=True)
    assert "Map data" in english and "Kaartgegevens" not in english
