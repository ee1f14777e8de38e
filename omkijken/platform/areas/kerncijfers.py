"""The CBS "Kerncijfers wijken en buurten": residents, age groups, households and income of a
wijk or buurt in one year, read from the CSV the CBS publishes per year.

The wijkfoto shows them beside the platform's own figures, and a share such as "x% of the
residents takes part" (004:924-928) needs the number of residents. The file is someone else's:
the CBS numbers its columns per year (``AantalInwoners_5``, ``HuishoudensTotaal_28`` one year,
``_29`` another), so a column is found by its name without the number; the kwb spreadsheet's short
names (``a_inw``) are understood too. The CBS hides small numbers as "." or "x": those are
unknown (None), never 0. Rows of areas we do not have are counted and skipped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from omkijken.platform.areas.models import Buurt, Kerncijfers, Wijk
from omkijken.platform.extensions import db

#: field -> the CBS column names (without their number) that hold it, StatLine first, kwb second.
COLUMNS: dict[str, tuple[str, ...]] = {
    "inwoners": ("AantalInwoners", "a_inw"),
    "leeftijd_0_15": ("k_0Tot15Jaar", "a_00_14"),
    "leeftijd_15_25": ("k_15Tot25Jaar", "a_15_24"),
    "leeftijd_25_45": ("k_25Tot45Jaar", "a_25_44"),
    "leeftijd_45_65": ("k_45Tot65Jaar", "a_45_64"),
    "leeftijd_65_plus": ("k_65JaarOfOuder", "a_65_oo"),
    "huishoudens": ("HuishoudensTotaal", "a_hh"),
    "inkomen_per_inwoner": ("GemiddeldInkomenPerInwoner", "g_ink_pi"),
}
CODE_COLUMNS = ("Codering", "WijkenEnBuurten", "gwb_code_10", "gwb_code")
YEAR_COLUMNS = ("Perioden",)
#: What the CBS writes for a number it does not give: missing, secret, not applicable.
HIDDEN = {"", ".", "x", "X", "?", "..", "nb"}
_CODE = re.compile(r"^(WK|BU)\d{6,8}$")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_NUMBERED = re.compile(r"_\d+$")
# "3.025" or "1.234,5": Dutch thousands separators, as StatLine shows its tables.
_DUTCH_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
MAX_BYTES = 50_000_000


class KerncijfersError(ValueError):
    """The file cannot be read as kerncijfers; the message says why, in Dutch."""


@dataclass(frozen=True)
class Imported:
    jaar: int
    wijken: int
    buurten: int
    onbekend: int


def bron(jaar: int) -> str:
    return f"CBS, Kerncijfers wijken en buurten {jaar}"


def _key(name: str) -> str:
    return name.strip().strip('"').lower()


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    """The index of the first column called one of ``names``, with or without the CBS number."""
    keys = [_key(h) for h in header]
    bare = [_NUMBERED.sub("", k) for k in keys]
    for name in names:
        wanted = name.lower()
        for i, (key, short) in enumerate(zip(keys, bare)):
            if key == wanted or short == wanted:
                return i
    return None


def number(text: str) -> float | None:
    """A CBS cell as a number; None for what the CBS hides. "-" is the CBS's "nihil": 0."""
    value = (text or "").strip()
    if value in HIDDEN:
        return None
    if value == "-":
        return 0.0
    if _DUTCH_THOUSANDS.match(value):
        value = value.replace(".", "")
    value = value.replace(",", ".")
    try:
        found = float(value)
    except ValueError:
        raise KerncijfersError(f"'{text[:40]}' is geen getal") from None
    if not math.isfinite(found) or found < 0:
        raise KerncijfersError(f"'{text[:40]}' is geen getal dat kan")
    return found


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read(data: bytes, *, jaar: int | None = None, name: str = "") -> tuple[int, list[dict]]:
    """(year, rows) from the bytes of a kerncijfers CSV: per wijk or buurt its code and figures.

    The year is ``jaar``, else the file's Perioden column ("2023JJ00"), else a year in ``name``."""
    if len(data) > MAX_BYTES:
        raise KerncijfersError("het bestand is te groot")
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise KerncijfersError("het bestand is leeg")
    code_at = _find(header, CODE_COLUMNS)
    if code_at is None:
        raise KerncijfersError("geen kolom met de wijk- of buurtcode (Codering of WijkenEnBuurten)")
    at = {field: _find(header, names) for field, names in COLUMNS.items()}
    if all(i is None for i in at.values()):
        raise KerncijfersError("geen bekende kolommen, zoals AantalInwoners of HuishoudensTotaal")
    year_at = _find(header, YEAR_COLUMNS)
    rows, years = [], set()
    for line_number, cells in enumerate(reader, start=2):
        if len(cells) <= code_at:
            continue
        code = cells[code_at].strip().strip('"').upper()
        if not _CODE.match(code):
            continue  # the country, a gemeente, or an empty line
        row: dict = {"code": code}
        for field, i in at.items():
            try:
                value = number(cells[i]) if i is not None and i < len(cells) else None
            except KerncijfersError as error:
                raise KerncijfersError(f"regel {line_number}: {error}") from None
            if value is not None:
                value = round(value * 1000) if field == "inkomen_per_inwoner" else round(value)
            row[field] = value
        if year_at is not None and year_at < len(cells):
            found = _YEAR.search(cells[year_at])
            if found:
                years.add(int(found.group(1)))
        rows.append(row)
    if jaar is None:
        if len(years) > 1:
            raise KerncijfersError("het bestand heeft meer dan één jaar; geef het jaar mee met --jaar")
        found = _YEAR.search(Path(name).name) if not years else None
        jaar = years.pop() if years else int(found.group(1)) if found else None
    if jaar is None:
        raise KerncijfersError("geen jaar in het bestand of de naam; geef het jaar mee met --jaar")
    return jaar, rows


def store(jaar: int, rows: list[dict]) -> Imported:
    """Keep the figures of every wijk and buurt we have, by code and year: a second import of the
    same file changes nothing, a later year comes beside the earlier one."""
    wijken = {w.code: w.id for w in db.session.execute(select(Wijk.code, Wijk.id))}
    buurten = {b.code: (b.id, b.wijk_id) for b in db.session.execute(select(Buurt.code, Buurt.id, Buurt.wijk_id))}
    existing = {k.code: k for k in db.session.scalars(select(Kerncijfers).where(Kerncijfers.jaar == jaar))}
    counts = {"wijken": 0, "buurten": 0, "onbekend": 0}
    for row in rows:
        code = row["code"]
        if code in wijken:
            wijk_id, buurt_id, kind = wijken[code], None, "wijken"
        elif code in buurten:
            buurt_id, wijk_id = buurten[code]
            kind = "buurten"
        else:
            counts["onbekend"] += 1
            continue
        cijfers = existing.get(code) or Kerncijfers(code=code, jaar=jaar)
        cijfers.wijk_id, cijfers.buurt_id, cijfers.bron = wijk_id, buurt_id, bron(jaar)
        for field in COLUMNS:
            setattr(cijfers, field, row.get(field))
        db.session.add(cijfers)
        existing[code] = cijfers
        counts[kind] += 1
    db.session.flush()
    return Imported(jaar, counts["wijken"], counts["buurten"], counts["onbekend"])


def import_file(path: Path, *, jaar: int | None = None) -> Imported:
    found, rows = read(Path(path).read_bytes(), jaar=jaar, name=str(path))
    return store(found, rows)


def of_wijk(wijk_id: int) -> Kerncijfers | None:
    """The latest figures of the wijk itself (not of one of its buurten)."""
    return db.session.scalar(select(Kerncijfers).where(Kerncijfers.wijk_id == wijk_id, Kerncijfers.buurt_id.is_(None))
                             .order_by(Kerncijfers.jaar.desc()).limit(1))

