"""What a phone on a slow connection waits for (issue 22, Lighthouse in bench/lighthouse.py): text
comes compressed, and the map's scripts do not hold up the first paint of the page."""

from __future__ import annotations

import gzip
import re
import zlib

import pytest

from tests.integration.test_prikbord_list import place
from tests.support import DOMMELBERGEN, RUWAARD, static_url

GZIP = {"Accept-Encoding": "gzip, deflate"}


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


@pytest.mark.parametrize("path", ["/kaart", "/static/vendor/leaflet/leaflet.js", "/static/css/omkijken.css",
                                  "/api/v1/posts.geojson?bbox=4.7,51.5,5.8,52.0"])
def test_text_comes_compressed_to_a_browser_that_asks_for_it(client, make_user, path):
    truus = make_user("truus@example.nl", home=RUWAARD)
    for number in range(20):
        place("ontmoetingsplek", f"Buurthuis {number}", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)
    plain = client.get(path)

    packed = client.get(path, headers=GZIP)

    assert packed.status_code == 200 and packed.headers["Content-Encoding"] in ("gzip", "deflate")
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    if path == "/kaart":  # a fresh script nonce in each answer
        assert decoded(packed).startswith(b"<!doctype html>") and decoded(packed).rstrip().endswith(b"</html>")
    else:
        assert decoded(packed) == plain.get_data()
    assert "Accept-Encoding" in packed.headers["Vary"]


def test_images_are_not_compressed_again(client):
    answer = client.get("/static/icons/icon-192.png", headers=GZIP)

    assert "Content-Encoding" not in answer.headers


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def test_the_map_pages_load_leaflet_after_the_content_not_in_the_head(client, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    plek = place("ontmoetingsplek", "Buurthuis", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)

    for path in ("/kaart", f"/prikbord/{plek.id}"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r"<script\b[^>]*\bsrc=", _head(html)) is None, path
        assert f'href="{static_url("vendor/leaflet/leaflet.css")}"' in _head(html), path
        body = html.split("</head>", 1)[1]
        # Leaflet (deferred: it holds up no paint) before folium's map script that needs it, which
        # waits for DOMContentLoaded, as the page's own script does.
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", body):
            assert re.search(r"\bdefer\b", tag), (path, tag)
        assert body.index(f'src="{static_url("vendor/leaflet/leaflet.js")}"') < body.index("L.map("), path
        assert 'document.addEventListener("DOMContentLoaded", function () {' in body
        if path == "/kaart":
            assert (body.index(static_url("vendor/markercluster/leaflet.markercluster.js")) < body.index("L.map(")
                    < body.index(static_url("js/kaart.js")))


def test_a_signed_in_persons_page_is_never_compressed_but_her_scripts_are(client, make_user, login):
    """BREACH: her page holds her session's CSRF token beside a search word anyone can put in a link;
    compressed, the answer's size would give the token away guess by guess."""
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    page = client.get("/prikbord?q=csrf_token", headers=GZIP)
    script = client.get("/static/vendor/leaflet/leaflet.js", headers=GZIP)

    assert page.status_code == 200 and "Content-Encoding" not in page.headers
    assert 'name="csrf_token"' in page.get_data(as_text=True)
    assert script.headers["Content-Encoding"] in ("gzip", "deflate")
