"""Gebieden and woonwijken (issue 24, item 3): the beheerder groups wijken into gebieden, the
wijkagenda reads per gebied, and an industrial estate marked "geen woonwijk" leaves public lists,
filters and the waiting list until something is posted there."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from omkijken.platform import clock
from omkijken.platform.areas import gebieden
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Gebied
from omkijken.platform.extensions import db
from omkijken.platform.insights import wachtlijst
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.wijkagenda import services as wijkagenda
from tests.support import NEAR_RUWAARD, RUWAARD, commit, submit

INDUSTRIE = "WK082805"  # Industrieterreinen-Noord, Oss
PUBLIC_PAGES = ("/wijken", "/wijkagenda", "/prikbord", "/sociale-kaart", "/agenda/GM0828")


@pytest.fixture
def beheerder(make_user, login):
    make_user("beheer@example.nl", roles=("beheerder",), naam="Bea")
    login("beheer@example.nl")


def wijk_id(code: str) -> int:
    return areas.wijk_by_code(code).id


def mark_geen_woonwijk(client, *codes: str):
    response = submit(client, "/beheer/gebieden/woonwijken/GM0828",
                      {"GM0828-geen_woonwijk": [str(wijk_id(c)) for c in codes]}, page="/beheer/gebieden")
    assert response.status_code == 302, response.get_data(as_text=True)


def shown_on(client, path: str) -> str:
    return client.application.test_client().get(path).get_data(as_text=True)


def test_an_industrial_estate_leaves_public_lists_and_filters_until_something_is_posted_there(
        client, beheerder, make_user):
    for path in PUBLIC_PAGES:
        assert "Industrieterreinen-Noord" in shown_on(client, path), path

    mark_geen_woonwijk(client, INDUSTRIE)

    assert areas.wijk_by_code(INDUSTRIE).woonwijk is False
    for path in PUBLIC_PAGES:
        assert "Industrieterreinen-Noord" not in shown_on(client, path), path
    assert "Ruwaard" in shown_on(client, "/prikbord")

    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    vraag = posts.create(Hulpvraag(titel="Wie helpt met de verhuizing van de kantine?", categorie="klussen"),
                         auteur=truus, now=clock.utcnow(), where=RUWAARD)
    vraag.wijk_id = wijk_id(INDUSTRIE)
    commit()
    assert "Industrieterreinen-Noord" in shown_on(client, "/prikbord")
    assert "Industrieterreinen-Noord" in shown_on(client, "/wijkagenda")

    vraag.status = "gesloten"
    commit()
    assert "Industrieterreinen-Noord" not in shown_on(client, "/prikbord")


def test_an_approved_agendapunt_keeps_an_industrial_estate_in_the_wijkagenda(client, beheerder, make_user):
    mark_geen_woonwijk(client, INDUSTRIE)
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    bea = db.session.scalar(select(type(truus)).filter_by(email="beheer@example.nl"))
    punt = wijkagenda.create(wijk=areas.wijk_by_code(INDUSTRIE), auteur=truus, soort="signaal",
                             onderwerp="omgeving", titel="Vrachtwagens rijden te hard", beschrijving="",
                             now=clock.utcnow())
    commit()
    assert "Industrieterreinen-Noord" not in shown_on(client, "/wijkagenda")

    moderatie.decide(moderatie.Besluit("agendapunt", punt.id, "goedkeuren"), by=bea, now=clock.utcnow())
    commit()
    assert "Industrieterreinen-Noord" in shown_on(client, "/wijkagenda")


def test_the_waiting_list_has_an_industrial_estate_only_when_a_vraag_waits_there(client, beheerder, make_user):
    mark_geen_woonwijk(client, INDUSTRIE)
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    now = datetime(2026, 3, 31, 22, 0, tzinfo=timezone.utc)
    posts.create(Hulpvraag(titel="Hulp in de tuin", categorie="tuinonderhoud"), auteur=truus,
                 now=now - timedelta(days=3), where=RUWAARD)
    commit()
    report = wachtlijst.build(now=now)
    assert [r["wijk"] for r in report["wijken"]] == ["Ruwaard"]

    verdwaald = posts.create(Hulpvraag(titel="Koffie op het werk", categorie="ontmoeting"), auteur=truus,
                             now=now - timedelta(days=2), where=RUWAARD)
    verdwaald.wijk_id = wijk_id(INDUSTRIE)
    commit()
    rows = {r["wijk"]: r for r in wachtlijst.build(now=now)["wijken"]}
    assert rows["Industrieterreinen-Noord"]["open"] == 1 and rows["Industrieterreinen-Noord"]["woonwijk"] is False
    assert rows["Ruwaard"]["woonwijk"] is True


def test_the_beheerder_groups_wijken_into_a_gebied_and_the_wijkagenda_reads_per_gebied(client, beheerder, make_user):
    page = client.get("/beheer/gebieden/nieuw/GM0828")
    assert page.status_code == 200
    form = {"naam": "Oss-Oost", "wijken": [str(wijk_id("WK082806")), str(wijk_id("WK082807"))]}
    assert submit(client, "/beheer/gebieden/nieuw/GM0828", form).status_code == 302
    gebied = db.session.scalar(select(Gebied).filter_by(naam="Oss-Oost"))
    assert sorted(w.naam for w in gebied.wijken) == ["Ruwaard", "Ussen"]

    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    bea = db.session.scalar(select(type(truus)).filter_by(email="beheer@example.nl"))
    for code, titel in (("WK082806", "Bankjes in het Ruwaardpark"), ("WK082807", "Zebrapad bij de school in Ussen"),
                        ("WK082800", "Meer groen op de Heuvel")):
        punt = wijkagenda.create(wijk=areas.wijk_by_code(code), auteur=truus, soort="wens", onderwerp="omgeving",
                                 titel=titel, beschrijving="", now=clock.utcnow())
        moderatie.decide(moderatie.Besluit("agendapunt", punt.id, "goedkeuren"), by=bea, now=clock.utcnow())
    commit()

    kiezen = shown_on(client, "/wijkagenda")
    assert "Per gebied" in kiezen and f"/wijkagenda/gebied/{gebied.id}" in kiezen
    page = shown_on(client, f"/wijkagenda/gebied/{gebied.id}")
    assert "Wijkagenda Oss-Oost" in page
    assert "Bankjes in het Ruwaardpark" in page and "Zebrapad bij de school in Ussen" in page
    assert "Meer groen op de Heuvel" not in page
    assert f"/wijkagenda/gebied/{gebied.id}" in shown_on(client, "/wijkagenda/WK082806")


def test_a_gebied_needs_a_name_and_wijken_of_its_own_gemeente(client, beheerder):
    response = submit(client, "/beheer/gebieden/nieuw/GM0828", {"naam": "Grensgebied",
                                                                "wijken": [str(wijk_id("WK082606"))]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Grensgebied" in page  # what was typed stays
    assert "is een ongeldige keuze voor dit veld" in page  # a wijk of Oosterhout is no choice in Oss
    empty = submit(client, "/beheer/gebieden/nieuw/GM0828", {"naam": "Leeg"})
    assert empty.status_code == 422 and "Kies minstens één wijk of buurt." in empty.get_data(as_text=True)
    assert db.session.scalar(select(Gebied.id)) is None
    gebieden.save(gemeente_id=areas.wijk_by_code("WK082806").gemeente_id, naam="Oss-Oost",
                  wijk_ids=[wijk_id("WK082806")])
    commit()
    twice = submit(client, "/beheer/gebieden/nieuw/GM0828", {"naam": "Oss-Oost", "wijken": [str(wijk_id("WK082807"))]})
    assert twice.status_code == 422 and "Er is al een gebied met deze naam" in twice.get_data(as_text=True)


def test_only_the_beheerder_edits_gebieden(client, make_user, login):
    make_user("karim@example.nl", roles=("opbouwwerker",), wijken=("WK082806",), naam="Karim")
    login("karim@example.nl")
    assert client.get("/beheer/gebieden").status_code == 403


def test_the_demo_groups_oss_and_oosterhout_and_skips_a_wijk_the_map_does_not_have(client):
    from omkijken.demo.gebieden import seed

    first, second = seed(), seed()

    oss = {g.naam: sorted(w.naam for w in g.wijken)
           for g in gebieden.of_gemeente(areas.wijk_by_code("WK082806").gemeente_id)}
    assert len(oss) == 10 and "Geffen" not in oss  # the 2014 map has no Geffen; a later map adds the eleventh
    assert oss["Lith en omgeving"] == ["Lith", "Lithoijen", "Maren - Kessel", "Oijen"]
    assert first == {"gebieden": 15} and second == {"gebieden": 0}
    elders = sorted(w.naam for w in areas.all_wijken() if not w.woonwijk)
    assert elders == ["Industrieterrein Noord", "Industrieterrein Zuid", "Industrieterreinen-Noord",
                      "Industrieterreinen-Zuid"]
    assert "Industrieterrein Noord" not in shown_on(client, "/wijkagenda")


def test_the_sociale_agenda_reads_per_gebied(client, beheerder, make_user):
    from omkijken.platform.wijkagenda import sociale_agenda

    oss = areas.wijk_by_code("WK082806").gemeente_id
    gebied = gebieden.save(gemeente_id=oss, naam="Oss-Oost", wijk_ids=[wijk_id("WK082806"), wijk_id("WK082807")])
    bea = db.session.scalar(select(type(make_user("truus@example.nl"))).filter_by(email="beheer@example.nl"))
    ruwaard = areas.wijk_by_code("WK082806")
    agenda = sociale_agenda.start(ruwaard, by=bea, now=clock.utcnow())
    sociale_agenda.save_thema(agenda, by=bea, titel="Samen eten in de Ruwaard", tekst="Elke maand.", wie="Bea",
                              datum=None, now=clock.utcnow())
    sociale_agenda.publish(agenda, by=bea, now=clock.utcnow())
    commit()

    page = shown_on(client, f"/wijkagenda/gebied/{gebied.id}/sociale-agenda")
    assert "Sociale agenda Oss-Oost" in page and "Samen eten in de Ruwaard" in page
    assert "Ussen" in page and "Er is nog geen sociale agenda voor deze wijk." in page
    assert f"/wijkagenda/gebied/{gebied.id}/sociale-agenda" in shown_on(client, f"/wijkagenda/gebied/{gebied.id}")
