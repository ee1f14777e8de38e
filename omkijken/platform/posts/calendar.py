"""Dates of activities, without a database: expanding a repeat rule into its dates, and the
iCalendar feed a phone subscribes to.

An activity is stored with its first start (UTC), an RFC 5545 repeat rule without UNTIL
("FREQ=WEEKLY", "FREQ=MONTHLY", ...) and the last day it repeats. A weekly activity at 10:00
stays at 10:00 in Oss across summer time, so rules are expanded in Europe/Amsterdam wall time
(dateutil keeps the wall clock of a zone-aware ``dtstart``). The feed hands the rule itself to
the phone (RRULE with UNTIL), so the phone repeats it; the web page shows the expanded dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable

from dateutil.rrule import rrule, rrulestr
from icalendar import Calendar, Event, Timezone, vRecur

from omkijken.platform.clock import AMSTERDAM, AMSTERDAM_NAME, as_utc, local

PRODID = "-//Omkijken//Activiteitenagenda//NL"
# No more dates than this per activity in one window, whatever the rule says.
MAX_OCCURRENCES = 400


def until_moment(herhaling_tot: date | None) -> datetime | None:
    """The last moment a rule may start: the end of that day in Oss."""
    if herhaling_tot is None:
        return None
    return datetime.combine(herhaling_tot, time(23, 59, 59), tzinfo=AMSTERDAM)


def parse_rule(herhaling: str, start: datetime, herhaling_tot: date | None) -> rrule | None:
    """The dateutil rule of ``herhaling``, or None when it does not repeat (or cannot be read).

    A stored UNTIL or COUNT inside the rule is respected, but ``herhaling_tot`` wins for UNTIL.
    """
    text = (herhaling or "").strip()
    if not text:
        return None
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    try:
        rule = rrulestr(text, dtstart=local(start))
    except (ValueError, TypeError):
        return None
    if not isinstance(rule, rrule):
        return None
    until = until_moment(herhaling_tot)
    if until is not None:
        # until and dtstart must both carry a zone (dateutil refuses a mix); COUNT and UNTIL exclude each other.
        rule = rule.replace(until=until, count=None)
    return rule


@dataclass(frozen=True)
class Occurrence:
    """One date of an activity, in Europe/Amsterdam time."""

    start: datetime
    eind: datetime | None

    @property
    def day(self) -> date:
        return self.start.date()


def occurrences(
    start: datetime,
    *,
    eind: datetime | None = None,
    herhaling: str = "",
    herhaling_tot: date | None = None,
    after: datetime,
    before: datetime,
) -> list[Occurrence]:
    """The dates of one activity that are still going on at ``after`` and start before ``before``.

    ``start``/``eind`` are the first date (UTC or aware); results are in Europe/Amsterdam time.
    Every date lasts as long as the first one.
    """
    first = local(start)
    duration = (as_utc(eind) - as_utc(start)) if eind is not None and as_utc(eind) > as_utc(start) else None
    after, before = as_utc(after), as_utc(before)
    # A date that started a little before ``after`` may still be going on.
    from_moment = after - duration if duration else after
    rule = parse_rule(herhaling, start, herhaling_tot)
    if rule is None:
        starts: Iterable[datetime] = [first] if from_moment <= first < before else []
    else:
        starts = []
        for moment in rule.xafter(from_moment.astimezone(AMSTERDAM), count=MAX_OCCURRENCES, inc=True):
            if moment >= before:
                break
            starts.append(moment)
    return [Occurrence(start=moment, eind=moment + duration if duration else None) for moment in starts]


def group_by_day(items: Iterable[tuple[Occurrence, object]]) -> list[tuple[date, list[tuple[Occurrence, object]]]]:
    """(occurrence, payload) pairs sorted by start and grouped per calendar day in Oss."""
    days: dict[date, list[tuple[Occurrence, object]]] = {}
    for occurrence, payload in sorted(items, key=lambda pair: pair[0].start):
        days.setdefault(occurrence.day, []).append((occurrence, payload))
    return list(days.items())


@dataclass(frozen=True)
class FeedEvent:
    """What the feed says about one activity: plain values, no database."""

    id: int
    titel: str
    beschrijving: str
    start: datetime
    eind: datetime | None
    herhaling: str
    herhaling_tot: date | None
    plek: str | None
    url: str
    updated: datetime | None = None


def _recur(herhaling: str, herhaling_tot: date | None) -> vRecur | None:
    text = (herhaling or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        return None
    try:
        recur = vRecur.from_ical(text)
    except (ValueError, TypeError):
        return None
    until = until_moment(herhaling_tot)
    if until is not None:
        # With a DTSTART in a zone, RFC 5545 wants UNTIL in UTC.
        recur.pop("COUNT", None)
        recur["UNTIL"] = [until.astimezone(timezone.utc)]
    return recur


def build_calendar(
    naam: str, events: Iterable[FeedEvent], *, now: datetime, domain: str, description: str = ""
) -> Calendar:
    """A VCALENDAR with one VEVENT per activity; repeating ones carry their RRULE.

    UIDs end in the site's ``domain`` (RFC 5545 3.8.4.7: globally unique). DTSTAMP is the activity's
    last change, not ``now``: the same activities give the same bytes, so the feed's ETag holds
    while nothing changes. Without any activity the calendar still holds the VTIMEZONE of
    Europe/Amsterdam, as RFC 5545 3.6 wants at least one component."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", naam)
    cal.add("x-wr-timezone", AMSTERDAM_NAME)
    if description:
        cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    stamp = as_utc(now).astimezone(timezone.utc)
    earliest: date | None = None
    for item in events:
        start = local(item.start)
        event = Event()
        event.add("uid", f"activiteit-{item.id}@{domain}")
        event.add("dtstamp", as_utc(item.updated).astimezone(timezone.utc) if item.updated is not None else stamp)
        event.add("dtstart", start)
        if item.eind is not None and as_utc(item.eind) > as_utc(item.start):
            event.add("dtend", local(item.eind))
        event.add("summary", item.titel)
        event.add("description", item.beschrijving)
        if item.plek:
            event.add("location", item.plek)
        event.add("url", item.url)
        recur = _recur(item.herhaling, item.herhaling_tot)
        if recur is not None:
            event.add("rrule", recur)
        if item.updated is not None:
            event.add("last-modified", as_utc(item.updated).astimezone(timezone.utc))
        cal.add_component(event)
        earliest = start.date() if earliest is None else min(earliest, start.date())
    if earliest is not None:
        cal.add_missing_timezones(first_date=earliest - timedelta(days=1))
    else:
        cal.add_component(Timezone.from_tzid(AMSTERDAM_NAME))
    return cal
