"""No public response gives away where someone lives.

A resident and a volunteer post from home; then every public page and API response that could
show them is fetched, and none may contain their stored coordinates.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system.services import utcnow
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
    a_home_that_moves_on_both_axes), so any exact coordinate found in a page is a leak."""
    from flask import current_app

    from omkijken.platform.areas.services import blur

    found: list[tuple[float, float]] = []
    for step in range(400):
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
        if response.status_code != 200:
            continue
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
