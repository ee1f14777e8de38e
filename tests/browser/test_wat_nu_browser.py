"""What happens next, on a phone (issue 22, item 7): the home page says a voorstel waits for her and
takes her to it, and her vraag's page says what happens next, at 390 and 320 px."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Hulpvraag
from tests.support import garden_voorstel


def check(phone, width: int, what: str) -> None:
    assert phone.serious_accessibility_problems() == [], what
    assert phone.fits(width), what


@pytest.mark.browser
@pytest.mark.parametrize("device, width", [("phone", 390), ("narrow", 320)])
def test_her_home_page_leads_to_the_voorstel_and_her_vraag_says_what_happens_next(
        request, device, width, app, make_user, standaard_diensten):
    phone = request.getfixturevalue(device)
    voorstel = garden_voorstel(make_user)
    truus = voorstel.hulpvraag.auteur
    oud = posts.create(Hulpvraag(titel="Ramen zemen", categorie="klussen"), auteur=truus,
                       now=utcnow() - timedelta(days=8))
    db.session.commit()
    app.config["CONTACT_TELEFOON"] = "0412 123 456"
    phone.log_in("truus@example.nl")
    page = phone.page

    phone.open("/")
    assert page.get_by_text("Er wacht een voorstel op je.").is_visible()
    check(phone, width, "home")
    page.get_by_role("link", name="Bekijk het en zeg ja of nee").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/voorstellen") and "Heg knippen" in page.content()

    phone.open(f"/prikbord/{oud.id}")
    assert page.get_by_role("heading", name="Wat gebeurt er nu?").is_visible()
    assert page.get_by_text("We hebben nog niemand gevonden.", exact=False).is_visible()
    assert page.get_by_role("link", name="0412 123 456").get_attribute("href") == "tel:0412123456"
    check(phone, width, "vraag die lang wacht")
    assert phone.errors == []
