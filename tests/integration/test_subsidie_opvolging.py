"""Follow-up after a grant: reminders of the accountability through time (at most two, never
twice), and "bestaat het nog?" a year after the support ended: mail, one-tap page, the answer
kept once, forged and expired links refused, and the figures against the 80% target."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import render_template
from sqlalchemy import select

from omkijken.cli import main
from omkijken.platform import clock
from omkijken.platform.accounts.models import User
from omkijken.platform.areas.models import Gemeente
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies import gemeente_services, opvolging, services
from omkijken.platform.subsidies.models import Subsidieaanvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import RUWAARD, at_once, submit

EURO = 100
LINK = re.compile(r"http://[^\s]+/subsidies/bestaat-nog/[^\s]+")


@pytest.fixture
def truus(make_user) -> User:
    return make_user("truus@example.nl", home=RUWAARD, naam="Truus")


@pytest.fixture
def ambtenaar(make_user) -> User:
    return make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")


@pytest.fixture
def regeling(make_user):
    beheerder = make_user("beheer@example.nl", roles=("beheerder",))
    oss = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0828"))
    return gemeente_services.create_regeling(gemeente=oss, jaar=2025, naam="Fonds sociale basis", budget_cents=10_000 * EURO,
                                    max_per_aanvraag_cents=2_500 * EURO, soorten=["ontmoeting"], by=beheerder,
                                    now=clock.utcnow())


def granted(truus, ambtenaar, regeling, *, at: datetime, titel: str = "Koffieochtend Ruwaard") -> Subsidieaanvraag:
    """An aanvraag taken through to verantwoording_gevraagd, every step at ``at``."""
    initiatief = posts.create(Initiatief(titel=titel, categorie="ontmoeting_gezelschap"), auteur=truus, now=at,
                              where=RUWAARD)
    aanvraag = services.create_draft(initiatief, by=truus, now=at)
    services.edit(aanvraag, by=truus, now=at, soort="ontmoeting", wat="Elke dinsdag koffie", voor_wie="Ouderen",
                  wanneer="Elke dinsdag", deelnemers=20, regeling_id=regeling.id)
    services.set_lines(aanvraag, [("Koffie", 150 * EURO), ("Zaalhuur", 300 * EURO)], by=truus, now=at)
    services.submit(aanvraag, by=truus, now=at)
    services.move(aanvraag, "in_behandeling", by=ambtenaar, now=at)
    services.move(aanvraag, "toegekend", by=ambtenaar, reden="Past bij de regeling.", now=at)
    services.move(aanvraag, "verantwoording_gevraagd", by=ambtenaar, now=at)
    return aanvraag


def closed(truus, ambtenaar, regeling, *, at: datetime, titel: str = "Koffieochtend Ruwaard") -> Subsidieaanvraag:
    aanvraag = granted(truus, ambtenaar, regeling, at=at, titel=titel)
    services.edit(aanvraag, by=truus, now=at, bereikt="Elke week 20 mensen", bijdragen_van_wie="Buren",
                  deelnemers_vonden="Gezellig", werkelijke_kosten_cents=440 * EURO)
    services.move(aanvraag, "verantwoord", by=truus, now=at)
    services.move(aanvraag, "afgesloten", by=ambtenaar, now=at)
    return aanvraag


def sweep(app, moment: datetime) -> str:
    result = app.test_cli_runner().invoke(main, ["subsidie-opvolging", "--now", moment.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def mails(to: str | None = None, *, contains: str = "") -> list[dict]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL)
                              .order_by(OutboxMessage.id)).all()
    return [r.payload for r in rows if (to is None or r.payload["to"] == to) and contains in r.payload["body"]]


def reminders(to: str) -> list[dict]:
    return [m for m in mails(to) if m["subject"].startswith("Vertel je nog hoe het ging?")]


def path(url: str) -> str:
    return url.split("127.0.0.1:5000", 1)[1]


def links_in(mail: dict) -> dict[str, str]:
    found = LINK.findall(mail["body"])
    assert len(found) == 2, mail["body"]
    return {"ja": path(found[0]), "nee": path(found[1])}


# ---- reminders of the accountability ------------------------------------------------------------

def test_two_reminders_through_time_and_never_one_twice(app, truus, ambtenaar, regeling):
    start = clock.utcnow()
    aanvraag = granted(truus, ambtenaar, regeling, at=start)

    assert "Herinneringen verantwoording: 0" in sweep(app, start + timedelta(days=27))
    assert "Herinneringen verantwoording: 1" in sweep(app, start + timedelta(days=28, minutes=1))
    assert "Herinneringen verantwoording: 0" in sweep(app, start + timedelta(days=28, minutes=2))
    first = reminders(truus.email)
    assert len(first) == 1 and "Koffieochtend Ruwaard" in first[0]["body"] and "/subsidies/" in first[0]["body"]
    assert (aanvraag.herinneringen, clock.as_utc(aanvraag.herinnerd_at)) == (1, start + timedelta(days=28, minutes=1))

    assert "Herinneringen verantwoording: 0" in sweep(app, start + timedelta(days=41))
    assert "Herinneringen verantwoording: 1" in sweep(app, start + timedelta(days=42, minutes=2))
    assert "tweede herinnering" in reminders(truus.email)[-1]["body"]
    assert "Herinneringen verantwoording: 0" in sweep(app, start + timedelta(days=120))
    assert len(reminders(truus.email)) == 2 and aanvraag.herinneringen == 2


def test_a_late_sweep_sends_one_reminder_and_the_second_two_weeks_later(app, truus, ambtenaar, regeling):
    start = clock.utcnow()
    granted(truus, ambtenaar, regeling, at=start)

    late = start + timedelta(days=60)
    assert "Herinneringen verantwoording: 1" in sweep(app, late)
    assert "Herinneringen verantwoording: 0" in sweep(app, late + timedelta(days=13))
    assert "Herinneringen verantwoording: 1" in sweep(app, late + timedelta(days=14))


def test_no_reminder_once_the_accountability_is_in(app, truus, ambtenaar, regeling):
    start = clock.utcnow()
    aanvraag = granted(truus, ambtenaar, regeling, at=start)
    services.edit(aanvraag, by=truus, now=start, bereikt="Veel", bijdragen_van_wie="Buren", deelnemers_vonden="Leuk",
                  werkelijke_kosten_cents=450 * EURO)
    services.move(aanvraag, "verantwoord", by=truus, now=start + timedelta(days=3))

    sweep(app, start + timedelta(days=60))
    assert reminders(truus.email) == []


def test_two_sweeps_at_once_remind_each_aanvrager_once(app, truus, ambtenaar, regeling, make_user):
    start = clock.utcnow()
    granted(truus, ambtenaar, regeling, at=start)
    ahmed = make_user("ahmed@example.nl", home=RUWAARD, naam="Ahmed")
    granted(ahmed, ambtenaar, regeling, at=start, titel="Buurtmoestuin")
    moment = start + timedelta(days=29)

    results = at_once(app, lambda: opvolging.remind(now=moment), 2)
    db.session.expire_all()
    assert sum(results) == 2
    assert len(reminders(truus.email)) == 1 and len(reminders(ahmed.email)) == 1


# ---- "bestaat het nog?" --------------------------------------------------------------------------

def year_on(aanvraag: Subsidieaanvraag) -> datetime:
    """Move the end of support a year and a day back, so the question is due now (the links
    are signed with the real clock)."""
    aanvraag.steun_eind = aanvraag.steun_eind - timedelta(days=366)
    db.session.commit()
    return clock.utcnow()


def test_a_year_after_support_the_author_is_asked_once_and_answers_by_link(app, truus, ambtenaar, regeling, client):
    aanvraag = closed(truus, ambtenaar, regeling, at=clock.utcnow())
    assert "'bestaat het nog?': 0" in sweep(app, clock.utcnow())
    now = year_on(aanvraag)

    assert "'bestaat het nog?': 1" in sweep(app, now)
    assert "'bestaat het nog?': 0" in sweep(app, now + timedelta(minutes=5))
    asked = mails(truus.email, contains="/subsidies/bestaat-nog/")
    assert len(asked) == 1 and "bestaat het nog?" in asked[0]["body"]
    link = links_in(asked[0])["ja"]

    page = client.get(link)  # a mail scanner opening the link answers nothing
    assert page.status_code == 200 and "Ja, het bestaat nog" in page.get_data(as_text=True)
    db.session.expire_all()
    assert aanvraag.bestaat_nog is None and opvolging.summary().open == 1

    done = submit(client, link, {})
    assert done.status_code == 200 and "Dank je voor je antwoord!" in done.get_data(as_text=True)
    db.session.expire_all()
    assert aanvraag.bestaat_nog is True and aanvraag.bestaat_nog_at is not None
    # Works once: the same link, or the other answer, changes nothing.
    assert client.get(link).status_code == 409
    other = links_in(asked[0])["nee"]
    assert client.get(other).status_code == 409
    db.session.expire_all()
    assert aanvraag.bestaat_nog is True
    with pytest.raises(opvolging.OpvolgingError):
        opvolging.answer(aanvraag, False, now=clock.utcnow())


def test_a_tampered_or_foreign_link_is_refused(app, truus, ambtenaar, regeling, client):
    aanvraag = closed(truus, ambtenaar, regeling, at=clock.utcnow())
    sweep(app, year_on(aanvraag))
    link = links_in(mails(truus.email, contains="/subsidies/bestaat-nog/")[0])["nee"]
    token = link.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    forged = link.replace(token, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest)

    response = submit(client, forged, {}, page=link)
    assert response.status_code == 410 and "Deze link werkt niet" in response.get_data(as_text=True)
    # A check-in link does not pass for this one, nor a link for another person.
    from omkijken.platform.koppelingen import links
    assert client.get(f"/subsidies/bestaat-nog/{links.token(aanvraag.id, truus.id, 'nee')}").status_code == 410
    assert client.get(path(opvolging.url(aanvraag.id, ambtenaar.id, "nee"))).status_code == 410
    db.session.expire_all()
    assert aanvraag.bestaat_nog is None


def test_an_expired_link_is_refused(app, truus, ambtenaar, regeling, client, monkeypatch):
    import itsdangerous.timed

    aanvraag = closed(truus, ambtenaar, regeling, at=clock.utcnow())
    sweep(app, year_on(aanvraag))
    real = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real - 31 * 86400)
    old = opvolging.url(aanvraag.id, truus.id, "ja")
    monkeypatch.undo()

    response = client.get(path(old))
    assert response.status_code == 410 and "verlopen" in response.get_data(as_text=True)


def test_the_summary_counts_per_gemeente_against_the_target(app, truus, ambtenaar, regeling, client):
    aanvragen = [closed(truus, ambtenaar, regeling, at=clock.utcnow(), titel=f"Initiatief {n}") for n in range(6)]
    for aanvraag in aanvragen:
        year_on(aanvraag)
    sweep(app, clock.utcnow())
    now = clock.utcnow()
    for aanvraag, ja in zip(aanvragen, (True, True, True, True, False)):
        opvolging.answer(aanvraag, ja, now=now)

    figures = opvolging.summary(regeling.gemeente_id)
    assert (figures.ja, figures.nee, figures.open, figures.share, figures.doel) == (4, 1, 1, 0.8, 0.80)
    assert figures.haalt_doel and figures.procent == 80
    oosterhout = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0826"))
    empty = opvolging.summary(oosterhout.id)
    assert (empty.ja, empty.nee, empty.open, empty.share) == (0, 0, 0, None)

    with app.test_request_context():
        html = render_template("subsidies/_bestaat_nog.html", bestaat_nog=figures)
        nothing = render_template("subsidies/_bestaat_nog.html", bestaat_nog=empty)
    assert "80%" in html and "doel: 80%" in html and "<th scope=\"row\">" in html
    assert "Nog geen antwoorden" in nothing


def test_the_worker_task_and_the_daily_beat_entry(app):
    from omkijken.workers import tasks
    from omkijken.workers.app import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["subsidie-opvolging"]["task"] == "omkijken.subsidie_opvolging"
    assert tasks.subsidie_opvolging.name == "omkijken.subsidie_opvolging"
    assert tasks.subsidie_opvolging.run() == {"herinneringen": 0, "bestaat_nog": 0}
