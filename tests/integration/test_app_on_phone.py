"""The site as an app on a phone (issue 22): the manifest, the icons browsers ask for, the service
worker and its offline page, the install page; and every file a page links to is there."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.support import RUWAARD, static_url, submit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in {"link": ("href",), "script": ("src",), "img": ("src",), "a": ("href",)}.get(tag, ()):
            url = attrs.get(name)
            if url and not urlsplit(url).netloc and url.startswith("/"):
                self.urls.append(url)


def linked(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return sorted(set(parser.urls))


def image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.data))


def test_favicon_and_apple_touch_icon_are_there(client):
    """Every page logged a 404 for these: browsers and iPhones ask at the root whatever the page says."""
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert favicon.data[:4] == b"\x00\x00\x01\x00", "an .ico file"
    for path in ("/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.mimetype == "image/png", path
        assert image(answer).size == (180, 180)


@pytest.mark.parametrize("path", ["/", "/kaart", "/prikbord", "/op-je-telefoon", "/offline", "/voorstellen",
                                  "/mijn-berichten", "/gesprekken"])
def test_every_file_and_link_of_a_page_is_there(client, make_user, login, path):
    make_user("truus@example.nl", home=RUWAARD, roles=("inwoner", "vrijwilliger"))
    login("truus@example.nl")
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)

    urls = [url for url in linked(html) if url not in ("/uitloggen",)]
    assert any(url.startswith("/static/") for url in urls)
    for url in urls:
        assert client.get(url).status_code == 200, (path, url)
    if path != "/offline":
        assert 'rel="manifest"' in html and 'rel="apple-touch-icon"' in html and 'rel="icon"' in html


def test_the_manifest_names_the_app_in_dutch_with_its_colours_and_icons(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer.mimetype == "application/manifest+json"
    manifest = json.loads(answer.data)

    assert manifest["short_name"] == "Omkijken" and "Oss en Oosterhout" in manifest["name"]
    assert manifest["lang"] == "nl" and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    brand = re.search(r"--brand:\s*(#[0-9a-f]{6})", client.get("/static/css/omkijken.css").get_data(as_text=True))
    assert manifest["theme_color"] == brand.group(1)
    assert f'<meta name="theme-color" content="{brand.group(1)}">' in client.get("/").get_data(as_text=True)
    assert manifest["background_color"] == "#ffffff"
    pngs = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert set(pngs) >= {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for (sizes, _purpose), src in pngs.items():
        icon = client.get(src)
        assert icon.status_code == 200 and f"{image(icon).size[0]}x{image(icon).size[1]}" == sizes, src


def test_the_service_worker_covers_the_whole_site_and_is_never_cached(client):
    answer = client.get("/sw.js")

    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert answer.headers["Cache-Control"] == "no-cache"
    assert answer.headers["Service-Worker-Allowed"] == "/"
    source = answer.get_data(as_text=True)
    version = re.search(r'const VERSION = "([^"]+)"', source).group(1)
    assert version.startswith("1-")
    for kept in ("/offline", static_url("css/omkijken.css"), static_url("js/app.js")):
        assert f'"{kept}"' in source
    assert 'request.method !== "GET"' in source, "a POST is never answered from or put in the cache"


def test_the_offline_page_is_dutch_and_holds_nothing_of_the_person(client, make_user, login):
    make_user("truus@example.nl", naam="Truus Tester", home=RUWAARD)
    login("truus@example.nl")

    html = client.get("/offline").get_data(as_text=True)

    assert "Je bent offline" in html and "geen internet" in html
    assert "Truus" not in html and "Uitloggen" not in html and "csrf_token" not in html


def test_every_page_links_to_the_install_page_with_both_phones_explained(client):
    assert 'href="/op-je-telefoon"' in client.get("/").get_data(as_text=True)

    html = client.get("/op-je-telefoon").get_data(as_text=True)

    assert "<h1>Zet Omkijken op je telefoon</h1>" in html
    assert "Android" in html and "Chrome" in html and "iPhone" in html and "Safari" in html
    assert re.search(r'<button[^>]*id="installeer-knop"[^>]*hidden', html), "only shown where the browser offers it"


def test_logging_out_tells_the_browser_to_forget_the_pages_it_kept(client, make_user, login):
    make_user("truus@example.nl", home=RUWAARD)
    login("truus@example.nl")

    answer = submit(client, "/uitloggen", {}, page="/")

    assert answer.status_code == 302
    assert '"storage"' in answer.headers["Clear-Site-Data"] and '"cache"' in answer.headers["Clear-Site-Data"]
