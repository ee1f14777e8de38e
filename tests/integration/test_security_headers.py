"""What every response tells the browser: run only our own scripts, never in a frame, HTTPS when behind TLS."""

from __future__ import annotations

import re

import pytest

from omkijken.platform import create_app
from tests.support import RUWAARD, submit

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.S)


def nonce_of(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    found = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    assert found, policy
    return found.group(1)


@pytest.mark.parametrize("url", ["/", "/kaart", "/wijken/WK082806", "/profiel", "/inzicht/kaart"])
def test_every_inline_script_carries_the_nonce_of_its_response(app, client, make_user, login, url):
    make_user("gemeente@example.nl", roles=("gemeente",))
    login("gemeente@example.nl")

    first, second = client.get(url), client.get(url)

    assert first.status_code == 200
    assert nonce_of(first) != nonce_of(second), "elke pagina krijgt een nieuwe nonce"
    for response in (first, second):  # the second map comes from the rendered-map cache
        nonce = nonce_of(response)
        inline = [attrs for attrs in SCRIPT_TAG.findall(response.get_data(as_text=True)) if "src=" not in attrs]
        assert all(f'nonce="{nonce}"' in attrs for attrs in inline), inline
        if url != "/":
            assert inline, "een kaartpagina heeft inline scripts van folium: test controleert niets"


def test_the_policy_allows_only_our_scripts_and_the_tile_host(app, client):
    response = client.get("/")
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))

    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "https://service.pdok.nl" in policy["img-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers, "zonder TLS geen HSTS"


def test_a_personal_page_is_not_kept_in_a_cache(client, make_user, login):
    make_user("sanne@example.nl", home=RUWAARD)
    login("sanne@example.nl")

    assert client.get("/profiel").headers["Cache-Control"] == "private, no-store"


def test_behind_tls_cookies_are_secure_and_hsts_is_sent(instance_path, database):
    from tests.conftest import make_app

    app = make_app(instance_path, database, BEHIND_TLS=True, SESSION_COOKIE_SECURE=True,
                   REMEMBER_COOKIE_SECURE=True)
    client = app.test_client()
    response = submit(client, "/inloggen", {"email": "x@example.nl", "password": "fout"})

    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("key", [None, "test-secret", "...", "kort"])
def test_production_refuses_to_start_without_its_own_secret_key(tmp_path, monkeypatch, key):
    monkeypatch.setenv("OMKIJKEN_ENV", "production")
    if key is None:
        monkeypatch.delenv("OMKIJKEN_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("OMKIJKEN_SECRET_KEY", key)

    with pytest.raises(RuntimeError, match="OMKIJKEN_SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_production_starts_with_a_long_random_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("OMKIJKEN_ENV", "production")
    monkeypatch.setenv("OMKIJKEN_SECRET_KEY", "f" * 8 + "0123456789abcdef0123456789abcdef")

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})

    assert app.config["PRODUCTION"] is True
