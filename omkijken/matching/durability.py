"""Whether koppelingen last: the verdict per koppeling, the duurzaam rate, and the intervals we report with it.

DOMAIN.md defines *duurzaam* but leaves the edge cases open; this module is where they are decided.
For one koppeling let ``h = started_at + horizon_for(kind)`` (91 days by default, 7 days for an
``eenmalig`` one: its single check-in after the agreed date). The verdict is decided in this order,
the first rule that applies wins:

1. **Confirmed at the horizon** -> success: ``last_confirmed_at >= h`` and, if the koppeling has ended,
   ``last_confirmed_at <= ended_at``. A confirmation exactly at ``h`` counts. A stop reported *after*
   such a confirmation does not undo it: the koppeling lasted to the horizon. A confirmation dated
   after the end is ignored (nobody can confirm something that has already stopped).
2. **Ended without that confirmation** (``ended_at`` set) -> success if ``end_reason == "doel_bereikt"``
   (we only store that reason from a check-in answer or from a coordinator who recorded one, so it is
   confirmed), otherwise failure. That includes a stop exactly at ``h``, an end date without a reason,
   and a stop after the horizon when nobody confirmed at the horizon.
3. **Horizon not reached** (``now < h``) -> pending.
4. **Unconfirmed** (the horizon check-in went through its reminders and the coordinator escalation
   without any answer) -> failure.
5. **Otherwise** -> pending: the horizon has passed but the check-in is still running its reminders.

The simple rate ignores pending koppelingen. Because recent koppelingen are all pending, the simple
rate alone lags; the Kaplan-Meier estimate of survival to the horizon uses them as censored
observations, on one time axis in days since start (fractional, never negative):

6. A success is censored at ``horizon_days``, also an eenmalig one, so that with nothing pending the
   Kaplan-Meier value at the horizon equals the simple rate exactly.
7. A failure is an event at ``min(days from start to ended_at, horizon_days)`` when it ended, and at
   ``horizon_days`` when it failed for lack of confirmation.
8. A pending koppeling is censored at ``min(days from start to now, horizon_days)``.
9. At equal times events come before censorings (the usual convention), so a koppeling censored at the
   horizon is still at risk for a failure at the horizon.
10. ``S(horizon_days)`` is the product over distinct event times ``t`` of ``1 - d_t / n_t``; it is
    ``None`` without outcomes and ``1.0`` with outcomes but no events.

Rates carry a Wilson 95% score interval: unlike the normal approximation it stays inside [0, 1] and
behaves at 0 and at n, which is where small neighbourhoods live.

Pure standard library on purpose (no Flask, no SQLAlchemy, no I/O): everything time dependent takes ``now``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Iterable

KINDS = ("eenmalig", "periodiek", "maatje")
END_REASONS = ("doel_bereikt", "klikte_niet", "geen_tijd", "verhuisd", "anders")
EENMALIG_HORIZON_DAYS = 7
DEFAULT_HORIZON_DAYS = 91
TARGET = 0.85
Z_95 = 1.959963984540054

_SECONDS_PER_DAY = 86_400.0


class Verdict(StrEnum):
    """A StrEnum so a verdict compares equal to, prints as and serialises as its plain string."""

    SUCCESS = "success"
    FAILURE = "failure"
    PENDING = "pending"


@dataclass(frozen=True)
class Outcome:
    """What we know about one koppeling's course; the platform builds these from its check-ins.

    ``last_confirmed_at`` is the last time a party answered that it is still going ("goed" or
    "het kan beter"); ``unconfirmed`` says the horizon check-in ran out of reminders and escalation.
    Kind and end reason are checked here, because a misspelt reason would silently count as a failure.
    """

    koppeling_id: int
    kind: str
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    last_confirmed_at: datetime | None
    unconfirmed: bool

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown koppeling kind {self.kind!r}; expected one of {KINDS}")
        if self.end_reason is not None and self.end_reason not in END_REASONS:
            raise ValueError(f"unknown end reason {self.end_reason!r}; expected one of {END_REASONS} or None")


def _check_horizon(horizon_days: int) -> None:
    if horizon_days < 1:
        raise ValueError(f"horizon_days must be at least 1, got {horizon_days}")


def horizon_for(kind: str, horizon_days: int = DEFAULT_HORIZON_DAYS) -> timedelta:
    """An eenmalig koppeling has one check-in a week after the agreed date; that answer is its horizon."""
    if kind not in KINDS:
        raise ValueError(f"unknown koppeling kind {kind!r}; expected one of {KINDS}")
    _check_horizon(horizon_days)
    return timedelta(days=EENMALIG_HORIZON_DAYS if kind == "eenmalig" else horizon_days)


def verdict(outcome: Outcome, *, now: datetime, horizon_days: int = DEFAULT_HORIZON_DAYS) -> Verdict:
    """Rules 1-5 of the module docstring, in that order, because the order is what settles the edge cases."""
    h = outcome.started_at + horizon_for(outcome.kind, horizon_days)
    confirmed = outcome.last_confirmed_at
    if confirmed is not None and confirmed >= h and (outcome.ended_at is None or confirmed <= outcome.ended_at):
        return Verdict.SUCCESS
    if outcome.ended_at is not None:
        return Verdict.SUCCESS if outcome.end_reason == "doel_bereikt" else Verdict.FAILURE
    if now < h:
        return Verdict.PENDING
    if outcome.unconfirmed:
        return Verdict.FAILURE
    return Verdict.PENDING


def _days(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / _SECONDS_PER_DAY, 0.0)


def _observation(outcome: Outcome, result: Verdict, now: datetime, horizon_days: int) -> tuple[float, bool]:
    """(time in days, is_event) for rules 6-8."""
    horizon = float(horizon_days)
    if result is Verdict.SUCCESS:
        return horizon, False
    if result is Verdict.FAILURE:
        if outcome.ended_at is None:
            return horizon, True
        return min(_days(outcome.started_at, outcome.ended_at), horizon), True
    return min(_days(outcome.started_at, now), horizon), False


def _product_limit(observations: list[tuple[float, bool]], horizon_days: int) -> list[tuple[float, float]]:
    """The curve as (0, 1.0), then (t, S(t)) per distinct event time; empty without observations."""
    if not observations:
        return []
    events = Counter(t for t, is_event in observations if is_event)
    times = sorted(t for t, _ in observations)
    points = [(0.0, 1.0)]
    survival = 1.0
    at_risk_from = 0  # index into `times` of the first observation with time >= t
    for t in sorted(events):
        while times[at_risk_from] < t:
            at_risk_from += 1
        # Censorings at t are still in `times[at_risk_from:]`: events come first at equal times (rule 9).
        at_risk = len(times) - at_risk_from
        survival *= 1.0 - events[t] / at_risk
        points.append((t, survival))
    horizon = float(horizon_days)
    if points[-1][0] != horizon:
        points.append((horizon, survival))
    return points


def _observations(outcomes: Iterable[Outcome], now: datetime, horizon_days: int) -> list[tuple[float, bool]]:
    return [_observation(o, verdict(o, now=now, horizon_days=horizon_days), now, horizon_days) for o in outcomes]


def kaplan_meier(
    outcomes: Iterable[Outcome], *, now: datetime, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[tuple[float, float]]:
    """The survival step curve for charts, so a dashboard can show where in the period koppelingen stop.

    Points are ``(day, survival after that day's events)``: ``(0.0, 1.0)`` first, one point per distinct
    event day, and ``(horizon_days, S)`` last (not repeated when the last event falls on the horizon).
    An event on day 0 gives a second point at day 0. Empty list when there are no outcomes.
    """
    _check_horizon(horizon_days)
    return _product_limit(_observations(outcomes, now, horizon_days), horizon_days)


def wilson(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval: honest for small n and for rates at 0 or 1, where the normal one breaks down."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / n + z2 / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """A rate with its counts and interval, so a dashboard never shows "100%" without "of 3"."""

    numerator: int
    denominator: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


def share(numerator: int, denominator: int) -> Share:
    """The other KPIs (self-service, placement, collective share) get the same treatment as durability."""
    interval = wilson(numerator, denominator)
    if interval is None:
        return Share(numerator, denominator, None, None, None)
    return Share(numerator, denominator, numerator / denominator, interval[0], interval[1])


@dataclass(frozen=True)
class DurabilitySummary:
    """Counts, the simple rate with its interval, and the Kaplan-Meier value that also uses pending ones.

    ``unconfirmed`` counts the failures that are failures only because nobody answered (rule 4), so a
    coordinator can tell "they stopped" from "we never heard back".
    """

    successes: int
    failures: int
    pending: int
    unconfirmed: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    km_at_horizon: float | None
    horizon_days: int

    @property
    def total(self) -> int:
        return self.successes + self.failures + self.pending

    @property
    def decided(self) -> int:
        return self.successes + self.failures

    def meets_target(self, target: float = TARGET) -> bool | None:
        """Judged on the point estimate; ``None`` because with nothing decided there is nothing to judge."""
        if self.rate is None:
            return None
        return self.rate >= target


def summarize(
    outcomes: Iterable[Outcome], *, now: datetime, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> DurabilitySummary:
    """One pass over the outcomes so the counts, the rate and the Kaplan-Meier value always agree."""
    _check_horizon(horizon_days)
    counts: Counter[Verdict] = Counter()
    unconfirmed = 0
    observations: list[tuple[float, bool]] = []
    for outcome in outcomes:
        result = verdict(outcome, now=now, horizon_days=horizon_days)
        counts[result] += 1
        if result is Verdict.FAILURE and outcome.ended_at is None:
            unconfirmed += 1
        observations.append(_observation(outcome, result, now, horizon_days))
    successes, failures = counts[Verdict.SUCCESS], counts[Verdict.FAILURE]
    rate = share(successes, successes + failures)
    curve = _product_limit(observations, horizon_days)
    return DurabilitySummary(
        successes=successes,
        failures=failures,
        pending=counts[Verdict.PENDING],
        unconfirmed=unconfirmed,
        rate=rate.rate,
        ci_low=rate.ci_low,
        ci_high=rate.ci_high,
        km_at_horizon=curve[-1][1] if curve else None,
        horizon_days=horizon_days,
    )


def satisfaction(ratings: Iterable[int | None]) -> float | None:
    """Mean check-in rating times 10, to compare with the targets 85 and 75 on the same scale.

    Values outside 1..10 are typing or import errors, not opinions, so they are left out, as are
    missing ratings (``None``: a check-in answered without a rating).
    """
    valid = [r for r in ratings if r is not None and not isinstance(r, bool) and 1 <= r <= 10]
    if not valid:
        return None
    return sum(valid) / len(valid) * 10.0
