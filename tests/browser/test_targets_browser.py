"""Issue 22, item 12: on a phone (390 and 320 px) the header is one row with a "Menu" button, every
checkbox, radio, list link, zoom button and date picker is a 44 x 44 px target with a visible focus,
and the logboek fits the screen.

Before, the header took six rows (about 200 px, and over 400 px for staff), checkboxes and radios
were 25 px with a label of 27 px, the "Voor jou" links 21 px, the zoom buttons 30 px, the button
of a date field showed no focus, and the logboek table ran off the screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from omkijken.platform.clock import utcnow
from omkijken.platform.koppelingen import links
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.system import audit
from tests.browser.conftest import PhonePage
from tests.browser.test_nazorg_browser import _checkin, blink_koppeling  # noqa: F401  (a fixture)
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
    sized.log_out()
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


# --- tap targets --------------------------------------------------------------------------------

CHECKS_TOO_SMALL = """() => [...document.querySelectorAll('main input[type=checkbox], main input[type=radio]')]
  .filter(input => input.offsetParent !== null)
  .filter(input => {
    const own = input.getBoundingClientRect();
    // A target: the box of a label of the input that holds the input's own box and is 44 x 44 px.
    return ![...input.labels].some(label => {
      const box = label.getBoundingClientRect();
      return box.width >= 44 && box.height >= 44 && box.left <= own.left && box.right >= own.right
        && box.top <= own.top && box.bottom >= own.bottom;
    });
  })
  .map(input => input.id + ' ' + JSON.stringify([...input.labels].map(l => l.getBoundingClientRect())))"""


@pytest.mark.browser
def test_every_checkbox_and_radio_has_a_label_of_44_px_around_it(sized, make_user, blink_koppeling):  # noqa: F811
    make_user("nieuw@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD)
    checkin = _checkin(blink_koppeling, "hulpvrager")
    checkin_path = links.checkin_url(checkin.id, checkin.user_id, "beter").split("127.0.0.1:5000", 1)[1]

    pages = ["/registreren", checkin_path]
    for path in pages:
        sized.open(path)
        assert sized.page.locator("main input[type=checkbox], main input[type=radio]").count() > 0, path
        assert sized.page.evaluate(CHECKS_TOO_SMALL) == [], path
    sized.log_in("nieuw@example.nl")
    for path in ("/plaatsen/hulpvraag", "/plaatsen/aanbod"):
        sized.open(path)
        assert sized.page.locator("main input[type=checkbox], main input[type=radio]").count() > 3, path
        assert sized.page.evaluate(CHECKS_TOO_SMALL) == [], path
        assert sized.fits(sized.width), path

    # The label is the target: a tap on its far side ticks the box.
    sized.open("/plaatsen/hulpvraag")
    label = sized.page.locator("label[for=categorie-0]")
    box = label.bounding_box()
    label.click(position={"x": box["width"] - 5, "y": box["height"] - 3})
    assert sized.page.locator("#categorie-0").is_checked()
    assert sized.errors == []


@pytest.mark.browser
def test_voor_jou_links_are_44_px_high(sized, make_user):
    from tests.integration.test_volgen import setup_people

    sanne, aanbod, truus, _ = setup_people(make_user)
    for titel in ("Heg knippen", "Gras maaien", "Bladeren ruimen"):
        posts.create(Hulpvraag(titel=titel, categorie="tuinonderhoud"), auteur=truus, now=utcnow())
    sized.log_in("sanne@example.nl")
    sized.open("/voor-jou")

    vragen = sized.page.locator("main li > a")
    assert vragen.count() == 3
    for link in vragen.all():
        box = link.bounding_box()
        assert box["height"] >= TARGET and box["width"] >= TARGET, (link.inner_text(), box)


@pytest.mark.browser
def test_the_zoom_buttons_of_the_map_are_44_px(sized):
    sized.open("/kaart")
    zoom = sized.page.locator(".leaflet-control-zoom a")
    assert zoom.count() == 2
    for button in zoom.all():
        box = button.bounding_box()
        assert box["width"] >= TARGET and box["height"] >= TARGET, box


OUTLINE = """() => { const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2; }"""


@pytest.mark.browser
def test_every_part_of_a_date_field_shows_its_focus(sized, make_user):
    """Tab goes through day, month and year, then the button that opens the calendar: that button
    gave no sign of focus. Each stop of the walk through the filter must show an outline."""
    make_user("gemeente@example.nl", roles=("gemeente",), home=RUWAARD)
    sized.log_in("gemeente@example.nl")
    sized.open("/inzicht")
    page = sized.page
    page.locator("#van").focus()
    page.keyboard.press("Shift+Tab")

    stops = []
    while len(stops) < 12:
        page.keyboard.press("Tab")
        stop = page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        stops.append(stop)
        assert page.evaluate(OUTLINE), f"no visible focus at stop {len(stops)} ({stop})"
        if stop == "gemeente":
            break
    assert stops.count("van") >= 4, stops  # day, month, year and the calendar button


# --- the logboek --------------------------------------------------------------------------------

@pytest.mark.browser
def test_the_logboek_fits_a_phone(sized, make_user):
    gemeente = make_user("gemeente@example.nl", roles=("gemeente",), home=RUWAARD, naam="Gerda van der Heijden-Smits")
    for number in range(3):
        audit.record(by=gemeente, onderwerp="post", onderwerp_id=number, wijk_id=None, besluit="verbergen",
                     reden="Dit bericht vroeg geld voor iets dat gratis hoort te zijn, zoals de regels zeggen.",
                     details={"titel": f"Een bericht met een lange titel over de tuin nummer {number}"},
                     now=utcnow() - timedelta(hours=number))
    commit()
    sized.log_in("gemeente@example.nl")
    sized.open("/moderatie/logboek")

    page = sized.page
    assert page.get_by_text("Dit bericht vroeg geld").count() == 3
    cut_off = page.evaluate("""(width) => [...document.querySelectorAll('main table, main td')]
      .filter(cell => cell.offsetParent !== null)
      .filter(cell => { const box = cell.getBoundingClientRect();
                        return box.left < 0 || box.right > width || cell.scrollWidth > cell.clientWidth + 1; })
      .map(cell => cell.tagName + ' ' + cell.textContent.trim().slice(0, 30))""", sized.width)
    assert cut_off == []
    reden = page.get_by_text("Dit bericht vroeg geld").first
    assert reden.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Waarom"'
    assert sized.fits(sized.width)
    assert sized.serious_accessibility_problems() == []
