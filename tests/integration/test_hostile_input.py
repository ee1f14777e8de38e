"""Regression tests for what tests/integration/test_fuzz_forms.py found (issue 8): each one a
bug a person could hit with odd input, now a Dutch answer instead of a server error or lost text."""

from __future__ import annotations

import io

import pytest

from omkijken.platform import clock
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
    from tests.integration.test_nazorg import maatje, sweep

    k = maatje(make_user)
    sweep(app, clock.as_utc(k.started_at) + timedelta(days=14, minutes=1))
    checkin = next(c for c in k.checkins if c.ronde == 1 and c.kant == "hulpvrager")
    nazorg.answer(checkin, nazorg.Answer("beter", 4, "Het is wat stil."), by=k.hulpvrager, via="app",
                  now=clock.as_utc(k.started_at) + timedelta(days=15))
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


EXTREME_DAYS = ["9999-12-31", "0001-01-01"]


@pytest.mark.parametrize("dag", EXTREME_DAYS)
def test_an_extreme_date_in_the_figures_is_refused_in_dutch(client, make_user, login, dag):
    # OverflowError in insights/feiten.py: the day after 9999-12-31, and 0001-01-01 in UTC.
    make_user("gea@example.nl", roles=("gemeente",))
    login("gea@example.nl")

    api = client.get(f"/api/v1/kpi?van={dag}")
    assert api.status_code == 400 and "datum" in api.get_json()["error"]
    for url in (f"/inzicht?van={dag}", f"/inzicht/kaart?van={dag}", f"/inzicht?tot={dag}",
                f"/inzicht?van={dag}&tot={dag}"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert "Kies een datum tussen 2000 en 2099." in response.get_data(as_text=True), url
    csv = client.get(f"/inzicht/duurzaam-dienst.csv?van={dag}")
    assert csv.status_code == 400 and "Kies een datum tussen 2000 en 2099." in csv.get_data(as_text=True)


def test_a_start_long_ago_without_an_end_is_a_period_too_long(client, make_user, login):
    make_user("gea@example.nl", roles=("gemeente",))
    login("gea@example.nl")
    response = client.get("/inzicht?van=2001-01-01")
    assert response.status_code == 422 and "Kies een periode van hoogstens vijf jaar." in response.get_data(as_text=True)
    assert client.get("/api/v1/kpi?van=2001-01-01").status_code == 400


@pytest.mark.parametrize("dag", EXTREME_DAYS)
def test_an_extreme_date_on_a_post_is_refused_in_dutch_and_the_title_stays(client, make_user, login, dag):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    response = submit(client, "/plaatsen/hulpvraag", {
        "titel": "Heg knippen", "categorie": "tuinonderhoud", "waar": "thuis", "datum": dag})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kies een datum tussen 2000 en 2099." in html and 'value="Heg knippen"' in html


def test_a_huge_regeling_or_wijk_on_the_subsidy_form_is_refused_in_dutch(client, login, make_user):
    from sqlalchemy import select

    from omkijken.platform.clock import utcnow
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Initiatief
    from omkijken.platform.subsidies.models import Subsidieaanvraag
    from tests.integration.test_subsidies import new_regeling

    bewoner = make_user("truus@example.nl", home=RUWAARD)
    new_regeling(make_user("beheer@example.nl", roles=("beheerder",)))
    initiatief = posts.create(Initiatief(titel="Koffieochtend", categorie="ontmoeting_gezelschap"), auteur=bewoner,
                              now=utcnow(), where=RUWAARD)
    login("truus@example.nl")
    response = submit(client, f"/subsidies/nieuw/{initiatief.id}", {}, page=f"/prikbord/{initiatief.id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.location
    # Saving the draft: a regeling or wijk that cannot exist is "nothing chosen" (this was the
    # OverflowError on SQLite and a DataError on PostgreSQL); the wijk stays the initiatief's.
    for field in ("regeling_id", "wijk_id"):
        assert submit(client, url, {"titel": "Koffie", field: HUGE, "actie": "bewaren"}, page=url).status_code == 302
    aanvraag = db.session.scalar(select(Subsidieaanvraag))
    db.session.refresh(aanvraag)
    assert aanvraag.regeling_id is None and aanvraag.wijk.code == "WK082806"
    # Sending it in: the form says what to choose, and keeps what was typed.
    response = submit(client, url, {"titel": "Koffie", "regeling_id": HUGE, "actie": "indienen"}, page=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kies de regeling waar je subsidie uit vraagt." in html and 'value="Koffie"' in html


def test_a_nul_given_to_a_service_is_dropped_on_both_backends(app, make_user):
    # The web drops NUL from every form field (above); a service called from the CLI, the demo or
    # a future import did not, and PostgreSQL refused the row (SQLite stored it).
    from omkijken.platform.clock import utcnow
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Hulpvraag

    bewoner = make_user("tr\x00uus@example.nl", home=RUWAARD, naam="Tru\x00us")
    vraag = posts.create(Hulpvraag(titel="Heg\x00 knippen", categorie="tuinonderhoud", wil="Een\x00 heg"),
                         auteur=bewoner, now=utcnow())
    db.session.expire_all()
    assert (vraag.titel, vraag.wil, vraag.auteur.naam, vraag.auteur.email) == (
        "Heg knippen", "Een heg", "Truus", "truus@example.nl")


CONTROL = "Koffie\r\nBcc: iedereen@example.nl\x07\x1b[31m\u2028ochtend"


def test_a_crlf_in_a_subsidy_title_is_one_line_and_its_mails_still_go(app, client, login, make_user):
    # The worker built the status mail with the title in its subject: a header may not hold a line
    # break, so the mail failed on every try, forever.
    from sqlalchemy import select

    from omkijken.platform.clock import utcnow
    from omkijken.platform.subsidies import services as subsidies
    from omkijken.platform.subsidies.models import Subsidieaanvraag
    from omkijken.platform.system.mail import Email, build_message
    from omkijken.platform.system.models import OutboxMessage
    from omkijken.platform.system.services import SEND_EMAIL
    from tests.integration.test_subsidies import complete_draft, new_regeling
    from tests.integration.test_subsidies_aanvrager import complete

    bewoner = make_user("truus@example.nl", home=RUWAARD)
    regeling = new_regeling(make_user("beheer@example.nl", roles=("beheerder",)), budget=5000, maximum=2000)
    aanvraag = complete_draft(bewoner, regeling)
    login("truus@example.nl")
    url = f"/subsidies/{aanvraag.id}/bewerken"
    response = submit(client, url, complete(regeling, titel=CONTROL, **{"regel-2-wat": "Zaal\r\nhuur"}), page=url)
    assert response.status_code == 302, response.get_data(as_text=True)
    aanvraag = db.session.scalar(select(Subsidieaanvraag))
    db.session.refresh(aanvraag)
    assert aanvraag.titel == "Koffie Bcc: iedereen@example.nl [31m ochtend"
    assert [r.omschrijving for r in aanvraag.regels] == ["Koffie en thee", "Zaal huur"]

    subsidies.submit(aanvraag, by=bewoner, now=utcnow())
    db.session.commit()
    payload = db.session.scalar(select(OutboxMessage).where(OutboxMessage.task == SEND_EMAIL)
                                .order_by(OutboxMessage.id.desc())).payload
    assert "\n" not in payload["subject"] and "\r" not in payload["subject"]
    build_message(app.config, Email(**payload))


def test_a_mail_whose_subject_holds_a_line_break_is_still_built(app):
    # Rows written before the fix, and names typed elsewhere, end up in subjects too.
    from omkijken.platform.system.mail import Email, build_message

    message = build_message(app.config, Email("truus@example.nl", "Over je bericht: Heg\r\nBcc: x@example.nl", "Hoi"))
    assert message["Subject"] == "Over je bericht: Heg Bcc: x@example.nl" and message["Bcc"] is None


def test_every_single_line_field_of_every_form_drops_control_characters(app):
    """A class of bug, not one field: every form of the product, every text field in it."""
    import importlib
    import pkgutil
    import unicodedata

    import wtforms
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    import omkijken.platform as platform

    for module in pkgutil.walk_packages(platform.__path__, "omkijken.platform."):
        if module.name.endswith(("forms", "forms_")) or module.name.endswith("_forms"):
            importlib.import_module(module.name)

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    forms = [f for f in set(every(FlaskForm)) if f.__module__.startswith("omkijken.")]
    checked = 0
    with app.test_request_context():
        for form_class in forms:
            plain = [name for name in dir(form_class)
                     if isinstance(getattr(form_class, name), wtforms.fields.core.UnboundField)
                     and getattr(form_class, name).field_class in (wtforms.StringField, wtforms.TextAreaField)]
            assert not plain, f"{form_class.__name__}: {plain} use wtforms' own text fields, not formfields'"
            form = form_class(formdata=MultiDict({name: CONTROL for name in dir(form_class)}), meta={"csrf": False})
            for field in form:
                if not isinstance(field.data, str) or not field.data or isinstance(
                        field, (wtforms.EmailField, wtforms.PasswordField, wtforms.HiddenField)):
                    continue
                if isinstance(field, wtforms.TextAreaField):
                    assert not {ch for ch in field.data if ch not in "\n\t" and unicodedata.category(ch) == "Cc"}, \
                        (form_class, field.name, field.data)
                    checked += 1
                elif isinstance(field, wtforms.StringField):
                    assert not {ch for ch in field.data if unicodedata.category(ch) == "Cc" or ch == "\u2028"}, \
                        (form_class, field.name, field.data)
                    checked += 1
    assert checked > 40, checked


ELSEWHERE = ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example",
             "\\/evil.example", "/\\/evil.example", " //evil.example", "https://evil.example/", "http:evil.example",
             "javascript:alert(1)", "/\x00/evil.example", "///evil.example", "\t//evil.example"]
HERE = ["/prikbord?soort=hulpvraag", "/wijkagenda/WK082806#punt-3", "/"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_language_switch_and_the_login_never_send_anyone_elsewhere(client, make_user, target):
    # Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    # "/\t/evil.example" passed the old check and became //evil.example (only CSP stopped it).
    response = submit(client, "/taal", {"taal": "en", "next": target}, page="/")
    assert response.status_code == 302 and response.location == "/", repr(target)

    make_user("truus@example.nl", home=RUWAARD)
    response = submit(client, "/inloggen?" + __import__("urllib.parse").parse.urlencode({"next": target}),
                      {"email": "truus@example.nl", "password": "wachtwoord-123"}, page="/inloggen")
    assert response.status_code == 302 and response.location == "/", repr(target)


@pytest.mark.parametrize("target", HERE)
def test_a_target_on_this_site_is_kept(client, target):
    response = submit(client, "/taal", {"taal": "en", "next": target}, page="/")
    assert response.location == target
