"""Nazorg moved through time: a koppeling gets its check-ins, reminders and escalation on its
dienst's schedule; answers by link and in the app move it; the coordinator calls and follows up.

The clock moves with ``omkijken follow-ups --now``, as a coordinator would try it in a demo.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from omkijken.cli import main
from omkijken.matching.durability import helped, summarize
from omkijken.platform import clock
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten, nazorg, uitkomsten
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Checkin, Koppeling
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import at_once, garden_voorstel, submit

LINK = re.compile(r"http://[^\s]+/checkins/antwoord/[^\s]+")


@pytest.fixture
def koppeling(standaard_diensten, make_user) -> Koppeling:
    """Sanne helps Truus in the garden: a Burenhulp koppeling, one-off, agreed for today."""
    voorstel = garden_voorstel(make_user)
    for person in (voorstel.vrijwilliger, voorstel.hulpvraag.auteur):
        result = koppelingen.accept(voorstel, by=person, now=clock.utcnow())
    return result


def maatje(make_user, *, dienst: str = "blink") -> Koppeling:
    """A buddy koppeling of Blink (maatje: check-ins at 14, 42, 91, 182 and 365 days)."""
    voorstel = garden_voorstel(make_user)
    voorstel.hulpvraag.dienst_id = diensten.by_code(dienst).id
    voorstel.dienst_id = voorstel.hulpvraag.dienst_id
    db.session.commit()
    for person in (voorstel.vrijwilliger, voorstel.hulpvraag.auteur):
        result = koppelingen.accept(voorstel, by=person, now=clock.utcnow())
    return result


def sweep(app, moment: datetime) -> str:
    result = app.test_cli_runner().invoke(main, ["follow-ups", "--now", moment.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def mails(to: str | None = None) -> list[dict]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL)
                              .order_by(OutboxMessage.id)).all()
    return [r.payload for r in rows if to is None or r.payload["to"] == to]


def checkin_mails(to: str) -> list[dict]:
    return [m for m in mails(to) if "/checkins/antwoord/" in m["body"]]


def links_in(mail: dict) -> dict[str, str]:
    """The three one-tap links of a check-in mail, by answer."""
    found = LINK.findall(mail["body"])
    assert len(found) == 3, mail["body"]
    return dict(zip(("goed", "beter", "gestopt"), found))


def path(url: str) -> str:
    return url.split("127.0.0.1:5000", 1)[1]


def nobody_reached(client, login, make_user, checkins: list[Checkin]) -> None:
    """A coordinator without a dienst of her own calls and records that she reached nobody."""
    make_user("makelaar@example.nl", roles=("coordinator",))
    login("makelaar@example.nl")
    for c in checkins:
        submit(client, f"/coordinatie/nazorg/{c.id}/vastleggen", {"antwoord": "geen_contact"},
               page="/coordinatie/nazorg")
    db.session.expire_all()


def test_the_schedule_follows_the_kind_of_the_dienst(koppeling, make_user):
    assert koppeling.soort == "eenmalig"
    rows = db.session.scalars(select(Checkin).where(Checkin.koppeling_id == koppeling.id)).all()
    assert sorted((c.kant, c.dagen, c.status) for c in rows) == [
        ("hulpvrager", 7, "gepland"), ("vrijwilliger", 7, "gepland")
    ]
    assert {c.user_id for c in rows} == {koppeling.hulpvrager_id, koppeling.vrijwilliger_id}


def test_schedules_always_ask_at_the_horizon_unless_the_koppeling_ends_before(app):
    start = datetime(2026, 1, 5).date()
    blink = diensten.by_code("blink") if diensten.by_code("blink") else None
    assert nazorg.schedule_days("maatje", blink, started=start) == [14, 42, 91, 182, 365]
    assert nazorg.schedule_days("periodiek", None, started=start) == [14, 42, 91]
    assert nazorg.schedule_days("periodiek", None, started=start, eind_datum=start + timedelta(days=30)) == [14, 30]
    assert nazorg.schedule_days("periodiek", None, started=start, eind_datum=start + timedelta(days=180)) == [
        14, 42, 91, 180
    ]
    # A one-off task agreed for next week is asked about a week after that day.
    assert nazorg.schedule_days("eenmalig", None, started=start, afgesproken_op=start + timedelta(days=10)) == [17]


def test_a_dienst_sets_its_own_days(standaard_diensten, make_user):
    blink = diensten.by_code("blink")
    blink.nazorg_dagen = [7, 30, 91]
    db.session.commit()
    k = maatje(make_user)
    assert sorted({c.dagen for c in k.checkins}) == [7, 30, 91]


def test_check_in_reminder_and_escalation_through_time(app, koppeling):
    start = clock.as_utc(koppeling.started_at)
    truus = koppeling.hulpvrager.email
    assert "verstuurd: 0" in sweep(app, start + timedelta(days=6))

    assert "verstuurd: 2" in sweep(app, start + timedelta(days=7, minutes=1))
    assert "verstuurd: 0" in sweep(app, start + timedelta(days=7, minutes=2)), "a second sweep sends nothing"
    assert len(checkin_mails(truus)) == 1
    assert checkin_mails(truus)[0]["subject"] == "Hoe gaat het met Sanne?"

    assert "herinneringen: 2" in sweep(app, start + timedelta(days=10, minutes=2))
    assert "herinneringen: 0" in sweep(app, start + timedelta(days=10, minutes=3))
    assert [m["subject"] for m in checkin_mails(truus)] == ["Hoe gaat het met Sanne?",
                                                            "Nog even: hoe gaat het met Sanne?"]

    assert "naar de coördinator: 2" in sweep(app, start + timedelta(days=13, minutes=3))
    assert "naar de coördinator: 0" in sweep(app, start + timedelta(days=14))
    statuses = {c.kant: c.status for c in koppeling.checkins}
    assert statuses == {"hulpvrager": "bij_coordinator", "vrijwilliger": "bij_coordinator"}
    assert len(checkin_mails(truus)) == 2


def test_the_coordinator_hears_once_per_sweep_whom_to_call(app, standaard_diensten, make_user):
    mieke = make_user("mieke@example.nl", roles=("coordinator",), naam="Mieke")
    makelaar = make_user("makelaar@example.nl", roles=("coordinator",), naam="Mo")
    diensten.by_code("blink").coordinatoren.append(mieke)
    db.session.commit()
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    for days in (14, 17, 20, 21):
        sweep(app, start + timedelta(days=days, minutes=5))
    assert [m["subject"] for m in mails(mieke.email)] == ["Nazorg: 2 mensen om te bellen"]
    assert "/coordinatie/nazorg" in mails(mieke.email)[0]["body"]
    assert mails(makelaar.email) == [], "Blink has its own coordinator"


def test_the_volunteers_answer_keeps_the_ronde_open_and_the_person_helped_is_chased(
        app, standaard_diensten, make_user, client, login):
    """Issue 23, item 4: Sanne says "Goed" at day 14, Truus stays silent. Truus gets the reminder and then
    the coordinator's call, even before the horizon: only her voice settles a ronde."""
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    sweep(app, start + timedelta(days=14, minutes=1))
    sanne_mail = checkin_mails(k.vrijwilliger.email)[0]
    submit(client, path(links_in(sanne_mail)["goed"]), {"antwoord": "goed", "cijfer": "8"})
    sweep(app, start + timedelta(days=17, minutes=2))
    assert [m["subject"] for m in checkin_mails(k.hulpvrager.email)] == [
        "Hoe gaat het met Sanne?", "Nog even: hoe gaat het met Sanne?"]
    sweep(app, start + timedelta(days=20, minutes=3))
    statuses = {c.kant: c.status for c in k.checkins if c.ronde == 1}
    assert statuses == {"vrijwilliger": "beantwoord", "hulpvrager": "bij_coordinator"}
    assert k.status == "actief"
    make_user("makelaar@example.nl", roles=("coordinator",))
    login("makelaar@example.nl")
    html = client.get("/coordinatie/nazorg").get_data(as_text=True)
    assert "Bellen (1)" in html and k.hulpvrager.naam in html


def test_the_person_helpeds_answer_spares_the_volunteer_the_coordinators_call(app, standaard_diensten, make_user,
                                                                              client):
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    sweep(app, start + timedelta(days=14, minutes=1))
    submit(client, path(links_in(checkin_mails(k.hulpvrager.email)[0])["goed"]), {"antwoord": "goed"})
    sweep(app, start + timedelta(days=17, minutes=2))
    sweep(app, start + timedelta(days=20, minutes=3))
    statuses = {c.kant: c.status for c in k.checkins if c.ronde == 1}
    assert statuses == {"vrijwilliger": "verlopen", "hulpvrager": "beantwoord"}


def test_a_one_tap_answer_by_link_works_once(app, koppeling, client):
    sweep(app, clock.as_utc(koppeling.started_at) + timedelta(days=7, minutes=1))
    link = path(links_in(checkin_mails(koppeling.hulpvrager.email)[0])["goed"])

    page = client.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hoe gaat het met Sanne?" in html
    assert 'value="goed" checked' in html or 'checked value="goed"' in html or re.search(
        r'<input[^>]*checked[^>]*value="goed"|<input[^>]*value="goed"[^>]*checked', html)

    done = submit(client, link, {"antwoord": "goed", "cijfer": "9", "opmerking": "Fijne hulp!"})
    assert done.status_code == 200 and "Dank je voor je antwoord!" in done.get_data(as_text=True)
    again = client.get(link)
    assert again.status_code == 409 and "al beantwoord" in again.get_data(as_text=True)

    db.session.expire_all()
    answered = next(c for c in koppeling.checkins if c.kant == "hulpvrager")
    assert (answered.antwoord, answered.cijfer, answered.opmerking, answered.via) == ("goed", 9, "Fijne hulp!", "link")
    # The one check-in of a one-off task answered well: the task is done and counts as lasting.
    assert (koppeling.status, koppeling.eind_reden) == ("afgerond", "doel_bereikt")
    outcome = uitkomsten.outcomes_for([koppeling], now=clock.as_utc(koppeling.started_at) + timedelta(days=8))[koppeling.id]
    assert helped([outcome], now=clock.as_utc(koppeling.started_at) + timedelta(days=8)).successes == 1
    assert summarize([outcome], now=clock.as_utc(koppeling.started_at) + timedelta(days=8)).total == 0, (
        "one job done is geholpen, not duurzaam")


def test_a_tampered_link_is_refused(app, koppeling, client):
    sweep(app, clock.as_utc(koppeling.started_at) + timedelta(days=7, minutes=1))
    link = path(links_in(checkin_mails(koppeling.hulpvrager.email)[0])["goed"])
    token = link.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    forged = link.replace(token, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest)

    response = client.get(forged)
    assert response.status_code == 410 and "Deze link werkt niet" in response.get_data(as_text=True)
    # A link for a voorstel does not pass for a check-in either.
    from omkijken.platform.koppelingen import links
    voorstel_token = links.token(1, koppeling.hulpvrager_id, "ja")
    assert client.get(f"/checkins/antwoord/{voorstel_token}").status_code == 410
    db.session.expire_all()
    assert all(c.status == "verstuurd" for c in koppeling.checkins)


def test_an_expired_link_is_refused_and_sends_the_person_to_log_in(app, koppeling, client, monkeypatch):
    import itsdangerous.timed

    sweep(app, clock.as_utc(koppeling.started_at) + timedelta(days=7, minutes=1))
    checkin = next(c for c in koppeling.checkins if c.kant == "hulpvrager")
    from omkijken.platform.koppelingen import links

    real = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real - 15 * 86400)
    old = links.checkin_url(checkin.id, checkin.user_id, "goed")
    monkeypatch.undo()

    response = client.get(path(old))
    assert response.status_code == 410 and "verlopen" in response.get_data(as_text=True)


def test_a_stop_asks_why_and_ends_the_koppeling(app, standaard_diensten, make_user, client, login):
    k = maatje(make_user)
    sweep(app, clock.as_utc(k.started_at) + timedelta(days=14, minutes=1))
    link = path(links_in(checkin_mails(k.vrijwilliger.email)[0])["gestopt"])

    missing = submit(client, link, {"antwoord": "gestopt", "opmerking": "We pasten niet bij elkaar."})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "Kies waarom jullie gestopt zijn." in html
    assert "We pasten niet bij elkaar." in html, "what the person typed stays"

    submit(client, link, {"antwoord": "gestopt", "stop_reden": "klikte_niet", "opmerking": "We pasten niet."})
    db.session.expire_all()
    assert (k.status, k.eind_reden) == ("gestopt", "klikte_niet")
    assert {c.status for c in k.checkins if c.ronde > 1} == {"vervallen"}
    assert "verstuurd: 0" in sweep(app, clock.as_utc(k.started_at) + timedelta(days=42, minutes=1)), "no check-ins after a stop"

    # The coordinator of Blink sees it with the comment, and may look for a new volunteer.
    mieke = make_user("mieke@example.nl", roles=("coordinator",), naam="Mieke")
    diensten.by_code("blink").coordinatoren.append(mieke)
    db.session.commit()
    login("mieke@example.nl")
    lijst = client.get("/coordinatie/nazorg").get_data(as_text=True)
    assert "We pasten niet." in lijst and "Het klikte niet" in lijst
    stopped = next(c for c in k.checkins if c.antwoord == "gestopt")
    done = submit(client, f"/coordinatie/nazorg/{stopped.id}/afgehandeld",
                  {"notitie": "Gebeld. Truus wil graag iemand anders.", "heropen": "y"}, page="/coordinatie/nazorg")
    assert done.status_code == 302
    db.session.expire_all()
    assert k.hulpvraag.status == "open"
    assert "We pasten niet." not in client.get("/coordinatie/nazorg").get_data(as_text=True)


def test_the_coordinator_calls_and_records_the_answer(app, standaard_diensten, make_user, client, login):
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    for days in (14, 17, 20):
        sweep(app, start + timedelta(days=days, minutes=5))
    mieke = make_user("mieke@example.nl", roles=("coordinator",), naam="Mieke")
    other = make_user("jan@example.nl", roles=("coordinator",), naam="Jan")
    diensten.by_code("blink").coordinatoren.append(mieke)
    diensten.by_code("burenhulp").coordinatoren.append(other)
    db.session.commit()

    login("jan@example.nl")
    assert "Truus" not in client.get("/coordinatie/nazorg").get_data(as_text=True), "not Jan's dienst"
    truus_checkin = next(c for c in k.checkins if c.kant == "hulpvrager" and c.ronde == 1)
    forbidden = submit(client, f"/coordinatie/nazorg/{truus_checkin.id}/vastleggen", {"antwoord": "goed"},
                       page="/coordinatie/nazorg")
    assert forbidden.status_code == 403
    submit(client, "/uitloggen", {}, page="/")

    login("mieke@example.nl")
    page = client.get("/coordinatie/nazorg").get_data(as_text=True)
    assert "Bellen (2)" in page and "Truus" in page and "Sanne" in page
    saved = submit(client, f"/coordinatie/nazorg/{truus_checkin.id}/vastleggen",
                   {"antwoord": "beter", "cijfer": "5", "opmerking": "Sanne komt vaak te laat."},
                   page="/coordinatie/nazorg")
    assert saved.status_code == 302
    db.session.expire_all()
    assert (truus_checkin.via, truus_checkin.beantwoord_door_id, truus_checkin.aandacht) == ("coordinator", mieke.id,
                                                                                             True)
    page = client.get("/coordinatie/nazorg").get_data(as_text=True)
    assert "Bellen" not in page, "Sanne's silent check-in of the same ronde needs no call any more"
    assert "Sanne komt vaak te laat." in page


def test_answers_in_the_app_and_the_horizon_decides(app, standaard_diensten, make_user, client, login):
    k = maatje(make_user)
    back = timedelta(days=182, hours=1)  # it started half a year ago (a maatje's horizon); the answer comes in now
    k.started_at = clock.as_utc(k.started_at) - back
    for c in k.checkins:
        c.due_at = clock.as_utc(c.due_at) - back
    db.session.commit()
    sweep(app, clock.utcnow())  # the sweep did not run for months: ask once, about now
    truus_open = nazorg.open_checkins(k.hulpvrager)
    assert [c.dagen for c in truus_open] == [182]
    assert len(checkin_mails(k.hulpvrager.email)) == 1

    login("truus@example.nl")
    assert f"/checkins/{truus_open[0].id}" in client.get("/voorstellen").get_data(as_text=True)
    bad = submit(client, f"/checkins/{truus_open[0].id}", {"cijfer": "8", "opmerking": "Gezellig"})
    assert bad.status_code == 422 and "Kies hoe het gaat." in bad.get_data(as_text=True)
    assert "Gezellig" in bad.get_data(as_text=True)
    ok = submit(client, f"/checkins/{truus_open[0].id}", {"antwoord": "goed", "cijfer": "8"})
    assert ok.status_code == 302

    db.session.expire_all()
    assert k.status == "actief", "a maatje goes on after the horizon"
    later = clock.utcnow()
    summary = summarize(uitkomsten.outcomes_for([k], now=later).values(), now=later)
    assert (summary.successes, summary.failures, summary.pending) == (1, 0, 0)


def test_nobody_answers_and_nobody_is_reached_counts_as_unconfirmed(app, standaard_diensten, make_user, client,
                                                                     login):
    k = maatje(make_user, dienst="maatjes")
    start = clock.as_utc(k.started_at)
    for days in (182, 185, 188):  # a maatje's horizon: half a year
        sweep(app, start + timedelta(days=days, minutes=5))
    assert {c.status for c in k.checkins if c.dagen == 182} == {"bij_coordinator"}
    pending = uitkomsten.outcomes_for([k], now=start + timedelta(days=189))[k.id]
    assert summarize([pending], now=start + timedelta(days=189)).pending == 1

    nobody_reached(client, login, make_user, [c for c in k.checkins if c.dagen == 182])
    now = start + timedelta(days=190)
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.failures, summary.unconfirmed) == (1, 1)


def test_only_the_person_asked_may_answer(app, koppeling, make_user, client, login):
    sweep(app, clock.as_utc(koppeling.started_at) + timedelta(days=7, minutes=1))
    checkin = next(c for c in koppeling.checkins if c.kant == "hulpvrager")
    make_user("buurman@example.nl")
    login("buurman@example.nl")
    assert client.get(f"/checkins/{checkin.id}").status_code == 404
    assert db.session.scalar(select(func.count(Checkin.id)).where(Checkin.status == "beantwoord")) == 0


def test_the_beheerder_sets_the_check_in_days_of_a_dienst(app, standaard_diensten, make_user, client, login):
    make_user("bea@example.nl", roles=("beheerder",))
    login("bea@example.nl")
    blink = diensten.by_code("blink")
    url = f"/beheer/diensten/{blink.id}"
    form = {"naam": "Blink", "soort_koppeling": "maatje", "bemiddeld": "y", "vog_nodig": "y"}
    wrong = submit(client, url, {**form, "nazorg_dagen": "14, twee weken"})
    assert wrong.status_code == 422 and "Bijvoorbeeld: 14, 42, 91." in wrong.get_data(as_text=True)
    assert "14, twee weken" in wrong.get_data(as_text=True)
    assert submit(client, url, {**form, "nazorg_dagen": "30 , 14;91"}).status_code == 302
    db.session.expire_all()
    assert diensten.by_code("blink").nazorg_dagen == [14, 30, 91]
    assert 'value="14, 30, 91"' in client.get(url).get_data(as_text=True)


def test_a_hulpvraag_is_never_reopened_while_its_koppeling_runs(app, standaard_diensten, make_user):
    k = maatje(make_user)
    sweep(app, clock.as_utc(k.started_at) + timedelta(days=14, minutes=1))
    checkin = next(c for c in k.checkins if c.ronde == 1 and c.kant == "hulpvrager")
    nazorg.answer(checkin, nazorg.Answer("beter", 4, "Het is wat stil."), by=k.hulpvrager, via="app",
                  now=clock.as_utc(k.started_at) + timedelta(days=15))
    mieke = make_user("mieke@example.nl", roles=("coordinator",))
    with pytest.raises(nazorg.NazorgError):
        nazorg.handle(checkin, by=mieke, notitie="Gebeld", heropen=True, now=clock.as_utc(k.started_at) + timedelta(days=16))
    db.session.rollback()
    assert db.session.get(Hulpvraag, k.hulpvraag_id).status == "gekoppeld"


def test_two_sweeps_at_the_same_moment_send_each_check_in_once(app, standaard_diensten, make_user):
    """Two beat processes by mistake: each check-in is claimed by one of them."""
    from omkijken.platform.posts import services as posts
    from tests.support import NEAR_RUWAARD

    made = [maatje(make_user)]
    sanne = made[0].vrijwilliger
    for n in range(3):
        buur = make_user(f"buur{n}@example.nl", home=NEAR_RUWAARD)
        vraag = posts.create(Hulpvraag(titel=f"Samen wandelen {n}", categorie="maatje"), auteur=buur,
                             now=clock.utcnow())
        voorstel = koppelingen.offer_help(vraag, by=sanne, tekst="", now=clock.utcnow())
        made.append(koppelingen.accept(voorstel, by=buur, now=clock.utcnow()))
    db.session.commit()
    moment = clock.as_utc(made[0].started_at) + timedelta(days=14, minutes=1)
    results = at_once(app, lambda: nazorg.sweep(now=moment), 2)
    db.session.expire_all()
    assert sum(r.sent for r in results) == 8
    assert len([m for m in mails() if "/checkins/antwoord/" in m["body"]]) == 8


def test_the_worker_runs_the_sweep_that_beat_schedules(app, standaard_diensten, make_user, worker):
    from omkijken.platform.extensions import db as database
    from omkijken.workers.app import BEAT_SCHEDULE
    from tests.support import wait_for

    assert BEAT_SCHEDULE["follow-ups"]["task"] == "omkijken.follow_ups"
    k = maatje(make_user)
    back = timedelta(days=14, hours=1)
    k.started_at = clock.as_utc(k.started_at) - back
    for c in k.checkins:
        c.due_at = clock.as_utc(c.due_at) - back
    db.session.commit()

    app.extensions["omkijken.sender"].send_task("omkijken.follow_ups")

    def sent() -> int:
        database.session.rollback()
        return database.session.scalar(select(func.count(Checkin.id)).where(Checkin.status == "verstuurd"))

    wait_for(lambda: sent() == 2, timeout=30, what="de worker verstuurt de check-ins")


def test_the_answers_are_for_the_coordinator_only(app, standaard_diensten, make_user, client, login):
    k = maatje(make_user)
    sweep(app, clock.as_utc(k.started_at) + timedelta(days=14, minutes=1))
    checkin = next(c for c in k.checkins if c.ronde == 1 and c.kant == "hulpvrager")
    nazorg.answer(checkin, nazorg.Answer("beter", 5, "Sanne belt nooit terug."), by=k.hulpvrager, via="app",
                  now=clock.utcnow())
    login("sanne@example.nl")
    assert "Sanne belt nooit terug." not in client.get(f"/koppelingen/{k.id}").get_data(as_text=True)
    submit(client, "/uitloggen", {}, page="/")
    mieke = make_user("mieke@example.nl", roles=("coordinator",))
    diensten.by_code("blink").coordinatoren.append(mieke)
    db.session.commit()
    login("mieke@example.nl")
    page = client.get(f"/koppelingen/{k.id}").get_data(as_text=True)
    assert "Sanne belt nooit terug." in page and "cijfer 5" in page


def test_a_new_ronde_replaces_an_unanswered_older_one(app, standaard_diensten, make_user):
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    for days in (91, 94, 97):
        sweep(app, start + timedelta(days=days, minutes=5))
    assert {c.status for c in k.checkins if c.dagen == 91} == {"bij_coordinator"}
    sweep(app, start + timedelta(days=182, minutes=5))
    assert {c.status for c in k.checkins if c.dagen == 91} == {"verlopen"}
    assert {c.status for c in k.checkins if c.dagen == 182} == {"verstuurd"}
    # Day 91 is no maatje's horizon (182 is): that silence does not decide it.
    now = start + timedelta(days=183)
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.failures, summary.pending, summary.horizon_days) == (0, 1, 182)


def test_the_volunteers_goed_in_the_last_ronde_still_lets_the_person_helped_answer(app, koppeling, client):
    """Sanne taps "Goed" first in the one ronde of a one-off task. Truus, whom she helped, is still
    asked: her link opens the question, and her answer is what completes the koppeling."""
    start = clock.as_utc(koppeling.started_at)
    sweep(app, start + timedelta(days=7, minutes=1))
    sanne_link = path(links_in(checkin_mails(koppeling.vrijwilliger.email)[0])["goed"])
    truus_link = path(links_in(checkin_mails(koppeling.hulpvrager.email)[0])["goed"])

    submit(client, sanne_link, {"antwoord": "goed", "cijfer": "8"})
    db.session.expire_all()
    assert koppeling.status == "actief", "a volunteer's answer alone does not settle it"
    later = start + timedelta(days=8)
    outcome = uitkomsten.outcomes_for([koppeling], now=later)[koppeling.id]
    assert helped([outcome], now=later).successes == 0, "not counted as helped before Truus says so"

    page = client.get(truus_link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hoe gaat het met Sanne?" in html
    assert "niet meer nodig" not in html
    done = submit(client, truus_link, {"antwoord": "goed", "cijfer": "9"})
    assert done.status_code == 200 and "Dank je voor je antwoord!" in done.get_data(as_text=True)

    db.session.expire_all()
    assert {c.kant: (c.status, c.antwoord, c.cijfer) for c in koppeling.checkins} == {
        "vrijwilliger": ("beantwoord", "goed", 8), "hulpvrager": ("beantwoord", "goed", 9)}
    assert (koppeling.status, koppeling.eind_reden) == ("afgerond", "doel_bereikt")
    outcome = uitkomsten.outcomes_for([koppeling], now=later)[koppeling.id]
    assert helped([outcome], now=later).successes == 1


def test_a_silent_person_helped_goes_to_the_coordinator_after_the_volunteers_last_answer(app, koppeling, client):
    """Truus does not answer after Sanne's "Goed" in the last ronde: she gets the reminder, and then the
    coordinator calls her, because only her answer settles whether she was helped."""
    start = clock.as_utc(koppeling.started_at)
    sweep(app, start + timedelta(days=7, minutes=1))
    submit(client, path(links_in(checkin_mails(koppeling.vrijwilliger.email)[0])["goed"]), {"antwoord": "goed"})
    sweep(app, start + timedelta(days=10, minutes=2))
    assert [m["subject"] for m in checkin_mails(koppeling.hulpvrager.email)] == [
        "Hoe gaat het met Sanne?", "Nog even: hoe gaat het met Sanne?"]
    assert "naar de coördinator: 1" in sweep(app, start + timedelta(days=13, minutes=3))
    truus = next(c for c in koppeling.checkins if c.kant == "hulpvrager")
    assert (truus.status, koppeling.status) == ("bij_coordinator", "actief")


def test_the_volunteer_may_still_answer_after_the_person_helped_closed_the_last_ronde(app, koppeling, client):
    """Truus answers first and the task is done; Sanne's answer of the same ronde still counts."""
    sweep(app, clock.as_utc(koppeling.started_at) + timedelta(days=7, minutes=1))
    submit(client, path(links_in(checkin_mails(koppeling.hulpvrager.email)[0])["goed"]), {"antwoord": "goed"})
    db.session.expire_all()
    assert koppeling.status == "afgerond"

    sanne_link = path(links_in(checkin_mails(koppeling.vrijwilliger.email)[0])["beter"])
    assert client.get(sanne_link).status_code == 200
    submit(client, sanne_link, {"antwoord": "beter", "opmerking": "De heggenschaar was bot."})
    db.session.expire_all()
    sanne = next(c for c in koppeling.checkins if c.kant == "vrijwilliger")
    assert (sanne.status, sanne.antwoord, sanne.aandacht) == ("beantwoord", "beter", True)
    assert (koppeling.status, koppeling.eind_reden) == ("afgerond", "doel_bereikt")


def test_at_the_horizon_only_the_person_helped_confirms_a_maatje(app, standaard_diensten, make_user, client):
    """Day 182 of a maatje (its horizon): Sanne says "Goed", Truus stays silent. Truus is reminded and then
    called; until she or the coordinator who called her confirms, the koppeling is not counted as lasting."""
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    sweep(app, start + timedelta(days=182, minutes=5))
    sanne_mail = checkin_mails(k.vrijwilliger.email)[-1]
    submit(client, path(links_in(sanne_mail)["goed"]), {"antwoord": "goed", "cijfer": "8"})
    for days in (185, 188):
        sweep(app, start + timedelta(days=days, minutes=6))
    statuses = {c.kant: c.status for c in k.checkins if c.dagen == 182}
    assert statuses == {"vrijwilliger": "beantwoord", "hulpvrager": "bij_coordinator"}
    now = start + timedelta(days=189)
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.successes, summary.pending) == (0, 1), "the volunteer's answer alone does not settle it"
    later = start + timedelta(days=203)
    summary = summarize(uitkomsten.outcomes_for([k], now=later).values(), now=later)
    assert (summary.failures, summary.unconfirmed) == (1, 1), "nobody reached her in two weeks: unconfirmed"


# --- issue 23: the hulpvrager's voice, neutral endings, no automatic end ---------------------------------------


def test_het_kan_beter_with_a_low_cijfer_goes_to_the_coordinator_and_confirms_only_after_the_follow_up(
        app, standaard_diensten, make_user, client, login):
    """Truus answers "Het kan beter" with a 3 at a maatje's horizon: the coordinator sees it in the list,
    and it counts as lasting only once the coordinator followed it up."""
    k = maatje(make_user)
    back = timedelta(days=182, hours=1)  # it started half a year ago; the answer comes in now
    k.started_at = clock.as_utc(k.started_at) - back
    for c in k.checkins:
        c.due_at = clock.as_utc(c.due_at) - back
    db.session.commit()
    sweep(app, clock.utcnow())
    submit(client, path(links_in(checkin_mails(k.hulpvrager.email)[-1])["beter"]),
           {"antwoord": "beter", "cijfer": "3", "opmerking": "Ze komt vaak te laat."})
    db.session.expire_all()
    truus = next(c for c in k.checkins if c.kant == "hulpvrager" and c.dagen == 182)
    assert (truus.status, truus.aandacht, k.status) == ("beantwoord", True, "actief")
    now = clock.utcnow() + timedelta(minutes=1)
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.successes, summary.pending) == (0, 1), "a 3 is a cry for help, not a confirmation"

    make_user("makelaar@example.nl", roles=("coordinator",))
    login("makelaar@example.nl")
    html = client.get("/coordinatie/nazorg").get_data(as_text=True)
    assert "Kijk even mee (1)" in html and "Ze komt vaak te laat." in html
    submit(client, f"/coordinatie/nazorg/{truus.id}/afgehandeld", {"notitie": "Gebeld, afspraken gemaakt."},
           page="/coordinatie/nazorg")
    db.session.expire_all()
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.successes, summary.pending) == (1, 0)


def test_a_move_ends_the_koppeling_without_counting_as_a_failure(app, standaard_diensten, make_user, client, login):
    """Issue 23, item 5: the stop reasons include moving, death, care and referral, in plain Dutch; such an
    ending is neither success nor failure."""
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    sweep(app, start + timedelta(days=42, minutes=5))
    link = path(links_in(checkin_mails(k.hulpvrager.email)[-1])["gestopt"])
    html = client.get(link).get_data(as_text=True)
    for words in ("Iemand is verhuisd", "Iemand is overleden", "Iemand is opgenomen in een zorginstelling",
                  "Iemand krijgt nu hulp van een professional"):
        assert words in html
    submit(client, link, {"antwoord": "gestopt", "stop_reden": "verhuisd"})
    db.session.expire_all()
    assert (k.status, k.eind_reden) == ("gestopt", "verhuisd")
    now = start + timedelta(days=200)
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.successes, summary.failures, summary.pending, summary.neutral) == (0, 0, 0, 1)
    assert summary.rate is None and summary.km_at_horizon == 1.0


def test_at_the_last_ronde_the_pair_is_asked_whether_they_carry_on(app, standaard_diensten, make_user, client):
    """Issue 23, item 6: no automatic end. At the last planned ronde (day 365 of a maatje) Truus says they go
    on: the koppeling runs on with a check-in half a year later, and there they stop: afgerond."""
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    sweep(app, start + timedelta(days=365, minutes=5))
    link = path(links_in(checkin_mails(k.hulpvrager.email)[-1])["goed"])
    assert "Gaan jullie door met elkaar?" in client.get(link).get_data(as_text=True)
    unsure = submit(client, link, {"antwoord": "goed", "cijfer": "9"})
    assert unsure.status_code == 422 and "Zeg of jullie doorgaan." in unsure.get_data(as_text=True)
    submit(client, link, {"antwoord": "goed", "cijfer": "9", "doorgaan": "ja"})
    db.session.expire_all()
    assert k.status == "actief", "they carry on"
    nieuw = sorted((c.kant, c.ronde, c.dagen, c.status) for c in k.checkins if c.dagen > 365)
    assert nieuw == [("hulpvrager", 6, 547, "gepland"), ("vrijwilliger", 6, 547, "gepland")]
    assert all(clock.as_utc(c.due_at) == start + timedelta(days=547) for c in k.checkins if c.dagen == 547)

    sweep(app, start + timedelta(days=547, minutes=5))
    link = path(links_in(checkin_mails(k.hulpvrager.email)[-1])["goed"])
    assert "Gaan jullie door met elkaar?" in client.get(link).get_data(as_text=True)
    submit(client, link, {"antwoord": "goed", "doorgaan": "nee"})
    db.session.expire_all()
    assert (k.status, k.eind_reden) == ("afgerond", "doel_bereikt")
    assert next(c for c in k.checkins if c.kant == "hulpvrager" and c.ronde == 6).doorgaan is False


def test_earlier_rondes_do_not_ask_whether_they_carry_on(app, standaard_diensten, make_user, client):
    k = maatje(make_user)
    sweep(app, clock.as_utc(k.started_at) + timedelta(days=14, minutes=5))
    link = path(links_in(checkin_mails(k.hulpvrager.email)[-1])["goed"])
    assert "Gaan jullie door" not in client.get(link).get_data(as_text=True)
    assert submit(client, link, {"antwoord": "goed"}).status_code == 200


def test_the_volunteers_goal_reached_counts_only_when_the_person_helped_confirms(app, standaard_diensten, make_user,
                                                                                 client):
    """Sanne says "we zijn gestopt, het doel is bereikt" at day 42. The koppeling ends, but Truus's question
    of that ronde stays open; while it is open the koppeling is not counted, and it counts once she says so."""
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    sweep(app, start + timedelta(days=42, minutes=5))
    submit(client, path(links_in(checkin_mails(k.vrijwilliger.email)[-1])["gestopt"]),
           {"antwoord": "gestopt", "stop_reden": "doel_bereikt"})
    db.session.expire_all()
    assert (k.status, k.eind_reden) == ("afgerond", "doel_bereikt")
    truus = next(c for c in k.checkins if c.kant == "hulpvrager" and c.dagen == 42)
    assert truus.status == "verstuurd"
    now = start + timedelta(days=200)
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.successes, summary.failures, summary.pending) == (0, 0, 1)

    submit(client, path(links_in(checkin_mails(k.hulpvrager.email)[-1])["gestopt"]),
           {"antwoord": "gestopt", "stop_reden": "doel_bereikt"})
    db.session.expire_all()
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.successes, summary.failures, summary.pending) == (1, 0, 0)


def test_the_volunteers_goal_reached_without_a_word_from_the_person_helped_is_not_a_success(
        app, standaard_diensten, make_user, client, login):
    k = maatje(make_user)
    start = clock.as_utc(k.started_at)
    sweep(app, start + timedelta(days=42, minutes=5))
    submit(client, path(links_in(checkin_mails(k.vrijwilliger.email)[-1])["gestopt"]),
           {"antwoord": "gestopt", "stop_reden": "doel_bereikt"})
    sweep(app, start + timedelta(days=45, minutes=6))
    sweep(app, start + timedelta(days=48, minutes=7))  # reminded, then to the coordinator
    truus = next(c for c in k.checkins if c.kant == "hulpvrager" and c.dagen == 42)
    assert truus.status == "bij_coordinator"
    nobody_reached(client, login, make_user, [truus])
    now = start + timedelta(days=200)
    summary = summarize(uitkomsten.outcomes_for([k], now=now).values(), now=now)
    assert (summary.successes, summary.failures) == (0, 1)
