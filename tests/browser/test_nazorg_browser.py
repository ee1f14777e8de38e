"""Nazorg on a phone: a resident answers "Hoe gaat het?" from the link in her mail, without
logging in; a coordinator records an answer she got on the phone, by keyboard at 320 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten, links, nazorg
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Checkin
from tests.support import garden_voorstel


@pytest.fixture
def blink_koppeling(standaard_diensten, make_user):
    """Sanne is Truus's Blink maatje since two weeks: the first check-in went out."""
    voorstel = garden_voorstel(make_user)
    voorstel.hulpvraag.dienst_id = voorstel.dienst_id = diensten.by_code("blink").id
    db.session.commit()
    for person in (voorstel.vrijwilliger, voorstel.hulpvraag.auteur):
        koppeling = koppelingen.accept(voorstel, by=person, now=utcnow() - timedelta(days=14, hours=1))
    nazorg.sweep(now=utcnow())
    return koppeling


def _checkin(koppeling, kant: str) -> Checkin:
    return db.session.scalar(select(Checkin).where(Checkin.koppeling_id == koppeling.id, Checkin.kant == kant,
                                                   Checkin.ronde == 1))


@pytest.mark.browser
def test_a_resident_answers_from_the_mail_link_on_a_phone(phone, blink_koppeling):
    checkin = _checkin(blink_koppeling, "hulpvrager")
    url = links.checkin_url(checkin.id, checkin.user_id, "beter")
    phone.open(url.split("127.0.0.1:5000", 1)[1])

    assert phone.page.get_by_role("heading", level=1).inner_text() == "Hoe gaat het met Sanne?"
    assert phone.page.get_by_label("Het kan beter").is_checked(), "the answer of the link is chosen already"
    assert phone.serious_accessibility_problems() == []
    phone.page.locator("#cijfer").get_by_label("6", exact=True).check()  # #welzijn has a 6 too (issue 23)
    phone.page.get_by_label("Wil je nog iets zeggen?").fill("Ze komt soms te laat.")
    phone.page.get_by_role("button", name="Verstuur mijn antwoord").click()
    phone.page.wait_for_load_state("networkidle")

    assert "Een coördinator neemt contact met je op" in phone.page.content()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    db.session.expire_all()
    answered = db.session.get(Checkin, checkin.id)
    assert (answered.antwoord, answered.cijfer, answered.opmerking, answered.aandacht) == (
        "beter", 6, "Ze komt soms te laat.", True)
    assert phone.errors == []


@pytest.mark.browser
def test_a_coordinator_records_a_phone_answer_by_keyboard_at_320_px(narrow, blink_koppeling, make_user):
    for days in (3, 6):
        nazorg.sweep(now=utcnow() + timedelta(days=days, minutes=5))
    mieke = make_user("mieke@example.nl", roles=("coordinator",), naam="Mieke")
    diensten.by_code("blink").coordinatoren.append(mieke)
    db.session.commit()
    narrow.log_in("mieke@example.nl")
    narrow.open("/coordinatie/nazorg")
    assert "Bellen (2)" in narrow.page.content()
    assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320
    assert narrow.serious_accessibility_problems() == []

    truus = _checkin(blink_koppeling, "hulpvrager")
    card = narrow.page.get_by_role("article").filter(has_text="Krijgt hulp van Sanne")
    card.get_by_text("Vul het antwoord in").focus()
    narrow.page.keyboard.press("Enter")
    card.get_by_label("Goed", exact=True).check()
    card.get_by_label("8", exact=True).check()
    card.get_by_role("button", name="Opslaan").press("Enter")
    narrow.page.wait_for_load_state("networkidle")

    assert "Het antwoord van Truus is opgeslagen" in narrow.page.content()
    assert "Bellen" not in narrow.page.content(), "one answer settles the ronde: Sanne need not be called"
    db.session.expire_all()
    recorded = db.session.get(Checkin, truus.id)
    assert (recorded.antwoord, recorded.cijfer, recorded.via) == ("goed", 8, "coordinator")
    assert narrow.errors == []
