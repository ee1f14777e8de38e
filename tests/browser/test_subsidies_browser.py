"""A subsidieaanvraag on a phone at 320 px: the initiator applies from their initiatief with two
budget lines and sees at once what happens next; the form (also with errors) and the aanvrager's
page pass axe and do not scroll sideways."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from omkijken.platform.areas.models import Gemeente
from omkijken.platform.clock import local, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies import gemeente_services, services
from omkijken.platform.subsidies.models import Subsidieaanvraag
from tests.support import RUWAARD

EURO = 100




@pytest.fixture
def initiatief(make_user):
    """Truus started a koffieochtend in de Ruwaard; Oss has a regeling open this year."""
    truus = make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    beheerder = make_user("beheer@example.nl", roles=("beheerder",))
    oss = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0828"))
    gemeente_services.create_regeling(gemeente=oss, jaar=local(utcnow()).year, naam="Initiatieven sociale basis",
                             budget_cents=5000 * EURO, max_per_aanvraag_cents=1000 * EURO,
                             soorten=["ontmoeting", "anders"], by=beheerder, now=utcnow())
    return posts.create(Initiatief(titel="Koffieochtend in de Ruwaard", categorie="ontmoeting_gezelschap",
                                   beschrijving="Elke dinsdag samen koffie drinken."),
                        auteur=truus, now=utcnow(), where=RUWAARD)


@pytest.mark.browser
def test_an_initiator_applies_at_320_px_and_sees_what_happens_next(narrow, initiatief):
    page = narrow.page
    narrow.log_in("truus@example.nl")
    narrow.open(f"/prikbord/{initiatief.id}")
    page.get_by_role("button", name="Subsidie aanvragen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Subsidie aanvragen"
    narrow.check("formulier (leeg)")

    page.get_by_label("Ontmoeting: mensen bij elkaar brengen").check()
    page.get_by_label("Wat wil je doen?").fill("Elke dinsdag koffie en een praatje in het wijkhuis.")
    page.get_by_label("Voor wie is het?").fill("Ouderen in de Ruwaard die vaak alleen zijn.")
    page.get_by_label("Op welke plek? (niet verplicht)").fill("Wijkhuis de Ruwaard")
    page.get_by_label("Wanneer?").fill("Elke dinsdagochtend van maart tot december")
    page.get_by_label("Hoeveel mensen doen ongeveer mee?").fill("25")
    page.get_by_label("Regel 1: waarvoor").fill("Koffie en thee")
    page.get_by_label("Regel 1: bedrag in euro").fill("150")
    page.get_by_label("Regel 2: waarvoor").fill("Zaalhuur")
    page.get_by_label("Regel 2: bedrag in euro").fill("1.250,50")  # more than the regeling's € 1.000
    page.get_by_label("Eigen geld, in euro (niet verplicht)").fill("25")
    page.get_by_role("button", name="Indienen").click()
    page.wait_for_load_state("networkidle")

    summary = page.get_by_role("alert").filter(has_text="Je aanvraag is nog niet compleet")
    assert summary.is_visible() and "Vraag hooguit € 1.000,00" in summary.inner_text()
    assert page.get_by_label("Regel 2: bedrag in euro").input_value() == "1.250,50"
    assert page.get_by_label("Wat wil je doen?").input_value().startswith("Elke dinsdag koffie")
    assert "€ 1.400,50" in page.content()  # the total of what was saved
    narrow.check("formulier met fouten")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "regels"

    page.get_by_label("Regel 2: bedrag in euro").fill("450")
    page.get_by_role("button", name="Indienen").click()
    page.wait_for_load_state("networkidle")

    assert "Je aanvraag is verstuurd" in page.content()
    assert page.get_by_role("heading", name="Wat gebeurt er nu?").is_visible()
    assert page.get_by_text("Je contactpersoon").is_visible()
    assert page.get_by_text("Besluit uiterlijk op").is_visible()
    aanvraag = db.session.scalar(select(Subsidieaanvraag))
    assert aanvraag.status == "ingediend" and aanvraag.totaal_cents == 60000 and aanvraag.gevraagd_cents == 57500
    assert [r.omschrijving for r in aanvraag.regels] == ["Koffie en thee", "Zaalhuur"]
    narrow.check("de pagina van de aanvraag")
    # The form with errors answers 422, which Chromium logs; nothing else may be in the console.
    assert [e for e in narrow.errors if "status of 422" not in e] == []


@pytest.mark.browser
def test_a_bad_amount_and_the_pages_with_a_question_pass_axe_at_320_px(narrow, initiatief, make_user):
    truus = initiatief.auteur
    aanvraag = services.create_draft(initiatief, by=truus, now=utcnow())
    page = narrow.page
    narrow.log_in("truus@example.nl")
    narrow.open(f"/subsidies/{aanvraag.id}/bewerken")
    page.get_by_label("Regel 1: waarvoor").fill("Koffie")
    page.get_by_label("Regel 1: bedrag in euro").fill("veel")
    page.get_by_role("button", name="Bewaren als concept").click()
    page.wait_for_load_state("networkidle")
    assert "Dit is geen bedrag" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Regel 1: bedrag in euro").get_attribute("aria-invalid") == "true"
    narrow.check("formulier met een fout bedrag")

    regeling_id = services.regelingen_voor(aanvraag, now=utcnow())[0].id
    services.edit(aanvraag, by=truus, now=utcnow(), soort="ontmoeting", wat="Koffie", voor_wie="Ouderen",
                  wanneer="Dinsdag", deelnemers=20, regeling_id=regeling_id)
    services.set_lines(aanvraag, [("Zaalhuur", 450 * EURO)], by=truus, now=utcnow())
    services.submit(aanvraag, by=truus, now=utcnow())
    fatima = make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")
    services.move(aanvraag, "in_behandeling", by=fatima, now=utcnow())
    services.move(aanvraag, "vragen_gesteld", by=fatima, reden="Is het wijkhuis al vastgelegd?", now=utcnow())
    narrow.open(f"/subsidies/{aanvraag.id}")
    assert page.get_by_text("Is het wijkhuis al vastgelegd?").is_visible()
    assert page.get_by_text("fatima@oss.nl").is_visible()
    narrow.check("pagina met een vraag")
    narrow.open("/mijn-berichten")
    narrow.check("mijn berichten")
    assert [e for e in narrow.errors if "status of 422" not in e] == []
