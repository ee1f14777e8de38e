"""After placing: editing, pausing and closing, 'reageer' and the conversation, and reporting."""

from __future__ import annotations

import re

from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Activiteit, Gesprek, Hulpvraag, Melding, Post
from tests.support import DOMMELBERGEN, OSS_CENTRUM, RUWAARD, seasoned, submit


def a_vraag(auteur, **values) -> Hulpvraag:
    fields = {"titel": "Heg knippen", "categorie": "tuinonderhoud", "nodig": "Iemand met een heggenschaar.",
              "dagdelen": ["za-ochtend"], **values}
    return services.create(Hulpvraag(**fields), auteur=auteur, now=utcnow())


def logout(client):
    submit(client, "/uitloggen", {}, page="/")


def test_only_the_author_edits(client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("piet@example.nl", home=DOMMELBERGEN)
    vraag = a_vraag(truus)
    url = f"/prikbord/{vraag.id}/bewerken"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.location.startswith("/inloggen")
    login("piet@example.nl")
    assert client.get(url).status_code == 403
    assert client.post(url, data={"titel": "Gekaapt"}).status_code in (400, 403)
    assert "Bericht veranderen" not in client.get(f"/prikbord/{vraag.id}").get_data(as_text=True)
    logout(client)

    login("truus@example.nl")
    form = client.get(url).get_data(as_text=True)
    assert 'value="Heg knippen"' in form and "Iemand met een heggenschaar." in form
    assert 'id="dagdelen-za-ochtend" checked' in form
    response = submit(client, url, {"titel": "Heg en gras", "categorie": "tuinonderhoud", "waar": "thuis",
                                    "nodig": "Ook het gras.", "dagdelen": ["za-middag"]})

    assert response.status_code == 302 and response.location == f"/prikbord/{vraag.id}"
    db.session.expire_all()
    vraag = db.session.get(Post, vraag.id)
    assert (vraag.titel, vraag.nodig, vraag.dagdelen) == ("Heg en gras", "Ook het gras.", ["za-middag"])
    assert vraag.wijk.naam == "Ruwaard"
    page = client.get(response.location).get_data(as_text=True)
    assert "Je wijzigingen zijn bewaard." in page and "zaterdagmiddag" in page


def test_editing_with_an_empty_title_keeps_the_rest(client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD)
    vraag = a_vraag(truus)
    login("truus@example.nl")

    response = submit(client, f"/prikbord/{vraag.id}/bewerken",
                      {"titel": "", "categorie": "tuinonderhoud", "waar": "thuis", "nodig": "Nieuwe tekst."})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef je bericht een korte titel." in page and "Nieuwe tekst." in page
    db.session.expire_all()
    assert db.session.get(Post, vraag.id).titel == "Heg knippen"


def test_editing_an_activiteit_keeps_its_local_time(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    data = {"titel": "Kaartclub", "categorie": "ontmoeting", "datum": "2031-01-14", "begintijd": "19:30",
            "plek_id": "0", "initiatief_id": "0", "regels_gelezen": "y",
            "lat": str(OSS_CENTRUM[0]), "lon": str(OSS_CENTRUM[1])}
    created = submit(client, "/plaatsen/activiteit", data)
    assert created.status_code == 302
    activiteit = db.session.scalar(select(Activiteit))

    form = client.get(f"/prikbord/{activiteit.id}/bewerken").get_data(as_text=True)

    assert 'value="2031-01-14"' in form and 'value="19:30"' in form
    assert re.search(r'<input checked id="regels_gelezen" name="regels_gelezen"[^>]*type="checkbox"', form)


def test_pause_reopen_and_close_with_a_reason(client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD)
    make_user("piet@example.nl", home=DOMMELBERGEN)
    vraag = a_vraag(truus)
    status_url, page_url = f"/prikbord/{vraag.id}/status", f"/prikbord/{vraag.id}"

    login("piet@example.nl")
    assert submit(client, status_url, {"status": "gesloten", "reden": "gelukt"}, page=page_url).status_code == 403
    logout(client)

    login("truus@example.nl")
    paused = submit(client, status_url, {"status": "gepauzeerd"}, page=page_url)
    assert paused.status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert "Je bericht is gepauzeerd." in page and "Weer openzetten" in page

    submit(client, status_url, {"status": "open"}, page=page_url)
    db.session.expire_all()
    assert db.session.get(Post, vraag.id).status == "open"

    no_reason = submit(client, status_url, {"status": "gesloten"}, page=page_url)
    assert no_reason.status_code == 302
    assert "Zeg waarom je het sluit" in client.get(page_url).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, vraag.id).status == "open"

    submit(client, status_url, {"status": "gesloten", "reden": "gelukt"}, page=page_url)
    db.session.expire_all()
    vraag = db.session.get(Post, vraag.id)
    assert (vraag.status, vraag.sluit_reden) == ("gesloten", "gelukt")
    own = client.get(page_url).get_data(as_text=True)
    assert "Dit bericht is gesloten." in own and "Gelukt" in own
    logout(client)

    assert client.get(page_url).status_code == 404
    login("piet@example.nl")
    assert client.get(page_url).status_code == 404


def test_reageer_starts_a_conversation_that_only_the_two_can_see(client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    make_user("piet@example.nl", home=DOMMELBERGEN, naam="Piet")
    vraag = a_vraag(truus)
    page_url = f"/prikbord/{vraag.id}"

    own = client.get(page_url).get_data(as_text=True)
    assert "Log in om te reageren" in own and 'name="tekst"' not in own

    login("sanne@example.nl")
    empty = submit(client, f"{page_url}/reageer", {"tekst": "  "}, page=page_url)
    assert empty.status_code == 422 and "Schrijf een bericht." in empty.get_data(as_text=True)
    response = submit(client, f"{page_url}/reageer", {"tekst": "Ik heb een heggenschaar.\nZaterdag?"}, page=page_url)

    gesprek = db.session.scalar(select(Gesprek))
    assert response.status_code == 302 and response.location == f"/gesprekken/{gesprek.id}"
    convo = client.get(response.location).get_data(as_text=True)
    assert "Gesprek met Truus" in convo and "Ik heb een heggenschaar." in convo
    assert "Heg knippen" in client.get("/gesprekken").get_data(as_text=True)
    assert "Je hebt al gereageerd" in client.get(page_url).get_data(as_text=True)
    logout(client)

    login("truus@example.nl")
    assert "Reageer" not in client.get(page_url).get_data(as_text=True).split("Je eigen bericht")[1].split(
        "</section>")[0]
    assert "Sanne" in client.get("/gesprekken").get_data(as_text=True)
    answer = submit(client, f"/gesprekken/{gesprek.id}", {"tekst": "Graag! Om 10 uur?"})
    assert answer.status_code == 302
    convo = client.get(f"/gesprekken/{gesprek.id}").get_data(as_text=True)
    assert "Gesprek met Sanne" in convo and "Graag! Om 10 uur?" in convo and "Ik heb een heggenschaar." in convo
    logout(client)

    login("piet@example.nl")
    assert client.get(f"/gesprekken/{gesprek.id}").status_code == 403
    assert client.post(f"/gesprekken/{gesprek.id}", data={"tekst": "Hallo"}).status_code in (400, 403)
    assert "Heg knippen" not in client.get("/gesprekken").get_data(as_text=True)
    assert len(db.session.scalars(select(Gesprek)).all()) == 1


def test_three_reports_hide_a_post(client, make_user, login):
    truus = make_user("truus@example.nl", home=RUWAARD)
    vraag = a_vraag(truus, titel="Koop mijn spullen")
    page_url = f"/prikbord/{vraag.id}"
    for name in ("an", "bo", "cor"):
        seasoned(make_user(f"{name}@example.nl", home=DOMMELBERGEN))  # new accounts alone hide nothing

    login("an@example.nl")
    response = submit(client, f"{page_url}/melden", {"reden": "reclame", "toelichting": "Verkoop."}, page=page_url)
    assert response.status_code == 302
    assert "Dank je. Een opbouwwerker kijkt ernaar." in client.get(response.location).get_data(as_text=True)
    submit(client, f"{page_url}/melden", {"reden": "reclame"}, page=page_url)  # twice counts once
    logout(client)
    login("bo@example.nl")
    submit(client, f"{page_url}/melden", {"reden": "nep"}, page=page_url)
    logout(client)
    assert client.get(page_url).status_code == 200  # two people are not enough

    login("cor@example.nl")
    submit(client, f"{page_url}/melden", {"reden": "anders", "toelichting": "Hoort hier niet."}, page=page_url)
    logout(client)

    assert client.get(page_url).status_code == 404
    login("an@example.nl")
    assert client.get(page_url).status_code == 404
    logout(client)
    login("truus@example.nl")
    own = client.get(page_url)
    assert own.status_code == 200 and "Dit bericht is verborgen" in own.get_data(as_text=True)
    redenen = sorted(m.reden for m in db.session.scalars(select(Melding)))
    assert redenen == ["Het is reclame of verkoop: Verkoop.", "Het lijkt nep of oplichting",
                       "Iets anders: Hoort hier niet."]


def test_reporting_needs_a_login(client, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    vraag = a_vraag(truus)

    assert "Meld dit bericht" not in client.get(f"/prikbord/{vraag.id}").get_data(as_text=True)
    response = submit(client, f"/prikbord/{vraag.id}/melden", {"reden": "reclame"}, page=f"/prikbord/{vraag.id}")
    assert response.status_code == 302 and response.location.startswith("/inloggen")
    assert db.session.scalar(select(Melding)) is None


def test_editing_a_vacature_without_a_new_place_keeps_the_place(client, make_user, login):
    from omkijken.platform.posts.models import Vacature

    club = make_user("club@example.nl", roles=("organisatie",))
    vacature = services.create(Vacature(titel="Chauffeur", categorie="vervoer"), auteur=club, now=utcnow(),
                               where=OSS_CENTRUM, op_huisadres=False)
    login("club@example.nl")

    response = submit(client, f"/prikbord/{vacature.id}/bewerken",
                      {"titel": "Chauffeur buurtbus", "categorie": "vervoer", "uren": "3 uur per week"})

    assert response.status_code == 302
    db.session.expire_all()
    vacature = db.session.get(Post, vacature.id)
    assert (vacature.titel, vacature.uren) == ("Chauffeur buurtbus", "3 uur per week")
    lat, lon = services.exact_point(vacature)
    assert abs(lat - OSS_CENTRUM[0]) < 1e-6 and abs(lon - OSS_CENTRUM[1]) < 1e-6 and not vacature.op_huisadres
