"""Durability: the verdict rules, the rate with its Wilson interval, Kaplan-Meier, shares and satisfaction.

Every case is built by hand; the numbers asserted are the ones a coordinator would see on the dashboard.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from omkijken.matching.durability import (
    EENMALIG_HORIZON_DAYS,
    TARGET,
    Outcome,
    Verdict,
    horizon_for,
    kaplan_meier,
    satisfaction,
    share,
    summarize,
    verdict,
    wilson,
)

NOW = datetime(2026, 6, 1, 12, 0)
_ids = iter(range(1, 1_000_000))


def k(
    started_days_ago: float,
    *,
    kind: str = "maatje",
    ended: float | None = None,
    reason: str | None = None,
    confirmed: float | None = None,
    unconfirmed: bool = False,
) -> Outcome:
    """A koppeling started ``started_days_ago`` before NOW; ended/confirmed are days after its start."""
    start = NOW - timedelta(days=started_days_ago)
    return Outcome(
        koppeling_id=next(_ids),
        kind=kind,
        started_at=start,
        ended_at=None if ended is None else start + timedelta(days=ended),
        end_reason=reason,
        last_confirmed_at=None if confirmed is None else start + timedelta(days=confirmed),
        unconfirmed=unconfirmed,
    )


def flat(curve: list[tuple[float, float]]) -> list[float]:
    """pytest.approx does not nest, so curves are compared as day, survival, day, survival ..."""
    return [x for point in curve for x in point]


def v(outcome: Outcome, **kwargs) -> str:
    return verdict(outcome, now=NOW, **kwargs)


# --- horizon -------------------------------------------------------------------------------------------


def test_horizon_is_seven_days_for_eenmalig_and_horizon_days_otherwise():
    assert horizon_for("eenmalig") == timedelta(days=EENMALIG_HORIZON_DAYS) == timedelta(days=7)
    assert horizon_for("eenmalig", 182) == timedelta(days=7)
    assert horizon_for("periodiek") == timedelta(days=91)
    assert horizon_for("maatje", 182) == timedelta(days=182)


def test_unknown_kind_reason_or_horizon_is_refused():
    with pytest.raises(ValueError):
        horizon_for("buddy")
    with pytest.raises(ValueError):
        k(100, kind="buddy")
    with pytest.raises(ValueError):
        k(100, ended=10, reason="doel bereikt")  # misspelt: would silently count as a failure
    with pytest.raises(ValueError):
        summarize([], now=NOW, horizon_days=0)


# --- the verdict rules -----------------------------------------------------------------------------------


def test_verdict_is_a_plain_string():
    assert v(k(100, confirmed=91)) == "success"
    assert f"{Verdict.FAILURE}" == "failure"


def test_confirmation_exactly_at_the_horizon_is_success():
    assert v(k(100, confirmed=91)) == "success"
    assert v(k(100, confirmed=90.99)) == "pending"  # before the horizon: still waiting for the horizon answer


def test_stop_exactly_at_the_horizon_that_is_not_doel_bereikt_is_failure():
    assert v(k(100, ended=91, reason="geen_tijd")) == "failure"


def test_doel_bereikt_before_the_horizon_is_success():
    assert v(k(100, ended=30, reason="doel_bereikt")) == "success"
    assert v(k(40, ended=30, reason="doel_bereikt")) == "success"  # decided even though the horizon is ahead


def test_klikte_niet_before_the_horizon_is_failure():
    assert v(k(100, ended=12, reason="klikte_niet")) == "failure"
    assert v(k(20, ended=12, reason="klikte_niet")) == "failure"  # decided even though the horizon is ahead


def test_end_date_without_reason_is_failure():
    assert v(k(100, ended=50)) == "failure"


def test_confirmation_after_ended_at_is_ignored():
    assert v(k(200, ended=50, reason="klikte_niet", confirmed=95)) == "failure"


def test_stop_after_a_horizon_confirmation_stays_success():
    assert v(k(200, ended=120, reason="geen_tijd", confirmed=91)) == "success"
    assert v(k(200, ended=91, reason="verhuisd", confirmed=91)) == "success"  # confirmed and stopped at h


def test_stop_after_the_horizon_without_a_horizon_confirmation_is_failure():
    assert v(k(200, ended=120, reason="anders", confirmed=60)) == "failure"


def test_unconfirmed():
    assert v(k(50, unconfirmed=True)) == "pending"  # horizon not reached yet
    assert v(k(100, unconfirmed=True)) == "failure"
    assert v(k(100, unconfirmed=True, confirmed=91)) == "success"  # a late answer dated at h still counts
    assert v(k(100)) == "pending"  # past the horizon, reminders still running


def test_eenmalig_uses_the_seven_day_check_in():
    assert v(k(10, kind="eenmalig", confirmed=7)) == "success"
    assert v(k(5, kind="eenmalig")) == "pending"
    assert v(k(10, kind="eenmalig")) == "pending"  # check-in reminders still running
    assert v(k(10, kind="eenmalig", unconfirmed=True)) == "failure"
    assert v(k(10, kind="eenmalig", confirmed=6)) == "pending"  # an answer before the check-in is not it
    assert v(k(10, kind="eenmalig", ended=2, reason="klikte_niet")) == "failure"


def test_horizon_days_moves_the_horizon():
    assert v(k(150, confirmed=100)) == "success"
    assert v(k(150, confirmed=100), horizon_days=182) == "pending"


# --- summaries -------------------------------------------------------------------------------------------


def test_all_success():
    s = summarize([k(100, confirmed=91), k(200, ended=40, reason="doel_bereikt"), k(10, kind="eenmalig", confirmed=7)],
                  now=NOW)
    assert (s.successes, s.failures, s.pending, s.unconfirmed) == (3, 0, 0, 0)
    assert (s.total, s.decided) == (3, 3)
    assert s.rate == 1.0
    assert s.ci_low == pytest.approx(0.4385, abs=1e-4)
    assert s.ci_high == 1.0
    assert s.km_at_horizon == 1.0
    assert s.meets_target() is True
    assert s.horizon_days == 91


def test_all_failure():
    s = summarize([k(100, ended=5, reason="klikte_niet"), k(100, unconfirmed=True)], now=NOW)
    assert (s.successes, s.failures, s.pending, s.unconfirmed) == (0, 2, 0, 1)
    assert s.rate == 0.0
    assert (s.ci_low, s.ci_high) == (0.0, pytest.approx(0.6576, abs=1e-4))
    assert s.km_at_horizon == 0.0
    assert s.meets_target() is False


def test_pending_only():
    s = summarize([k(10), k(30), k(60, confirmed=14)], now=NOW)
    assert (s.successes, s.failures, s.pending) == (0, 0, 3)
    assert s.rate is None and s.ci_low is None and s.ci_high is None
    assert s.km_at_horizon == 1.0
    assert s.meets_target() is None


def test_no_outcomes():
    s = summarize([], now=NOW)
    assert (s.total, s.rate, s.ci_low, s.km_at_horizon) == (0, None, None, None)
    assert kaplan_meier([], now=NOW) == []


def test_kaplan_meier_with_pending_ones_censored_at_different_days():
    outcomes = [
        k(200, ended=10, reason="klikte_niet"),  # event at 10
        k(20),  # pending, censored at 20
        k(200, ended=30, reason="geen_tijd"),  # event at 30
        k(40, confirmed=14),  # pending, censored at 40
        k(50),  # pending, censored at 50
        k(200, ended=60, reason="verhuisd"),  # event at 60
        k(200, confirmed=91),  # success, censored at 91
        k(200, confirmed=120),  # success, censored at 91
        k(200, ended=150, reason="geen_tijd", confirmed=100),  # success (confirmed after h), censored at 91
        k(120, unconfirmed=True),  # failure, event at 91
    ]
    # Hand computation, n = at risk just before t (events before censorings at equal t):
    #   t=10: n=10, d=1 -> 9/10
    #   t=30: n=8 (10 and 20 gone), d=1 -> 7/8
    #   t=60: n=5 (40 and 50 gone as well), d=1 -> 4/5
    #   t=91: n=4 (three successes censored at 91 still at risk), d=1 -> 3/4
    #   S(91) = 0.9 * 0.875 * 0.8 * 0.75 = 0.4725
    s = summarize(outcomes, now=NOW)
    assert (s.successes, s.failures, s.pending, s.unconfirmed) == (3, 4, 3, 1)
    assert s.rate == pytest.approx(3 / 7)
    assert s.km_at_horizon == pytest.approx(0.4725)
    curve = kaplan_meier(outcomes, now=NOW)
    assert flat(curve) == pytest.approx(flat([(0.0, 1.0), (10.0, 0.9), (30.0, 0.7875), (60.0, 0.63), (91.0, 0.4725)]))


def test_event_and_censoring_at_the_same_time():
    outcomes = [
        k(200, ended=20, reason="klikte_niet"),  # event at 20
        k(20),  # pending, censored at exactly 20
        k(200, confirmed=91),  # success, censored at 91
    ]
    # Events first: at t=20 three are at risk, so S = 1 - 1/3 = 2/3 (censoring first would give 1/2).
    assert summarize(outcomes, now=NOW).km_at_horizon == pytest.approx(2 / 3)


def test_failure_and_success_both_at_the_horizon():
    outcomes = [k(100, confirmed=91), k(100, ended=91, reason="geen_tijd")]
    # The success censored at 91 is still at risk for the failure at 91: S = 1 - 1/2.
    s = summarize(outcomes, now=NOW)
    assert (s.successes, s.failures) == (1, 1)
    assert s.km_at_horizon == pytest.approx(0.5) == s.rate
    assert flat(kaplan_meier(outcomes, now=NOW)) == pytest.approx(flat([(0.0, 1.0), (91.0, 0.5)]))


def test_kaplan_meier_equals_the_simple_rate_when_nothing_is_pending():
    outcomes = [
        k(300, ended=3, reason="klikte_niet"),
        k(300, ended=3, reason="anders"),
        k(300, ended=45.5, reason="geen_tijd"),
        k(300, ended=200, reason="verhuisd"),  # stopped after h, event capped at 91
        k(300, unconfirmed=True),
        k(300, confirmed=91),
        k(300, confirmed=100, ended=150, reason="anders"),
        k(300, ended=20, reason="doel_bereikt"),
        k(20, kind="eenmalig", confirmed=7),
        k(20, kind="eenmalig", ended=1, reason="doel_bereikt"),
        k(20, kind="eenmalig", unconfirmed=True),
    ]
    s = summarize(outcomes, now=NOW)
    assert (s.successes, s.failures, s.pending, s.unconfirmed) == (5, 6, 0, 2)
    assert s.rate == pytest.approx(5 / 11)
    assert s.km_at_horizon == pytest.approx(s.rate)


def test_eenmalig_events_use_days_since_start_on_the_same_axis():
    outcomes = [k(20, kind="eenmalig", ended=2.5, reason="klikte_niet"), k(20, kind="eenmalig", confirmed=7)]
    assert flat(kaplan_meier(outcomes, now=NOW)) == pytest.approx(flat([(0.0, 1.0), (2.5, 0.5), (91.0, 0.5)]))


def test_kaplan_meier_curve_starts_at_one_and_ends_at_the_summary_value():
    outcomes = [k(200, ended=7, reason="anders"), k(30), k(200, confirmed=91), k(200, ended=50, reason="verhuisd")]
    curve = kaplan_meier(outcomes, now=NOW, horizon_days=182)
    s = summarize(outcomes, now=NOW, horizon_days=182)
    assert curve[0] == (0.0, 1.0)
    assert curve[-1] == (182.0, pytest.approx(s.km_at_horizon))
    # 7: 3/4; 50: n=2 (30 censored) -> 3/4 * 1/2 = 0.375; the success confirmed at 91 is pending for 182.
    assert s.km_at_horizon == pytest.approx(0.375)
    assert (s.successes, s.failures, s.pending) == (0, 2, 2)


def test_kaplan_meier_without_events_is_flat():
    assert kaplan_meier([k(10), k(200, confirmed=91)], now=NOW) == [(0.0, 1.0), (91.0, 1.0)]


def test_summarize_accepts_a_generator():
    s = summarize((k(100, confirmed=91) for _ in range(2)), now=NOW)
    assert (s.successes, s.km_at_horizon) == (2, 1.0)


def test_meets_target_on_the_point_estimate():
    hits = [k(100, confirmed=91) for _ in range(17)]
    misses = [k(100, ended=10, reason="geen_tijd") for _ in range(3)]
    s = summarize(hits + misses, now=NOW)
    assert s.rate == pytest.approx(0.85)
    assert s.meets_target() is True  # 17/20 is exactly the 85% target
    assert summarize(hits[:16] + misses, now=NOW).meets_target() is False
    assert s.meets_target(0.9) is False
    assert TARGET == 0.85


# --- Wilson, share, satisfaction ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (85, 100, 0.7672, 0.9069),
        (81, 263, 0.2553, 0.3662),
        (17, 20, 0.6396, 0.9476),
    ],
)
def test_wilson_against_known_values(successes, n, low, high):
    assert wilson(successes, n) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


@pytest.mark.parametrize(("successes", "n"), [(0, 1), (1, 1), (3, 4), (7, 9), (81, 263), (999, 1000)])
def test_wilson_agrees_with_scipy(successes, n):
    stats = pytest.importorskip("scipy.stats")
    ci = stats.binomtest(successes, n).proportion_ci(method="wilson")
    assert wilson(successes, n) == (pytest.approx(ci.low, abs=1e-12), pytest.approx(ci.high, abs=1e-12))


def test_wilson_edges():
    assert wilson(0, 0) is None
    assert wilson(0, 1)[0] == 0.0 and wilson(1, 1)[1] == 1.0
    for bad in ((-1, 5), (6, 5), (0, -1)):
        with pytest.raises(ValueError):
            wilson(*bad)


def test_share():
    s = share(3, 4)
    assert (s.numerator, s.denominator, s.rate) == (3, 4, 0.75)
    assert (s.ci_low, s.ci_high) == (pytest.approx(0.3006, abs=1e-4), pytest.approx(0.9544, abs=1e-4))
    empty = share(0, 0)
    assert (empty.rate, empty.ci_low, empty.ci_high) == (None, None, None)
    with pytest.raises(ValueError):
        share(5, 4)


def test_satisfaction():
    assert satisfaction([8, 9]) == pytest.approx(85.0)
    assert satisfaction([7, 8, 8]) == pytest.approx(76.6667, abs=1e-4)
    assert satisfaction([8, 0, 11, -3, 9, None]) == pytest.approx(85.0)  # out of range and missing left out
    assert satisfaction([1, 10]) == pytest.approx(55.0)  # the edges count
    assert satisfaction([]) is None
    assert satisfaction([0, 11]) is None
    assert satisfaction(iter([10])) == pytest.approx(100.0)
