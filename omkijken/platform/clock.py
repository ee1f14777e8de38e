"""Time and the time zone, in one place.

Everything is stored in UTC; SQLite hands datetimes back without a zone, so readers pass them
through :func:`as_utc`. People in the Netherlands read and type wall-clock time of
Europe/Amsterdam, which moves with summer time, so turning a date or a moment into local time
goes through :data:`AMSTERDAM` here and nowhere else.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import overload
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM_NAME = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(AMSTERDAM_NAME)


def utcnow() -> datetime:
    """The current moment, zone-aware UTC; only views, tasks and CLI commands ask (services get ``now``)."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A stored moment as aware UTC: SQLite hands back naive datetimes, and everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@overload
def local(moment: datetime) -> datetime: ...
@overload
def local(moment: None) -> None: ...
def local(moment: datetime | None) -> datetime | None:
    """A stored moment in Amsterdam wall-clock time, as people read it; ``None`` stays ``None``."""
    return None if moment is None else as_utc(moment).astimezone(AMSTERDAM)


def at_local(day: date, wall: time = time()) -> datetime:
    """The UTC moment of a wall-clock time in Amsterdam on ``day`` (midnight by default)."""
    return datetime.combine(day, wall, tzinfo=AMSTERDAM).astimezone(timezone.utc)


@lru_cache(maxsize=16)
def _feestdagen(year: int) -> frozenset[date]:
    """The Dutch public holidays of a year as the Algemene termijnenwet counts them: the days of the
    ``holidays`` package (Nieuwjaarsdag, Goede Vrijdag, Pasen, Koningsdag, Hemelvaart, Pinksteren,
    Kerst), and 5 May every year, not only once in five years."""
    return frozenset(holidays.country_holidays("NL", years=year)) | {date(year, 5, 5)}


def is_werkdag(day: date) -> bool:
    return day.weekday() < 5 and day not in _feestdagen(day.year)


def werkdag(day: date) -> date:
    """A deadline as people can meet it: ``day`` itself, or the next working day when it falls on a
    weekend or a public holiday (as the Algemene termijnenwet moves a term that ends on one)."""
    while not is_werkdag(day):
        day += timedelta(days=1)
    return day
