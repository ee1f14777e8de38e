"""Registering on a phone (issue 22, item 8): "Kijk in je mail", the link in the welcome mail, and
the next step, at 390 and 320 px: a new volunteer ends where she says what she can do and when."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import SEND_EMAIL


def welcome_link(to: str) -> str:
    """The link in the welcome mail, as the worker would send it (the outbox row holds the mail)."""
    db.session.rollback()  # see what the live server committed
    (body,) = [m.payload["body"] for m in db.session.scalars(select(OutboxMessage).filter_by(task=SEND_EMAIL))
               if m.payload["to"] == to]
    line = next(line for line in body.splitlines() if "/welkom/" in line)
    return line.strip().split("127.0.0.1:5000", 1)[1]


def check(phone, width: int, what: str) -> None:
    """axe finds nothing serious and the page does not scroll sideways at this phone's width."""
    assert phone.serious_accessibility_problems() == [], what
    assert phone.fits(width), what


@pytest.mark.browser
@pytest.mark.parametrize("device, width", [("phone", 390), ("narrow", 320)])
def test_register_then_the_mail_link_takes_a_new_volunteer_to_her_aanbod(request, device, width):
    phone = request.getfixturevalue(device)
    page = phone.page
    phone.open("/registreren")
    page.get_by_label("Je naam").fill("Ahmed")
    page.get_by_label("E-mailadres").fill("ahmed@example.nl")
    page.get_by_label("Wachtwoord").fill("een lange zin")
    page.get_by_label("Postcode").fill("5345 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Ik wil ook iets voor een ander doen").check()
    page.get_by_label("Ik heb gelezen wat Omkijken").check()
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Kijk in je mail"
    assert "We hebben een mail gestuurd naar ahmed@example.nl." in page.content()
    assert page.get_by_role("link", name="Of log nu in").is_visible()
    check(phone, width, "kijk in je mail")

    phone.open(welcome_link("ahmed@example.nl"))
    assert page.locator("h1").inner_text() == "Welkom, Ahmed!"
    check(phone, width, "welkomstlink")
    page.get_by_role("button", name="Verder").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith("/plaatsen/aanbod")
    assert page.locator("h1").inner_text() == "Bied je hulp aan"
    assert page.get_by_text("Zeg hier wat je kunt doen en wanneer je tijd hebt.").is_visible()
    assert "Uitloggen" in page.content()
    check(phone, width, "eerste stap")
    db.session.rollback()
    assert db.session.scalar(select(User).filter_by(email="ahmed@example.nl")).email_bevestigd_at is not None
    assert phone.errors == []
