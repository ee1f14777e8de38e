"""A volunteer on a phone opens her voorstellen, says yes, and the resident's yes makes the koppeling."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from tests.support import NEAR_RUWAARD, RUWAARD, garden_voorstel


@pytest.fixture
def voorstel(standaard_diensten, make_user):
    return garden_voorstel(make_user)


@pytest.mark.browser
def test_a_volunteer_accepts_from_the_list_on_a_phone(phone, voorstel):
    phone.log_in("sanne@example.nl")
    phone.open_menu()
    phone.page.get_by_role("link", name="Voorstellen").click()
    phone.page.wait_for_load_state("networkidle")
    card = phone.page.get_by_role("article").filter(has_text="Heg knippen")
    assert "Truus zoekt hulp" in card.inner_text()
    assert phone.serious_accessibility_problems() == []

    card.get_by_role("button", name="Ja, ik help").click()
    phone.page.wait_for_load_state("networkidle")
    assert "We wachten nu op het antwoord van de ander" in phone.page.content()
    assert "Jij zei ja" in phone.page.get_by_role("article").filter(has_text="Heg knippen").inner_text()

    db.session.expire_all()
    truus = db.session.get(Voorstel, voorstel.id).hulpvraag.auteur
    koppeling = koppelingen.accept(db.session.get(Voorstel, voorstel.id), by=truus, now=utcnow())
    phone.open("/voorstellen")
    phone.page.get_by_role("link", name="Heg knippen").click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.page.url.endswith(f"/koppelingen/{koppeling.id}")
    assert "Stuur een bericht" in phone.page.content()
    assert phone.serious_accessibility_problems() == []
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.errors == []


@pytest.mark.browser
def test_no_with_a_reason_by_keyboard_at_320_px(narrow, voorstel):
    narrow.log_in("sanne@example.nl")
    narrow.open("/voorstellen")
    assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320
    summary = narrow.page.get_by_text("Nee, liever niet")
    summary.focus()
    narrow.page.keyboard.press("Enter")
    narrow.page.get_by_label("Ik heb nu geen tijd").check()
    narrow.page.get_by_role("button", name="Nee, zeg af").press("Enter")
    narrow.page.wait_for_load_state("networkidle")

    assert "We zoeken iemand anders" in narrow.page.content()
    db.session.expire_all()
    declined = db.session.get(Voorstel, voorstel.id)
    assert declined.status == "afgewezen" and declined.afwijs_reden == "Ik heb nu geen tijd"
    assert narrow.errors == []


@pytest.mark.browser
def test_the_email_link_page_works_at_320_px_without_login(narrow, voorstel):
    from omkijken.platform.koppelingen import links

    path = links.url(voorstel.id, voorstel.vrijwilliger_id, "ja").split("127.0.0.1:5000")[-1]
    narrow.open(path)
    assert narrow.serious_accessibility_problems() == []
    assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320
    narrow.page.get_by_role("button", name="Ja, dat is goed").click()
    narrow.page.wait_for_load_state("networkidle")

    assert "We wachten nu op het antwoord van de ander" in narrow.page.content()
    db.session.expire_all()
    assert db.session.get(Voorstel, voorstel.id).vrijwilliger_akkoord_at is not None
    assert narrow.errors == []


@pytest.mark.browser
def test_coordinator_pages_pass_axe_at_320_px(narrow, standaard_diensten, make_user):
    make_user("coby@example.nl", roles=("coordinator",), naam="Coby")
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    posts.create(Aanbod(titel="Ik help met de computer", categorieen=["digitaal"], radius_m=3000), auteur=sanne,
                 now=utcnow())
    vragen = []
    for i in range(3):
        person = make_user(f"buur{i}@example.nl", home=(NEAR_RUWAARD[0] + 0.0004 * i, NEAR_RUWAARD[1]), naam=f"Buur {i}")
        vragen.append(posts.create(Hulpvraag(titel=f"Hulp met mijn tablet {i}", categorie="digitaal"),
                                   auteur=person, now=utcnow() - timedelta(days=9)))
    narrow.log_in("coby@example.nl")

    for path in ("/coordinatie", f"/coordinatie/vragen/{vragen[0].id}", "/coordinatie/collectief"):
        narrow.open(path)
        assert narrow.serious_accessibility_problems() == [], path
        assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320, path
    assert "Hulp met mijn tablet" in narrow.page.content()
    assert narrow.errors == []
