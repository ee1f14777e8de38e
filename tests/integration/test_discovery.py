"""What search engines, link previews and security researchers read (issue 27, item 4): the
activities' Event data, a description and OpenGraph on every page, robots.txt, sitemap.xml and
security.txt."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from omkijken.platform.extensions import db
from tests.integration.test_prikbord_list import place
from tests.support import DOMMELBERGEN, OSS_CENTRUM, RUWAARD, submit

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def event_of(client, post_id: int) -> dict:
    page = client.get(f"/prikbord/{post_id}").get_data(as_text=True)
    (script,) = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    return json.loads(script)


def meta(html: str, attribute: str, name: str) -> str | None:
    for tag in re.findall(r"<meta\b[^>]*>", html):
        if f'{attribute}="{name}"' in tag:
            found = re.search(r'content="([^"]*)"', tag)
            return found.group(1) if found else ""
    return None


@pytest.fixture
def truus(make_user):
    return make_user("truus@example.nl", naam="Truus de Vries", home=RUWAARD)


def test_an_activity_at_a_meeting_place_has_its_postal_address_a_free_offer_and_an_organizer_url(client, truus):
    plek = place("ontmoetingsplek", "Buurthuis De Ruwaard", auteur=truus, where=OSS_CENTRUM, op_huisadres=False,
                 adres="Ruwaardstraat 1")
    activiteit = place("activiteit", "Kaartclub", auteur=truus, plek_id=plek.id, where=OSS_CENTRUM,
                       op_huisadres=False)
    db.session.commit()

    event = event_of(client, activiteit.id)

    address = event["location"]["address"]
    assert address["@type"] == "PostalAddress"
    assert address["streetAddress"] == "Ruwaardstraat 1"
    assert address["addressLocality"] == "Oss" and address["addressCountry"] == "NL"
    assert event["offers"] == {"@type": "Offer", "price": "0.00", "priceCurrency": "EUR"}
    assert event["isAccessibleForFree"] is True
    assert event["organizer"]["url"].startswith("http") and event["organizer"]["name"] == "Truus"


def test_an_activity_at_a_residents_home_gives_no_street_only_the_gemeente(client, truus):
    activiteit = place("activiteit", "Breiclub bij mij thuis", auteur=truus, op_huisadres=True,
                       prijs=Decimal("1.00"))
    db.session.commit()

    event = event_of(client, activiteit.id)

    address = event["location"]["address"]
    assert address == {"@type": "PostalAddress", "addressCountry": "NL", "addressLocality": "Oss"}
    assert event["offers"] == {"@type": "Offer", "price": "1.00", "priceCurrency": "EUR"}


@pytest.mark.parametrize("taal, description_word", [("nl", "buurt"), ("en", "neighbourhood")])
def test_every_page_has_a_description_and_opengraph_in_its_language(client, truus, taal, description_word):
    plek = place("ontmoetingsplek", "Buurthuis De Ruwaard", auteur=truus, where=OSS_CENTRUM, op_huisadres=False,
                 beschrijving="Elke dag koffie en een praatje.")
    db.session.commit()
    submit(client, "/taal", {"taal": taal, "next": "/"}, page="/")

    for path in ("/", "/prikbord", "/agenda", "/wijken", "/inloggen", f"/prikbord/{plek.id}", "/nergens"):
        html = client.get(path).get_data(as_text=True)
        description = meta(html, "name", "description")
        assert description, path
        assert meta(html, "property", "og:description") == description, path
        title = meta(html, "property", "og:title")
        assert title and title in re.search(r"<title>(.*?)</title>", html, re.S).group(1), path
        assert meta(html, "property", "og:url") == f"http://localhost{path}", path
        assert meta(html, "property", "og:type") == "website", path
        image = meta(html, "property", "og:image")
        assert image.startswith("http://localhost/static/icons/icon-512.") and image.endswith(".png"), path
        assert client.get(image.removeprefix("http://localhost")).status_code == 200
        assert meta(html, "property", "og:locale") == {"nl": "nl_NL", "en": "en_GB"}[taal], path
    home = client.get("/").get_data(as_text=True)
    assert description_word in meta(home, "name", "description").lower()
    detail = client.get(f"/prikbord/{plek.id}").get_data(as_text=True)
    assert meta(detail, "name", "description") == "Elke dag koffie en een praatje."


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_from_personal_pages(client):
    answer = client.get("/robots.txt")

    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    text = answer.get_data(as_text=True)
    assert "User-agent: *" in text
    assert "Sitemap: http://localhost/sitemap.xml" in text
    for private in ("/gesprekken", "/mijn-berichten", "/voorstellen", "/beheer", "/inloggen"):
        assert f"Disallow: {private}" in text


def test_the_sitemap_lists_public_pages_activities_and_wijken_but_no_persons_needs_or_homes(client, truus):
    plek = place("ontmoetingsplek", "Buurthuis", auteur=truus, where=OSS_CENTRUM, op_huisadres=False)
    activiteit = place("activiteit", "Kaartclub", auteur=truus, plek_id=plek.id, where=OSS_CENTRUM,
                       op_huisadres=False)
    initiatief = place("initiatief", "Moestuin", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)
    vacature = place("vacature", "Chauffeur", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)
    hulpvraag = place("hulpvraag", "Hulp bij boodschappen", auteur=truus)
    aanbod = place("aanbod", "Ik help met klussen", auteur=truus)
    thuis = place("activiteit", "Breiclub bij mij thuis", auteur=truus, op_huisadres=True)
    gesloten = place("initiatief", "Oud idee", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)
    verborgen = place("vacature", "Gemeld", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)
    gesloten.status = "gesloten"
    verborgen.verborgen = True
    db.session.commit()

    answer = client.get("/sitemap.xml")

    assert answer.status_code == 200 and answer.mimetype == "application/xml"
    root = ElementTree.fromstring(answer.get_data())
    assert root.tag == f"{SITEMAP}urlset"
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(urls) == len(set(urls))
    for public in ("/", "/prikbord", "/agenda", "/wijken", "/wijken/WK082806"):
        assert f"http://localhost{public}" in urls, public
    for post in (plek, activiteit, initiatief, vacature):
        assert f"http://localhost/prikbord/{post.id}" in urls, post.titel
    for post in (hulpvraag, aanbod, thuis, gesloten, verborgen):
        assert f"http://localhost/prikbord/{post.id}" not in urls, post.titel
    assert not any(part in url for url in urls for part in ("/gesprekken", "/beheer", "/voorstellen", "/inzicht"))
    for url in urls:
        assert client.get(url.removeprefix("http://localhost")).status_code == 200, url


def test_security_txt_follows_rfc_9116(app, client):
    app.config["SECURITY_CONTACT"] = "mailto:veiligheid@omkijken.example"

    answer = client.get("/.well-known/security.txt")

    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    assert answer.content_type == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in answer.get_data(as_text=True).splitlines()
                  if line and not line.startswith("#"))
    assert fields["Contact"] == "mailto:veiligheid@omkijken.example"
    assert fields["Preferred-Languages"] == "nl, en"
    assert fields["Canonical"] == "http://localhost/.well-known/security.txt"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    now = datetime.now(timezone.utc)
    assert now < expires <= now + timedelta(days=366)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", fields["Expires"])
