"""A resident on a phone asks for help through the form, and the pages on the way pass axe."""

from __future__ import annotations

import pytest

from tests.support import RUWAARD


@pytest.mark.browser
def test_a_resident_posts_a_hulpvraag_on_a_phone(phone, make_user):
    make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    phone.log_in("truus@example.nl")

    phone.open("/plaatsen")
    assert phone.serious_accessibility_problems() == []
    phone.page.get_by_role("link", name="Hulpvraag").click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.serious_accessibility_problems() == []
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390

    page = phone.page
    page.get_by_role("textbox", name="Waar gaat je vraag over, in een paar woorden?").fill("Hulp bij boodschappen")
    page.get_by_role("textbox", name="Wat wil je?").fill("Zelf blijven koken.")
    page.get_by_role("radio", name="Boodschappen").check()
    page.get_by_role("textbox", name="Wat heb je nodig?").fill("Iemand die op dinsdag meegaat naar de markt.")
    page.get_by_role("checkbox", name="dinsdagochtend").check()
    page.get_by_role("checkbox", name="donderdagmiddag").check()
    page.get_by_role("button", name="Plaatsen").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Hulp bij boodschappen"
    assert "Je hulpvraag staat op het prikbord" in page.content()
    assert "Wat gebeurt er nu?" in page.content()
    assert "dinsdagochtend" in page.content()
    assert phone.serious_accessibility_problems() == []
    detail_url = page.url

    phone.open("/prikbord")
    page.get_by_role("link", name="Hulp bij boodschappen").click()
    page.wait_for_load_state("networkidle")
    assert page.url == detail_url

    phone.open("/kaart")
    page.wait_for_selector(".leaflet-marker-icon", timeout=10_000)
    assert page.locator('.leaflet-marker-icon[title="Hulp bij boodschappen"]').count() == 1
    assert phone.errors == []


@pytest.mark.browser
def test_every_form_fits_320_px_and_passes_axe(narrow, make_user):
    make_user("co@example.nl", roles=("vrijwilliger", "organisatie", "coordinator"), naam="Coby", home=RUWAARD)
    narrow.log_in("co@example.nl")

    kinds = ("hulpvraag", "aanbod", "vacature", "initiatief", "ontmoetingsplek", "activiteit")
    for path in ("/plaatsen", *(f"/plaatsen/{kind}" for kind in kinds), "/mijn-berichten", "/gesprekken"):
        narrow.open(path)
        assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert narrow.serious_accessibility_problems() == [], path
    assert narrow.errors == []
