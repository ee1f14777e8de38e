"""Edges of the durability figures that the mutation run found unchecked (issue 31). Apart from
test_durability.py so work on that module merges cleanly."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from omkijken.matching.durability import (
    Share,
    horizon_for,
    judge,
    kaplan_meier,
    share,
    summarize,
    verdict,
    wilson,
)
from tests.unit.test_durability import NOW, k


def test_a_horizon_of_one_day_is_allowed_and_zero_is_refused_with_why():
    assert kaplan_meier([k(3, ended=2, reason="klikte_niet")], now=NOW, horizon_days=1)[-1] == (1.0, 0.0)
    with pytest.raises(ValueError, match="horizon_days must be at least 1, got 0"):
        horizon_for("maatje", 0)


def test_errors_name_the_wrong_kind_or_reason():
    with pytest.raises(ValueError, match="unknown koppeling kind 'buddy'"):
        horizon_for("buddy")
    with pytest.raises(ValueError, match="unknown koppeling kind 'buddy'"):
        k(100, kind="buddy")
    with pytest.raises(ValueError, match="unknown end reason 'doel bereikt'"):
        k(100, ended=10, reason="doel bereikt")
    with pytest.raises(ValueError, match="need 0 <= successes <= n, got successes=6, n=5"):
        wilson(6, 5)


def test_a_koppeling_that_stopped_within_a_day_drops_the_curve_on_that_day():
    curve = kaplan_meier([k(100, ended=0.25, reason="klikte_niet"), k(100, confirmed=91)], now=NOW)
    assert curve[1] == (pytest.approx(0.25), 0.5)  # after six hours, not after a whole day


def test_the_chosen_horizon_also_decides_the_curve():
    # Confirmed on day 35, stopped on day 40: a success at a 30-day horizon, a failure at 91 days.
    stopped = k(100, ended=40, reason="klikte_niet", confirmed=35)
    assert kaplan_meier([stopped], now=NOW, horizon_days=30)[-1] == (30.0, 1.0)
    assert kaplan_meier([stopped], now=NOW)[-1] == (91.0, 0.0)
    assert summarize([stopped], now=NOW, horizon_days=30).successes == 1


def test_from_the_horizon_on_an_unanswered_check_in_is_a_failure():
    at_horizon = k(91, unconfirmed=True)
    assert verdict(at_horizon, now=at_horizon.started_at + horizon_for("maatje")) == "failure"


@pytest.mark.parametrize("n", [7, 10, 25, 48])
def test_none_of_n_is_exactly_zero_and_all_of_n_exactly_one_at_the_edge(n):
    # Rounding would show "0.0000001%" for nothing or "99.99999%" for everything.
    assert wilson(0, n)[0] == 0.0
    assert wilson(n, n)[1] == 1.0


def test_nothing_counted_is_zero_of_zero_without_a_rate():
    assert share(0, 0) == Share(0, 0, None, None, None)


def test_judge_takes_targets_of_zero_and_one_and_refuses_others_by_name():
    """0% and 100% are targets a dienst may set; 150% or -1% is a typing error that must say so."""
    known = SimpleNamespace(ci_low=0.4, ci_high=0.7)
    assert judge(known, 0.0) == "gehaald" and judge(known, 1.0) == "niet gehaald"
    for wrong in (1.5, 2.0, -0.01):
        with pytest.raises(ValueError, match=f"got {wrong}"):
            judge(known, wrong)


def test_judge_is_onzeker_when_either_bound_is_missing():
    assert judge(SimpleNamespace(ci_low=None, ci_high=0.7), 0.1) == "onzeker"
    assert judge(SimpleNamespace(ci_low=0.9, ci_high=None), 0.85) == "onzeker"
