"""Durability: the verdict rules, the rate with its Wilson interval, Kaplan-Meier, shares and satisfaction.

Every case is built by hand; the numbers asserted are the ones a coordinator would see on the dashboard.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from omkijken.matching.durability import (
    EENMALIG_HORIZON_DAYS,
    END_REASONS,
    NEUTRAL_END_REASONS,
    Outcome,
    Summary,
    Verdict,
    helped,
    horizon_for,
    judge,
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
    horizon: int | None = None,
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
        horizon_days=horizon,
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
    # The eenmalig one is left out: 2 of 2. Wilson at p = 1, n = 2: low = n / (n + z^2) = 2 / 5.8415 = 0.3424.
    assert (s.successes, s.failures, s.pending, s.unconfirmed, s.neutral) == (2, 0, 0, 0, 0)
    assert (s.total, s.decided) == (2, 2)
    assert s.rate == 1.0
    assert s.ci_low == pytest.approx(0.3424, abs=1e-4)
    assert s.ci_high == 1.0
    assert s.km_at_horizon == 1.0
    assert judge(s, 0.85) == "onzeker"  # 0.34 < 0.85 <= 1.0: two koppelingen say little
    assert s.horizon_days == 91


def test_all_failure():
    s = summarize([k(100, ended=5, reason="klikte_niet"), k(100, unconfirmed=True)], now=NOW)
    assert (s.successes, s.failures, s.pending, s.unconfirmed) == (0, 2, 0, 1)
    assert s.rate == 0.0
    assert (s.ci_low, s.ci_high) == (0.0, pytest.approx(0.6576, abs=1e-4))
    assert s.km_at_horizon == 0.0
    assert judge(s, 0.85) == "niet gehaald"  # upper bound 0.6576 < 0.85


def test_pending_only():
    s = summarize([k(10), k(30), k(60, confirmed=14)], now=NOW)
    assert (s.successes, s.failures, s.pending) == (0, 0, 3)
    assert s.rate is None and s.ci_low is None and s.ci_high is None
    assert s.km_at_horizon == 1.0
    assert judge(s, 0.85) == "onzeker"  # nothing decided, nothing to judge


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
        k(200, ended=60, reason="anders"),  # event at 60
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
        k(300, ended=200, reason="geen_tijd"),  # stopped after h, event capped at 91
        k(300, unconfirmed=True),
        k(300, confirmed=91),
        k(300, confirmed=100, ended=150, reason="anders"),
        k(300, ended=20, reason="doel_bereikt"),
        k(20, kind="eenmalig", confirmed=7),  # eenmalig: in no field
        k(20, kind="eenmalig", unconfirmed=True),
    ]
    # t=3: 8 at risk, 2 events -> 6/8; t=45.5: 6 at risk (the doel_bereikt at day 20 is a success, censored
    # at 91), 1 event -> 5/6; t=91: 5 at risk, 2 events -> 3/5. 6/8 * 5/6 * 3/5 = 3/8 = the rate.
    s = summarize(outcomes, now=NOW)
    assert (s.successes, s.failures, s.pending, s.unconfirmed) == (3, 5, 0, 1)
    assert s.rate == pytest.approx(3 / 8)
    assert s.km_at_horizon == pytest.approx(s.rate)


def test_kaplan_meier_leaves_eenmalig_out():
    outcomes = [k(20, kind="eenmalig", ended=2.5, reason="klikte_niet"), k(20, kind="eenmalig", confirmed=7),
                k(200, confirmed=91)]
    assert flat(kaplan_meier(outcomes, now=NOW)) == pytest.approx(flat([(0.0, 1.0), (91.0, 1.0)]))


def test_kaplan_meier_curve_starts_at_one_and_ends_at_the_summary_value():
    outcomes = [k(200, ended=7, reason="anders"), k(30), k(200, confirmed=91), k(200, ended=50, reason="klikte_niet")]
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


# --- neutral endings ----------------------------------------------------------------------------------------


def test_the_neutral_reasons():
    assert NEUTRAL_END_REASONS == ("verhuisd", "overleden", "opname_zorg", "doorverwezen")
    assert set(NEUTRAL_END_REASONS) < set(END_REASONS)


@pytest.mark.parametrize("reason", NEUTRAL_END_REASONS)
def test_a_neutral_ending_is_neither_success_nor_failure_nor_pending(reason):
    assert v(k(100, ended=30, reason=reason)) == "neutral"
    assert v(k(40, ended=30, reason=reason)) == "neutral"  # decided even though the horizon is ahead
    assert v(k(200, ended=120, reason=reason, confirmed=60)) == "neutral"  # no confirmation at the horizon
    assert v(k(200, ended=120, reason=reason, confirmed=91)) == "success"  # it lasted to the horizon first


def test_neutral_endings_leave_the_kaplan_meier_risk_set_without_an_event():
    outcomes = [
        k(200, ended=10, reason="klikte_niet"),  # event at 10
        k(200, ended=20, reason="overleden"),  # neutral, censored at 20
        k(200, ended=40, reason="geen_tijd"),  # event at 40
        k(200, ended=40, reason="opname_zorg"),  # neutral, censored at 40 (still at risk for the event at 40)
        k(200, confirmed=91),  # success, censored at 91
        k(200, confirmed=95),  # success, censored at 91
    ]
    # t=10: n=6, d=1 -> 5/6; the death at 20 leaves the risk set; t=40: n=4 (incl. the admission at 40,
    # events first), d=1 -> 3/4. S(91) = 5/6 * 3/4 = 0.625. Counted as failures (before issue 23) the
    # deaths would have given t=10 5/6, t=20 4/5, t=40 (2 events of 4) 1/2 -> 1/3.
    s = summarize(outcomes, now=NOW)
    assert (s.successes, s.failures, s.pending, s.neutral, s.total) == (2, 2, 0, 2, 6)
    assert s.rate == pytest.approx(2 / 4)  # 2 successes of 4 decided; the neutral two in no rate
    assert s.km_at_horizon == pytest.approx(0.625)
    assert flat(kaplan_meier(outcomes, now=NOW)) == pytest.approx(
        flat([(0.0, 1.0), (10.0, 5 / 6), (40.0, 0.625), (91.0, 0.625)]))


# --- eenmalig: geholpen ----------------------------------------------------------------------------------------


def test_helped_summarises_eenmalig_alone_and_summarize_leaves_it_out():
    outcomes = [
        k(20, kind="eenmalig", confirmed=7),  # success, censored at 7
        k(20, kind="eenmalig", ended=2, reason="klikte_niet"),  # failure, event at 2
        k(20, kind="eenmalig", unconfirmed=True),  # failure, event at 7
        k(5, kind="eenmalig"),  # pending, censored at 5
        k(200, confirmed=91),  # a maatje: not in helped
    ]
    # helped: t=2: n=4, d=1 -> 3/4; the pending one leaves at 5; t=7: n=2, d=1 -> 1/2. S(7) = 0.375.
    h = helped(outcomes, now=NOW)
    assert (h.successes, h.failures, h.pending, h.unconfirmed, h.neutral) == (1, 2, 1, 1, 0)
    assert h.rate == pytest.approx(1 / 3)
    assert h.km_at_horizon == pytest.approx(0.375)
    assert h.horizon_days == 7
    s = summarize(outcomes, now=NOW)
    assert (s.successes, s.failures, s.pending, s.total) == (1, 0, 0, 1)
    assert helped([k(200, confirmed=91)], now=NOW).rate is None


# --- horizons per koppeling ----------------------------------------------------------------------------------


def test_an_outcome_with_its_own_horizon():
    assert v(k(150, confirmed=100, horizon=182)) == "pending"  # a maatje is asked at half a year
    assert v(k(150, kind="periodiek", confirmed=100, horizon=91)) == "success"
    assert v(k(20, kind="eenmalig", confirmed=7, horizon=182)) == "success"  # eenmalig: always a week
    with pytest.raises(ValueError):
        k(10, horizon=0)


def test_mixed_horizons_run_the_curve_to_the_longest():
    outcomes = [
        k(300, kind="periodiek", confirmed=91, horizon=91),  # success, censored at 91
        k(300, ended=150, reason="geen_tijd", horizon=182),  # event at 150
        k(300, confirmed=182, horizon=182),  # success, censored at 182
    ]
    # t=150: the periodiek one left at 91, so n=2, d=1 -> S(182) = 1/2; the rate is 2 of 3.
    s = summarize(outcomes, now=NOW)
    assert (s.successes, s.failures, s.horizon_days) == (2, 1, 182)
    assert s.km_at_horizon == pytest.approx(0.5)
    assert flat(kaplan_meier(outcomes, now=NOW)) == pytest.approx(flat([(0.0, 1.0), (150.0, 0.5), (182.0, 0.5)]))


# --- judging against a target -------------------------------------------------------------------------------


def test_judge_on_the_interval_not_the_point():
    hits = [k(100, confirmed=91) for _ in range(30)]
    misses = [k(100, ended=10, reason="geen_tijd") for _ in range(4)]
    s = summarize(hits + misses, now=NOW)
    # 30 of 34 = 88.2%. Wilson: z^2 = 3.8415, denominator 1 + 3.8415/34 = 1.1130, centre (0.8824 + 0.0565)
    # / 1.1130 = 0.8435, half 1.96/1.1130 * sqrt(0.8824*0.1176/34 + 3.8415/4624) = 1.7610 * 0.06232 = 0.1098:
    # 73.4% to 95.3%. Above 85% on the point, but the interval holds 85%: onzeker (the example).
    assert s.rate == pytest.approx(30 / 34)
    assert (s.ci_low, s.ci_high) == (pytest.approx(0.7338, abs=1e-3), pytest.approx(0.9533, abs=1e-3))
    assert judge(s, 0.85) == "onzeker"
    assert judge(s, 0.70) == "gehaald"  # 0.7338 >= 0.70
    assert judge(s, 0.96) == "niet gehaald"  # 0.9533 < 0.96


def test_judge_at_the_bounds():
    def summary(low, high):
        return Summary(successes=1, failures=1, pending=0, unconfirmed=0, rate=0.5, ci_low=low, ci_high=high,
                       km_at_horizon=0.5, horizon_days=91)

    assert judge(summary(0.85, 0.95), 0.85) == "gehaald"  # the lower bound reaches it exactly
    assert judge(summary(0.70, 0.85), 0.85) == "onzeker"  # the upper bound touches it: not below
    assert judge(summary(0.70, 0.8499), 0.85) == "niet gehaald"
    assert judge(summarize([], now=NOW), 0.85) == "onzeker"
    # Any share is judged the same way: 17 of 20 is 63.96% to 94.76% (the Wilson table below).
    assert (judge(share(17, 20), 0.60), judge(share(17, 20), 0.85), judge(share(17, 20), 0.95)) == (
        "gehaald", "onzeker", "niet gehaald")
    with pytest.raises(ValueError):
        judge(summary(0.5, 0.6), 85)  # a percentage where a share belongs


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
