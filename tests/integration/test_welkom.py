"""After registering (issue 22, item 8): "Kijk in je mail", a welcome link that confirms the address,
logs in once and leads to the next step, and that never logs in a staff account."""

from __future__ import annotations

from sqlalchemy import select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts import welkom
from omkijken.platform.accounts.models import User
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.links import LinkInvalid
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import at_once, submit

REGISTRATION = {
    "naam": "Truus",
    "email": "truus@example.nl",
    "password": "mijn eigen zin",
    "postcode": "5345 ab",
    "huisnummer": "12",
    "consent": "y",
}


def welcome_link(to: str = "truus@example.nl") -> str:
    mails = [m.payload for m in db.session.scalars(select(OutboxMessage).filter_by(task=system.SEND_EMAIL))
             if m.payload["to"] == to]
    assert len(mails) == 1, mails
    line = next(line for line in mails[0]["body"].splitlines() if "/welkom/" in line)
    return line.strip().split("127.0.0.1:5000", 1)[1]


def register(client, **extra) -> str:
    response = submit(client, "/registreren", {**REGISTRATION, **extra})
    assert response.status_code == 302 and response.location == "/registreren/kijk-in-je-mail"
    return welcome_link()


def truus() -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).filter_by(email="truus@example.nl"))


def test_after_registering_the_page_says_look_in_your_mail_and_offers_to_log_in_now(client):
    response = submit(client, "/registreren", REGISTRATION)

    page = client.get(response.location).get_data(as_text=True)
    assert "<h1>Kijk in je mail</h1>" in page
    assert "We hebben een mail gestuurd naar truus@example.nl." in page
    assert "Tik op de link in de mail" in page and "Geen mail gekregen?" in page and "spam" in page
    assert "Of log nu in" in page and 'href="/inloggen?next=/eerste-stap"' in page


def test_the_welcome_link_confirms_the_address_logs_in_and_takes_a_new_volunteer_to_her_aanbod(client):
    link = register(client, vrijwilliger="y")

    opened = client.get(link)
    assert opened.status_code == 200 and "Welkom, Truus!" in opened.get_data(as_text=True)
    assert truus().email_bevestigd_at is None, "alleen openen (een mailprogramma dat de link test) verandert niets"
    assert client.get("/profiel").status_code == 302

    tapped = submit(client, link, {})
    assert tapped.status_code == 302 and tapped.location == "/eerste-stap"
    assert truus().email_bevestigd_at is not None
    next_step = client.get("/eerste-stap")
    assert next_step.location == "/plaatsen/aanbod"
    page = client.get(next_step.location).get_data(as_text=True)
    assert "Je e-mailadres klopt. Je bent ingelogd." in page
    assert "Zeg hier wat je kunt doen en wanneer je tijd hebt." in page
    assert "<h1>Bied je hulp aan</h1>" in page


def test_a_new_resident_lands_on_the_home_page_with_ask_and_prikbord_as_the_buttons(client):
    link = register(client)

    page = submit(client, link, {}, follow_redirects=True).get_data(as_text=True)

    assert "Welkom bij Omkijken! Stel je vraag, of kijk op het prikbord" in page
    assert '<a class="button" href="/plaatsen/hulpvraag">Stel je vraag</a>' in page
    assert 'href="/prikbord">Kijk op het prikbord</a>' in page


def test_log_in_now_takes_a_new_volunteer_to_her_aanbod_too(client):
    submit(client, "/registreren", {**REGISTRATION, "vrijwilliger": "y"})

    response = submit(client, "/inloggen?next=/eerste-stap",
                      {"email": "truus@example.nl", "password": REGISTRATION["password"]})

    assert response.location == "/eerste-stap"
    assert client.get("/eerste-stap").location == "/plaatsen/aanbod"


def test_the_welcome_link_works_once(app, client):
    link = register(client)
    submit(client, link, {})

    other = app.test_client()
    again = other.get(link)
    assert again.status_code == 404 and "De link is al gebruikt" in again.get_data(as_text=True)
    assert submit(other, link, {}, page="/").status_code == 404
    assert other.get("/profiel").status_code == 302


def test_two_taps_on_the_welcome_link_at_once_log_in_once(app, client):
    token = register(client).rsplit("/", 1)[1]

    def tap() -> bool:
        try:
            welkom.confirm(token, now=utcnow())
        except LinkInvalid:
            return False
        return True

    assert sorted(at_once(app, tap, 2)) == [False, True]


def test_an_old_welcome_link_says_so(app, client):
    link = register(client)
    app.config["WELKOM_LINK_DAGEN"] = -1
    try:
        response = client.get(link)
    finally:
        app.config["WELKOM_LINK_DAGEN"] = 3
    assert response.status_code == 404 and "De link is te oud" in response.get_data(as_text=True)
    assert truus().email_bevestigd_at is None


def test_a_new_password_ends_the_welcome_link(client):
    link = register(client)
    accounts.change_password(truus(), "een heel andere zin")

    assert client.get(link).status_code == 404


def test_the_welcome_link_never_logs_in_a_staff_account(app, client, make_user):
    link = register(client)
    accounts.set_roles(truus(), roles=["inwoner", "coordinator"], wijk_ids=[], by=None, now=utcnow())
    db.session.commit()

    assert client.get(link).status_code == 404
    assert submit(client, link, {}, page="/").status_code == 404
    assert client.get("/profiel").status_code == 302
    # A link signed for a beheerder (as if the mail were sent to one) does not work either.
    bea = make_user("bea@example.nl", roles=("beheerder",))
    staff_link = welkom.welcome_url(bea).split("127.0.0.1:5000", 1)[1]
    assert client.get(staff_link).status_code == 404
    assert client.get("/profiel").status_code == 302


def test_a_forged_welcome_link_is_refused(client):
    register(client)

    response = client.get("/welkom/" + "x" * 40)

    assert response.status_code == 404 and "Deze link werkt niet meer" in response.get_data(as_text=True)
