"""The coordinator's pages: the queue, one vraag with its candidates, and the collective suggestions.

Set up through the services (as the worker and the residents would), then used as a coordinator
or opbouwwerker with a browser would: load the page, tap a button."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape as html_unescape

import pytest
from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten, pipeline, redenen
from omkijken.platform.koppelingen.models import Afhandeling, Koppeling, Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import DOMMELBERGEN, NEAR_RUWAARD, RUWAARD, submit


@pytest.fixture
def people(standaard_diensten, make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    coby = make_user("coby@example.nl", roles=("coordinator",), naam="Coby")
    return sanne, truus, coby


def offer(user, **values) -> Aanbod:
    values.setdefault("categorieen", ["tuinonderhoud"])
    return posts.create(Aanbod(titel="Ik help in de tuin", radius_m=3000, **values), auteur=user,
                        now=utcnow() - timedelta(days=3))


def vraag_van(user, titel="Heg knippen", categorie="tuinonderhoud", *, days_old: int = 0, **values) -> Hulpvraag:
    return posts.create(Hulpvraag(titel=titel, categorie=categorie, **values), auteur=user,
                        now=utcnow() - timedelta(days=days_old))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- the queue ----------------------------------------------------------------------------------


def test_an_empty_queue_says_so_and_points_to_the_group_page(people, client, login):
    login("coby@example.nl")

    html = page(client, "/coordinatie")

    assert "Er wacht nu niets op jou" in html
    assert 'href="/coordinatie/collectief"' in html


def test_a_vraag_without_help_for_a_week_shows_with_its_age_wijk_and_category(people, client, login):
    _, truus, _ = people
    oud = vraag_van(truus, "Heg knippen", days_old=8)
    vraag_van(truus, "Gras maaien")  # placed today: the worker still has time
    login("coby@example.nl")

    html = page(client, "/coordinatie")

    assert "Nog geen hulp na 7 dagen" in html
    assert "Heg knippen" in html and f'href="/coordinatie/vragen/{oud.id}"' in html
    assert "8 dagen oud" in html and oud.wijk.volledige_naam in html and "Tuinonderhoud" in html
    assert "Gras maaien" not in html
    assert "Er wacht nu niets op jou" not in html


def test_only_coordinators_see_the_queue(people, client, login):
    login("truus@example.nl")
    assert client.get("/coordinatie").status_code == 403


@pytest.fixture
def mediated(people, make_user):
    """A Blink vraag whose voorstel waits for Blink's coordinator."""
    sanne, truus, _ = people
    blink = diensten.by_code("blink")
    bella = make_user("bella@example.nl", roles=("coordinator",), naam="Bella")
    blink.coordinatoren.append(bella)
    db.session.commit()
    offer(sanne, heeft_vog=True)
    vraag = vraag_van(truus, "Samen wandelen", dienst_id=blink.id)
    pipeline.match_post(vraag.id, now=utcnow())
    voorstel = db.session.scalar(select(Voorstel))
    assert voorstel.status == "te_bevestigen"
    return vraag, voorstel


def test_confirming_lets_the_two_see_the_voorstel(mediated, client, login):
    vraag, voorstel = mediated
    login("bella@example.nl")
    html = page(client, "/coordinatie")
    assert "Wacht op jou" in html and "Samen wandelen" in html and "Sanne" in html
    assert voorstel.redenen and redenen.tekst(voorstel.redenen[0]) in html

    response = submit(client, f"/coordinatie/voorstellen/{voorstel.id}/bevestigen", {}, page="/coordinatie")

    assert response.status_code == 302
    db.session.refresh(voorstel)
    assert voorstel.status == "open"
    html = page(client, "/coordinatie")
    assert "Bevestigd" in html and "Samen wandelen" not in html


def test_rejecting_with_a_reason_closes_the_voorstel(mediated, client, login):
    vraag, voorstel = mediated
    login("bella@example.nl")

    response = submit(client, f"/coordinatie/voorstellen/{voorstel.id}/afkeuren", {"reden": "Past niet bij haar"},
                      page="/coordinatie")

    assert response.status_code == 302
    db.session.refresh(voorstel)
    assert (voorstel.status, voorstel.afgewezen_door, voorstel.afwijs_reden) == (
        "afgewezen", "coordinator", "Past niet bij haar")


def test_a_voorstel_the_resident_never_saw_is_not_called_off_to_her(mediated, client, login):
    """Issue 22, item 9: Blink's coordinator turned down a pair before either of the two heard of it;
    the resident got "De vrijwilliger die we voor je vonden, kan helaas niet helpen" about a
    volunteer nobody had told her of, and a reason that was not hers."""
    vraag, voorstel = mediated
    login("bella@example.nl")
    submit(client, f"/coordinatie/voorstellen/{voorstel.id}/afkeuren", {"reden": "Past niet bij haar"},
           page="/coordinatie")
    db.session.refresh(voorstel)
    assert voorstel.status != "te_bevestigen"  # the coordinator's no was taken
    mails = [m.payload for m in db.session.scalars(select(OutboxMessage).filter_by(task=system.SEND_EMAIL))]
    assert not any(m["to"] == "truus@example.nl" for m in mails)


def test_a_too_long_reason_keeps_the_text_and_says_what_is_wrong(mediated, client, login):
    _, voorstel = mediated
    login("bella@example.nl")
    reden = "Te ver weg. " * 200

    response = submit(client, f"/coordinatie/voorstellen/{voorstel.id}/afkeuren", {"reden": reden},
                      page="/coordinatie")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Dit is te lang." in html and reden.strip() in html
    db.session.refresh(voorstel)
    assert voorstel.status == "te_bevestigen"


def test_a_coordinator_of_another_dienst_may_not_confirm(mediated, make_user, client, login):
    _, voorstel = mediated
    maatjes = diensten.by_code("maatjes")
    mo = make_user("mo@example.nl", roles=("coordinator",), naam="Mo")
    maatjes.coordinatoren.append(mo)
    db.session.commit()
    login("mo@example.nl")

    assert "Samen wandelen" not in page(client, "/coordinatie")
    response = submit(client, f"/coordinatie/voorstellen/{voorstel.id}/bevestigen", {}, page="/coordinatie")

    assert response.status_code == 403
    db.session.refresh(voorstel)
    assert voorstel.status == "te_bevestigen"


def test_a_declined_voorstel_shows_who_said_no_and_why(people, client, login):
    from omkijken.platform.koppelingen import services as koppelingen

    sanne, truus, _ = people
    offer(sanne)
    vraag = vraag_van(truus)
    pipeline.match_post(vraag.id, now=utcnow())
    voorstel = db.session.scalar(select(Voorstel))
    koppelingen.decline(voorstel, by=sanne, now=utcnow(), reden="Mijn rug doet pijn")
    login("coby@example.nl")

    html = page(client, "/coordinatie")

    assert "Niet doorgegaan" in html and "Sanne zei nee" in html and "Mijn rug doet pijn" in html
    assert f'href="/coordinatie/vragen/{vraag.id}"' in html


# --- one vraag ----------------------------------------------------------------------------------


def test_the_vraag_page_shows_the_vraag_and_its_candidates(people, client, login):
    sanne, truus, _ = people
    aanbod = offer(sanne)
    vraag = vraag_van(truus, "Heg knippen", days_old=8, nodig="Iemand met een heggenschaar.")
    login("coby@example.nl")

    html = page(client, f"/coordinatie/vragen/{vraag.id}")

    assert "<h1>Heg knippen</h1>" in html and "Iemand met een heggenschaar." in html
    assert "8 dagen geleden" in html and "Burenhulp" in html and "Tuinonderhoud" in html
    assert "Sanne" in html and f'name="aanbod_id" value="{aanbod.id}"' in html
    assert "Beiden zeiden al ja aan de telefoon" in html
    assert "Nog niets. Jij bent de eerste." in html


def test_a_hand_match_with_both_yes_starts_a_koppeling_that_is_not_self_service(people, client, login):
    sanne, truus, _ = people
    aanbod = offer(sanne)
    vraag = vraag_van(truus, days_old=8)
    login("coby@example.nl")

    response = submit(client, f"/coordinatie/vragen/{vraag.id}/koppelen",
                      {"aanbod_id": aanbod.id, "beiden_akkoord": "y", "tekst": "Allebei gebeld"},
                      page=f"/coordinatie/vragen/{vraag.id}")

    assert response.status_code == 302
    koppeling = db.session.scalar(select(Koppeling))
    assert koppeling is not None and koppeling.zelf_gevonden is False
    assert koppeling.vrijwilliger_id == sanne.id
    html = page(client, "/coordinatie")
    assert "Gekoppeld" in html and f"/coordinatie/vragen/{vraag.id}" not in html
    html = page(client, f"/coordinatie/vragen/{vraag.id}")
    assert "Met de hand gekoppeld" in html and "Allebei gebeld" in html


def test_a_hand_match_without_both_yes_sends_a_voorstel(people, client, login):
    sanne, truus, _ = people
    aanbod = offer(sanne)
    vraag = vraag_van(truus, days_old=8)
    login("coby@example.nl")

    submit(client, f"/coordinatie/vragen/{vraag.id}/koppelen", {"aanbod_id": aanbod.id},
           page=f"/coordinatie/vragen/{vraag.id}")

    voorstel = db.session.scalar(select(Voorstel))
    assert voorstel.status == "open" and voorstel.coordinator_id is not None  # not self-service
    assert db.session.scalar(select(Koppeling)) is None


def voorstel_mails(to: str) -> list[dict]:
    """The voorstel mails (with their one-tap yes and no links) in the outbox for ``to``."""
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL)
                              .order_by(OutboxMessage.id)).all()
    return [r.payload for r in rows if r.payload["to"] == to and "/voorstellen/antwoord/" in r.payload["body"]]


def test_a_hand_match_of_a_waiting_voorstel_tells_both(mediated, client, login):
    """Bella picks Sanne by hand on the vraag page, where the engine's voorstel for Sanne still
    waits for her: the flash says both get bericht, so both get the voorstel mail."""
    vraag, voorstel = mediated
    assert voorstel_mails("sanne@example.nl") == [] and voorstel_mails("truus@example.nl") == []
    login("bella@example.nl")

    response = submit(client, f"/coordinatie/vragen/{vraag.id}/koppelen", {"aanbod_id": voorstel.aanbod_id},
                      page=f"/coordinatie/vragen/{vraag.id}")

    assert response.status_code == 302
    assert "krijgen bericht" in page(client, "/coordinatie")
    db.session.refresh(voorstel)
    assert voorstel.status == "open"
    assert [m["subject"] for m in voorstel_mails("sanne@example.nl")] == ["Iemand bij jou in de buurt zoekt hulp"]
    assert [m["subject"] for m in voorstel_mails("truus@example.nl")] == [
        "We hebben iemand gevonden die je kan helpen"]


def test_a_hand_match_of_a_lapsed_voorstel_tells_both(people, client, login):
    """The vraag went to another dienst and Sanne's voorstel lapsed; Coby chooses her again by hand."""
    sanne, truus, _ = people
    aanbod = offer(sanne)
    vraag = vraag_van(truus, days_old=8)
    pipeline.match_post(vraag.id, now=utcnow())
    voorstel = db.session.scalar(select(Voorstel))
    voorstel.status = "vervallen"
    db.session.commit()
    before = len(voorstel_mails("sanne@example.nl")), len(voorstel_mails("truus@example.nl"))
    login("coby@example.nl")

    submit(client, f"/coordinatie/vragen/{vraag.id}/koppelen", {"aanbod_id": aanbod.id},
           page=f"/coordinatie/vragen/{vraag.id}")

    db.session.refresh(voorstel)
    assert voorstel.status == "open"
    after = len(voorstel_mails("sanne@example.nl")), len(voorstel_mails("truus@example.nl"))
    assert after == (before[0] + 1, before[1] + 1)


def test_referring_closes_the_vraag_and_it_leaves_the_queue(people, client, login):
    _, truus, _ = people
    vraag = vraag_van(truus, days_old=8)
    login("coby@example.nl")
    assert f"/coordinatie/vragen/{vraag.id}" in page(client, "/coordinatie")

    response = submit(client, f"/coordinatie/vragen/{vraag.id}/doorverwijzen", {"naar": "Wijkteam Ruwaard"},
                      page=f"/coordinatie/vragen/{vraag.id}")

    assert response.status_code == 302
    db.session.refresh(vraag)
    assert (vraag.status, vraag.sluit_reden) == ("gesloten", "doorverwezen")
    assert f"/coordinatie/vragen/{vraag.id}" not in page(client, "/coordinatie")
    html = page(client, f"/coordinatie/vragen/{vraag.id}")
    assert "Doorverwezen" in html and "Wijkteam Ruwaard" in html


def test_ik_heb_gebeld_takes_the_vraag_out_of_the_queue(people, client, login):
    _, truus, _ = people
    vraag = vraag_van(truus, days_old=8)
    login("coby@example.nl")

    response = submit(client, f"/coordinatie/vragen/{vraag.id}/notitie",
                      {"tekst": "Gebeld, haar zoon helpt misschien.", "soort": "gebeld"},
                      page=f"/coordinatie/vragen/{vraag.id}")

    assert response.status_code == 302
    afhandeling = db.session.scalar(select(Afhandeling))
    assert (afhandeling.soort, afhandeling.tekst) == ("gebeld", "Gebeld, haar zoon helpt misschien.")
    assert f"/coordinatie/vragen/{vraag.id}" not in page(client, "/coordinatie")


def test_bad_input_keeps_what_was_typed_and_says_in_dutch_what_to_do(people, client, login):
    sanne, truus, _ = people
    aanbod = offer(sanne)
    vraag = vraag_van(truus, days_old=8)
    url = f"/coordinatie/vragen/{vraag.id}"
    login("coby@example.nl")

    response = submit(client, f"{url}/doorverwijzen", {"naar": "   "}, page=url)
    assert response.status_code == 422
    assert "Schrijf waar je de persoon naartoe stuurt." in response.get_data(as_text=True)

    response = submit(client, f"{url}/notitie", {"tekst": ""}, page=url)
    assert response.status_code == 422
    assert "Schrijf kort wat er is gebeurd." in response.get_data(as_text=True)

    tekst = "Gebeld met Truus en met Sanne. " * 80
    response = submit(client, f"{url}/koppelen", {"aanbod_id": aanbod.id, "beiden_akkoord": "y", "tekst": tekst},
                      page=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Dit is te lang." in html and tekst.strip() in html
    checkbox = re.search(rf'<input[^>]*id="beiden_akkoord-{aanbod.id}"[^>]*>', html).group(0)
    assert "checked" in checkbox

    db.session.refresh(vraag)
    assert vraag.status == "open"
    assert db.session.scalar(select(Koppeling)) is None


def test_a_coordinator_of_another_dienst_gets_403_on_the_vraag(people, make_user, client, login):
    sanne, truus, _ = people
    aanbod = offer(sanne)
    vraag = vraag_van(truus, days_old=8)  # tuinonderhoud: Burenhulp
    bella = make_user("bella@example.nl", roles=("coordinator",), naam="Bella")
    blink = diensten.by_code("blink")
    blink.coordinatoren.append(bella)
    db.session.commit()
    login("bella@example.nl")

    assert client.get(f"/coordinatie/vragen/{vraag.id}").status_code == 403
    assert f"/coordinatie/vragen/{vraag.id}" not in page(client, "/coordinatie")
    response = submit(client, f"/coordinatie/vragen/{vraag.id}/doorverwijzen", {"naar": "Wijkteam"},
                      page="/coordinatie")
    assert response.status_code == 403
    response = submit(client, f"/coordinatie/vragen/{vraag.id}/koppelen", {"aanbod_id": aanbod.id},
                      page="/coordinatie")
    assert response.status_code == 403
    db.session.refresh(vraag)
    assert vraag.status == "open"
    assert db.session.scalar(select(Voorstel).where(Voorstel.bron == "coordinator")) is None  # the worker's may exist


# --- collective -----------------------------------------------------------------------------------


def _three_vragen(make_user, near, prefix: str) -> list[Hulpvraag]:
    out = []
    for i in range(3):
        person = make_user(f"{prefix}{i}@example.nl", home=(near[0] + 0.0004 * i, near[1] + 0.0003 * i),
                           naam=f"{prefix.title()} {i}")
        out.append(vraag_van(person, f"Computerles {prefix} {i}", categorie="digitaal"))
    return out


@pytest.fixture
def groepen(people, make_user):
    ruwaard = _three_vragen(make_user, RUWAARD, "ruwaard")
    dommelbergen = _three_vragen(make_user, DOMMELBERGEN, "dommel")
    host = make_user("karim@example.nl", home=RUWAARD, naam="Karim")
    start = utcnow() + timedelta(days=5)
    activiteit = posts.create(
        Activiteit(titel="Digicafé in de bibliotheek", categorie="digitaal", start=start,
                   eind=start + timedelta(hours=2), regels_gelezen=True),
        auteur=host, now=utcnow(), where=RUWAARD, op_huisadres=False,
    )
    make_user("olga@example.nl", roles=("opbouwwerker",), wijken=("WK082806",), naam="Olga")
    return ruwaard, dommelbergen, activiteit


def test_an_opbouwwerker_sees_only_the_groups_of_their_own_wijken(groepen, client, login):
    ruwaard, dommelbergen, activiteit = groepen
    login("olga@example.nl")

    html = page(client, "/coordinatie/collectief")

    assert "Digitale hulp" in html and "3 hulpvragen" in html and ruwaard[0].wijk.volledige_naam in html
    assert all(v.titel in html for v in ruwaard)
    assert not any(v.titel in html for v in dommelbergen)
    assert "Digicafé in de bibliotheek" in html

    link = re.search(r'href="(/plaatsen/activiteit\?[^"]+)"', html).group(1)
    form = page(client, html_unescape(link))
    assert 'value="Groep voor digitale hulp"' in form
    assert re.search(r'<option selected value="digitaal">|<option value="digitaal" selected>', form)


def test_a_coordinator_sees_the_groups_of_all_wijken(groepen, client, login):
    ruwaard, dommelbergen, _ = groepen
    login("coby@example.nl")

    html = page(client, "/coordinatie/collectief")

    assert all(v.titel in html for v in ruwaard + dommelbergen)


def test_linking_a_group_to_an_activity(groepen, client, login):
    ruwaard, _, activiteit = groepen
    login("olga@example.nl")

    response = submit(client, "/coordinatie/collectief/koppelen",
                      {"vraag_ids": [v.id for v in ruwaard], "activiteit_id": activiteit.id},
                      page="/coordinatie/collectief")

    assert response.status_code == 302
    for vraag in ruwaard:
        db.session.refresh(vraag)
        assert vraag.collectief_id == activiteit.id
    html = page(client, "/coordinatie/collectief")
    assert "3 hulpvragen zijn gekoppeld" in html
    assert not any(f'name="vraag_ids" value="{v.id}"' in html for v in ruwaard)
    assert "Er zijn nu geen hulpvragen die op elkaar lijken." in html


def test_an_opbouwwerker_cannot_link_vragen_of_another_wijk(groepen, client, login):
    _, dommelbergen, activiteit = groepen
    login("olga@example.nl")

    response = submit(client, "/coordinatie/collectief/koppelen",
                      {"vraag_ids": [v.id for v in dommelbergen], "activiteit_id": activiteit.id},
                      page="/coordinatie/collectief")

    assert response.status_code == 403
    for vraag in dommelbergen:
        db.session.refresh(vraag)
        assert vraag.collectief_id is None


def test_linking_without_an_activity_says_what_to_choose(groepen, client, login):
    ruwaard, _, _ = groepen
    login("olga@example.nl")

    response = submit(client, "/coordinatie/collectief/koppelen",
                      {"vraag_ids": [ruwaard[0].id, ruwaard[1].id], "activiteit_id": ""},
                      page="/coordinatie/collectief")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kies een activiteit uit de lijst." in html
    # The two ticked vragen stay ticked, the third not.
    assert html.count("checked") == 2
    db.session.refresh(ruwaard[0])
    assert ruwaard[0].collectief_id is None


def test_a_resident_may_not_open_the_group_page(groepen, client, login):
    login("truus@example.nl")
    assert client.get("/coordinatie/collectief").status_code == 403


def test_a_vraag_moves_to_another_dienst_and_its_waiting_voorstel_lapses(people, client, login):
    sanne, truus, _ = people
    offer(sanne)
    vraag = vraag_van(truus, days_old=8)
    pipeline.match_post(vraag.id, now=utcnow())
    assert db.session.scalar(select(Voorstel)).status == "open"
    blink = diensten.by_code("blink")
    login("coby@example.nl")

    response = submit(client, f"/coordinatie/vragen/{vraag.id}/dienst", {"dienst_id": blink.id},
                      page=f"/coordinatie/vragen/{vraag.id}", follow_redirects=True)

    assert "De hulpvraag hoort nu bij Blink" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Hulpvraag, vraag.id).dienst_id == blink.id
    assert db.session.scalar(select(Voorstel)).status == "vervallen"
    assert "Naar een andere dienst" in page(client, f"/coordinatie/vragen/{vraag.id}")


def test_moving_without_a_choice_says_what_to_do(people, client, login):
    _, truus, _ = people
    vraag = vraag_van(truus, days_old=8)
    login("coby@example.nl")

    response = submit(client, f"/coordinatie/vragen/{vraag.id}/dienst", {"dienst_id": ""},
                      page=f"/coordinatie/vragen/{vraag.id}")

    assert response.status_code == 422
    assert "Kies een dienst uit de lijst." in response.get_data(as_text=True)
