"""Static files under hashed names, cached for a year; the old names still work (issue 27, item 3)."""

from __future__ import annotations

import hashlib
import re

from omkijken.platform import PACKAGE_ROOT
from tests.support import RUWAARD

STATIC = PACKAGE_ROOT / "static"
HASHED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def sha(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def test_pages_name_static_files_by_their_content_hash_and_those_are_kept_a_year(client):
    html = client.get("/").get_data(as_text=True)

    css = f"/static/css/omkijken.{sha('css/omkijken.css')}.css"
    script = f"/static/js/app.{sha('js/app.js')}.js"
    assert f'href="{css}"' in html and f'src="{script}"' in html
    assert 'href="/static/css/omkijken.css"' not in html
    for url in HASHED.findall(html):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        assert "Cookie" not in answer.headers.get("Vary", ""), url
    assert client.get(css).get_data() == (STATIC / "css/omkijken.css").read_bytes()


def test_the_old_unhashed_address_still_works_but_is_checked_each_time(client):
    answer = client.get("/static/css/omkijken.css")

    assert answer.status_code == 200
    assert answer.get_data() == (STATIC / "css/omkijken.css").read_bytes()
    assert answer.headers["Cache-Control"] == "no-cache"


def test_a_wrong_or_stale_hash_is_not_found(client):
    assert client.get("/static/css/omkijken.000000000000.css").status_code == 404
    assert client.get("/static/css/nergens.css").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404


def test_a_signed_in_persons_static_files_carry_no_vary_cookie_and_stay_compressed(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/omkijken\.[0-9a-f]{12}\.css)"', html).group(1)

    answer = client.get(css, headers={"Accept-Encoding": "gzip, deflate, br"})  # as a browser asks

    assert answer.status_code == 200 and answer.headers["Content-Encoding"] in ("br", "deflate", "gzip")
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Cookie" not in answer.headers.get("Vary", "")
    plain = client.get("/static/css/omkijken.css")
    assert "Cookie" not in plain.headers.get("Vary", "") and "private" not in plain.headers["Cache-Control"]


def test_the_service_worker_keeps_the_hashed_files_the_pages_name(client):
    html = client.get("/").get_data(as_text=True)
    source = client.get("/sw.js").get_data(as_text=True)

    precache = re.search(r"const VOORAF = (\[[^\]]*\]);", source).group(1)
    css = re.search(r'href="(/static/css/omkijken\.[0-9a-f]{12}\.css)"', html).group(1)
    script = re.search(r'src="(/static/js/app\.[0-9a-f]{12}\.js)"', html).group(1)
    assert f'"{css}"' in precache and f'"{script}"' in precache
    for url in re.findall(r'"(/static/[^"]+)"', precache):
        assert client.get(url).status_code == 200, url


def test_in_debug_mode_an_edited_file_gets_a_new_address_at_once(app, client, tmp_path):
    app.debug = True
    app.static_folder = str(tmp_path)
    app.extensions["omkijken.static_manifest"].__init__(str(tmp_path))
    (tmp_path / "proef.css").write_text("body { color: red }")
    with app.test_request_context():
        from flask import url_for

        first = url_for("static", filename="proef.css")
        (tmp_path / "proef.css").write_text("body { color: blue }")
        second = url_for("static", filename="proef.css")

    assert first != second
    assert client.get(second).get_data(as_text=True) == "body { color: blue }"
    assert client.get(first).status_code == 404


def test_every_client_gets_the_same_file_compressed_as_it_can_read_it(client):
    """A client that reads only gzip (some proxies, older tools, ``curl --compressed`` builds without
    brotli) got the file uncompressed: Flask-Compress leaves gzip out of its choice for streamed
    answers, and a file is one."""
    import gzip

    import brotli

    name = "vendor/leaflet/leaflet.js"
    url = f"/static/{name[:-3]}.{sha(name)}.js"
    original = (STATIC / name).read_bytes()
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}
    for accepts, encoding in (("br", "br"), ("gzip", "gzip"), ("gzip, br", "br"), ("identity", None), ("", None)):
        answer = client.get(url, headers={"Accept-Encoding": accepts})
        assert answer.status_code == 200, accepts
        assert answer.headers.get("Content-Encoding") == encoding, accepts
        assert "Accept-Encoding" in answer.headers["Vary"], accepts
        assert decode[encoding](answer.get_data()) == original, accepts
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
