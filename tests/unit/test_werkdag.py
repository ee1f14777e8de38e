"""Deadlines land on a working day: a weekend or a Dutch public holiday moves them on (issue 22, item 9)."""

from __future__ import annotations

from datetime import date

import pytest

from omkijken.platform.clock import werkdag


@pytest.mark.parametrize(("day", "expected"), [
    (date(2027, 1, 1), date(2027, 1, 4)),  # Nieuwjaarsdag on a Friday, then the weekend
    (date(2026, 12, 25), date(2026, 12, 28)),  # both Kerstdagen, then Sunday
    (date(2027, 4, 27), date(2027, 4, 28)),  # Koningsdag
    (date(2027, 5, 5), date(2027, 5, 7)),  # Bevrijdingsdag (every year), then Hemelvaartsdag
    (date(2027, 3, 26), date(2027, 3, 30)),  # Goede Vrijdag, the weekend, Tweede Paasdag
    (date(2026, 12, 8), date(2026, 12, 8)),  # a Tuesday stays
])
def test_a_deadline_on_a_holiday_or_weekend_moves_to_the_next_working_day(day, expected):
    assert werkdag(day) == expected
