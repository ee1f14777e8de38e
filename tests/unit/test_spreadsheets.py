"""Every CSV and XLSX the product writes goes through omkijken.platform.spreadsheets, which keeps
a cell that a spreadsheet would read as a formula from being one (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from omkijken.platform import spreadsheets

HOSTILE = ['=HYPERLINK("http://evil.example","klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1", "  =1+1", "\n=1+1", "＝1+1", "=", "-"]
HARMLESS = ["Koffieochtend Ruwaard", "", "12", "-12", "-12,50", "-0,5", "+5", "1.234,50", "Tuin - en klus", "a=b"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_read_as_a_formula_is_turned_into_text(text):
    assert spreadsheets.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [*HARMLESS, 12, -12, -12.5, Decimal("-3.25"), None])
def test_other_text_and_real_negative_numbers_stay_as_they_are(value):
    assert spreadsheets.neutralise(value) == value


def test_a_csv_has_a_bom_semicolons_and_only_neutral_cells():
    text = spreadsheets.csv_text(["titel", "bedrag"], [[HOSTILE[0], "-12,50"], ["=1+1", -3]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [["titel", "bedrag"], ["'" + HOSTILE[0], "-12,50"], ["'=1+1", "-3"]]


def test_an_xlsx_cell_holds_text_never_a_formula():
    book = openpyxl.Workbook()
    sheet = book.active
    spreadsheets.append_row(sheet, [HOSTILE[0], "#REF!", -12.5, "Gewoon"])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    assert [c.data_type for c in cells] == ["s", "s", "n", "s"]
    assert [c.value for c in cells] == [HOSTILE[0], "#REF!", -12.5, "Gewoon"]
    assert cells[0].quotePrefix  # Excel and LibreOffice keep it text, also when the cell is edited
