"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a live server."""

from __future__ import annotations

import base64
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support import commit, free_port, require

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
# A 1x1 transparent PNG stands in for the map tiles: this machine reaches no tile server.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), "Chromium (Debian-pakket chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=5)


class PhonePage:
    """A page at phone size that records console errors and uncaught exceptions."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        for tiles in ("https://service.pdok.nl/brt/achtergrondkaart/**", "https://tile.openstreetmap.org/**"):
            page.route(tiles, lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE))

    def open(self, path: str):
        commit()  # what the test made through the services, as the request that made it would have
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def log_in(self, email: str, password: str = "wachtwoord-123") -> None:
        self.open("/inloggen")
        self.page.get_by_label("E-mailadres").fill(email)
        self.page.get_by_label("Wachtwoord").fill(password)
        self.page.get_by_role("button", name="Inloggen").click()
        self.page.wait_for_load_state("networkidle")

    def log_out(self) -> None:
        """Through the menu, as a person does. The page first empties the offline copies, then sends
        the form (static/js/app.js): wait for the page that says so, or the next page would race it."""
        self.open_menu()
        self.page.get_by_role("button", name="Uitloggen").click()
        self.page.get_by_text("Je bent uitgelogd").wait_for()
        self.page.wait_for_load_state("networkidle")

    def open_menu(self) -> None:
        """On a phone the menus sit behind the "Menu" button of the header: open them, as a person does."""
        toggle = self.page.locator("header .menu-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()

    def fits(self, width: int = 320) -> bool:
        """Nothing on the page makes a phone of ``width`` px scroll sideways."""
        return self.page.evaluate("document.documentElement.scrollWidth") <= width

    def check(self, what: str) -> None:
        """axe finds nothing serious and the page does not scroll sideways at 320 px."""
        assert self.serious_accessibility_problems() == [], what
        assert self.fits(), (what, self.page.evaluate("document.documentElement.scrollWidth"))

    def serious_accessibility_problems(self) -> list[str]:
        """axe-core (vendored from the npm registry) on the page as it is now."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the page's CSP does not govern; a script
            # tag would be refused by it, as any injected script must be.
            self.page.evaluate(AXE.read_text())
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = PhonePage(context.new_page(), live_server)
    yield page
    context.close()


@pytest.fixture
def narrow(browser, live_server):
    """The narrowest phone we support: 320 px."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    page = PhonePage(context.new_page(), live_server)
    yield page
    context.close()
