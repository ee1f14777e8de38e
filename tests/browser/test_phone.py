"""What a resident on a phone meets: the home page, logging in, registering, the profile."""

from __future__ import annotations

import pytest

from tests.support import RUWAARD


@pytest.mark.browser
def test_home_then_login_on_a_phone_without_console_errors(phone, make_user):
    make_user("truus@example.nl", naam="Truus", home=RUWAARD)

    phone.open("/")
    assert phone.page.locator("h1").inner_text().startswith("Naar elkaar omkijken")
    phone.page.get_by_role("link", name="Inloggen").first.click()
    phone.page.get_by_label("E-mailadres").fill("truus@example.nl")
    phone.page.get_by_label("Wachtwoord").fill("wachtwoord-123")
    phone.page.get_by_role("button", name="Inloggen").click()
    phone.page.wait_for_load_state("networkidle")

    assert "Je bent ingelogd." in phone.page.content()
    assert "Ruwaard" in phone.page.content()
    assert phone.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/inloggen", "/registreren", "/wijken", "/wijken/WK082806", "/nergens"])
def test_public_pages_pass_axe_and_fit_320_px(narrow, path):
    narrow.open(path)

    assert narrow.serious_accessibility_problems() == []
    assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320
    assert narrow.errors == [] or path == "/nergens"


@pytest.mark.browser
def test_logged_in_pages_pass_axe(narrow, make_user, standaard_diensten):
    make_user("bea@example.nl", roles=("beheerder",), home=RUWAARD)
    narrow.open("/inloggen")
    narrow.page.get_by_label("E-mailadres").fill("bea@example.nl")
    narrow.page.get_by_label("Wachtwoord").fill("wachtwoord-123")
    narrow.page.get_by_role("button", name="Inloggen").click()

    blink = standaard_diensten["blink"].id
    from omkijken.platform.clock import utcnow
    from omkijken.platform.insights import wachtlijst

    maand = wachtlijst.generate(wachtlijst.previous_months(utcnow(), 1)[0], now=utcnow()).maand.strftime("%Y-%m")
    for path in ("/profiel", "/beheer/gebruikers", "/beheer/mail", "/beheer/diensten", f"/beheer/diensten/{blink}",
                 "/beheer/diensten/nieuw", "/voorstellen", "/inzicht", "/inzicht/kaart", "/inzicht/wachtlijst",
                 f"/inzicht/wachtlijst/{maand}"):
        narrow.open(path)
        assert narrow.serious_accessibility_problems() == [], path
        assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320, path
    assert narrow.errors == []


@pytest.mark.browser
def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(phone):
    phone.open("/")

    phone.page.keyboard.press("Tab")
    focused = phone.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    phone.page.keyboard.press("Enter")
    assert phone.page.evaluate("document.activeElement.id") == "inhoud"


@pytest.mark.browser
def test_register_by_tapping_home_on_the_map(phone):
    phone.open("/registreren")
    phone.page.get_by_label("Je naam").fill("Ahmed")
    phone.page.get_by_label("E-mailadres").fill("ahmed@example.nl")
    phone.page.get_by_label("Wachtwoord").fill("een lange zin")
    phone.page.get_by_text("Of wijs je huis aan op de kaart").click()
    box = phone.page.locator(".folium-map").first
    box.scroll_into_view_if_needed()
    box.click()
    assert phone.page.locator("[data-pick=lat]").input_value() != ""
    phone.page.get_by_label("Ik heb gelezen wat Omkijken").check()
    phone.page.get_by_role("button", name="Account maken").click()
    phone.page.wait_for_load_state("networkidle")

    assert phone.page.locator("h1").inner_text() == "Kijk in je mail"
    phone.page.get_by_role("link", name="Of log nu in").click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.page.get_by_label("E-mailadres").input_value() == "ahmed@example.nl"
    phone.page.get_by_label("Wachtwoord").fill("een lange zin")
    phone.page.get_by_role("button", name="Inloggen").click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.page.get_by_role("link", name="Stel je vraag").is_visible()
    assert phone.page.get_by_role("link", name="Kijk op het prikbord").first.is_visible()
    assert phone.errors == []


@pytest.mark.browser
def test_switch_to_english_and_back(phone):
    phone.open("/")
    phone.page.get_by_role("button", name="English").click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.page.locator("html").get_attribute("lang") == "en"
    assert phone.page.locator("h1").inner_text() == "Looking out for each other in Oss and Oosterhout"

    phone.page.get_by_role("button", name="Nederlands").click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.page.locator("html").get_attribute("lang") == "nl"
    assert phone.page.locator("h1").inner_text() == "Naar elkaar omkijken in Oss en Oosterhout"
