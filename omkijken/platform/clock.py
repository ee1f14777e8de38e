"""Time and the time zone, in one place.

Everything is stored in UTC; SQLite hands datetimes back without a zone, so readers pass them
through :func:`as_utc`. People in the Netherlands read and type wall-clock time of
Europe/Amsterdam, which moves with summer time, so turning a date or a moment into local time
goes through :data:`AMSTERDAM` here and nowhere else.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import overload
from zoneinfo import ZoneInfo

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
