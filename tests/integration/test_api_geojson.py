"""GET /api/v1/posts.geojson and /api/v1/openapi.json: what the map (and anyone else) may read."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.integration.test_prikbord_list import NOW, east_of, north_of, place
from tests.support import DOMMELBERGEN, OSS_CENTRUM, RUWAARD

OSS_BOX = "5.40,51.70,5.65,51.83"
OOSTERHOUT_BOX = "4.78,51.57,4.93,51.68"
BOTH_BOX = "4.70,51.50,5.70,51.90"


def features(client, query: str) -> list[dict]:
    response = client.get(f"/api/v1/posts.geojson?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    body = response.get_json(force=True)
    assert body["type"] == "FeatureCollection"
    return body["features"]


def titles(client, query: str) -> set[str]:
    return {f["properties"]["titel"] for f in features(client, query)}


@pytest.fixture
def truus(make_user):
    return make_user("truus@example.nl", naam="Truus", home=RUWAARD)


@pytest.fixture
def board(truus, make_user):
    ahmed = make_user("ahmed@example.nl", naam="Ahmed", home=DOMMELBERGEN)
    return {
        "tuin": place("hulpvraag", "Hulp bij de tuin", auteur=truus, categorie="tuinonderhoud"),
        "koffie": place("ontmoetingsplek", "Koffiecorner Centrum", auteur=truus, where=OSS_CENTRUM,
                        op_huisadres=False, categorie="ontmoeting"),
        "rijden": place("aanbod", "Ik rij je naar het ziekenhuis", auteur=ahmed, categorie="vervoer"),
        "club": place("vacature", "Kantinevrijwilliger", auteur=ahmed, where=DOMMELBERGEN, op_huisadres=False,
                      categorie="verenigingen"),
    }


def test_box_gives_only_what_is_inside(client, board):
    assert titles(client, f"bbox={OSS_BOX}") == {"Hulp bij de tuin", "Koffiecorner Centrum"}
    assert titles(client, f"bbox={OOSTERHOUT_BOX}") == {"Ik rij je naar het ziekenhuis", "Kantinevrijwilliger"}
    assert len(titles(client, f"bbox={BOTH_BOX}")) == 4
    assert titles(client, "bbox=3.0,50.0,3.1,50.1") == set()


def test_a_feature_has_the_public_point_and_the_properties_the_map_needs(client, board):
    koffie = board["koffie"]
    (feature,) = features(client, f"bbox={OSS_BOX}&type=ontmoetingsplek")

    assert feature["geometry"] == {"type": "Point", "coordinates": [round(OSS_CENTRUM[1], 5), round(OSS_CENTRUM[0], 5)]}
    assert feature["properties"] == {
        "id": koffie.id, "soort": "ontmoetingsplek", "titel": "Koffiecorner Centrum",
        "categorie": "ontmoeting", "wijk": "Centrum", "url": f"/prikbord/{koffie.id}",
    }


def test_filters_on_type_category_wijk_and_text(client, board):
    from omkijken.platform.areas import services as areas

    assert titles(client, f"bbox={BOTH_BOX}&type=hulpvraag") == {"Hulp bij de tuin"}
    assert titles(client, f"bbox={BOTH_BOX}&soort=aanbod") == {"Ik rij je naar het ziekenhuis"}
    assert titles(client, f"bbox={BOTH_BOX}&type=alles&categorie=verenigingen") == {"Kantinevrijwilliger"}
    dommelbergen = areas.locate(*DOMMELBERGEN).wijk
    assert titles(client, f"bbox={BOTH_BOX}&wijk={dommelbergen.code}") == {
        "Ik rij je naar het ziekenhuis", "Kantinevrijwilliger"}
    assert titles(client, f"bbox={BOTH_BOX}&wijk={dommelbergen.id}") == {
        "Ik rij je naar het ziekenhuis", "Kantinevrijwilliger"}
    assert titles(client, f"bbox={BOTH_BOX}&zoek=koffie") == {"Koffiecorner Centrum"}


def test_distance_filter_matches_the_list(client, truus):
    place("ontmoetingsplek", "Dichtbij", auteur=truus, where=north_of(OSS_CENTRUM, 500), op_huisadres=False)
    place("ontmoetingsplek", "Verder weg", auteur=truus, where=east_of(OSS_CENTRUM, 1500), op_huisadres=False)
    from omkijken.platform.areas import services as areas

    centrum = areas.locate(*OSS_CENTRUM).wijk
    centre = areas.representative_point(centrum)
    place("ontmoetingsplek", "Bij het midden", auteur=truus, where=north_of(centre, 300), op_huisadres=False)

    assert "Bij het midden" in titles(client, f"bbox={BOTH_BOX}&afstand=1&van={centrum.code}")


def test_hidden_and_closed_posts_are_not_in_the_api(client, board, truus):
    from omkijken.platform.extensions import db
    from omkijken.platform.posts import services

    board["koffie"].verborgen = True
    db.session.commit()
    services.set_status(board["tuin"], by=truus, status="gesloten", reden="gelukt", now=NOW)

    assert titles(client, f"bbox={OSS_BOX}") == set()


@pytest.mark.parametrize("bbox", [
    None, "", "abc", "1,2,3", "1,2,3,4,5", "a,b,c,d", "5.4,51.7,5.6", "NaN,51,6,52", "5,nan,6,52",
    "inf,51,6,52", "5,51,-inf,52", "1e999,51,6,52", "5,51,1e308,52", "5,-91,6,52", "181,51,182,52",
    "5,52,6,51", "5,51,5,51", "5;51;6;52", "5,51,6,52" + "0" * 300, "%00,51,6,52",
    "0x10,51,6,52", " , , , ", "5.4.1,51,6,52", "\u0665,51,6,52x",
])
def test_a_malformed_box_is_a_400_with_a_dutch_message(client, bbox):
    url = "/api/v1/posts.geojson" + ("" if bbox is None else f"?bbox={bbox}")
    response = client.get(url)

    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "bbox" in message or "gebied" in message
    assert any(word in message for word in ("Geef", "getal", "moet", "mag", "verkeerd", "te lang"))


@pytest.mark.parametrize("query", [
    "type=raket", "categorie=ruimtevaart", "wijk=abc", "wijk=99999999999999999999", "wijk=%C2%B2",
    "zoek=" + "x" * 500, "afstand=-5&van=WK082806", "afstand=NaN&van=WK082806", "afstand=1e309&van=WK082806",
    "afstand=5", "afstand=5&van=huis", "afstand=5&van=WK000000", "soort=%F0%9F%98%80",
])
def test_wrong_filters_in_the_api_are_a_400_never_a_500(client, query):
    response = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}&{query}")

    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]


@pytest.mark.parametrize("query", ["type=%00", "zoek=%00koffie", "wijk=%00", "zoek=%25_%27%22%3B--", "zoek=%F0%9F%98%80"])
def test_nul_bytes_and_odd_text_are_harmless(client, board, query):
    response = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}&{query}")

    assert response.status_code == 200, response.get_data(as_text=True)


def test_other_methods_and_paths_answer_in_json(client):
    assert client.post(f"/api/v1/posts.geojson?bbox={OSS_BOX}").status_code == 405
    missing = client.get("/api/v1/bestaat-niet")
    assert missing.status_code == 404


def test_at_most_the_cap_newest_first_and_the_total_when_more(app, client, truus):
    app.config["API_GEOJSON_CAP"] = 3
    for number in range(5):
        place("initiatief", f"Initiatief {number}", auteur=truus, where=OSS_CENTRUM, op_huisadres=False,
              created_at=NOW - timedelta(hours=number))

    body = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}").get_json(force=True)
    assert [f["properties"]["titel"] for f in body["features"]] == ["Initiatief 0", "Initiatief 1", "Initiatief 2"]
    assert body["truncated"] is True
    assert body["total"] == 5

    small = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}&zoek=Initiatief 4").get_json(force=True)
    assert small["truncated"] is False and small["total"] == 1


def test_with_clusters_a_crowded_view_gets_groups_that_count_every_post(app, client, truus):
    app.config["API_GEOJSON_CAP"] = 3
    spots = [OSS_CENTRUM, east_of(OSS_CENTRUM, 3000), north_of(OSS_CENTRUM, 3000)]
    for number in range(7):
        place("initiatief", f"Initiatief {number}", auteur=truus, where=spots[number % 3], op_huisadres=False)

    body = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}&clusters=1").get_json(force=True)
    assert (body["clustered"], body["truncated"], body["total"]) == (True, False, 7)
    # One group per spot (3 km apart), at the spot, with how many posts stand there.
    per_spot = {(g["geometry"]["coordinates"][1], g["geometry"]["coordinates"][0]): g["properties"]
                for g in body["features"]}
    assert {spot: group["aantal"] for spot, group in per_spot.items()} == {
        (round(spots[0][0], 5), round(spots[0][1], 5)): 3,
        (round(spots[1][0], 5), round(spots[1][1], 5)): 2,
        (round(spots[2][0], 5), round(spots[2][1], 5)): 2,
    }
    for (lat, lon), group in per_spot.items():
        assert group["cluster"] is True
        west, south, east, north = group["bbox"]  # the grid cell, to zoom in on
        assert west <= lon <= east and south <= lat <= north and east - west < 0.05

    # Filters count too, and a view with no more than the cap gets the posts themselves.
    few = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}&clusters=1&zoek=Initiatief 4").get_json(force=True)
    assert few["clustered"] is False and [f["properties"]["titel"] for f in few["features"]] == ["Initiatief 4"]
    lat, lon = spots[1]
    near = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    zoomed = client.get(f"/api/v1/posts.geojson?bbox={near}&clusters=1").get_json(force=True)
    assert {f["properties"]["titel"] for f in zoomed["features"]} == {"Initiatief 1", "Initiatief 4"}
    # Without clusters the answer is as before: the newest three.
    assert len(client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}").get_json(force=True)["features"]) == 3


def test_groups_stay_in_place_when_the_map_pans(app, client, truus):
    """The grid belongs to the globe, not to the view: a post keeps its group after a small pan."""
    app.config["API_GEOJSON_CAP"] = 0
    place("initiatief", "Buurtmoestuin", auteur=truus, where=OSS_CENTRUM, op_huisadres=False)
    place("initiatief", "Repaircafe", auteur=truus, where=east_of(OSS_CENTRUM, 50), op_huisadres=False)

    def groups(box):
        return client.get(f"/api/v1/posts.geojson?bbox={box}&clusters=1").get_json(force=True)["features"]

    first = groups("5.47,51.73,5.57,51.79")
    assert [g["properties"]["aantal"] for g in first] == [2]
    assert groups("5.4712,51.7311,5.5712,51.7911") == first


def test_a_wrong_clusters_value_is_a_400_in_dutch(client):
    response = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}&clusters=ja")
    assert response.status_code == 400
    assert "clusters=1" in response.get_json()["error"]


def test_privacy_a_group_of_one_home_shows_the_public_point(app, client, truus):
    from omkijken.platform.posts import services

    app.config["API_GEOJSON_CAP"] = 0
    vraag = place("hulpvraag", "Wie doet boodschappen voor mij?", auteur=truus, categorie="boodschappen")
    lat, lon = services.exact_point(vraag)
    public_lat, public_lon = services.public_point(vraag)

    text = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}&clusters=1").get_data(as_text=True)
    for decimals in (4, 5):
        assert f"{lat:.{decimals}f}" not in text and f"{lon:.{decimals}f}" not in text
    (group,) = json.loads(text)["features"]
    assert group["geometry"]["coordinates"] == [round(public_lon, 5), round(public_lat, 5)]


def test_privacy_the_exact_home_is_never_in_the_geojson_but_the_public_point_is(client, truus):
    from omkijken.platform.posts import services

    vraag = place("hulpvraag", "Wie doet boodschappen voor mij?", auteur=truus, categorie="boodschappen")
    lat, lon = services.exact_point(vraag)
    public_lat, public_lon = services.public_point(vraag)
    assert (round(lat, 4), round(lon, 4)) != (round(public_lat, 4), round(public_lon, 4))

    text = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}").get_data(as_text=True)
    assert "Wie doet boodschappen voor mij?" in text
    for decimals in (4, 5):
        assert f"{lat:.{decimals}f}" not in text
        assert f"{lon:.{decimals}f}" not in text
    body = json.loads(text)
    assert body["features"][0]["geometry"]["coordinates"] == [round(public_lon, 5), round(public_lat, 5)]


def test_the_box_looks_at_the_public_point_not_the_home(client, truus):
    """A tiny box around the house itself finds nothing: the pin is hundreds of metres away."""
    place("hulpvraag", "Hulp met de computer", auteur=truus)
    lat, lon = RUWAARD
    tiny = f"{lon - 0.0005},{lat - 0.0005},{lon + 0.0005},{lat + 0.0005}"

    assert titles(client, f"bbox={tiny}") == set()


def test_no_login_and_no_csrf_needed(client, board):
    response = client.get(f"/api/v1/posts.geojson?bbox={OSS_BOX}")
    assert response.status_code == 200 and response.get_json(force=True)["features"]  # an answer, not an empty one
    assert "Set-Cookie" not in response.headers or "session" not in response.headers.get("Set-Cookie", "")


def test_openapi_document_describes_the_endpoint(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"].startswith("3.1")
    operation = document["paths"]["/posts.geojson"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"bbox", "type", "categorie", "wijk", "zoek"}
    assert next(p for p in operation["parameters"] if p["name"] == "bbox")["required"] is True
    assert set(operation["responses"]) == {"200", "400"}
    assert "Feature" in document["components"]["schemas"]
    assert document["servers"][0]["url"].endswith("/api/v1")


def test_the_geojson_has_what_the_openapi_schema_requires(client, board):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    body = client.get(f"/api/v1/posts.geojson?bbox={BOTH_BOX}").get_json(force=True)

    assert set(schemas["FeatureCollection"]["required"]) <= set(body)
    assert body["features"]
    for feature in body["features"]:
        assert set(schemas["Feature"]["required"]) <= set(feature)
        properties = schemas["Feature"]["properties"]["properties"]
        assert set(feature["properties"]) == set(properties["required"])
        assert feature["properties"]["soort"] in properties["properties"]["soort"]["enum"]
        assert len(feature["geometry"]["coordinates"]) == 2


def test_a_clustered_answer_has_what_the_openapi_schema_requires(app, client, board):
    app.config["API_GEOJSON_CAP"] = 1
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    body = client.get(f"/api/v1/posts.geojson?bbox={BOTH_BOX}&clusters=1").get_json(force=True)

    assert body["clustered"] is True and set(schemas["FeatureCollection"]["required"]) <= set(body)
    for group in body["features"]:
        assert set(schemas["Cluster"]["required"]) <= set(group)
        assert set(group["properties"]) == set(schemas["Cluster"]["properties"]["properties"]["required"])
