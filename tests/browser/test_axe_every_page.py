"""axe-core finds no violation of any impact (minor and moderate too) on every kind of page, as a
visitor and as each role sees it on the demo: the list of tests/pages.py, the one the Nu HTML
Checker reads too (issue 27, item 8)."""

from __future__ import annotations

import pytest

from omkijken import demo
from tests.browser.conftest import AXE, PhonePage
from tests.pages import ROLES, every_page


def violations(phone: PhonePage) -> list[str]:
    if not phone.page.evaluate("typeof window.axe !== 'undefined'"):
        phone.page.evaluate(AXE.read_text())
    results = phone.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]]


@pytest.mark.browser
def test_axe_finds_nothing_on_any_kind_of_page_for_any_role(app, browser, live_server):
    pages = every_page(app)
    report = []
    for role in ROLES:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
        phone = PhonePage(context.new_page(), live_server)
        if role:
            phone.log_in(role, demo.DEMO_PASSWORD)
        for page in pages:
            if page.role != role:
                continue
            phone.page.goto(live_server + page.path)
            phone.page.wait_for_load_state("load")
            report += [f"{role or 'bezoeker'} {page.path}: {line}" for line in violations(phone)]
        context.close()
    assert report == [], "\n".join(report)
