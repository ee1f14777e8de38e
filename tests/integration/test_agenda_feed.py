"""The .ics feed as a phone polls it (issue 27, item 6): valid with no activity, UIDs of the site's
domain, and ETag / Last-Modified so a phone that asks again gets a 304 when nothing changed."""

from __future__ import annotations

from datetime import timezone

from icalendar import Calendar

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from tests.integration.test_agenda_pages import activiteit, host  # noqa: F401  (the fixture)
from tests.support import DOMMELBERGEN, RUWAARD


def test_an_area_without_activities_still_gets_a_valid_calendar(app, client):
    response = client.get("/agenda/WK082806.ics")
    assert response.status_code == 200
    cal = Calendar.from_ical(response.data)
    # RFC 5545 3.6: a VCALENDAR holds at least one component.
    assert cal.subcomponents
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert cal.walk("VEVENT") == []


def test_uids_end_in_the_sites_domain(app, client, host):  # noqa: F811
    app.config["SITE_URL"] = "https://www.omkijken.nl"
    wandel = activiteit(host, "Wandelgroep Ruwaard", RUWAARD)
    db.session.commit()
    cal = Calendar.from_ical(client.get("/agenda/WK082806.ics").data)
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [f"activiteit-{wandel.id}@www.omkijken.nl"]


def test_the_feed_has_an_etag_and_last_modified_and_answers_304(app, client, host):  # noqa: F811
    wandel = activiteit(host, "Wandelgroep Ruwaard", RUWAARD)
    db.session.commit()
    first = client.get("/agenda/WK082806.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.last_modified == wandel.updated_at.astimezone(timezone.utc).replace(microsecond=0)

    # The same feed asked again is the same bytes, so a phone can compare.
    again = client.get("/agenda/WK082806.ics")
    assert again.data == first.data and again.headers["ETag"] == etag

    unchanged = client.get("/agenda/WK082806.ics", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert client.get("/agenda/WK082806.ics", headers={"If-Modified-Since": modified}).status_code == 304

    # Something new in the area: a new ETag, and the old one gets the whole feed.
    activiteit(host, "Koffie in Ruwaard", RUWAARD)
    db.session.commit()
    changed = client.get("/agenda/WK082806.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert b"Koffie in Ruwaard" in changed.data


def test_an_empty_feed_has_an_etag_and_last_modified_too(app, client, host):  # noqa: F811
    activiteit(host, "Kaartclub Dommelbergen", DOMMELBERGEN)  # another gemeente
    db.session.commit()
    response = client.get("/agenda/WK082806.ics")
    assert response.headers["ETag"] and response.last_modified <= utcnow()
    assert client.get("/agenda/WK082806.ics",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
