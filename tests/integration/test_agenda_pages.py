"""The activity calendar per wijk and gemeente, its iCalendar feed, and the sociale kaart."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from omkijken.platform.clock import utcnow
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Activiteit, Initiatief, Ontmoetingsplek
from tests.support import DOMMELBERGEN, OSS_CENTRUM, RUWAARD

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
XSS = "<script>alert(1)</script>"


def at_ten(days_ahead: int) -> datetime:
    """10:00 in Oss, some days from now, stored as UTC."""
    day = (utcnow().astimezone(AMSTERDAM) + timedelta(days=days_ahead)).date()
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=AMSTERDAM).astimezone(timezone.utc)


@pytest.fixture
def host(make_user):
    return make_user("karim@example.nl", home=RUWAARD, naam="Karim")


def plek(host, titel: str, where, **values) -> Ontmoetingsplek:
    values.setdefault("openingstijden", {"ma": "9:00-17:00", "za": "10:00-14:00"})
    return services.create(Ontmoetingsplek(titel=titel, categorie="ontmoeting", **values),
                           auteur=host, now=utcnow(), where=where, op_huisadres=False)


def activiteit(host, titel: str, where, *, plek=None, days_ahead: int = 2, **values) -> Activiteit:
    start = at_ten(days_ahead)
    values.setdefault("categorie", "ontmoeting")
    values.setdefault("regels_gelezen", True)  # the organiser confirmed the admission rules
    return services.create(
        Activiteit(titel=titel, start=start, eind=start + timedelta(hours=2), plek=plek, **values),
        auteur=host, now=utcnow(), where=where, op_huisadres=False,
    )


def feed(client, code: str) -> Calendar:
    response = client.get(f"/agenda/{code}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def test_the_wijk_agenda_shows_its_own_activities_and_not_another_wijk(app, client, host):
    wijkhuis = plek(host, "Wijkhuis de Ruwaard", RUWAARD)
    wandel = activiteit(host, "Wandelgroep Ruwaard", RUWAARD, plek=wijkhuis, herhaling="FREQ=WEEKLY")
    centrum = activiteit(host, "Koffieochtend Centrum", OSS_CENTRUM, prijs=Decimal("1.50"))

    page = client.get("/agenda/WK082806").get_data(as_text=True)

    assert page.count("<h1") == 1
    assert "Wandelgroep Ruwaard" in page and f'href="/prikbord/{wandel.id}"' in page
    assert "Wijkhuis de Ruwaard" in page and "gratis" in page
    assert "Koffieochtend Centrum" not in page and f"/prikbord/{centrum.id}" not in page
    # Weekly: the same activity on several days of the coming 8 weeks.
    assert page.count(f'href="/prikbord/{wandel.id}"') >= 7
    assert "Zet deze agenda in je telefoon" in page
    assert "webcal://" in page and "/agenda/WK082806.ics" in page


def test_the_gemeente_agenda_includes_its_wijken_but_not_the_other_gemeente(app, client, host):
    activiteit(host, "Wandelgroep Ruwaard", RUWAARD)
    activiteit(host, "Koffieochtend Centrum", OSS_CENTRUM, prijs=Decimal("1.50"))
    activiteit(host, "Kaartclub Dommelbergen", DOMMELBERGEN)

    oss = client.get("/agenda/GM0828").get_data(as_text=True)
    oosterhout = client.get("/agenda/GM0826").get_data(as_text=True)
    overzicht = client.get("/agenda").get_data(as_text=True)

    assert "Wandelgroep Ruwaard" in oss and "Koffieochtend Centrum" in oss
    assert "1,50" in oss
    assert "Kaartclub Dommelbergen" not in oss
    assert "Kaartclub Dommelbergen" in oosterhout and "Wandelgroep Ruwaard" not in oosterhout
    assert all(name in overzicht for name in ("Wandelgroep Ruwaard", "Kaartclub Dommelbergen"))
    assert 'href="/agenda/WK082806"' in overzicht and 'href="/agenda/GM0826"' in overzicht


def test_closed_hidden_past_and_ended_activities_are_left_out(app, client, host):
    activiteit(host, "Gesloten groep", RUWAARD).status = "gesloten"
    activiteit(host, "Verborgen groep", RUWAARD).verborgen = True
    activiteit(host, "Al geweest", RUWAARD, days_ahead=-3)
    activiteit(host, "Was wekelijks", RUWAARD, days_ahead=-30, herhaling="FREQ=WEEKLY",
               herhaling_tot=date.today() - timedelta(days=2))
    activiteit(host, "Ver weg", RUWAARD, days_ahead=70)
    from omkijken.platform.extensions import db

    db.session.commit()

    page = client.get("/agenda/WK082806").get_data(as_text=True)

    for titel in ("Gesloten groep", "Verborgen groep", "Al geweest", "Was wekelijks", "Ver weg"):
        assert titel not in page
    assert "nog geen activiteiten" in page


def test_the_feed_parses_back_with_summary_start_and_repeat_rule(app, client, host):
    wijkhuis = plek(host, "Wijkhuis de Ruwaard", RUWAARD)
    tot = date.today() + timedelta(days=60)
    wandel = activiteit(host, "Wandelgroep Ruwaard", RUWAARD, plek=wijkhuis, herhaling="FREQ=WEEKLY",
                        herhaling_tot=tot, beschrijving="We lopen een uur door de wijk.")
    activiteit(host, "Kaartclub Dommelbergen", DOMMELBERGEN)

    cal = feed(client, "WK082806")

    assert str(cal["X-WR-CALNAME"]) == "Omkijken – Activiteiten in Ruwaard"
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = cal.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"activiteit-{wandel.id}@127.0.0.1"
    assert str(event["SUMMARY"]) == "Wandelgroep Ruwaard"
    start = event.decoded("DTSTART")
    assert start.astimezone(timezone.utc) == wandel.start.astimezone(timezone.utc)
    assert start.astimezone(AMSTERDAM).hour == 10
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTEND") - start == timedelta(hours=2)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["UNTIL"][0].astimezone(AMSTERDAM).date() == tot
    assert str(event["LOCATION"]) == "Wijkhuis de Ruwaard"
    assert str(event["URL"]) == f"http://127.0.0.1:5000/prikbord/{wandel.id}"
    assert "We lopen een uur door de wijk." in str(event["DESCRIPTION"])
    assert "DTSTAMP" in event


def test_the_feed_of_a_gemeente_holds_all_its_wijken_and_never_a_home_address(app, client, host, make_user):
    activiteit(host, "Wandelgroep Ruwaard", RUWAARD)
    activiteit(host, "Koffieochtend Centrum", OSS_CENTRUM)
    activiteit(host, "Kaartclub Dommelbergen", DOMMELBERGEN)

    cal = feed(client, "GM0828")

    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Koffieochtend Centrum", "Wandelgroep Ruwaard"]
    assert {str(e["LOCATION"]) for e in cal.walk("VEVENT")} == {"Wijk Ruwaard", "Wijk Centrum"}


@pytest.mark.parametrize("path", ["/agenda/WK999999", "/agenda/GM0001", "/agenda/onzin", "/agenda/WK999999.ics"])
def test_an_unknown_area_is_not_found(app, client, path):
    assert client.get(path).status_code == 404


def test_a_script_in_a_title_is_escaped_on_the_page_and_plain_text_in_the_feed(app, client, host):
    activiteit(host, XSS, RUWAARD, beschrijving=XSS)

    page = client.get("/agenda/WK082806").get_data(as_text=True)
    overzicht = client.get("/agenda").get_data(as_text=True)
    response = client.get("/agenda/WK082806.ics")

    for html in (page, overzicht):
        assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert b"&lt;" not in response.data
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == XSS and XSS in str(event["DESCRIPTION"])


def test_the_sociale_kaart_lists_places_groups_and_initiatives_per_wijk(app, client, host):
    wijkhuis = plek(host, "Wijkhuis de Ruwaard", RUWAARD)
    plek(host, "Speeltuin Dommelbergen", DOMMELBERGEN, plek_soort="openbaar", openingstijden={})
    groep = activiteit(host, "Kaartclub Ruwaard", RUWAARD, plek=wijkhuis, herhaling="FREQ=WEEKLY")
    activiteit(host, "Eenmalige rommelmarkt", RUWAARD)
    services.create(Initiatief(titel="Moestuin Dommelbergen", categorie="tuinonderhoud", fase="actief"),
                    auteur=host, now=utcnow(), where=DOMMELBERGEN)

    page = client.get("/sociale-kaart").get_data(as_text=True)

    assert page.count("<h1") == 1
    assert "Ruwaard (Oss)" in page and "Dommelbergen (Oosterhout)" in page
    for titel in ("Wijkhuis de Ruwaard", "Speeltuin Dommelbergen", "Kaartclub Ruwaard", "Moestuin Dommelbergen"):
        assert titel in page
    assert "Eenmalige rommelmarkt" not in page  # the kaart shows groups that meet again and again
    assert f'href="/prikbord/{groep.id}"' in page and f'href="/prikbord/{wijkhuis.id}"' in page
    assert "zaterdag" in page and "zondag" in page and "dicht" in page
    assert 'label for="filter-wijk"' in page


def test_the_sociale_kaart_filters_on_gemeente_wijk_and_categorie(app, client, host):
    plek(host, "Wijkhuis de Ruwaard", RUWAARD)
    plek(host, "Bibliotheek Centrum", OSS_CENTRUM)
    plek(host, "Buurthuis Dommelbergen", DOMMELBERGEN)
    services.create(Initiatief(titel="Moestuin Ruwaard", categorie="tuinonderhoud"),
                    auteur=host, now=utcnow(), where=RUWAARD)

    oosterhout = client.get("/sociale-kaart?gemeente=GM0826").get_data(as_text=True)
    ruwaard = client.get("/sociale-kaart?wijk=WK082806").get_data(as_text=True)
    tuin = client.get("/sociale-kaart?gemeente=GM0828&categorie=tuinonderhoud").get_data(as_text=True)
    onzin = client.get("/sociale-kaart?categorie=<b>&wijk=XX").get_data(as_text=True)

    assert "Buurthuis Dommelbergen" in oosterhout and "Wijkhuis de Ruwaard" not in oosterhout
    assert "Wijkhuis de Ruwaard" in ruwaard and "Moestuin Ruwaard" in ruwaard
    assert "Bibliotheek Centrum" not in ruwaard and "Buurthuis Dommelbergen" not in ruwaard
    assert '<option value="WK082806" selected>' in ruwaard
    assert "Moestuin Ruwaard" in tuin and "Wijkhuis de Ruwaard" not in tuin
    assert "Buurthuis Dommelbergen" in onzin and "Wijkhuis de Ruwaard" in onzin
    assert "Deze wijk kennen we niet" in onzin and "Dit onderwerp kennen we niet" in onzin
    # The form's empty choice is all gemeenten, without a word; a code we do not know says so.
    for query, notice in (("gemeente=", False), ("gemeente=GM0363", True)):
        alle = client.get(f"/sociale-kaart?{query}").get_data(as_text=True)
        assert "Buurthuis Dommelbergen" in alle and "Wijkhuis de Ruwaard" in alle, query
        assert ("Deze gemeente kennen we niet" in alle) is notice, query
