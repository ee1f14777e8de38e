"""Security events (issue 29, item 5): every login, failed login, password reset and change, change
of roles, erasure and download of one's data is one JSON line with who, what, when and from where;
changes a beheerder makes to an account are also in the logboek."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.system import audit
from tests.support import submit


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger="omkijken.security")

    def read() -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "omkijken.security"]

    return read


def test_logins_failed_and_good_and_logout_say_who_when_and_from_where(client, make_user, events, caplog):
    sanne = make_user("sanne@example.nl")
    submit(client, "/inloggen", {"email": "Sanne@example.nl ", "password": "geheim-fout"})
    submit(client, "/inloggen", {"email": "sanne@example.nl", "password": "wachtwoord-123"})
    submit(client, "/uitloggen", {}, page="/")

    failed, good, out = events()
    assert failed["event"] == "login_mislukt" and failed["user_id"] is None
    assert good["event"] == "login" and good["user_id"] == out["user_id"] == sanne.id and out["event"] == "logout"
    assert all(e["ip"] == "127.0.0.1" and e["at"].startswith("20") for e in (failed, good, out))
    assert failed["path"] == "/inloggen"
    # The account of a failed try is known by a key, the same however the address was typed...
    submit(client, "/inloggen", {"email": "sanne@example.nl", "password": "nog-eens-fout"})
    assert events()[-1]["account"] == failed["account"]
    # ... and neither the address nor the password is ever written down.
    assert "sanne@example.nl" not in caplog.text.lower() and "geheim-fout" not in caplog.text


def test_a_password_reset_and_change_are_logged_without_their_link(client, make_user, login, events, caplog):
    sanne = make_user("sanne@example.nl")
    submit(client, "/wachtwoord-vergeten", {"email": "sanne@example.nl"})
    login("sanne@example.nl")
    submit(client, "/profiel/wachtwoord", {"huidig": "wachtwoord-123", "password": "een nieuwe lange zin",
                                           "again": "een nieuwe lange zin"})

    kinds = [e["event"] for e in events()]
    assert kinds[0] == "wachtwoord_link_gevraagd" and "wachtwoord_gewijzigd" in kinds
    assert [e["user_id"] for e in events() if e["event"] == "wachtwoord_gewijzigd"] == [sanne.id]
    assert "/wachtwoord-vergeten/" not in caplog.text  # the mailed link is not in the log


def test_a_beheerder_changing_roles_and_erasing_is_in_the_log_and_the_logboek(client, make_user, login, events):
    bea = make_user("bea@example.nl", roles=("beheerder",), naam="Bea")
    karim = make_user("karim@example.nl", naam="Karim")
    piet = make_user("piet@example.nl", naam="Piet")
    login("bea@example.nl")
    submit(client, f"/beheer/gebruikers/{karim.id}", {"roles": ["inwoner", "gemeente"]})
    submit(client, f"/beheer/gebruikers/{piet.id}/verwijderen", {"password": "wachtwoord-123", "zeker": "y"})

    rollen = [e for e in events() if e["event"] == "account_rollen"]
    assert len(rollen) == 1 and rollen[0]["user_id"] == karim.id and rollen[0]["by"] == bea.id
    assert ["gemeente", None] in rollen[0]["erbij"]
    gewist = [e for e in events() if e["event"] == "account_gewist"]
    assert [(e["user_id"], e["by"]) for e in gewist] == [(piet.id, bea.id)]
    assert db.session.scalar(select(User.verwijderd_at).where(User.id == piet.id)) is not None
    assert [(e.besluit, e.onderwerp_id, e.actor_id) for e in audit.entries(onderwerp="account")] == [
        ("gewist", piet.id, bea.id), ("rollen", karim.id, bea.id)]
    logboek = client.get("/moderatie/logboek").get_data(as_text=True)
    assert "Rollen gewijzigd" in logboek and "Account verwijderd" in logboek


def test_downloading_ones_data_is_logged(client, make_user, login, events):
    sanne = make_user("sanne@example.nl")
    login("sanne@example.nl")
    assert client.get("/mijn-gegevens.json").status_code == 200

    assert events()[-1]["event"] == "gegevens_gedownload" and events()[-1]["user_id"] == sanne.id
