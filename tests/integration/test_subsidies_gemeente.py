"""The gemeente's side of a subsidieaanvraag, through its pages: the intake officer takes one from
the queue, asks a question, asks the opbouwwerker's advice, decides, the decision letter is a PDF
only the right people get, accountability is asked and the file closed; the pots, the figures and
the exports agree with it; and a refused decision keeps what the officer typed."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.subsidies import services, volledigheid
from omkijken.platform.subsidies.models import Regeling, Subsidieaanvraag
from omkijken.platform.system import audit
from tests.integration.test_subsidies import EURO, complete_draft, new_regeling, oss
from tests.support import DOMMELBERGEN, RUWAARD, submit

RUWAARD_WIJK, DOMMELBERGEN_WIJK = "WK082806", "WK082606"


@pytest.fixture
def people(make_user) -> dict[str, User]:
    return {
        "truus": make_user("truus@example.nl", home=RUWAARD, naam="Truus"),
        "ahmed": make_user("ahmed@example.nl", home=DOMMELBERGEN, naam="Ahmed"),
        "fatima": make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima"),
        "karim": make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(RUWAARD_WIJK,), naam="Karim"),
        "els": make_user("els@example.nl", roles=("opbouwwerker",), wijken=(DOMMELBERGEN_WIJK,), naam="Els"),
        "beheer": make_user("beheer@example.nl", roles=("beheerder",), naam="Bea"),
    }


@pytest.fixture
def as_user(app):
    """A logged-in browser of its own per person, so several people act side by side."""

    def log_in(email: str):
        client = app.test_client()
        response = submit(client, "/inloggen", {"email": email, "password": "wachtwoord-123"})
        assert response.status_code == 302
        return client

    return log_in


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def act(client, aanvraag, actie: str, data: dict | None = None):
    url = f"/subsidies/gemeente/{aanvraag.id}"
    return submit(client, f"{url}/{actie}", data or {}, page=url)


def fresh(aanvraag) -> Subsidieaanvraag:
    db.session.expire_all()
    return db.session.get(Subsidieaanvraag, aanvraag.id)


def sent_in(people, regeling, **kwargs) -> Subsidieaanvraag:
    aanvraag = complete_draft(people["truus"], regeling, **kwargs)
    services.submit(aanvraag, by=people["truus"], now=utcnow())
    return aanvraag


def test_the_officer_takes_an_aanvraag_from_intake_to_a_closed_file(people, as_user):
    regeling = new_regeling(people["beheer"])
    aanvraag = sent_in(people, regeling)
    fatima = as_user("fatima@oss.nl")

    queue = page(fatima, "/subsidies/gemeente")
    assert "Koffieochtend Ruwaard" in queue and "Compleet, binnen het maximum en de pot" in queue
    assert "nog 28 dagen om te beslissen" in queue
    assert 'href="/subsidies/gemeente"' in page(fatima, "/")  # the nav link

    # Take it up: Fatima becomes the contact person.
    assert act(fatima, aanvraag, "oppakken").status_code == 302
    aanvraag = fresh(aanvraag)
    assert (aanvraag.status, aanvraag.contactpersoon_id) == ("in_behandeling", people["fatima"].id)

    # A question in the thread, and Truus answers it (her own pages are another helper's).
    assert act(fatima, aanvraag, "vraag", {"vraag-reden": "Is het wijkhuis al vastgelegd?"}).status_code == 302
    assert fresh(aanvraag).status == "vragen_gesteld"
    services.move(fresh(aanvraag), "in_behandeling", by=people["truus"], reden="Ja, voor het hele jaar.",
                  now=utcnow())
    text = page(fatima, f"/subsidies/gemeente/{aanvraag.id}")
    assert "Is het wijkhuis al vastgelegd?" in text and "Ja, voor het hele jaar." in text

    # Advice from the opbouwwerker of de Ruwaard, named on the form.
    assert "Karim" in text and "Advies vragen aan de opbouwwerker" in text
    assert act(fatima, aanvraag, "advies", {"advies-reden": "Past dit in de wijk?"}).status_code == 302
    assert fresh(aanvraag).status == "advies_gevraagd"

    els = as_user("els@example.nl")  # opbouwwerker of another wijk: the aanvraag is not there for her
    assert "Koffieochtend Ruwaard" not in page(els, "/subsidies/gemeente")
    page(els, f"/subsidies/gemeente/{aanvraag.id}", status=404)
    assert act(els, aanvraag, "advies_geven", {"advies_geven-reden": "Prima"}).status_code in (403, 404)

    karim = as_user("karim@example.nl")
    assert "Koffieochtend Ruwaard" in page(karim, "/subsidies/gemeente")
    text = page(karim, f"/subsidies/gemeente/{aanvraag.id}")
    assert "Je advies" in text and "Past dit in de wijk?" in text
    assert "Beslissen" not in text and "In behandeling nemen" not in text
    assert act(karim, aanvraag, "advies_geven",
               {"advies_geven-reden": "Ja, er is veel eenzaamheid in de Ruwaard."}).status_code == 302
    assert fresh(aanvraag).status == "in_behandeling"
    page(karim, f"/subsidies/gemeente/{aanvraag.id}")  # he can still read what he advised on

    # The wijkraad's advice is a note in the audit log, no step.
    assert act(fatima, aanvraag, "wijkraad", {"wijkraad-reden": "De wijkraad is positief."}).status_code == 302
    assert fresh(aanvraag).status == "in_behandeling"

    # A decision without a reason is refused; what she typed stays.
    response = act(fatima, aanvraag, "besluit", {"besluit-besluit": "deels_toegekend", "besluit-bedrag": "450,50",
                                                 "besluit-reden": "  "})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Schrijf kort waarom niet alles. De aanvrager leest dit." in text
    assert 'value="450,50"' in text
    assert fresh(aanvraag).status == "in_behandeling"

    response = act(fatima, aanvraag, "besluit", {"besluit-besluit": "deels_toegekend", "besluit-bedrag": "450,50",
                                                 "besluit-reden": "De zaalhuur is lager in het wijkhuis."})
    assert response.status_code == 302
    aanvraag = fresh(aanvraag)
    assert (aanvraag.status, aanvraag.toegekend_cents) == ("deels_toegekend", 45050)

    # The letter: Truus and the gemeente get it; a neighbour, the opbouwwerker and a stranger do not.
    truus = as_user("truus@example.nl")
    response = truus.get(f"/subsidies/{aanvraag.id}/besluit.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    letter = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Gemeente Oss" in letter and "Koffieochtend Ruwaard" in letter
    assert "€ 450,50" in letter and "een deel van wat je vroeg" in letter
    assert "De zaalhuur is lager in het wijkhuis." in letter and "Fatima" in letter
    assert fatima.get(f"/subsidies/{aanvraag.id}/besluit.pdf").status_code == 200
    assert as_user("ahmed@example.nl").get(f"/subsidies/{aanvraag.id}/besluit.pdf").status_code == 404
    assert karim.get(f"/subsidies/{aanvraag.id}/besluit.pdf").status_code == 404
    assert as_user("beheer@example.nl").get(f"/subsidies/{aanvraag.id}/besluit.pdf").status_code == 200

    # The pots and the figures agree: 1.000 budget, 450,50 granted, 549,50 left.
    cijfers = page(fatima, "/subsidies/cijfers")
    assert "€ 1.000,00" in cijfers and "€ 450,50" in cijfers and "€ 549,50" in cijfers
    assert "Bestaat het initiatief na een jaar nog?" in cijfers, "the one-year check against 80% is on the dashboard"
    assert volledigheid.remaining(db.session.get(Regeling, regeling.id)) == 54950
    assert "€ 549,50" in page(fatima, "/beheer/regelingen")

    # Exports for the administration.
    body = fatima.get("/subsidies/export.csv")
    assert body.status_code == 200 and body.mimetype == "text/csv"
    data = body.data.decode("utf-8")
    assert data.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["id", "gemeente", "wijk", "initiatief"]
    row = next(r for r in rows[1:] if r[0] == str(aanvraag.id))
    assert row[1] == "Oss" and row[3] == "Koffieochtend Ruwaard"
    assert row[9:12] == ["600,00", "450,50", "0,00"] and row[-1] == "De zaalhuur is lager in het wijkhuis."
    body = fatima.get("/subsidies/export.xlsx")
    assert body.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(body.data)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][3] == "initiatief"
    xrow = next(r for r in values[1:] if r[0] == aanvraag.id)
    assert xrow[3] == "Koffieochtend Ruwaard" and xrow[9] == 600 and xrow[10] == 450.5

    # Accountability: asked, given by Truus, and the file closed.
    assert "Toegekend: vraag om de verantwoording" in page(fatima, "/subsidies/gemeente")
    assert act(fatima, aanvraag, "verantwoording").status_code == 302
    aanvraag = fresh(aanvraag)
    assert aanvraag.status == "verantwoording_gevraagd"
    services.edit(aanvraag, by=people["truus"], now=utcnow(), bereikt="Elke week 20 mensen",
                  bijdragen_van_wie="Buren zetten koffie", deelnemers_vonden="Gezellig",
                  werkelijke_kosten_cents=440 * EURO)
    services.move(aanvraag, "verantwoord", by=people["truus"], now=utcnow())
    text = page(fatima, f"/subsidies/gemeente/{aanvraag.id}")
    assert "Elke week 20 mensen" in text and "Dossier afsluiten" in text
    assert act(fatima, aanvraag, "afsluiten").status_code == 302
    assert fresh(aanvraag).status == "afgesloten"

    entries = list(reversed(audit.entries(onderwerp="subsidieaanvraag", onderwerp_id=aanvraag.id)))
    assert [e.besluit for e in entries] == [
        "ingediend", "in_behandeling", "vragen_gesteld", "in_behandeling", "advies_gevraagd", "in_behandeling",
        "advies_wijkraad", "deels_toegekend", "verantwoording_gevraagd", "verantwoord", "afgesloten"]
    assert entries[5].actor_naam == "Karim" and entries[6].reden == "De wijkraad is positief."
    text = page(fatima, f"/subsidies/gemeente/{aanvraag.id}")
    assert "Advies van de wijk- of dorpsraad" in text and "Ja, er is veel eenzaamheid in de Ruwaard." in text

    # Closed, it still counts as deels toegekend; the letter is still there.
    cijfers = page(fatima, "/subsidies/cijfers")
    assert "<th scope=\"row\">Deels toegekend</th><td class=\"getal\">1</td>" in cijfers
    assert truus.get(f"/subsidies/{aanvraag.id}/besluit.pdf").status_code == 200


def test_a_grant_the_pot_cannot_pay_is_refused_in_plain_dutch(people, as_user, make_user):
    regeling = new_regeling(people["beheer"])  # € 1.000, at most € 800 per aanvraag
    buurman = make_user("piet@example.nl", home=RUWAARD, naam="Piet")
    eerder = complete_draft(buurman, regeling, titel="Jeu de boules", lines=(("Ballen", 700 * EURO),))
    services.submit(eerder, by=buurman, now=utcnow())
    services.move(eerder, "in_behandeling", by=people["fatima"], now=utcnow())
    services.move(eerder, "toegekend", by=people["fatima"], reden="Mooi plan.", now=utcnow())

    aanvraag = sent_in(people, regeling)  # asks € 600, € 300 is left
    fatima = as_user("fatima@oss.nl")
    queue = page(fatima, "/subsidies/gemeente")
    assert "te weinig in de pot" in queue
    act(fatima, aanvraag, "oppakken")
    text = page(fatima, f"/subsidies/gemeente/{aanvraag.id}")
    assert "Nog in de pot: € 300,00." in text and 'value="600,00"' in text  # the amount defaults to the ask

    response = act(fatima, aanvraag, "besluit", {"besluit-besluit": "toegekend", "besluit-bedrag": "€ 600",
                                                 "besluit-reden": "Een goed plan."})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Er zit nog maar € 300,00 in deze regeling." in text
    assert 'value="€ 600"' in text and "Een goed plan." in text
    aanvraag = fresh(aanvraag)
    assert (aanvraag.status, aanvraag.toegekend_cents) == ("in_behandeling", None)

    # Not an amount at all: said by the field, nothing changes.
    response = act(fatima, aanvraag, "besluit", {"besluit-besluit": "deels_toegekend", "besluit-bedrag": "twee",
                                                 "besluit-reden": "Minder."})
    assert response.status_code == 422 and "Dit is geen bedrag." in response.get_data(as_text=True)

    # Rejecting needs no amount.
    assert act(fatima, aanvraag, "besluit", {"besluit-besluit": "afgewezen", "besluit-bedrag": "",
                                             "besluit-reden": "De pot is bijna leeg."}).status_code == 302
    assert fresh(aanvraag).status == "afgewezen"
    letter = PdfReader(io.BytesIO(as_user("truus@example.nl").get(
        f"/subsidies/{aanvraag.id}/besluit.pdf").data)).pages[0].extract_text()
    assert "geen subsidie" in letter and "De pot is bijna leeg." in letter


def test_the_beheerder_sets_up_regelingen_and_the_officer_sets_the_norm(people, as_user):
    bea = as_user("beheer@example.nl")
    form = {"naam": "Sociale basis", "gemeente_id": str(oss().id), "jaar": "2026", "budget": "25.000",
            "maximum": "1.500,50", "soorten": ["ontmoeting", "sport_en_bewegen"], "beslistermijn_dagen": "28"}
    bad = submit(bea, "/beheer/regelingen", {**form, "budget": "veel", "soorten": []})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Dit is geen bedrag." in text and "Kies voor welke soorten initiatieven de regeling is." in text
    assert 'value="Sociale basis"' in text and 'value="1.500,50"' in text

    assert submit(bea, "/beheer/regelingen", form).status_code == 302
    regeling = db.session.scalar(select(Regeling).where(Regeling.naam == "Sociale basis"))
    assert (regeling.budget_cents, regeling.max_per_aanvraag_cents, regeling.soorten, regeling.jaar) == (
        2_500_000, 150_050, ["ontmoeting", "sport_en_bewegen"], 2026)
    assert submit(bea, "/beheer/regelingen", form).status_code == 422  # the same name twice

    # A maximum above the budget is the service's rule, shown by its field.
    url = f"/beheer/regelingen/{regeling.id}"
    response = submit(bea, url, {**form, "maximum": "30.000"})
    assert response.status_code == 422
    assert "niet meer dan het budget" in response.get_data(as_text=True)
    assert submit(bea, url, {**form, "budget": "30.000,00"}).status_code == 302
    assert fresh_regeling(regeling).budget_cents == 3_000_000

    fatima = as_user("fatima@oss.nl")
    assert "Sociale basis" in page(fatima, "/beheer/regelingen")  # the gemeente reads
    assert submit(fatima, "/beheer/regelingen", {**form, "naam": "Nog een"},
                  page="/beheer/regelingen").status_code == 403
    page(fatima, url, status=403)
    page(as_user("ahmed@example.nl"), "/beheer/regelingen", status=403)

    # The officer sets the beslistermijn on an aanvraag of the regeling: new aanvragen get it.
    eerste = new_regeling(people["beheer"])
    aanvraag = sent_in(people, eerste)
    response = act(fatima, aanvraag, "termijn", {"termijn-dagen": "400"})
    assert response.status_code == 422 and "Kies een termijn van 1 tot 365 dagen." in response.get_data(as_text=True)
    assert act(fatima, aanvraag, "termijn", {"termijn-dagen": "14"}).status_code == 302
    assert fresh_regeling(eerste).beslistermijn_dagen == 14


def fresh_regeling(regeling) -> Regeling:
    db.session.expire_all()
    return db.session.get(Regeling, regeling.id)


def test_who_may_see_the_gemeente_pages(people, as_user):
    regeling = new_regeling(people["beheer"])
    draft = complete_draft(people["truus"], regeling)
    fatima = as_user("fatima@oss.nl")
    page(fatima, f"/subsidies/gemeente/{draft.id}", status=404)  # a draft is the aanvrager's own
    services.submit(draft, by=people["truus"], now=utcnow())
    page(fatima, f"/subsidies/gemeente/{draft.id}")
    assert fatima.get(f"/subsidies/{draft.id}/besluit.pdf").status_code == 404  # nothing decided yet

    ahmed = as_user("ahmed@example.nl")
    for url in ("/subsidies/gemeente", "/subsidies/cijfers", "/subsidies/export.csv", "/subsidies/export.xlsx"):
        page(ahmed, url, status=403)
    # Karim is the adviseur of de Ruwaard, but nobody asked his advice yet.
    page(as_user("karim@example.nl"), f"/subsidies/gemeente/{draft.id}", status=404)
    # The beheerder reads everything but has no step in the lifecycle.
    bea = as_user("beheer@example.nl")
    text = page(bea, f"/subsidies/gemeente/{draft.id}")
    assert "In behandeling nemen" not in text
    assert act(bea, draft, "oppakken").status_code == 403
    assert fresh(draft).status == "ingediend"
    assert page(as_user("truus@example.nl"), "/subsidies/gemeente", status=403)


def test_the_officer_records_payments_up_to_what_was_granted(people, as_user):
    regeling = new_regeling(people["beheer"])
    aanvraag = sent_in(people, regeling)
    fatima_user = people["fatima"]
    services.move(aanvraag, "in_behandeling", by=fatima_user, now=utcnow())
    services.move(aanvraag, "toegekend", by=fatima_user, now=utcnow(), reden="Mooi plan.")
    fatima = as_user("fatima@oss.nl")

    assert "Betaald: € 0,00 van € 600,00." in page(fatima, f"/subsidies/gemeente/{aanvraag.id}")
    assert act(fatima, aanvraag, "betaling", {"betaling-bedrag": "250"}).status_code == 302
    response = act(fatima, aanvraag, "betaling", {"betaling-bedrag": "400,00"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dat is meer dan er nog te betalen is: € 350,00." in body and 'value="400,00"' in body
    assert act(fatima, aanvraag, "betaling", {"betaling-bedrag": "350,00"}).status_code == 302

    assert fresh(aanvraag).betaald_cents == 600 * EURO
    assert [e.details["bedrag_cents"] for e in audit.entries(onderwerp="subsidieaanvraag", onderwerp_id=aanvraag.id)
            if e.besluit == "betaald"] == [350 * EURO, 250 * EURO]
    assert "Betaling vastleggen" not in page(fatima, f"/subsidies/gemeente/{aanvraag.id}"), "nothing left to pay"
    cijfers = page(fatima, "/subsidies/cijfers")
    assert "€ 600,00" in cijfers
    truus = as_user("truus@example.nl")
    assert act(truus, aanvraag, "betaling", {"betaling-bedrag": "1"}).status_code in (403, 404)


def test_advice_is_not_asked_in_a_wijk_where_nobody_can_give_it(make_user, as_user):
    """Issue 22, item 5: in a wijk without an opbouwwerker the officer is not offered "Advies vragen",
    and a request sent anyway is refused with a clear Dutch message: the aanvraag does not go to
    "Wacht op advies" where nobody sees it, and the audit log shows no such step. Once the wijk has an
    opbouwwerker, advice can be asked again and reaches them."""
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")
    regeling = new_regeling(make_user("beheer@example.nl", roles=("beheerder",), naam="Bea"))
    aanvraag = complete_draft(truus, regeling)
    services.submit(aanvraag, by=truus, now=utcnow())
    fatima = as_user("fatima@oss.nl")
    url = f"/subsidies/gemeente/{aanvraag.id}"
    assert act(fatima, aanvraag, "oppakken").status_code == 302

    text = page(fatima, url)
    assert "Advies vragen aan de opbouwwerker" not in text
    assert "geen opbouwwerker" in text

    refused = act(fatima, aanvraag, "advies", {"advies-reden": "Past dit in de wijk?"})
    assert refused.status_code == 422
    assert "Niemand kan nu advies geven" in refused.get_data(as_text=True)
    assert fresh(aanvraag).status == "in_behandeling"
    besluiten = [e.besluit for e in audit.entries(onderwerp="subsidieaanvraag", onderwerp_id=aanvraag.id)]
    assert "advies_gevraagd" not in besluiten

    make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(RUWAARD_WIJK,), naam="Karim")
    assert "Advies vragen aan de opbouwwerker" in page(fatima, url)
    assert act(fatima, aanvraag, "advies", {"advies-reden": "Past dit in de wijk?"}).status_code == 302
    assert fresh(aanvraag).status == "advies_gevraagd"
    assert "Koffieochtend Ruwaard" in page(as_user("karim@example.nl"), "/subsidies/gemeente")
