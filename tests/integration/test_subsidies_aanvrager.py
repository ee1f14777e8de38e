"""The aanvrager's side of a subsidieaanvraag, through the pages: a draft to come back to, a bad
amount that keeps the rest, what is missing on submit, the confirmation with the contact person and
the date of the decision, a question answered, files (a real PNG, a renamed program), nobody else
sees the aanvraag or its files, and the accountability afterwards."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from matplotlib.figure import Figure
from sqlalchemy import select

from omkijken.platform.areas.models import Gemeente
from omkijken.platform.clock import local, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies import gemeente_services, services
from omkijken.platform.subsidies.models import Bijlage, Subsidieaanvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import RUWAARD, submit

EURO = 100


@pytest.fixture
def truus(make_user):
    return make_user("truus@example.nl", home=RUWAARD, naam="Truus")


@pytest.fixture
def ambtenaar(make_user):
    return make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")


@pytest.fixture
def regeling(make_user):
    beheerder = make_user("beheer@example.nl", roles=("beheerder",))
    oss = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0828"))
    return gemeente_services.create_regeling(gemeente=oss, jaar=local(utcnow()).year, naam="Initiatieven sociale basis",
                                    budget_cents=5000 * EURO, max_per_aanvraag_cents=2000 * EURO,
                                    soorten=["ontmoeting", "anders"], by=beheerder, now=utcnow(),
                                    beslistermijn_dagen=21)


@pytest.fixture
def initiatief(truus):
    return posts.create(Initiatief(titel="Koffieochtend Ruwaard", categorie="ontmoeting_gezelschap"), auteur=truus,
                        now=utcnow(), where=RUWAARD)


def text(response) -> str:
    return response.get_data(as_text=True)


def complete(regeling, **changes) -> dict[str, str]:
    form = {"titel": "Koffieochtend Ruwaard", "soort": "ontmoeting", "wat": "Elke dinsdag koffie in het wijkhuis",
            "voor_wie": "Ouderen die alleen zijn", "wijk_id": "", "plek": "Wijkhuis de Ruwaard",
            "wanneer": "Elke dinsdag van maart tot december", "deelnemers": "25",
            "regel-1-wat": "Koffie en thee", "regel-1-bedrag": "150", "regel-2-wat": "Zaalhuur",
            "regel-2-bedrag": "1.250,50", "regel-3-wat": "", "regel-3-bedrag": "",
            "eigen_bijdrage_cents": "50", "sponsor_bijdrage_cents": "", "uren_vrijwilligers": "40",
            "bijdragen": "De bakker geeft koek", "regeling_id": str(regeling.id), "actie": "bewaren"}
    return {**form, **changes}


def start(client, initiatief) -> Subsidieaanvraag:
    """From the initiatief's page: the button makes a draft and leads to the form."""
    page = client.get(f"/prikbord/{initiatief.id}")
    assert "Subsidie aanvragen" in text(page)
    response = submit(client, f"/subsidies/nieuw/{initiatief.id}", {}, page=f"/prikbord/{initiatief.id}")
    assert response.status_code == 302 and response.location.endswith("/bewerken")
    aanvraag = db.session.scalar(select(Subsidieaanvraag).where(Subsidieaanvraag.initiatief_id == initiatief.id))
    assert aanvraag.status == "concept" and aanvraag.titel == "Koffieochtend Ruwaard"
    return aanvraag


def mails_to(address: str) -> list[dict]:
    """Oldest first: PostgreSQL returns rows the worker updated in another order without ORDER BY."""
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL)
                              .order_by(OutboxMessage.id)).all()
    return [r.payload for r in rows if r.payload["to"] == address]


def test_a_draft_is_saved_and_the_aanvrager_comes_back_to_it(client, login, truus, initiatief, regeling):
    login("truus@example.nl")
    aanvraag = start(client, initiatief)
    url = f"/subsidies/{aanvraag.id}/bewerken"
    form = client.get(url)
    assert form.status_code == 200
    assert "Bewaren als concept" in text(form) and "Indienen" in text(form)
    for kop in ("Wat en voor wie", "Waar en wanneer", "Hoeveel mensen", "Begroting", "Bijdragen van anderen"):
        assert kop in text(form)

    response = submit(client, url, {**complete(regeling), "regeling_id": "", "voor_wie": ""})
    assert response.status_code == 302 and response.location.endswith(url)
    db.session.expire_all()
    assert aanvraag.status == "concept" and aanvraag.voor_wie == ""
    assert [(r.omschrijving, r.bedrag_cents) for r in aanvraag.regels] == [("Koffie en thee", 15000),
                                                                          ("Zaalhuur", 125050)]
    assert (aanvraag.eigen_bijdrage_cents, aanvraag.uren_vrijwilligers, aanvraag.deelnemers) == (5000, 40, 25)
    assert aanvraag.wijk.code == "WK082806"

    # Later: everything is there, with the total computed, and three empty rows to add more.
    again = text(client.get(url))
    assert 'value="Zaalhuur"' in again and 'value="1.250,50"' in again
    assert "€ 1.400,50" in again and "€ 1.350,50" in again  # the total, and what is asked (minus € 50)
    assert 'name="regel-5-wat"' in again and 'name="regel-6-wat"' not in again
    assert "Elke dinsdag koffie in het wijkhuis" in again
    # "Nog een regel" saves and gives room for more.
    more = submit(client, url, complete(regeling, **{"regel-3-wat": "Taart", "regel-3-bedrag": "12,5",
                                                     "actie": "regel"}))
    assert more.status_code == 302 and more.location.endswith("#begroting")
    assert 'name="regel-6-wat"' in text(client.get(url))
    db.session.expire_all()
    assert aanvraag.totaal_cents == 15000 + 125050 + 1250

    # Mijn berichten lists it, and so does the initiatief's page.
    mijn = text(client.get("/mijn-berichten"))
    assert "Mijn subsidieaanvragen" in mijn and f'href="/subsidies/{aanvraag.id}"' in mijn
    assert f"/subsidies/{aanvraag.id}" in text(client.get(f"/prikbord/{initiatief.id}"))


def test_a_bad_amount_is_told_by_its_line_and_the_rest_is_kept(client, login, truus, initiatief, regeling):
    login("truus@example.nl")
    aanvraag = start(client, initiatief)
    url = f"/subsidies/{aanvraag.id}/bewerken"
    response = submit(client, url, complete(regeling, **{"regel-2-bedrag": "twaalf", "regel-3-bedrag": "12,505",
                                                         "regel-3-wat": "Taart", "actie": "indienen"}))
    assert response.status_code == 422
    page = text(response)
    assert "Er klopt nog iets niet" in page
    assert 'href="#regel-2-bedrag">Begroting, regel 2</a>: Dit is geen bedrag.' in page
    assert 'href="#regel-3-bedrag"' in page and "twee cijfers achter de komma" in page
    assert 'id="regel-2-bedrag" name="regel-2-bedrag" value="twaalf"' in page
    assert re.search(r'id="regel-2-bedrag"[^>]*aria-invalid="true"', page)
    assert 'value="Koffie en thee"' in page and 'value="150"' in page
    assert "Elke dinsdag koffie in het wijkhuis" in page and 'value="Wijkhuis de Ruwaard"' in page
    # Nothing was saved, nothing was sent.
    db.session.expire_all()
    assert aanvraag.status == "concept" and aanvraag.regels == [] and aanvraag.wat == ""


def test_submitting_an_incomplete_aanvraag_shows_what_is_missing_and_keeps_what_was_typed(
        client, login, truus, initiatief, regeling):
    login("truus@example.nl")
    aanvraag = start(client, initiatief)
    url = f"/subsidies/{aanvraag.id}/bewerken"
    typed = complete(regeling, voor_wie="", wanneer="", deelnemers="", soort="", actie="indienen",
                     **{"regel-1-wat": "", "regel-1-bedrag": "", "regel-2-wat": "", "regel-2-bedrag": ""})
    response = submit(client, url, typed)
    assert response.status_code == 422
    page = text(response)
    assert "Je aanvraag is nog niet compleet" in page
    for anker, message in (("voor_wie", "Schrijf op voor wie het is."), ("wanneer", "Schrijf op wanneer het is."),
                           ("deelnemers", "Schrijf op hoeveel mensen ongeveer meedoen."),
                           ("soort", "Kies wat voor initiatief het is."),
                           ("regels", "Zet in de begroting waar je geld voor nodig hebt.")):
        assert f'href="#{anker}"' in page and message in page, anker
    assert "Elke dinsdag koffie in het wijkhuis" in page and "De bakker geeft koek" in page
    db.session.expire_all()
    assert aanvraag.status == "concept" and aanvraag.wat == "Elke dinsdag koffie in het wijkhuis"
    assert mails_to("truus@example.nl") == []


def test_a_complete_aanvraag_is_sent_in_with_the_contact_person_and_the_date(
        client, login, truus, ambtenaar, initiatief, regeling):
    login("truus@example.nl")
    aanvraag = start(client, initiatief)
    response = submit(client, f"/subsidies/{aanvraag.id}/bewerken", complete(regeling, actie="indienen"))
    assert response.status_code == 302 and response.location.endswith(f"/subsidies/{aanvraag.id}")
    db.session.expire_all()
    assert aanvraag.status == "ingediend"
    beslis_voor = aanvraag.beslis_voor
    assert (beslis_voor - local(aanvraag.ingediend_at).date()).days == 21  # the regeling's norm

    page = text(client.get(response.location))
    assert "Je aanvraag is verstuurd" in page and "Wat gebeurt er nu?" in page
    assert "Je contactpersoon" in page and "Besluit uiterlijk op" in page
    assert "Fatima" in page, "one contact person from the moment it is sent in"
    assert str(beslis_voor.year) in page and str(beslis_voor.day) in page
    [mail] = mails_to("truus@example.nl")
    assert "ontvangen" in mail["body"] and f"/subsidies/{aanvraag.id}" in mail["body"]
    # It can no longer be changed.
    assert client.get(f"/subsidies/{aanvraag.id}/bewerken").status_code == 302

    # The officer takes it up: from now on there is one named contact person, and a mail says so.
    services.move(aanvraag, "in_behandeling", by=ambtenaar, now=utcnow())
    page = text(client.get(f"/subsidies/{aanvraag.id}"))
    assert "Fatima" in page and "mailto:fatima@oss.nl" in page
    assert any("Fatima" in m["body"] for m in mails_to("truus@example.nl"))


@pytest.fixture
def ingediend(truus, initiatief, regeling, ambtenaar) -> Subsidieaanvraag:
    aanvraag = services.create_draft(initiatief, by=truus, now=utcnow())
    services.edit(aanvraag, by=truus, now=utcnow(), soort="ontmoeting", wat="Koffie", voor_wie="Ouderen",
                  wanneer="Dinsdag", deelnemers=20, regeling_id=regeling.id)
    services.set_lines(aanvraag, [("Zaalhuur", 450 * EURO), ("Koffie", 150 * EURO)], by=truus, now=utcnow())
    services.submit(aanvraag, by=truus, now=utcnow())
    services.move(aanvraag, "in_behandeling", by=ambtenaar, now=utcnow())
    return aanvraag


def test_the_aanvrager_answers_a_question_in_the_thread(client, login, truus, ambtenaar, ingediend):
    services.move(ingediend, "vragen_gesteld", by=ambtenaar, reden="Is het wijkhuis al vastgelegd?", now=utcnow())
    assert any("Is het wijkhuis al vastgelegd?" in m["body"] for m in mails_to("truus@example.nl"))
    login("truus@example.nl")
    url = f"/subsidies/{ingediend.id}"
    page = text(client.get(url))
    assert "De gemeente heeft een vraag" in page and "Is het wijkhuis al vastgelegd?" in page

    empty = submit(client, f"{url}/antwoord", {"tekst": "  "}, page=url)
    assert empty.status_code == 422 and "Schrijf eerst je antwoord." in text(empty)
    response = submit(client, f"{url}/antwoord", {"tekst": "Ja, voor het hele jaar."}, page=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert ingediend.status == "in_behandeling"
    assert [b.tekst for b in ingediend.berichten] == ["Is het wijkhuis al vastgelegd?", "Ja, voor het hele jaar."]
    page = text(client.get(url))
    assert "Ja, voor het hele jaar." in page and 'action="/subsidies/%d/antwoord"' % ingediend.id not in page


def picture() -> bytes:
    figure = Figure(figsize=(2, 1.5), dpi=50)
    figure.add_subplot().plot([1, 3, 2])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_files_through_the_form_and_nobody_else_sees_them(client, login, truus, make_user, ingediend, tmp_path):
    login("truus@example.nl")
    url = f"/subsidies/{ingediend.id}"
    png = picture()
    response = submit(client, f"{url}/bijlagen", {"soort": "foto", "bestand": (io.BytesIO(png), "buurthuis.png")},
                      page=url, content_type="multipart/form-data")
    assert response.status_code == 302
    [bijlage] = db.session.scalars(select(Bijlage)).all()
    assert (bijlage.mime, bijlage.bestandsnaam, bijlage.soort) == ("image/png", "buurthuis.png", "foto")

    renamed = tmp_path / "offerte.pdf"
    shutil.copy("/bin/true", renamed)
    with renamed.open("rb") as program:
        refused = submit(client, f"{url}/bijlagen", {"soort": "offerte", "bestand": (program, "offerte.pdf")},
                         page=url, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Dit soort bestand kunnen we niet gebruiken" in text(refused)
    assert db.session.scalars(select(Bijlage)).all() == [bijlage]

    page = text(client.get(url))
    assert f'href="/subsidies/bijlagen/{bijlage.id}"' in page
    download = client.get(f"/subsidies/bijlagen/{bijlage.id}")
    assert download.status_code == 200 and download.data == png
    assert download.mimetype == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment")

    # Another resident: the aanvraag and its file do not exist for them.
    make_user("piet@example.nl", home=RUWAARD)
    client.post("/uitloggen", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)})
    login("piet@example.nl")
    for path in (url, f"{url}/bewerken", f"/subsidies/bijlagen/{bijlage.id}", f"/subsidies/bijlagen/{bijlage.id + 99}"):
        assert client.get(path).status_code == 404, path
    answer = submit(client, f"{url}/antwoord", {"tekst": "Hallo"}, page="/mijn-berichten")
    assert answer.status_code == 404


def test_the_accountability_goes_in_through_the_page(client, login, truus, ambtenaar, ingediend):
    services.move(ingediend, "toegekend", by=ambtenaar, reden="Past goed bij de regeling.", now=utcnow())
    login("truus@example.nl")
    url = f"/subsidies/{ingediend.id}"
    page = text(client.get(url))
    assert "Toegekend: € 600,00" in page and "Past goed bij de regeling." in page
    assert f'href="/subsidies/{ingediend.id}/besluit.pdf"' in page
    letter = client.get(f"/subsidies/{ingediend.id}/besluit.pdf")  # the gemeente's side makes it
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF-")
    services.move(ingediend, "verantwoording_gevraagd", by=ambtenaar, now=utcnow())
    assert len(mails_to("truus@example.nl")) == 4  # ingediend, in behandeling, toegekend, verantwoording

    page = text(client.get(url))
    assert "Hoe ging het?" in page and "Wat vonden de deelnemers ervan?" in page
    half = submit(client, f"{url}/verantwoording", {"bereikt": "Elke week 20 mensen", "bijdragen_van_wie": "",
                                                   "deelnemers_vonden": "", "werkelijke_kosten_cents": "veel",
                                                   "actie": "versturen"}, page=url)
    assert half.status_code == 422 and "Dit is geen bedrag" in text(half) and "Elke week 20 mensen" in text(half)
    missing = submit(client, f"{url}/verantwoording", {"bereikt": "Elke week 20 mensen", "bijdragen_van_wie": "",
                                                      "deelnemers_vonden": "", "werkelijke_kosten_cents": "530",
                                                      "actie": "versturen"}, page=url)
    assert missing.status_code == 422 and "Schrijf op wie wat heeft bijgedragen." in text(missing)
    db.session.expire_all()
    assert ingediend.status == "verantwoording_gevraagd" and ingediend.bereikt == "Elke week 20 mensen"

    done = submit(client, f"{url}/verantwoording", {
        "bereikt": "Elke week 20 mensen", "bijdragen_van_wie": "Buren zetten koffie", "deelnemers_vonden": "Gezellig",
        "werkelijke_kosten_cents": "529,95", "actie": "versturen", "foto": (io.BytesIO(picture()), "koffie.png"),
    }, page=url, content_type="multipart/form-data")
    assert done.status_code == 302
    db.session.expire_all()
    assert ingediend.status == "verantwoord" and ingediend.werkelijke_kosten_cents == 52995
    assert [b.soort for b in ingediend.bijlagen] == ["verantwoording"]
    page = text(client.get(url))
    assert "Dank je voor je verhaal" in page and "€ 529,95" in page


def test_the_aanvrager_withdraws_after_a_confirmation(client, login, truus, ingediend):
    login("truus@example.nl")
    url = f"/subsidies/{ingediend.id}"
    assert "Aanvraag intrekken" in text(client.get(url))
    confirm = client.get(f"{url}/intrekken")
    assert confirm.status_code == 200 and "Weet je het zeker?" in text(confirm)
    db.session.expire_all()
    assert ingediend.status == "in_behandeling"
    response = submit(client, f"{url}/intrekken", {"reden": "Het gaat niet door."})
    assert response.status_code == 302
    db.session.expire_all()
    assert ingediend.status == "ingetrokken"
    assert "Aanvraag intrekken" not in text(client.get(url))


def test_a_file_just_over_the_limit_gets_the_forms_own_answer_not_the_size_refusal(client, login, truus,
                                                                                    ingediend):
    # MAX_CONTENT_LENGTH (issue 19) lies just above the largest attachment, so a file a little too
    # big still reaches the form, which says how big it may be and keeps the page.
    login("truus@example.nl")
    url = f"/subsidies/{ingediend.id}"
    big = io.BytesIO(b"%PDF-1.4\n" + bytes(10 * 1024 * 1024 + 512 * 1024))
    response = submit(client, f"{url}/bijlagen", {"soort": "offerte", "bestand": (big, "offerte.pdf")},
                      page=url, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Dit bestand is te groot. Het mag hooguit 10 MB zijn." in text(response)


def test_the_download_is_named_after_what_the_file_is(client, login, truus, ingediend):
    login("truus@example.nl")
    url = f"/subsidies/{ingediend.id}"
    response = submit(client, f"{url}/bijlagen", {"soort": "foto", "bestand": (io.BytesIO(picture()), "buurthuis.hta")},
                      page=url, content_type="multipart/form-data")
    assert response.status_code == 302
    [bijlage] = db.session.scalars(select(Bijlage)).all()
    download = client.get(f"/subsidies/bijlagen/{bijlage.id}")
    assert download.headers["Content-Disposition"] == "attachment; filename=buurthuis.png"
    assert "buurthuis.hta" not in text(client.get(url))
