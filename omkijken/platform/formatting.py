"""Money, dates, times and distances as people read them, in one place.

Money is kept in whole cents and shown the Dutch way ("€ 1.250,50") in every language, as the
subsidy letters and the gemeente's figures have always done. Moments are stored in UTC and shown
in Amsterdam time (:mod:`omkijken.platform.clock`); names of days and months follow the page's
language. :func:`init_app` registers the filters for every template; Python code calls the same
functions, so a page and a mail never format one thing two ways.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask
from flask_babel import get_locale

from omkijken.platform.clock import AMSTERDAM, local


def format_cents(cents: int) -> str:
    """``125050`` -> ``"€ 1.250,50"``; a negative amount as ``"€ -12,50"``."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError("money is whole cents (int)")
    sign = "-" if cents < 0 else ""
    euro, cent = divmod(abs(cents), 100)
    return f"€ {sign}{euro:,}".replace(",", ".") + f",{cent:02d}"


def centen(cents: int | None) -> str:
    """An amount in cents for a page; nothing when there is none."""
    return format_cents(cents) if cents is not None else ""


def euro(amount: Decimal | float | int | None) -> str:
    """A price kept in euros (an activity's ``prijs``), shown like every other amount."""
    if amount is None:
        return ""
    cents = (Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_cents(int(cents))


def _day(value: date | datetime) -> date:
    return local(value).date() if isinstance(value, datetime) else value


def datum(value: date | datetime | None, format: str = "long") -> str:
    """A date (a moment: its date in the Netherlands) in the page's language."""
    if value is None:
        return ""
    return babel_dates.format_date(_day(value), format, locale=get_locale())


def datumtijd(value: datetime | None, format: str = "short") -> str:
    """A moment in Amsterdam time, in the page's language."""
    if value is None:
        return ""
    return babel_dates.format_datetime(local(value), format, tzinfo=AMSTERDAM, locale=get_locale())


def tijd(value: datetime | None) -> str:
    """The clock time of a moment in Amsterdam: ``"14:00"``."""
    return "" if value is None else local(value).strftime("%H:%M")


def km(metres: float | int | None) -> str:
    """A distance in kilometres with at most one decimal, in the page's language: ``"2,4"`` in Dutch,
    ``"2.4"`` in English, ``"3"`` for 3000 (never ``"3.0"``)."""
    if metres is None:
        return ""
    value = Decimal(str(metres)) / 1000
    return babel_numbers.format_decimal(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), format="#,##0.#",
                                        locale=get_locale())


def aantal(value: int | None) -> str:
    """A count with the page's thousands separator: ``"12.345"`` in Dutch, ``"12,345"`` in English."""
    return "" if value is None else babel_numbers.format_decimal(value, format="#,##0", locale=get_locale())


def procent(share: float | None) -> str:
    """A share (0.0-1.0) as a percentage with at most one decimal: ``"4,5%"``; nothing when unknown."""
    if share is None:
        return ""
    value = (Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return babel_numbers.format_decimal(value, format="#,##0.#", locale=get_locale()) + "%"


FILTERS = {"centen": centen, "euro": euro, "datum": datum, "datumtijd": datumtijd, "tijd": tijd, "km": km,
           "aantal": aantal, "procent": procent}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
