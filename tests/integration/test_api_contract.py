"""The API does what its OpenAPI document says (issue 27, item 7): the gemeente and wijk codes it
knows are listed, an empty date is refused, a bbox must have the documented shape, and a bbox
across the antimeridian (RFC 7946 5.2: west > east) is accepted."""

from __future__ import annotations

import re

import pytest

from omkijken.platform.api.openapi import BBOX_PATTERN
from tests.integration.test_api_geojson import board, titles, truus  # noqa: F401  (fixtures)


def parameter(document: dict, path: str, name: str) -> dict:
    return next(p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_the_document_lists_the_gemeente_and_wijk_codes_the_api_knows(client):
    document = client.get("/api/v1/openapi.json").get_json()
    gemeente = parameter(document, "/kpi", "gemeente")["schema"]
    assert sorted(gemeente["enum"]) == ["GM0826", "GM0828"]
    wijk = parameter(document, "/posts.geojson", "wijk")["schema"]
    codes = next(choice["enum"] for choice in wijk["anyOf"] if "enum" in choice)
    assert "WK082806" in codes and "alles" in codes
    van = parameter(document, "/posts.geojson", "van")["schema"]
    assert "huis" in next(choice["enum"] for choice in van["anyOf"] if "enum" in choice)


@pytest.mark.parametrize("query", ["van=", "tot=", "van=&tot=2026-03-01", "van=%20"])
def test_an_empty_date_in_kpi_is_a_dutch_400(client, make_user, login, query):
    make_user("gemeente@example.nl", roles=("gemeente",))
    login("gemeente@example.nl")
    response = client.get(f"/api/v1/kpi?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert "datum" in response.get_json()["error"]


@pytest.mark.parametrize("query", ["gemeente=", "gemeente=%20", "gemeente=GM0363", "gemeente=gm0828",
                                   "gemeente=GM0828&gemeente="])
def test_an_empty_or_unknown_gemeente_in_kpi_is_a_dutch_400_that_names_it(client, make_user, login, query):
    """An empty ``gemeente=`` gave the figures of every gemeente as if one was asked; the document
    says what is allowed (its enum) and that leaving it out means all."""
    description = parameter(client.get("/api/v1/openapi.json").get_json(), "/kpi", "gemeente")["description"]
    assert "Zonder: alle gemeenten" in description and "`gemeente=`" in description and "400" in description
    make_user("gemeente@example.nl", roles=("gemeente",))
    login("gemeente@example.nl")
    response = client.get(f"/api/v1/kpi?{query}")
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert response.get_json()["error"].startswith("Onbekende gemeente in `gemeente`. Kies uit: ")
    assert "GM0828" in response.get_json()["error"]
    assert client.get("/api/v1/kpi?gemeente=GM0828").status_code == 200


@pytest.mark.parametrize("bbox", [
    "%2B5.4,51.7,5.65,51.83", "5.4e0,51.7,5.65,51.83", ".5,51.7,5.65,51.83", "5.,51.7,5.65,51.83",
    "%D9%A5,51.7,5.65,51.83", "5.4,51.7,5.65,51.83,",
])
def test_a_bbox_outside_the_documented_pattern_is_a_dutch_400(client, bbox):
    assert not re.search(BBOX_PATTERN, bbox, re.ASCII)
    response = client.get(f"/api/v1/posts.geojson?bbox={bbox}")
    assert response.status_code == 400
    assert "bbox" in response.get_json()["error"]


def test_a_bbox_across_the_antimeridian_means_what_rfc_7946_says(client, board):  # noqa: F811
    # West 5.6 to east 5.0 goes the long way round: everything east of 5.6 and west of 5.0.
    found = titles(client, "bbox=5.6,51.5,5.0,52.0")
    assert "Kantinevrijwilliger" in found  # Oosterhout, 4.87
    assert "Koffiecorner Centrum" not in found  # Oss, 5.52
    assert {"Kantinevrijwilliger", "Koffiecorner Centrum"} <= titles(client, "bbox=5.0,51.5,4.9,52.0")
    assert titles(client, "bbox=170,-10,-170,10") == set()
    grouped = client.get("/api/v1/posts.geojson?bbox=5.6,51.5,5.0,52.0&clusters=1")
    assert grouped.status_code == 200
