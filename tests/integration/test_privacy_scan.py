"""No public response gives away where someone lives.

A resident and a volunteer post from home; then every public page and API response that could
show them is fetched, and none may contain their stored coordinates.
"""

from __future__ import annotations

import re

from omkijken.platform.posts import services
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system.services import utcnow
from tests.support import a_home_that_moves_on_both_axes

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
