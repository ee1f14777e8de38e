"""English on a phone (issue 22, item 10): the day-part headings of the "when" grid read as
separate words at 320 and 390 px, not "afternoonevening" (a heading wider than its column ran into
the next one)."""

from __future__ import annotations

import pytest

from omkijken.platform.extensions import db
from tests.support import RUWAARD

# Each heading of the grid: the width its text needs and the width of its column.
HEADINGS = """[...document.querySelectorAll('table.slots thead th')].map(th => {
    const range = document.createRange();
    range.selectNodeContents(th);
    return [th.innerText, range.getBoundingClientRect().width, th.getBoundingClientRect().width];
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_the_day_parts_of_the_english_form_do_not_run_together(browser, live_server, make_user, width):
    from tests.browser.conftest import PhonePage

    truus = make_user("truus@example.nl", roles=("inwoner", "vrijwilliger"), naam="Truus", home=RUWAARD)
    truus.taal = "en"
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": 700}, locale="en-GB")
    try:
        phone = PhonePage(context.new_page(), live_server)
        phone.log_in("truus@example.nl")
        for path in ("/plaatsen/hulpvraag", "/plaatsen/aanbod"):
            phone.open(path)
            headings = phone.page.evaluate(HEADINGS)
            assert [h[0].replace("\n", " ").replace("\u00ad", "") for h in headings] == [
                "morning", "afternoon", "evening"], path
            for text, needed, column in headings:
                assert needed <= column + 0.5, (path, width, text, needed, column)
            assert phone.fits(width), path
    finally:
        context.close()
