"""Registration, login, logout, profile and the checks around them, through the web."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.system.models import OutboxMessage
from tests.support import DOMMELBERGEN, RUWAARD, submit

REGISTRATION = {
    "naam": "Truus",
    "email": "Truus@Example.nl ",
    "password": "mijn eigen zin",
    "postcode": "5345 ab",
    "huisnummer": "12",
    "consent": "y",
}


def test_register_with_postcode_places_resident_in_wijk_and_buurt(client):
    response = submit(client, "/registreren", REGISTRATION)

    assert response.status_code == 302 and response.location == "/registreren/kijk-in-je-mail"
    mail_page = client.get(response.location).get_data(as_text=True)
    assert "Kijk in je mail" in mail_page and "truus@example.nl" in mail_page
    assert 'href="/inloggen?next=/eerste-stap"' in mail_page
    login_page = client.get("/inloggen?next=/eerste-stap").get_data(as_text=True)
    assert 'value="truus@example.nl"' in login_page
    submit(client, "/inloggen?next=/eerste-stap", {"email": "truus@example.nl", "password": REGISTRATION["password"]})
    user = db.session.scalar(select(User).filter_by(email="truus@example.nl"))
    assert (user.postcode, user.huisnummer) == ("5345AB", "12")
    assert user.wijk.naam == "Ruwaard" and user.buurt.naam == "Witte Hoef"
    assert user.role_names == {"inwoner"}
    assert REGISTRATION["password"] not in user.password_hash and user.password_hash.startswith("pbkdf2:")
    page = client.get("/profiel").get_data(as_text=True)
    assert "Ruwaard" in page and "Witte Hoef" in page and "Oss" in page


def test_outside_the_tests_passwords_are_hashed_with_scrypt(app, make_user, monkeypatch):
    """The suite's cheap hash (conftest.py) must not be what a real site uses."""
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.config import from_environment

    production = from_environment(Path(app.instance_path))["PASSWORD_HASH_METHOD"]
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", production)
    user = make_user("truus@example.nl", password="lang-en-geheim")

    assert user.password_hash.startswith("scrypt:")
    assert accounts.authenticate("truus@example.nl", "lang-en-geheim") is user
    assert accounts.authenticate("truus@example.nl", "fout-wachtwoord") is None


def test_registration_writes_welcome_mail_to_the_outbox(client):
    submit(client, "/registreren", REGISTRATION)

    message = db.session.scalar(select(OutboxMessage))
    assert message.task == "omkijken.send_email"
    assert message.payload["to"] == "truus@example.nl"
    assert "Welkom" in message.payload["subject"]
    assert "Ruwaard" in message.payload["body"]


def test_register_with_a_point_on_the_map_and_as_volunteer(client):
    data = {**REGISTRATION, "postcode": "", "huisnummer": "", "vrijwilliger": "y"}
    data.update(lat=str(DOMMELBERGEN[0]), lon=str(DOMMELBERGEN[1]))

    assert submit(client, "/registreren", data).status_code == 302
    user = db.session.scalar(select(User))
    assert user.wijk.naam == "Dommelbergen" and user.wijk.gemeente.naam == "Oosterhout"
    assert user.role_names == {"inwoner", "vrijwilliger"}


def test_unknown_address_asks_for_the_map_and_keeps_what_was_typed(client):
    data = {**REGISTRATION, "postcode": "9999 ZZ", "huisnummer": "1"}

    response = submit(client, "/registreren", data)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "wijs je huis aan op de kaart" in page
    assert 'value="Truus"' in page and 'value="9999 ZZ"' in page and "Truus@Example.nl" in page
    assert "mijn eigen zin" not in page  # a password is never sent back
    assert db.session.scalar(select(User)) is None


def test_bad_input_gets_dutch_messages_and_keeps_the_rest(client):
    data = {**REGISTRATION, "email": "truus-at-example", "password": "kort"}
    data.pop("consent")

    page = submit(client, "/registreren", data).get_data(as_text=True)

    assert "Dit e-mailadres klopt niet" in page
    assert "minstens 8 tekens" in page
    assert "Zet een vinkje" in page
    assert 'value="Truus"' in page and 'value="5345 ab"' in page
    assert db.session.scalar(select(User)) is None


def test_registering_a_known_email_looks_the_same_and_tells_the_owner(app, make_user):
    """No account enumeration: the answer to a known address (status, place, page) is the answer to a
    new one; only the mail, which reaches the owner of the address alone, says which it was."""
    owner = make_user("truus@example.nl", naam="Truus")
    known_client, new_client = app.test_client(), app.test_client()
    known = submit(known_client, "/registreren", {**REGISTRATION, "naam": "Iemand anders"})
    new = submit(new_client, "/registreren", {**REGISTRATION, "email": "Nieuw@Example.nl "})

    assert known.status_code == new.status_code == 302 and known.location == new.location
    known_page = _without_tokens(known_client.get(known.location).get_data(as_text=True))
    new_page = _without_tokens(new_client.get(new.location).get_data(as_text=True))
    assert "Kijk in je mail" in known_page
    assert known_page.replace("truus@example.nl", "ADRES") == new_page.replace("nieuw@example.nl", "ADRES")
    assert len(db.session.scalars(select(User)).all()) == 2
    db.session.refresh(owner)
    assert owner.naam == "Truus", "het bestaande account blijft zoals het was"
    assert owner.email_bevestigd_at is None
    mails = {m.payload["to"]: m.payload for m in db.session.scalars(select(OutboxMessage))}
    assert "al een account" in mails["truus@example.nl"]["subject"]
    assert "/wachtwoord-vergeten" in mails["truus@example.nl"]["body"]
    assert "/welkom/" not in mails["truus@example.nl"]["body"], "geen inloglink voor een bestaand account"
    assert "Welkom" in mails["nieuw@example.nl"]["subject"] and "/welkom/" in mails["nieuw@example.nl"]["body"]


def _without_tokens(page: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", page)


def test_login_and_logout(client, make_user, login):
    make_user("sanne@example.nl", naam="Sanne")

    login("Sanne@Example.nl")
    assert "Uitloggen" in client.get("/").get_data(as_text=True)
    assert client.get("/profiel").status_code == 200

    response = submit(client, "/uitloggen", {}, page="/")
    assert response.status_code == 302
    assert client.get("/profiel").status_code == 302


def test_wrong_password_says_so_without_telling_which_part_is_wrong(client, make_user):
    make_user("sanne@example.nl")

    wrong_password = submit(client, "/inloggen", {"email": "sanne@example.nl", "password": "fout"})
    unknown_email = submit(client, "/inloggen", {"email": "niemand@example.nl", "password": "fout"})

    for response in (wrong_password, unknown_email):
        assert response.status_code == 422
        assert "Het e-mailadres of het wachtwoord klopt niet" in response.get_data(as_text=True)
    assert client.get("/profiel").status_code == 302


def test_login_is_rate_limited(client, make_user):
    make_user("sanne@example.nl")
    # Other addresses each time: this is the limit per client (per account: test_login_throttle.py).
    codes = [submit(client, "/inloggen", {"email": f"iemand{n}@example.nl", "password": "fout"}).status_code
             for n in range(11)]

    assert codes[:10] == [422] * 10 and codes[10] == 429
    blocked = submit(client, "/inloggen", {"email": "sanne@example.nl", "password": "wachtwoord-123"})
    assert blocked.status_code == 429
    assert "Wacht een minuut" in blocked.get_data(as_text=True)
    assert client.get("/profiel").status_code == 302


def test_a_form_without_csrf_token_is_refused(client, make_user):
    make_user("sanne@example.nl")

    response = client.post("/inloggen", data={"email": "sanne@example.nl", "password": "wachtwoord-123"})

    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert client.get("/profiel").status_code == 302


def test_login_never_redirects_to_another_site(client, make_user):
    make_user("sanne@example.nl")
    token_page = "/inloggen?next=https://evil.example/"
    response = submit(
        client, token_page, {"email": "sanne@example.nl", "password": "wachtwoord-123"}
    )
    assert response.status_code == 302 and response.location == "/"


def test_profile_edit_moves_the_resident_and_keeps_input_on_error(client, make_user, login):
    make_user("sanne@example.nl", home=RUWAARD)
    login("sanne@example.nl")

    bad = submit(client, "/profiel", {"naam": "Sanne B", "postcode": "12", "huisnummer": "3", "taal": "nl"})
    assert "Vul een postcode in zoals 5341 AB" in bad.get_data(as_text=True)
    assert 'value="Sanne B"' in bad.get_data(as_text=True)

    good = submit(client, "/profiel", {"naam": "Sanne B", "postcode": "4907 XK", "huisnummer": "3", "taal": "nl"})
    assert good.status_code == 302
    user = db.session.scalar(select(User))
    db.session.refresh(user)
    assert user.naam == "Sanne B" and user.wijk.naam == "Dommelbergen"


def test_a_new_password_ends_other_sessions(app, client, make_user, login):
    from omkijken.platform.accounts import services

    user = make_user("sanne@example.nl")
    login("sanne@example.nl")
    services.change_password(user, "een heel nieuw wachtwoord")

    assert client.get("/profiel").status_code == 302
    assert services.authenticate("sanne@example.nl", "een heel nieuw wachtwoord") == user


def test_a_resident_who_chose_english_gets_english_pages_and_messages(client, make_user, login):
    make_user("ahmed@example.nl", home=RUWAARD)
    login("ahmed@example.nl")

    submit(client, "/profiel", {"naam": "Ahmed", "postcode": "", "huisnummer": "", "taal": "en"})
    page = client.get("/profiel").get_data(as_text=True)

    assert '<html lang="en">' in page
    assert "You live in the <strong>Witte Hoef</strong> area" in page
    assert "Resident" in page


def test_a_resident_becomes_a_volunteer_from_the_profile(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    submit(client, "/profiel", {"naam": "Truus", "postcode": "", "huisnummer": "", "taal": "nl", "vrijwilliger": "y"})
    user = db.session.scalar(select(User))
    db.session.refresh(user)
    assert user.role_names == {"inwoner", "vrijwilliger"}

    submit(client, "/profiel", {"naam": "Truus", "postcode": "", "huisnummer": "", "taal": "nl"})
    db.session.refresh(user)
    assert user.role_names == {"inwoner"}
