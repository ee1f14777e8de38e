"""Issue 22, item 12: on a phone (390 and 320 px) the header is one row with a "Menu" button, every
checkbox, radio, list link, zoom button and date picker is a 44 x 44 px target with a visible focus,
and the logboek fits the screen.

Before, the header took six rows (about 200 px, and over 400 px for staff), checkboxes and radios
were 25 px with a label of 27 px, the "Voor jou" links 21 px, the zoom buttons 30 px, the button
of a date field showed no focus, and the logboek table ran off the screen.
"""

from __future__ import annotations

import pytest

from omkijken.platform.clock import utcnow
from omkijken.platform.posts import services as posts
from tests.browser.conftest import PhonePage
from tests.integration.test_gesprek_meldingen import conversation
from tests.support import RUWAARD, commit

SIZES = {"390 px": {"width": 390, "height": 844}, "320 px": {"width": 320, "height": 640}}
TARGET = 44
STAFF = ("inwoner", "vrijwilliger", "coordinator", "opbouwwerker", "gemeente", "beheerder")
TWO_ROWS = 2 * 50  # two rows of 44 px targets with a little room


@pytest.fixture(params=list(SIZES))
def sized(request, browser, live_server):
    context = browser.new_context(viewport=SIZES[request.param], locale="nl-NL")
    page = PhonePage(context.new_page(), live_server)
    page.width = SIZES[request.param]["width"]
    yield page
    context.close()


@pytest.fixture(params=list(SIZES))
def sized_without_js(request, browser, live_server):
    context = browser.new_context(viewport=SIZES[request.param], locale="nl-NL", java_script_enabled=False)
    page = PhonePage(context.new_page(), live_server)
    yield page
    context.close()


def header_height(phone: PhonePage) -> float:
    return phone.page.locator("header").bounding_box()["height"]


def focused() -> str:
    return "document.activeElement.textContent.trim()"


# --- the header ---------------------------------------------------------------------------------

@pytest.mark.browser
def test_the_header_is_one_row_and_its_menu_opens_and_closes_by_keyboard(sized, make_user):
    """A staff member with every role and an unread conversation: the longest menu there is."""
    truus, sanne, gesprek = conversation(make_user, utcnow())
    posts.reply(gesprek, by=sanne, tekst="Zaterdag?", now=utcnow())
    make_user("staf@example.nl", roles=STAFF, home=RUWAARD, wijken=("WK082806",))
    commit()

    sized.log_in("truus@example.nl")
    sized.open("/")
    page = sized.page
    assert header_height(sized) <= TWO_ROWS, header_height(sized)
    toggle = page.locator("header .menu-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Prikbord", exact=True).is_visible()
    badge = toggle.locator(".badge")
    assert badge.is_visible() and badge.inner_text() == "1", "the unread count shows while the menu is closed"
    assert "1 gesprek met een nieuw bericht" in toggle.inner_text()

    page.keyboard.press("Tab")
    assert page.evaluate(focused()) == "Naar de inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate(focused()) == "Omkijken"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "menu"
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Gesprekken").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate(focused()) == "Prikbord"
    for link in page.locator("#menu a, #menu button").all():
        box = link.bounding_box()
        assert box["height"] >= TARGET and box["x"] + box["width"] <= sized.width, (link.inner_text(), box)
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "menu"
    assert not page.get_by_role("link", name="Gesprekken").is_visible()

    # The staff member's menu is longer, the header the same.
    sized.open_menu()
    page.get_by_role("button", name="Uitloggen").click()
    sized.log_in("staf@example.nl")
    sized.open("/")
    assert header_height(sized) <= TWO_ROWS, header_height(sized)
    sized.open_menu()
    page.get_by_role("link", name="Logboek").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Logboek")
    assert sized.serious_accessibility_problems() == []
    assert sized.fits(sized.width)
    assert sized.errors == []


@pytest.mark.browser
def test_the_menu_opens_without_javascript_too(sized_without_js):
    phone = sized_without_js
    phone.open("/")
    assert header_height(phone) <= TWO_ROWS, header_height(phone)
    menu = phone.page.locator("#menu")
    assert not menu.get_by_role("link", name="Inloggen").is_visible()

    phone.page.get_by_role("link", name="Menu").click()
    assert menu.get_by_role("link", name="Wijkagenda").is_visible()
    menu.get_by_role("link", name="Inloggen").click()
    assert phone.page.locator("h1").inner_text() == "Inloggen"
