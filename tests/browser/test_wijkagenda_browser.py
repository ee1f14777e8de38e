"""The wijkagenda on a phone: a resident puts a punt on it, the opbouwwerker approves it from the
queue at 320 px, a neighbour supports it; and every wijkagenda page passes axe and fits 320 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from omkijken.platform.areas import services as areas
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Activiteit, Hulpvraag, Ontmoetingsplek
from omkijken.platform.wijkagenda import services, sociale_agenda
from omkijken.platform.wijkagenda.models import Agendapunt
from tests.browser.conftest import PhonePage
from tests.support import RUWAARD, seasoned

WIJK = "WK082806"  # de Ruwaard, Oss
# A little south-east of RUWAARD, still in de Ruwaard (NEAR_RUWAARD of tests.support is in Oss-Zuid).
IN_RUWAARD = (RUWAARD[0] - 0.001, RUWAARD[1] + 0.001)




@pytest.fixture
def second_narrow(browser, live_server):
    """A second phone at 320 px, for a second person at the same time."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    page = PhonePage(context.new_page(), live_server)
    yield page
    context.close()


@pytest.fixture
def ruwaard(make_user):
    """Truus and Ahmed live in de Ruwaard; Karim is its opbouwwerker."""
    make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    make_user("ahmed@example.nl", naam="Ahmed", home=IN_RUWAARD)
    return make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(WIJK,), naam="Karim")


@pytest.mark.browser
def test_a_punt_goes_from_a_resident_through_the_opbouwwerker_onto_the_wijkagenda(
        narrow, second_narrow, ruwaard):
    page = narrow.page
    narrow.log_in("truus@example.nl")
    narrow.open(f"/wijkagenda/{WIJK}")
    page.get_by_role("link", name="Zet iets op de wijkagenda").click()
    page.wait_for_load_state("networkidle")
    assert narrow.fits()

    # By keyboard, as a person would: the first soort with the arrow keys, then type the title.
    page.get_by_role("radio", name="Een wens").focus()
    page.keyboard.press("Space")
    assert page.get_by_role("radio", name="Een wens").is_checked()
    page.get_by_label("Waar gaat het over? In een paar woorden").focus()
    page.keyboard.type("Meer bankjes in het Ruwaardpark")
    page.get_by_label("Vertel er iets meer over (niet verplicht)").fill("Ouderen kunnen nergens even zitten.")
    page.get_by_label("De buurt buiten: straat, groen, spelen").check()
    page.get_by_role("button", name="Insturen").click()
    page.wait_for_load_state("networkidle")

    assert "Dank je! De opbouwwerker kijkt er snel naar." in page.content()
    assert page.locator("h1").inner_text() == "Meer bankjes in het Ruwaardpark"
    punt = db.session.scalar(select(Agendapunt))
    assert (punt.soort, punt.onderwerp, punt.moderatie) == ("wens", "omgeving", "ingediend")

    # The opbouwwerker, on another phone, finds it under "Nakijken" and approves it.
    karim = second_narrow
    karim.log_in("karim@example.nl")
    karim.open_menu()
    karim.page.get_by_role("link", name="Nakijken").click()
    karim.page.wait_for_load_state("networkidle")
    assert karim.page.url.endswith("/moderatie")
    assert karim.fits()
    card = karim.page.get_by_role("article").filter(has_text="Meer bankjes in het Ruwaardpark")
    card.get_by_role("button", name="Goedkeuren").click()
    karim.page.wait_for_load_state("networkidle")
    assert "Je besluit is bewaard: Goedkeuren." in karim.page.content()
    assert "Alles is nagekeken" in karim.page.content()

    karim.open(f"/wijkagenda/{WIJK}")
    lijst = karim.page.get_by_role("region", name="Op de wijkagenda")
    assert lijst.get_by_role("heading", name="Meer bankjes in het Ruwaardpark").is_visible()

    # Ahmed, a neighbour, supports it: the count goes to 1.
    karim.log_out()
    karim.log_in("ahmed@example.nl")
    karim.open(f"/wijkagenda/{WIJK}")
    regel = karim.page.get_by_role("article").filter(has_text="Meer bankjes in het Ruwaardpark")
    assert "0 bewoners steunen dit" in regel.inner_text()
    regel.get_by_role("button", name="Steun dit").click()
    karim.page.wait_for_load_state("networkidle")
    regel = karim.page.get_by_role("article").filter(has_text="Meer bankjes in het Ruwaardpark")
    assert "1 bewoner steunt dit" in regel.inner_text()
    assert regel.get_by_role("button", name="Je steunt dit").get_attribute("aria-pressed") == "true"
    assert karim.fits()
    assert narrow.errors == [] and karim.errors == []


@pytest.fixture
def full_queue(ruwaard, make_user):
    """One of each kind waiting for Karim: a new punt, a reported post, a new activiteit and a
    new ontmoetingsplek placed by residents (so nobody looked at them yet); plus an approved punt."""
    now = utcnow()
    wijk = areas.wijk_by_code(WIJK)
    assert areas.locate(*IN_RUWAARD).wijk.code == WIJK
    truus, ahmed = (db.session.scalar(select(type(ruwaard)).filter_by(email=e))
                    for e in ("truus@example.nl", "ahmed@example.nl"))
    nieuw = services.create(wijk=wijk, auteur=truus, soort="signaal", onderwerp="leefbaarheid",
                            titel="Te hard rijden in de Witte Hoef",
                            beschrijving="Auto's rijden hier veel te hard, ook als de school uitgaat.", now=now)
    goed = services.create(wijk=wijk, auteur=ahmed, soort="wens", onderwerp="samenleven",
                           titel="Een buurtbarbecue in de zomer", now=now - timedelta(days=1))
    moderatie.decide(moderatie.Besluit("agendapunt", goed.id, "goedkeuren"), by=ruwaard, now=now)
    gemeld = posts.create(Hulpvraag(titel="Koop mijn spullen", categorie="klussen"), auteur=truus, now=now)
    for name in "abc":
        posts.report(gemeld, by=seasoned(make_user(f"{name}@example.nl")), reden="Dit is reclame", now=now)
    posts.create(Activiteit(titel="Koffieochtend in het wijkcentrum", categorie="ontmoeting",
                            start=now + timedelta(days=3), regels_gelezen=True, beschrijving="Iedereen welkom."),
                 auteur=ahmed, now=now, where=IN_RUWAARD, op_huisadres=False)
    posts.create(Ontmoetingsplek(titel="Bankje bij de vijver", categorie="ontmoeting"),
                 auteur=ahmed, now=now, where=IN_RUWAARD, op_huisadres=False)
    queue = moderatie.wachtrij(ruwaard)
    assert (len(queue.punten), len(queue.meldingen), len(queue.posts)) == (1, 1, 2)
    return {"nieuw": nieuw, "goed": goed}


@pytest.mark.browser
def test_the_moderation_queue_and_the_punt_pages_pass_axe_at_320_px(narrow, full_queue):
    narrow.log_in("karim@example.nl")
    narrow.open("/moderatie")
    assert narrow.page.get_by_role("heading", name="Te hard rijden in de Witte Hoef").is_visible()
    assert narrow.page.get_by_role("heading", name="Koop mijn spullen").is_visible()
    assert narrow.page.get_by_role("heading", name="Koffieochtend in het wijkcentrum").is_visible()
    assert narrow.page.get_by_role("heading", name="Bankje bij de vijver").is_visible()
    narrow.check("/moderatie")
    # The folded "Aanpassing vragen of weigeren" parts too.
    for summary in narrow.page.locator("details > summary").all():
        summary.click()
    narrow.check("/moderatie (open)")

    for punt in full_queue.values():
        path = f"/wijkagenda/punt/{punt.id}"
        narrow.open(path)
        assert narrow.page.get_by_role("heading", name="Voor de opbouwwerker").is_visible()
        narrow.check(path + " (opbouwwerker)")
    narrow.open(f"/wijkagenda/{WIJK}")
    narrow.check(f"/wijkagenda/{WIJK} (opbouwwerker)")
    narrow.open("/moderatie/logboek")
    narrow.check("/moderatie/logboek")
    assert narrow.errors == []


@pytest.mark.browser
def test_the_resident_pages_and_the_form_with_errors_pass_axe_at_320_px(narrow, full_queue):
    narrow.open(f"/wijkagenda/{WIJK}")  # not logged in
    narrow.check(f"/wijkagenda/{WIJK} (anoniem)")

    narrow.log_in("truus@example.nl")
    for path in (f"/wijkagenda/{WIJK}", f"/wijkagenda/punt/{full_queue['goed'].id}",
                 f"/wijkagenda/punt/{full_queue['nieuw'].id}", f"/wijkagenda/{WIJK}/nieuw"):
        narrow.open(path)
        narrow.check(path)

    page = narrow.page
    page.get_by_label("Iets wat we missen").check()
    page.get_by_label("Vertel er iets meer over (niet verplicht)").fill("Er is geen pinautomaat meer.")
    page.get_by_label("Voorzieningen").check()
    page.get_by_role("button", name="Insturen").click()
    page.wait_for_load_state("networkidle")

    summary = page.get_by_role("alert").filter(has_text="Er klopt nog iets niet")
    assert summary.is_visible()
    assert "Schrijf in een paar woorden waar het over gaat." in summary.inner_text()
    titel = page.get_by_label("Waar gaat het over? In een paar woorden")
    assert titel.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Vertel er iets meer over (niet verplicht)").input_value() == "Er is geen pinautomaat meer."
    assert page.get_by_label("Iets wat we missen").is_checked()
    assert page.get_by_label("Voorzieningen").is_checked()
    narrow.check("nieuw, met fouten")
    # The link in the summary leads to the field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "titel"
    # The form with errors answers 422, which Chromium logs; nothing else may be in the console.
    assert [e for e in narrow.errors if "status of 422" not in e] == []


@pytest.mark.browser
def test_the_sociale_agenda_and_its_editor_pass_axe_at_320_px(narrow, full_queue, ruwaard):
    now = utcnow()
    wijk = areas.wijk_by_code(WIJK)
    agenda = sociale_agenda.start(wijk, by=ruwaard, now=now)
    thema = sociale_agenda.save_thema(agenda, by=ruwaard, titel="Samen in de buurt",
                                      tekst="We maken de zomer gezellig met een barbecue voor iedereen.",
                                      wie="bewoners, ONS welzijn, woningcorporatie", datum=(now + timedelta(days=60)).date(),
                                      now=now)
    sociale_agenda.place(full_queue["goed"], thema, by=ruwaard, now=now)
    sociale_agenda.publish(agenda, by=ruwaard, now=now)

    path = f"/wijkagenda/{WIJK}/sociale-agenda"
    narrow.open(path)  # as a resident who is not logged in
    assert narrow.page.get_by_role("heading", name="Samen in de buurt").is_visible()
    assert narrow.page.get_by_role("link", name="Een buurtbarbecue in de zomer").is_visible()
    narrow.check(path + " (anoniem)")

    narrow.log_in("truus@example.nl")
    narrow.open(path)
    narrow.check(path + " (bewoner)")
    narrow.open(f"/wijkagenda/{WIJK}")
    assert narrow.page.get_by_role("link", name="Lees de sociale agenda").is_visible()
    narrow.check(f"/wijkagenda/{WIJK} (met sociale agenda)")

    narrow.log_out()
    narrow.log_in("karim@example.nl")
    narrow.open(path)
    narrow.check(path + " (opbouwwerker)")
    narrow.open(path + "/bewerken")
    assert narrow.page.get_by_role("heading", name="Punten van de wijkagenda").is_visible()
    narrow.check(path + "/bewerken")
    assert narrow.errors == []
