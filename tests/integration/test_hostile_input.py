"""Regression tests for what tests/integration/test_fuzz_forms.py found (issue 8): each one a
bug a person could hit with odd input, now a Dutch answer instead of a server error or lost text."""

from __future__ import annotations

import io

import pytest

from omkijken.platform.extensions import db
from tests.integration.test_coordinatie import offer, people, vraag_van  # noqa: F401  (fixture)
from tests.integration.test_wijkagenda import karim, new_punt, truus  # noqa: F401  (fixtures)
from tests.support import RUWAARD, submit

HUGE = "9" * 25
GEEN_PLEK = "Dit punt ligt niet op de kaart"


@pytest.mark.parametrize("lat, lon", [("nan", "5.52"), ("51.75", "inf"), ("1e999", "5.52"), ("91", "5.52"),
                                      ("51.75", "-181")])
def test_a_point_that_is_no_point_is_refused_in_dutch_and_the_title_stays(client, make_user, login, lat, lon):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    response = submit(client, "/plaatsen/hulpvraag", {
        "titel": "Heg knippen", "categorie": "tuinonderhoud", "waar": "elders", "lat": lat, "lon": lon})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert GEEN_PLEK in html and 'value="Heg knippen"' in html


@pytest.mark.parametrize("url", [f"/prikbord/{HUGE}", f"/wijkagenda/punt/{HUGE}", f"/subsidies/{HUGE}",
                                 f"/koppelingen/{HUGE}", f"/prikbord/{2**31}"])
def test_an_id_too_big_for_the_database_is_not_found(client, make_user, login, url):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    assert client.get(url).status_code == 404


def test_a_hand_match_with_a_huge_volunteer_id_is_refused_in_dutch(people, client, login):  # noqa: F811
    _, truus_, _ = people
    vraag = vraag_van(truus_, days_old=8)
    login("coby@example.nl")

    response = submit(client, f"/coordinatie/vragen/{vraag.id}/koppelen",
                      {"aanbod_id": HUGE, "beiden_akkoord": "y", "tekst": "Allebei gebeld"},
                      page=f"/coordinatie/vragen/{vraag.id}")

    assert response.status_code == 422
    assert "Kies een vrijwilliger." in response.get_data(as_text=True)


def test_merging_into_a_huge_id_is_refused_in_dutch(client, login, truus, karim):  # noqa: F811
    punt = new_punt(truus)
    login("karim@example.nl")

    response = submit(client, f"/moderatie/agendapunt/{punt.id}", {"besluit": "samenvoegen", "samen_met": HUGE},
                      page="/moderatie")

    assert response.status_code == 422
    assert "Kies het punt dat blijft." in response.get_data(as_text=True)


def test_a_reason_typed_before_a_missing_choice_stays_in_the_queue(client, login, truus, karim):  # noqa: F811
    punt = new_punt(truus)
    login("karim@example.nl")

    response = submit(client, f"/moderatie/agendapunt/{punt.id}", {"reden": "Past beter bij het buurtplan"},
                      page="/moderatie")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and "Past beter bij het buurtplan" in html
    db.session.refresh(punt)
    assert punt.moderatie == "ingediend"


def test_placing_a_huge_punt_id_on_the_sociale_agenda_is_not_found(client, login, karim):  # noqa: F811
    login("karim@example.nl")
    response = submit(client, "/wijkagenda/WK082806/sociale-agenda/plaatsen", {"punt_id": HUGE, "thema_id": HUGE},
                      page="/wijkagenda/WK082806/sociale-agenda/bewerken")
    assert response.status_code == 404


def test_reopening_a_running_koppeling_says_why_and_keeps_the_note(app, standaard_diensten, make_user, client,
                                                                   login):
    # The checkbox is only shown for a stopped koppeling; a stale page or a crafted post sends it
    # anyway, and the service's refusal was attached to a field that was not on the page.
    from datetime import timedelta

    from omkijken.platform.koppelingen import diensten, nazorg
    from omkijken.platform.system import services as system
    from tests.integration.test_nazorg import maatje, sweep

    k = maatje(make_user)
    sweep(app, system.as_utc(k.started_at) + timedelta(days=14, minutes=1))
    checkin = next(c for c in k.checkins if c.ronde == 1 and c.kant == "hulpvrager")
    nazorg.answer(checkin, nazorg.Answer("beter", 4, "Het is wat stil."), by=k.hulpvrager, via="app",
                  now=system.as_utc(k.started_at) + timedelta(days=15))
    mieke = make_user("mieke@example.nl", roles=("coordinator",))
    diensten.by_code("blink").coordinatoren.append(mieke)
    db.session.commit()
    login("mieke@example.nl")

    response = submit(client, f"/coordinatie/nazorg/{checkin.id}/afgehandeld",
                      {"notitie": "Gebeld, het gaat wel", "heropen": "y"}, page="/coordinatie/nazorg")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "De koppeling loopt nog." in html and "Gebeld, het gaat wel" in html


@pytest.mark.parametrize("url", ["/wijken/WK\x00", "/agenda/GM0828\x00", "/wijkagenda/WK082806%00",
                                 "/agenda/GM0828%00.ics"])
def test_a_nul_in_a_url_is_not_found(client, url):
    # PostgreSQL text cannot hold NUL: looking the code up was a DataError (500) on PostGIS.
    assert client.get(url).status_code == 404


def test_a_nul_in_typed_text_or_a_filter_is_dropped(client, make_user, login):
    from sqlalchemy import select

    from omkijken.platform.posts.models import Hulpvraag

    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    assert client.get("/prikbord?zoek=heg%00&wijk=WK%00").status_code == 200

    response = submit(client, "/plaatsen/hulpvraag", {
        "titel": "Heg\x00 knippen", "categorie": "tuinonderhoud", "waar": "thuis", "wil": "Een\x00 nette heg"})

    assert response.status_code == 302
    vraag = db.session.scalar(select(Hulpvraag))
    assert (vraag.titel, vraag.wil) == ("Heg knippen", "Een nette heg")


# --- issue 19: the findings of the second round ----------------------------------------------------


class _HugeBody(io.RawIOBase):
    """A request body that says it is ``size`` bytes and counts how much the server reads of it."""

    def __init__(self, size: int) -> None:
        self.size, self.taken = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.taken)
        buffer[:n] = b"a" * n
        self.taken += n
        return n


@pytest.mark.parametrize("url", ["/inloggen", "/registreren", "/taal"])
def test_a_huge_body_is_refused_in_dutch_before_it_is_read(app, url):
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    # Straight to the WSGI app: the test client would measure the body itself.
    body = _HugeBody(300 * 1024 * 1024)
    environ = EnvironBuilder(path=url, method="POST", content_type="multipart/form-data; boundary=grens").get_environ()
    environ.update({"CONTENT_LENGTH": str(body.size), "wsgi.input": body})
    answer, status, _headers = run_wsgi_app(app, environ, buffered=True)

    assert status.startswith("413")
    assert "Wat je stuurde is te groot" in b"".join(answer).decode()
    assert body.taken == 0
    assert app.config["MAX_CONTENT_LENGTH"] == 11 * 1024 * 1024  # just above a 10 MB attachment and its form
