"""The intake officer on a phone: the queue and one aanvraag (with every folded form open, and with
a refused decision) pass axe and fit 320 px; so do the adviseur's page, the regelingen and the
figures."""

from __future__ import annotations

import pytest

from omkijken.platform.clock import utcnow
from omkijken.platform.subsidies import services
from tests.integration.test_subsidies import EURO, complete_draft, new_regeling
from tests.support import RUWAARD

WIJK = "WK082806"  # de Ruwaard, Oss




@pytest.fixture
def aanvragen(make_user):
    """Three aanvragen from de Ruwaard: one new, one being handled (advice asked of Karim), one
    granted; Fatima is the intake officer."""
    truus = make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    fatima = make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")
    make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(WIJK,), naam="Karim")
    beheerder = make_user("beheer@example.nl", roles=("beheerder",))
    regeling = new_regeling(beheerder)
    nieuw = complete_draft(truus, regeling, titel="Koffieochtend in het wijkhuis met een heel lange titel erbij")
    services.submit(nieuw, by=truus, now=utcnow())
    advies = complete_draft(truus, regeling, titel="Samen wandelen", lines=(("Hesjes", 120 * EURO),))
    services.submit(advies, by=truus, now=utcnow())
    services.move(advies, "in_behandeling", by=fatima, now=utcnow())
    services.move(advies, "advies_gevraagd", by=fatima, reden="Past dit in de wijk?", now=utcnow())
    klaar = complete_draft(truus, regeling, titel="Buurtmoestuin", lines=(("Zaad en aarde", 80 * EURO),))
    services.submit(klaar, by=truus, now=utcnow())
    services.move(klaar, "in_behandeling", by=fatima, now=utcnow())
    services.move(klaar, "toegekend", by=fatima, reden="Mooi plan.", now=utcnow())
    return {"nieuw": nieuw, "advies": advies, "klaar": klaar}


@pytest.mark.browser
def test_the_officers_queue_and_an_aanvraag_pass_axe_at_320_px(narrow, aanvragen):
    page = narrow.page
    narrow.log_in("fatima@oss.nl")
    narrow.open_menu()
    page.get_by_role("link", name="Subsidies").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/subsidies/gemeente")
    assert page.get_by_role("heading", name="Samen wandelen").is_visible()
    narrow.check("/subsidies/gemeente")

    nieuw = aanvragen["nieuw"]
    path = f"/subsidies/gemeente/{nieuw.id}"
    narrow.open(path)
    narrow.check(path)
    page.get_by_role("button", name="In behandeling nemen").click()
    page.wait_for_load_state("networkidle")
    assert "Jij bent nu de contactpersoon" in page.content()
    for summary in page.locator("details > summary").all():
        summary.click()
    narrow.check(path + " (open)")

    # A decision without a reason: refused, said by the field, the amount kept.
    page.get_by_label("Deels toekennen: minder dan gevraagd").check()
    page.get_by_label("Bedrag dat je toekent").fill("450,50")
    page.get_by_role("button", name="Besluit bewaren").click()
    page.wait_for_load_state("networkidle")
    summary = page.get_by_role("alert").filter(has_text="Er klopt nog iets niet")
    assert summary.is_visible()
    assert page.get_by_label("Bedrag dat je toekent").input_value() == "450,50"
    assert page.get_by_label("Waarom? De aanvrager leest dit in de brief.").get_attribute("aria-invalid") == "true"
    narrow.check(path + " (besluit zonder reden)")

    for other in ("advies", "klaar"):
        narrow.open(f"/subsidies/gemeente/{aanvragen[other].id}")
        narrow.check(f"{other}")
    for path in ("/subsidies/cijfers", "/beheer/regelingen"):
        narrow.open(path)
        narrow.check(path)
    assert [e for e in narrow.errors if "status of 422" not in e] == []


@pytest.mark.browser
def test_the_adviseur_and_the_beheerder_pages_pass_axe_at_320_px(narrow, aanvragen):
    narrow.log_in("karim@example.nl")
    narrow.open("/subsidies/gemeente")
    assert narrow.page.get_by_role("heading", name="Samen wandelen").is_visible()
    narrow.check("/subsidies/gemeente (adviseur)")
    path = f"/subsidies/gemeente/{aanvragen['advies'].id}"
    narrow.open(path)
    assert narrow.page.get_by_role("heading", name="Je advies").is_visible()
    narrow.check(path + " (adviseur)")

    narrow.log_out()
    narrow.log_in("beheer@example.nl")
    narrow.open("/beheer/regelingen")
    narrow.check("/beheer/regelingen (beheerder)")
    narrow.page.get_by_role("button", name="Regeling maken").click()
    narrow.page.wait_for_load_state("networkidle")
    narrow.check("/beheer/regelingen (met fouten)")
    assert [e for e in narrow.errors if "status of 422" not in e] == []
