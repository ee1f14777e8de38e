"""The aanvragen and their decisions for the gemeente's administration: one row per aanvraag, as
CSV for Dutch Excel (``;``, BOM, amounts with a decimal comma, as the insights export) and as XLSX
(openpyxl: real numbers and dates in real cells, so the administration can sum without converting).
Both are written by ``platform.spreadsheets``: an applicant's title is text, never a formula.

Amounts: the CSV writes euros with a decimal comma and no thousands dots ("1250,50"), which Dutch
Excel reads as a number; the XLSX holds euros as numbers with the format ``"€" #,##0.00`` (Excel shows it the Dutch way).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from omkijken.platform import spreadsheets
from omkijken.platform.clock import local
from omkijken.platform.i18n import gettext as _
from omkijken.platform.subsidies import cijfers
from omkijken.platform.subsidies.models import Subsidieaanvraag
from omkijken.platform.subsidies.vocabulary import SOORT_LABELS, STATUS_LABELS

# (column key, kind): kind says how each format writes it.
KOLOMMEN = (
    ("id", "int"), ("gemeente", "text"), ("wijk", "text"), ("initiatief", "text"), ("soort", "text"),
    ("status", "text"), ("uitkomst", "text"), ("ingediend", "date"), ("besloten", "date"), ("gevraagd", "euro"),
    ("toegekend", "euro"), ("betaald", "euro"), ("regeling", "text"), ("reden", "text"),
)


def header() -> list[str]:
    names = {"id": _("id"), "gemeente": _("gemeente"), "wijk": _("wijk"), "initiatief": _("initiatief"),
             "soort": _("soort"), "status": _("status"), "uitkomst": _("uitkomst"), "ingediend": _("ingediend"),
             "besloten": _("besloten"), "gevraagd": _("gevraagd (euro)"), "toegekend": _("toegekend (euro)"),
             "betaald": _("betaald (euro)"), "regeling": _("regeling"), "reden": _("reden")}
    return [names[key] for key, _kind in KOLOMMEN]


def _day(moment: datetime | None) -> date | None:
    return local(moment).date() if moment else None


def rows(aanvragen: list[Subsidieaanvraag]) -> list[list[Any]]:
    """Plain values: ints, str, dates, and amounts in whole cents (each format writes them its way)."""
    besloten = cijfers.besluiten([a.id for a in aanvragen])
    out = []
    for a in aanvragen:
        gemeente = a.regeling.gemeente.naam if a.regeling else (a.wijk.gemeente.naam if a.wijk else "")
        uitkomst = cijfers.uitkomst(a, besloten)
        out.append([
            a.id, gemeente, a.wijk.naam if a.wijk else "", a.titel, str(SOORT_LABELS.get(a.soort, a.soort or "")),
            str(STATUS_LABELS.get(a.status, a.status)),
            "" if uitkomst == "open" else str(STATUS_LABELS.get(uitkomst, uitkomst)),
            _day(a.ingediend_at), _day(a.besloten_at), a.gevraagd_cents, a.toegekend_cents, a.betaald_cents,
            a.regeling.naam if a.regeling else "", a.reden,
        ])
    return out


def _euro_text(cents: int | None) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    euro, cent = divmod(abs(cents), 100)
    return f"{sign}{euro},{cent:02d}"


def as_csv(aanvragen: list[Subsidieaanvraag]) -> str:
    return spreadsheets.csv_text(header(), [
        [_euro_text(v) if kind == "euro" else (v.strftime("%d-%m-%Y") if isinstance(v, date) else
                                               ("" if v is None else v))
         for v, (_key, kind) in zip(row, KOLOMMEN)]
        for row in rows(aanvragen)])


def as_xlsx(aanvragen: list[Subsidieaanvraag]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Aanvragen")[:31]
    spreadsheets.append_row(sheet, header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(aanvragen):
        spreadsheets.append_row(sheet, [None if v is None else (v / 100 if kind == "euro" else v)
                                        for v, (_key, kind) in zip(row, KOLOMMEN)])
    for index, (_key, kind) in enumerate(KOLOMMEN, start=1):
        letter = get_column_letter(index)
        for cell in sheet[letter][1:]:
            if kind == "euro":
                cell.number_format = '"€" #,##0.00'
            elif kind == "date":
                cell.number_format = "DD-MM-YYYY"
        sheet.column_dimensions[letter].width = {"text": 24, "euro": 14, "date": 12, "int": 8}[kind]
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
