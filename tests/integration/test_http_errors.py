"""Every error speaks the visitor's language on pages and JSON under /api/ (issue 27, item 5).

A blueprint's error handler never sees routing errors (a 404 or 405 is raised before any view of
the blueprint is chosen), so the API's JSON errors are chosen app-wide by the path.
"""

from __future__ import annotations

import pytest


def speaks_english(client) -> None:
    with client.session_transaction() as session:
        session["taal"] = "en"


def test_a_wrong_method_on_a_page_is_a_dutch_page(client):
    response = client.post("/agenda")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Method Not Allowed" not in html
    assert "Dit kan zo niet" in html
    assert '<html lang="nl"' in html
    assert "GET" in response.headers["Allow"]


def test_a_wrong_method_on_a_page_is_english_for_an_english_reader(client):
    speaks_english(client)
    html = client.post("/agenda").get_data(as_text=True)
    assert "This is not possible like this" in html
    assert "Dit kan zo niet" not in html


def test_a_missing_page_is_english_for_an_english_reader(client):
    speaks_english(client)
    html = client.get("/bestaat-niet").get_data(as_text=True)
    assert "Page not found" in html


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/v1/bestaat-niet", 404),
    ("get", "/api/bestaat-niet", 404),
    ("post", "/api/v1/posts.geojson?bbox=5.4,51.7,5.6,51.8", 405),
    ("delete", "/api/v1/kpi", 405),
    ("put", "/api/v1/openapi.json", 405),
])
def test_routing_errors_under_api_are_dutch_json(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error and "Not Found" not in error and "Method" not in error
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_api_errors_stay_dutch_for_an_english_reader(client):
    speaks_english(client)
    response = client.get("/api/v1/bestaat-niet")
    assert response.get_json() == {"error": "Dit adres bestaat niet in de API."}


def test_the_401_of_kpi_says_how_to_log_in(client):
    response = client.get("/api/v1/kpi")
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    challenge = response.headers.get("WWW-Authenticate", "")
    # The API is used with the site's session cookie: the challenge says so, and where to log in.
    assert challenge.startswith("Cookie ")
    assert 'realm="Omkijken"' in challenge
    assert 'form-action="/inloggen"' in challenge
    assert 'cookie-name="session"' in challenge
