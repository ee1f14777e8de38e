"""Issue 22: the five pages the Lighthouse bench measures have no axe violation of any impact, minor
ones included, on a phone of 390 and of 320 px (bench/lighthouse.py measures the scores)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import AXE, PhonePage
from tests.support import garden_voorstel

SIZES = {"390 px": {"width": 390, "height": 844}, "320 px": {"width": 320, "height": 640}}


def every_violation(phone: PhonePage) -> list[str]:
    phone.page.evaluate(AXE.read_text())
    results = phone.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]]


@pytest.fixture(params=list(SIZES))
def sized(request, browser, live_server):
    context = browser.new_context(viewport=SIZES[request.param], locale="nl-NL")
    page = PhonePage(context.new_page(), live_server)
    yield page
    context.close()


@pytest.mark.browser
def test_the_measured_pages_have_no_axe_violation_of_any_impact(sized, standaard_diensten, make_user):
    voorstel = garden_voorstel(make_user)
    post = f"/prikbord/{voorstel.hulpvraag.id}"
    for path in ("/", "/kaart", "/prikbord", post):
        sized.open(path)
        assert every_violation(sized) == [], path
    sized.log_in("sanne@example.nl")
    for path in ("/", "/voorstellen", post):
        sized.open(path)
        assert every_violation(sized) == [], path
    assert sized.errors == []
