"""No public response gives away where someone lives.

A resident and a volunteer post from home; then every public page and API response that could
show them is fetched, and none may contain their stored coordinates.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from tests.integration.authorization_world import PEOPLE_WITH_A_HOME, build
from tests.integration.test_authorization_matrix import routes, url_of
from tests.support import RUWAARD, a_home_that_moves_on_both_axes

NUMBER = re.compile(r"-?\d{1,3}\.\d{4,}")


def numbers_in(body: str) -> list[float]:
    """Every decimal number with four or more decimals: how a coordinate shows up in HTML or JSON."""
    return [float(text) for text in NUMBER.findall(body)]


def near(values: list[float], target: float, tolerance: float = 0.0001) -> bool:
    return any(abs(value - target) < tolerance for value in values)


def test_no_public_response_contains_a_home(app, client, make_user):
    home = a_home_that_moves_on_both_axes()
    truus = make_user("truus@example.nl", home=home, naam="Truus")
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=home, naam="Sanne")
    vraag = services.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())
    aanbod = services.create(Aanbod(titel="Ik klus graag", categorie="klussen", categorieen=["klussen"]),
                             auteur=sanne, now=utcnow())
    shown = services.public_point(vraag)

    urls = [
        "/", "/prikbord", "/prikbord?soort=hulpvraag", "/kaart", f"/prikbord/{vraag.id}", f"/prikbord/{aanbod.id}",
        "/api/v1/posts.geojson?bbox=5.3,51.6,5.8,51.9", "/api/v1/posts.geojson?bbox=5.3,51.6,5.8,51.9&type=hulpvraag",
        "/agenda", "/agenda/GM0828", "/agenda/WK082806", "/agenda/GM0828.ics", "/sociale-kaart", "/wijken/WK082806",
    ]
    seen_public_point = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        values = numbers_in(body)
        assert not near(values, home[0]) and not near(values, home[1]), f"{url} toont het huis"
        assert "truus@example.nl" not in body and "sanne@example.nl" not in body, url
        seen_public_point |= near(values, shown[0]) and near(values, shown[1])
    assert seen_public_point, "de verschoven plek staat nergens: test controleert niets"


def shows_point(values: list[float], point: tuple[float, float], tolerance: float = 0.0001) -> bool:
    """Whether ``point`` is written as a coordinate: its two numbers side by side, in either order
    (lat, lon in HTML and Leaflet; lon, lat in GeoJSON). With several homes in one world, one
    person's blurred point may by chance share a single axis with another's home; a pair cannot."""
    lat, lon = point
    for first, second in zip(values, values[1:]):
        if (abs(first - lat) < tolerance and abs(second - lon) < tolerance) or \
                (abs(first - lon) < tolerance and abs(second - lat) < tolerance):
            return True
    return False


def homes_that_move(count: int) -> list[tuple[float, float]]:
    """``count`` homes around Ruwaard, each of whose public points differs on both axes (see
    a_home_that_moves_on_both_axes), so any exact coordinate found in a page is a leak. RUWAARD
    itself is no home: the world's public places stand on it."""
    from flask import current_app

    from omkijken.platform.areas.services import blur

    found: list[tuple[float, float]] = []
    for step in range(1, 400):
        home = (round(RUWAARD[0] + step * 0.00043, 6), round(RUWAARD[1] - step * 0.00047, 6))
        shown = blur(*home, secret=current_app.config["SECRET_KEY"])
        if abs(shown[0] - home[0]) > 0.0002 and abs(shown[1] - home[1]) > 0.0003:
            found.append(home)
            if len(found) == count:
                return found
    raise AssertionError("niet genoeg geschikte huizen gevonden")


def test_no_anonymous_page_or_api_answer_contains_anyones_home(app, client, make_user):
    """Every GET route of the URL map that an anonymous visitor gets a 200 from (so a new public
    route is scanned without being listed here), plus every post's page and the API's filters."""
    homes = dict(zip(PEOPLE_WITH_A_HOME, homes_that_move(len(PEOPLE_WITH_A_HOME))))
    world = build(make_user, homes=homes)
    stored = [home for user in db.session.scalars(select(User)) if (home := accounts.home_latlon(user))]
    assert len(stored) == len(PEOPLE_WITH_A_HOME)
    vraag = db.session.get(Hulpvraag, world.ids["vraag_id"])
    shown = services.public_point(vraag)

    urls = [url_of(app, world, endpoint, rule) for endpoint, method, rule in routes(app)
            if method == "GET" and endpoint != "static"]
    urls += [f"/prikbord/{post_id}" for post_id in world.posts]
    bbox = "bbox=5.3,51.6,5.8,51.9"
    urls += [f"/api/v1/posts.geojson?{bbox}&type={soort}" for soort in ("hulpvraag", "aanbod", "initiatief")]
    urls += ["/prikbord?soort=hulpvraag", "/prikbord?soort=aanbod", "/kaart?soort=hulpvraag"]

    scanned, seen_public_point = [], False
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype.startswith("image/"):
            continue  # an icon is the same picture for everyone
        scanned.append(url)
        body = response.get_data(as_text=True)
        values = numbers_in(body)
        for home in stored:
            assert not shows_point(values, home), f"{url} toont een huis: {home}"
        assert "truus@example.nl" not in body and "sanne@example.nl" not in body, url
        seen_public_point |= shows_point(values, shown)
    print(f"{len(scanned)} openbare antwoorden bekeken op {len(stored)} huizen: {' '.join(scanned)}")
    assert seen_public_point, "de verschoven plek staat nergens: test controleert niets"
    assert "/api/v1/openapi.json" in scanned and "/kaart" in scanned and len(scanned) > 25, scanned


# Metres a page or mail would only name when it measured between homes: "440 m", "1,3 km" (the
# bands say "binnen 1 km", "1 tot 3 km"; a volunteer's own radius says "Tot 3 km van huis").
METRES = re.compile(r"\b\d{1,4} m\b|\b\d+,\d km\b")


def test_no_logged_in_page_or_mail_shows_someone_who_is_not_a_party_a_home_or_a_distance(app, make_user):
    """Everyone logged in, on every GET page they get a 200 from, and every mail: a home shows only
    to its owner and to the other person of a koppeling (and the coordinators of its dienst, here
    the beheerder). Sanne offered help with Truus's 'Boodschappen doen' and waits for her yes: until
    then neither is a party, and neither page nor mail may give the other's home away, in
    coordinates or in metres."""
    from omkijken.platform.koppelingen.models import Koppeling
    from omkijken.platform.system.models import OutboxMessage
    from omkijken.platform.system.services import SEND_EMAIL
    from tests.integration.authorization_world import CALLERS
    from tests.support import submit

    emails = [*PEOPLE_WITH_A_HOME]
    homes = dict(zip(emails, homes_that_move(len(emails))))
    world = build(make_user, homes=homes)
    home_of = {user.email: home for user in db.session.scalars(select(User))
               if (home := accounts.home_latlon(user))}
    assert len(home_of) == len(PEOPLE_WITH_A_HOME)
    pairs = [(k.hulpvrager.email, k.vrijwilliger.email) for k in db.session.scalars(select(Koppeling))]
    assert pairs == [("truus@example.nl", "sanne@example.nl")]

    def may_see(email: str) -> set[str]:
        seen = {email} | {b for a, b in pairs if a == email} | {a for a, b in pairs if b == email}
        if email == CALLERS["beheerder"]["email"]:
            seen |= {person for pair in pairs for person in pair}  # coordinates every dienst
        return seen

    urls = [url_of(app, world, endpoint, rule) for endpoint, method, rule in routes(app)
            if method == "GET" and endpoint != "static"]
    urls += [f"/prikbord/{post_id}" for post_id in world.posts] + ["/voorstellen", "/voor-jou"]
    callers = [c["email"] for c in CALLERS.values() if c] + ["sanne@example.nl"]

    scanned = 0
    for email in callers:
        client = app.test_client()
        assert submit(client, "/inloggen", {"email": email, "password": "wachtwoord-123"}).status_code == 302
        hidden = {other: home for other, home in home_of.items() if other not in may_see(email)}
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or not response.mimetype.startswith(("text/", "application/json")):
                continue
            scanned += 1
            body = response.get_data(as_text=True)
            values = numbers_in(body)
            for other, home in hidden.items():
                assert not shows_point(values, home), f"{url} toont {email} het huis van {other}"
            if url in ("/voorstellen", "/voor-jou") or url.startswith(("/prikbord", "/koppelingen", "/voorstellen")):
                assert not METRES.search(body), f"{url} noemt {email} een afstand: {METRES.search(body).group()}"

    mails = [m.payload for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == SEND_EMAIL))]
    for mail in mails:
        for other, home in home_of.items():
            if other not in may_see(mail["to"]):
                assert not shows_point(numbers_in(mail["body"]), home), f"mail aan {mail['to']} toont {other}"
        assert not METRES.search(mail["body"]), f"mail aan {mail['to']}: {METRES.search(mail['body']).group()}"
    assert any("Waarom dit past" in m["body"] for m in mails), "geen voorstelmail: test controleert niets"
    print(f"{scanned} pagina's van {len(callers)} ingelogde mensen en {len(mails)} mails bekeken")
    assert scanned > 150
