"""The privacy pages on the narrowest phone: the privacy statement, all of one's data, and erasing
one's account, by keyboard; each passes axe and does not scroll sideways at 320 px."""

from __future__ import annotations

import pytest

from omkijken.platform.clock import utcnow
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Hulpvraag
from tests.support import RUWAARD


@pytest.mark.browser
def test_a_resident_reads_the_privacy_page_sees_her_data_and_erases_her_account(narrow, make_user):
    truus = make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    make_user("baas@example.nl", roles=("beheerder",), naam="Baas")
    posts.create(Hulpvraag(titel="Hulp met de heg", categorie="tuinonderhoud", wil="Een nette heg"), auteur=truus,
                 now=utcnow())
    page = narrow.page

    narrow.open("/")
    page.get_by_role("link", name="Privacy").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Hoe lang we het bewaren").is_visible()
    narrow.check("/privacy")

    narrow.log_in("truus@example.nl")
    narrow.open("/profiel")
    page.get_by_role("link", name="Bekijk of download al je gegevens").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Een nette heg").is_visible()
    narrow.check("/mijn-gegevens")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als bestand (JSON)").click()
    assert download.value.suggested_filename.startswith("omkijken-mijn-gegevens-")

    page.get_by_role("link", name="Verwijder je account").first.click()
    page.wait_for_load_state("networkidle")
    narrow.check("/account-verwijderen")
    page.get_by_role("button", name="Verwijder mijn account").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Vul je wachtwoord in").first.is_visible()
    narrow.check("/account-verwijderen, met fouten")

    page.get_by_label("Je wachtwoord").fill("wachtwoord-123")
    page.get_by_label("Ja, ik wil mijn account echt verwijderen.").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Verwijder mijn account").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Je account is verwijderd.").is_visible()
    assert page.get_by_role("link", name="Inloggen").first.is_visible()
    assert [e for e in narrow.errors if "422" not in e] == []  # the 422 is the form with its errors
