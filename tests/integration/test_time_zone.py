"""Every time shown to a person is Amsterdam time, also on the nights the clocks change (issue 30,
item 4): stored in UTC, shown as the town hall clock says."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from omkijken.platform.formatting import datum, datumtijd, tijd

UTC = timezone.utc


@pytest.mark.parametrize(("moment", "clock"), [
    (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "01:30"),  # winter time, UTC+1
    (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "03:30"),  # the clocks went forward at 01:00 UTC: UTC+2
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "02:30"),  # summer time, UTC+2
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "02:30"),  # back at 01:00 UTC: half past two again, UTC+1
    (datetime(2026, 10, 25, 12, 0), "13:00"),  # a naive moment from SQLite is UTC too
])
def test_clock_times_follow_summer_and_winter_time(app, moment, clock):
    with app.test_request_context("/"):
        assert tijd(moment) == clock
        assert clock in datumtijd(moment)


def test_a_moment_late_in_the_evening_in_utc_is_the_next_day_in_oss(app):
    with app.test_request_context("/"):
        assert datum(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == "29 maart 2026"
        assert datum(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == "1 juli 2026"
        assert datum(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == "2 juli 2026"
