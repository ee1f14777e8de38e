"""Issue 22, item 1: on a phone one tap on a map pin opens its popup, and the popup stays open.

Before, opening a popup panned the map to fit it; the reload 300 ms after that move cleared every
marker, and the popup went with its marker. A resident had to tap twice, and again on a phone.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PhonePage
from tests.browser.test_prikbord_browser import posts  # noqa: F401  (the crowded-map fixture)

SIZES = {"390 px": {"width": 390, "height": 844}, "320 px": {"width": 320, "height": 640}}
PIN = ".leaflet-marker-icon:not(.marker-cluster)"


@pytest.fixture(params=list(SIZES))
def touch_phone(request, browser, live_server):
    """A phone with a touch screen, so that taps are real touch events."""
    context = browser.new_context(viewport=SIZES[request.param], locale="nl-NL", has_touch=True, is_mobile=True)
    page = PhonePage(context.new_page(), live_server)
    yield page
    context.close()


def settled(phone: PhonePage) -> None:
    """The map loaded the markers of the view it ended on."""
    phone.page.wait_for_function(
        "() => !document.getElementById('kaart-status').textContent.includes('geladen')", timeout=10_000)
    phone.page.wait_for_timeout(700)  # a pending reload would have started by now (300 ms after moveend)
    phone.page.wait_for_function(
        "() => !document.getElementById('kaart-status').textContent.includes('geladen')", timeout=10_000)


def open_the_highest_pin(app, phone: PhonePage, press) -> None:
    """Choose groups until pins stand alone, as a resident does, then choose the highest pin once:
    its popup does not fit above it, so opening it moves the map. ``press`` taps or clicks."""
    app.config["API_GEOJSON_CAP"] = 3  # a crowded map: the first view shows groups
    phone.open("/kaart")
    phone.page.wait_for_selector(".marker-cluster", state="visible", timeout=10_000)
    settled(phone)
    for _ in range(6):
        if phone.page.locator(PIN).count():
            break
        press(phone.page.locator(".marker-cluster").first)
        settled(phone)
    pins = phone.page.locator(PIN)
    assert pins.count() > 0

    pin = pins.nth(min(range(pins.count()), key=lambda i: pins.nth(i).bounding_box()["y"]))
    title = pin.get_attribute("title")
    press(pin)

    popup = phone.page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=5_000)
    phone.page.wait_for_timeout(1_000)
    assert popup.is_visible(), "the popup closed by itself after one tap"
    assert title in popup.inner_text()
    link = popup.get_by_role("link", name="Bekijk bericht")
    assert link.is_visible()
    assert link.bounding_box()["height"] >= 44, "the popup's link is too small to tap"
    assert phone.errors == []


@pytest.mark.browser
def test_one_tap_on_a_pin_opens_a_popup_that_stays_open(app, touch_phone, posts):  # noqa: F811
    open_the_highest_pin(app, touch_phone, lambda target: target.tap())


@pytest.mark.browser
def test_one_click_on_a_pin_opens_a_popup_that_stays_open(app, phone, posts):  # noqa: F811
    open_the_highest_pin(app, phone, lambda target: target.click())
