"""Repeat rules into dates, and the iCalendar feed, without a database."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar

from omkijken.platform.posts.calendar import FeedEvent, build_calendar, group_by_day, occurrences

AMS = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def starts(found) -> list[datetime]:
    return [o.start for o in found]


def test_weekly_stops_at_until_and_keeps_the_wall_clock_across_summer_time():
    first = ams(2026, 3, 17, 10, 0).astimezone(UTC).replace(tzinfo=None)  # as SQLite hands it back

    found = occurrences(first, eind=first + timedelta(hours=2), herhaling="FREQ=WEEKLY",
                        herhaling_tot=date(2026, 4, 7), after=ams(2026, 3, 1), before=ams(2026, 6, 1))

    assert starts(found) == [ams(2026, 3, 17, 10), ams(2026, 3, 24, 10), ams(2026, 3, 31, 10), ams(2026, 4, 7, 10)]
    assert all(o.start.hour == 10 and o.eind - o.start == timedelta(hours=2) for o in found)
    assert found[2].start.utcoffset() == timedelta(hours=2)  # summer time since 29 March


def test_the_window_cuts_both_ends_and_a_running_date_still_counts():
    first = ams(2026, 1, 5, 19, 0)

    found = occurrences(first, eind=first + timedelta(hours=2), herhaling="FREQ=WEEKLY;INTERVAL=2",
                        after=ams(2026, 2, 2, 20, 0), before=ams(2026, 3, 3))

    assert starts(found) == [ams(2026, 2, 2, 19), ams(2026, 2, 16, 19), ams(2026, 3, 2, 19)]


def test_monthly_with_until():
    found = occurrences(ams(2026, 1, 10, 14), herhaling="FREQ=MONTHLY", herhaling_tot=date(2026, 4, 10),
                        after=ams(2026, 1, 1), before=ams(2027, 1, 1))

    assert [o.day for o in found] == [date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 10)]
    assert found[0].eind is None


def test_a_one_off_is_in_the_window_or_not_and_a_bad_rule_counts_as_once():
    first = ams(2026, 5, 1, 10)

    assert starts(occurrences(first, after=ams(2026, 4, 1), before=ams(2026, 6, 1))) == [first]
    assert occurrences(first, after=ams(2026, 5, 2), before=ams(2026, 6, 1)) == []
    assert starts(occurrences(first, herhaling="NONSENSE", after=ams(2026, 4, 1), before=ams(2026, 6, 1))) == [first]


def test_an_endless_rule_gives_a_bounded_number_of_dates():
    found = occurrences(ams(2026, 1, 1, 0), herhaling="FREQ=MINUTELY", after=ams(2026, 1, 1), before=ams(2027, 1, 1))

    assert 0 < len(found) <= 400


def test_group_by_day_sorts_and_groups_in_local_days():
    late = occurrences(ams(2026, 5, 1, 23, 30), after=ams(2026, 5, 1), before=ams(2026, 5, 3))[0]
    early = occurrences(ams(2026, 5, 1, 9), after=ams(2026, 5, 1), before=ams(2026, 5, 3))[0]

    days = group_by_day([(late, "laat"), (early, "vroeg")])

    assert [(day, [p for _, p in items]) for day, items in days] == [(date(2026, 5, 1), ["vroeg", "laat"])]


def event(**values) -> FeedEvent:
    base = dict(id=7, titel="Wandelgroep", beschrijving="Een uur wandelen.\nIedereen kan mee, ook met rollator.",
                start=ams(2026, 3, 17, 10).astimezone(UTC), eind=ams(2026, 3, 17, 11).astimezone(UTC),
                herhaling="FREQ=WEEKLY", herhaling_tot=date(2026, 6, 30), plek="Wijkhuis de Ruwaard",
                url="https://omkijken.example/prikbord/7")
    return FeedEvent(**{**base, **values})


def test_the_feed_has_the_rule_and_parses_back():
    cal = build_calendar("Omkijken – Activiteiten in Ruwaard", [event(), event(id=8, titel="Markt", herhaling="",
                         herhaling_tot=None, eind=None, plek=None)], now=datetime(2026, 3, 1, tzinfo=UTC), domain="omkijken.nl")
    data = cal.to_ical()

    assert b"RRULE:FREQ=WEEKLY;UNTIL=20260630T215959Z" in data
    back = Calendar.from_ical(data)
    assert str(back["X-WR-CALNAME"]) == "Omkijken – Activiteiten in Ruwaard"
    assert str(back["VERSION"]) == "2.0" and str(back["PRODID"]).startswith("-//Omkijken")
    assert str(back["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert [str(tz["TZID"]) for tz in back.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    wandel, markt = back.walk("VEVENT")
    assert str(wandel["UID"]) == "activiteit-7@omkijken.nl"
    assert wandel.decoded("DTSTART") == ams(2026, 3, 17, 10)
    assert wandel["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert wandel.decoded("DTEND") == ams(2026, 3, 17, 11)
    assert wandel["RRULE"]["FREQ"] == ["WEEKLY"]
    assert wandel["RRULE"]["UNTIL"] == [datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC)]
    assert str(wandel["LOCATION"]) == "Wijkhuis de Ruwaard"
    assert str(wandel["URL"]) == "https://omkijken.example/prikbord/7"
    assert str(wandel["DESCRIPTION"]).startswith("Een uur wandelen.\nIedereen")
    assert "DTSTAMP" in wandel
    assert "RRULE" not in markt and "DTEND" not in markt and "LOCATION" not in markt


def test_text_in_the_feed_is_plain_text_with_ical_escaping():
    sneaky = "<script>alert(1)</script>; koffie, thee"

    data = build_calendar("x", [event(titel=sneaky, beschrijving=sneaky)], now=datetime(2026, 3, 1, tzinfo=UTC), domain="omkijken.nl").to_ical()

    assert b"&lt;" not in data and b"SUMMARY:<script>alert(1)</script>\\; koffie\\, thee" in data
    assert str(Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"]) == sneaky


def test_a_stored_count_gives_way_to_the_end_date():
    cal = build_calendar("x", [event(herhaling="FREQ=WEEKLY;COUNT=3")], now=datetime(2026, 3, 1, tzinfo=UTC), domain="omkijken.nl")
    rule = Calendar.from_ical(cal.to_ical()).walk("VEVENT")[0]["RRULE"]

    assert "COUNT" not in rule and rule["UNTIL"]
