"""Omkijken as an app on a phone (issue 22): installable, a service worker that shows a Dutch
offline page, keeps the voorstellen seen last readable without a connection and forgets them when
the person logs out (a shared phone at the desk)."""

from __future__ import annotations

import pytest

from tests.support import garden_voorstel

WIDTHS = [390, 320]


@pytest.fixture
def voorstel(standaard_diensten, make_user):
    return garden_voorstel(make_user)


def at_width(request, width: int):
    return request.getfixturevalue("phone" if width == 390 else "narrow")


def wait_for_service_worker(page) -> None:
    """Until the service worker controls the page (it claims open pages when it starts)."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def kept_pages(page) -> list[str]:
    return page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            if (!name.startsWith('omkijken-paginas-')) continue;
            const cache = await caches.open(name);
            for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
    }""")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_offline_a_page_shows_the_dutch_offline_page_and_seen_voorstellen_stay_readable(request, width, voorstel):
    phone = at_width(request, width)
    phone.log_in("sanne@example.nl")
    wait_for_service_worker(phone.page)
    phone.open("/voorstellen")
    assert "Heg knippen" in phone.page.content()
    assert kept_pages(phone.page) == ["/voorstellen"]

    phone.page.context.set_offline(True)
    phone.page.goto(phone.base_url + "/prikbord")
    assert phone.page.locator("h1").inner_text() == "Je bent offline"
    assert "Je telefoon heeft nu geen internet" in phone.page.content()
    assert phone.fits(width)
    assert phone.serious_accessibility_problems() == []

    phone.page.get_by_role("link", name="Voorstellen").first.click()
    phone.page.wait_for_load_state("load")
    card = phone.page.get_by_role("article").filter(has_text="Heg knippen")
    assert "Truus zoekt hulp" in card.inner_text()
    assert "Je bent offline. Je ziet wat je eerder op deze pagina zag." in phone.page.content()
    assert phone.fits(width)
    assert phone.serious_accessibility_problems() == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_after_logging_out_nothing_of_the_person_is_readable_offline(request, width, voorstel):
    phone = at_width(request, width)
    phone.log_in("sanne@example.nl")
    wait_for_service_worker(phone.page)
    phone.open("/voorstellen")
    assert kept_pages(phone.page) == ["/voorstellen"]

    phone.open_menu()
    phone.page.get_by_role("button", name="Uitloggen").click()
    # The page first empties the cache, then sends the form: wait for the home page it leads to.
    phone.page.wait_for_url(phone.base_url + "/")
    phone.page.wait_for_load_state("networkidle")
    assert "Je bent uitgelogd" in phone.page.content()
    assert kept_pages(phone.page) == []

    wait_for_service_worker(phone.page)  # registered again by the home page
    phone.page.context.set_offline(True)
    phone.page.goto(phone.base_url + "/voorstellen")
    assert "Heg knippen" not in phone.page.content()
    assert phone.page.locator("h1").inner_text() == "Je bent offline"


@pytest.mark.browser
def test_chromium_finds_the_site_installable(browser, live_server, tmp_path):
    """Lighthouse 12 no longer checks this; Chromium's own check, as in bench/lighthouse.py. A
    profile on disk: Chromium never offers to install from an incognito window (Playwright's
    ordinary contexts are)."""
    from tests.browser.conftest import CHROMIUM, PHONE

    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profiel"), executable_path=CHROMIUM, viewport=PHONE, locale="nl-NL",
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"])
    try:
        page = context.pages[0] if context.pages else context.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(live_server + "/")
        wait_for_service_worker(page)
        session = context.new_cdp_session(page)

        answer = session.send("Page.getInstallabilityErrors")

        assert answer["installabilityErrors"] == []
        manifest = session.send("Page.getAppManifest")
        assert manifest["errors"] == [] and '"short_name":"Omkijken"' in manifest["data"].replace(" ", "")
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_install_page_reads_well_on_a_phone(request, width):
    phone = at_width(request, width)
    phone.open("/")
    phone.page.get_by_role("link", name="Zet Omkijken op je telefoon").click()
    phone.page.wait_for_load_state("networkidle")

    assert phone.page.locator("h1").inner_text() == "Zet Omkijken op je telefoon"
    assert phone.page.get_by_role("heading", name="Een iPhone of iPad").is_visible()
    assert 'Tik op "Zet op beginscherm".' in phone.page.locator("#iphone + p + ol").inner_text()
    assert phone.serious_accessibility_problems() == []
    assert phone.fits(width)
    assert phone.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_page_asks_for_its_posts_once_for_the_view_it_opens_with(request, width, make_user):
    """Leaflet is loaded with defer and the map made at DOMContentLoaded; its opening view is not
    animated, or kaart.js would first ask for the posts of the view before it and then again."""
    from tests.integration.test_prikbord_list import place
    from tests.support import DOMMELBERGEN, RUWAARD

    phone = at_width(request, width)
    truus = make_user("truus@example.nl", home=RUWAARD)
    place("ontmoetingsplek", "Buurthuis", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)
    asked = []
    phone.page.on("request", lambda r: asked.append(r.url) if "posts.geojson" in r.url else None)

    phone.open("/kaart")
    phone.page.locator(".leaflet-marker-icon").first.wait_for()

    assert len(asked) == 1, asked
    west, south, east, north = (float(n) for n in asked[0].split("bbox=")[1].split("&")[0].split(","))
    assert west < DOMMELBERGEN[1] < east and south < DOMMELBERGEN[0] < north
    name = phone.page.locator("[data-kaart-map]").get_attribute("data-kaart-map")
    shown = phone.page.evaluate("(name) => window[name].getBounds().toBBoxString()", name)
    assert [round(float(n), 3) for n in shown.split(",")] == [round(n, 3) for n in (west, south, east, north)]
    assert phone.errors == []
