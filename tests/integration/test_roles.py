"""Roles and scopes: who may open the admin screen, and what the beheerder can give."""

from __future__ import annotations

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import has_role, scoped_wijk_ids
from omkijken.platform.areas import services as areas
from omkijken.platform.extensions import db
from tests.support import submit


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/beheer/gebruikers")

    assert response.status_code == 302
    assert response.location.startswith("/inloggen?next=")


def test_a_resident_gets_403_on_the_admin_screens(client, make_user, login):
    other = make_user("ander@example.nl")
    make_user("truus@example.nl")
    login("truus@example.nl")

    for url in ("/beheer/gebruikers", f"/beheer/gebruikers/{other.id}", "/beheer/mail"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Geen toegang" in response.get_data(as_text=True)
    forged = submit(client, f"/beheer/gebruikers/{other.id}", {"roles": ["beheerder"]}, page="/profiel")
    assert forged.status_code == 403
    assert not has_role(db.session.get(User, other.id), "beheerder")


def test_beheerder_makes_someone_opbouwwerker_of_two_wijken(client, make_user, login):
    make_user("bea@example.nl", roles=("beheerder",))
    karim = make_user("karim@example.nl", naam="Karim")
    login("bea@example.nl")
    ruwaard, ussen = areas.wijk_by_code("WK082806"), areas.wijk_by_code("WK082807")

    assert "Karim" in client.get("/beheer/gebruikers?q=kar").get_data(as_text=True)
    response = submit(
        client,
        f"/beheer/gebruikers/{karim.id}",
        {"roles": ["inwoner", "opbouwwerker"], "wijken": [str(ruwaard.id), str(ussen.id)]},
    )

    assert response.status_code == 302
    db.session.refresh(karim)
    assert karim.role_names == {"inwoner", "opbouwwerker"}
    assert scoped_wijk_ids(karim, "opbouwwerker") == {ruwaard.id, ussen.id}
    assert has_role(karim, "opbouwwerker", wijk_id=ruwaard.id)
    assert not has_role(karim, "opbouwwerker", wijk_id=areas.wijk_by_code("WK082606").id)


def test_an_opbouwwerker_needs_a_wijk(client, make_user, login):
    make_user("bea@example.nl", roles=("beheerder",))
    karim = make_user("karim@example.nl")
    login("bea@example.nl")

    page = submit(client, f"/beheer/gebruikers/{karim.id}", {"roles": ["opbouwwerker"]}).get_data(as_text=True)

    assert "Kies minstens één wijk" in page
    db.session.refresh(karim)
    assert karim.role_names == {"inwoner"}


def test_a_beheerder_cannot_lock_themself_out(client, make_user, login):
    bea = make_user("bea@example.nl", roles=("beheerder",))
    login("bea@example.nl")

    page = submit(client, f"/beheer/gebruikers/{bea.id}", {"roles": ["inwoner"]}).get_data(as_text=True)

    assert "niet weghalen" in page
    db.session.refresh(bea)
    assert "beheerder" in bea.role_names
