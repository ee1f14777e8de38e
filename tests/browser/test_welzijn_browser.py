""""Hoe gaat het met je?" on the narrowest phone (issue 23, item 8): a maatje's hulpvrager answers the
grade and the six statements by keyboard at 320 px, every choice a 44 px target, axe clean."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import WelzijnMeting
from tests.browser.test_nazorg_browser import blink_koppeling  # noqa: F401  (a fixture)
from tests.browser.test_targets_browser import CHECKS_TOO_SMALL


@pytest.mark.browser
def test_a_maatje_answers_how_she_is_by_keyboard_at_320_px(narrow, blink_koppeling):  # noqa: F811
    narrow.log_in("truus@example.nl")
    narrow.open(f"/koppelingen/{blink_koppeling.id}")
    narrow.page.get_by_role("link", name="Hoe gaat het met jou? Een paar korte vragen").click()
    narrow.page.wait_for_load_state("networkidle")
    assert narrow.page.get_by_role("heading", level=1).inner_text() == "Hoe gaat het met je?"
    narrow.check("the page about herself")
    assert narrow.page.locator("main input[type=radio]").count() == 11 + 6 * 3
    assert narrow.page.evaluate(CHECKS_TOO_SMALL) == []

    # Keyboard only: Tab to the grades, arrows choose, Tab on to the statements.
    narrow.page.locator("#cijfer-0").focus()
    for _ in range(6):
        narrow.page.keyboard.press("ArrowRight")
    narrow.page.get_by_role("group", name="Ik ervaar een leegte om me heen.").get_by_label("Ja").focus()
    narrow.page.keyboard.press("Space")
    narrow.page.get_by_role("button", name="Verstuur mijn antwoord").press("Enter")
    narrow.page.wait_for_load_state("networkidle")

    assert "Dank je voor je antwoord!" in narrow.page.content()
    db.session.expire_all()
    meting = db.session.scalar(select(WelzijnMeting).where(WelzijnMeting.koppeling_id == blink_koppeling.id))
    assert (meting.moment, meting.cijfer, meting.eenzaam_1, meting.eenzaam_2) == ("start", 6, "ja", None)
    assert narrow.errors == []
