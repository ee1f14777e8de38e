"""Whether koppelingen last: the verdict per koppeling, the duurzaam rate, and the intervals we report with it.

DOMAIN.md defines *duurzaam* but leaves the edge cases open; this module is where they are decided.
For one koppeling let ``h = started_at + horizon_for(kind)`` (its own ``horizon_days`` when the
platform set one from its dienst, else the summary's: 91 days by default; 7 days for an ``eenmalig``
one: its single check-in after the agreed date). The verdict is decided in this order, the first rule
that applies wins:

1. **Confirmed at the horizon** -> success: ``last_confirmed_at >= h`` and, if the koppeling has ended,
   ``last_confirmed_at <= ended_at``. A confirmation exactly at ``h`` counts. A stop reported *after*
   such a confirmation does not undo it: the koppeling lasted to the horizon. A confirmation dated
   after the end is ignored (nobody can confirm something that has already stopped).
2. **Ended without that confirmation** (``ended_at`` set) -> success if ``end_reason == "doel_bereikt"``
   (we only store that reason from a check-in answer or from a coordinator who recorded one, so it is
   confirmed), neutral if the reason is in ``NEUTRAL_END_REASONS`` (a move, a death, an admission to
   care or a referral to formal help says nothing about the koppeling), otherwise failure. That includes
   a stop exactly at ``h``, an end date without a reason, and a stop after the horizon when nobody
   confirmed at the horizon.
3. **Horizon not reached** (``now < h``) -> pending.
4. **Unconfirmed** (the horizon check-in went through its reminders and the coordinator escalation
   without any answer) -> failure.
5. **Otherwise** -> pending: the horizon has passed but the check-in is still running its reminders.

The simple rate ignores pending koppelingen. Because recent koppelingen are all pending, the simple
rate alone lags; the Kaplan-Meier estimate of survival to the horizon uses them as censored
observations, on one time axis in days since start (fractional, never negative):

6. A success is censored at its horizon (in days), so that with nothing pending or neutral the
   Kaplan-Meier value at the horizon equals the simple rate exactly.
7. A failure is an event at ``min(days from start to ended_at, horizon)`` when it ended, and at the
   horizon when it failed for lack of confirmation.
8. A pending koppeling is censored at ``min(days from start to now, horizon)``, a neutral one at
   ``min(days from start to ended_at, horizon)``: it was at risk until it ended, then it left the
   risk set without an event.
9. At equal times events come before censorings (the usual convention), so a koppeling censored at the
   horizon is still at risk for a failure at the horizon.
10. ``S(horizon_days)`` is the product over distinct event times ``t`` of ``1 - d_t / n_t``; it is
    ``None`` without outcomes and ``1.0`` with outcomes but no events.

Eenmalig koppelingen are not "duurzaam" or not: one ride confirmed a week later says the help
happened, nothing about lasting. :func:`summarize` leaves them out; :func:`helped` summarises them
alone, with the same rules on their 7-day horizon (DOMAIN.md: *geholpen*).

Against a target a rate is judged on its interval (:func:`judge`), never on the point estimate:
"gehaald" when the lower bound reaches it, "niet gehaald" when the upper bound stays below, else
"onzeker". Targets belong to a dienst (the platform keeps them), not to this module.

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
#: Reasons that end a koppeling without saying whether it lasted: neither success nor failure.
NEUTRAL_END_REASONS = ("verhuisd", "overleden", "opname_zorg", "doorverwezen")
END_REASONS = ("doel_bereikt", "klikte_niet", "geen_tijd", *NEUTRAL_END_REASONS, "anders")
EENMALIG_HORIZON_DAYS = 7
DEFAULT_HORIZON_DAYS = 91
GEHAALD, NIET_GEHAALD, ONZEKER = "gehaald", "niet gehaald", "onzeker"
Z_95 = 1.959963984540054

_SECONDS_PER_DAY = 86_400.0


class Verdict(StrEnum):
    """A StrEnum so a verdict compares equal to, prints as and serialises as its plain string."""

    SUCCESS = "success"
    FAILURE = "failure"
    PENDING = "pending"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Outcome:
    """What we know about one koppeling's course; the platform builds these from its check-ins.

    ``last_confirmed_at`` is the last time the hulpvrager (or a coordinator who called her) answered
    that it is still going; ``unconfirmed`` says the horizon check-in ran out of reminders and
    escalation. ``horizon_days`` is this koppeling's own horizon (its dienst sets one per kind); without
    it the summary's applies. Kind and end reason are checked here, because a misspelt reason would
    silently count as a failure.
    """

    koppeling_id: int
    kind: str
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    last_confirmed_at: datetime | None
    unconfirmed: bool
    horizon_days: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown koppeling kind {self.kind!r}; expected one of {KINDS}")
        if self.end_reason is not None and self.end_reason not in END_REASONS:
            raise ValueError(f"unknown end reason {self.end_reason!r}; expected one of {END_REASONS} or None")
        if self.horizon_days is not None:
            _check_horizon(self.horizon_days)

    def horizon(self, default_days: int = DEFAULT_HORIZON_DAYS) -> timedelta:
        """Its own horizon if it has one, else ``default_days``; always 7 days for eenmalig."""
        return horizon_for(self.kind, self.horizon_days or default_days)


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
    _check_horizon(horizon_days)
    h = outcome.started_at + outcome.horizon(horizon_days)
    confirmed = outcome.last_confirmed_at
    if confirmed is not None and confirmed >= h and (outcome.ended_at is None or confirmed <= outcome.ended_at):
        return Verdict.SUCCESS
    if outcome.ended_at is not None:
        if outcome.end_reason == "doel_bereikt":
            return Verdict.SUCCESS
        return Verdict.NEUTRAL if outcome.end_reason in NEUTRAL_END_REASONS else Verdict.FAILURE
    if now < h:
        return Verdict.PENDING
    if outcome.unconfirmed:
        return Verdict.FAILURE
    return Verdict.PENDING


def _days(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / _SECONDS_PER_DAY, 0.0)


def _observation(outcome: Outcome, result: Verdict, now: datetime, horizon_days: int) -> tuple[float, bool]:
    """(time in days, is_event) for rules 6-8."""
    horizon = outcome.horizon(horizon_days).total_seconds() / _SECONDS_PER_DAY
    if result is Verdict.SUCCESS:
        return horizon, False
    if result is Verdict.FAILURE:
        if outcome.ended_at is None:
            return horizon, True
        return min(_days(outcome.started_at, outcome.ended_at), horizon), True
    if result is Verdict.NEUTRAL:
        return min(_days(outcome.started_at, outcome.ended_at), horizon), False
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


def _observations(outcomes: list[Outcome], now: datetime, horizon_days: int) -> list[tuple[float, bool]]:
    return [_observation(o, verdict(o, now=now, horizon_days=horizon_days), now, horizon_days) for o in outcomes]


def _lasting(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The outcomes durability is about: every kind but eenmalig."""
    return [o for o in outcomes if o.kind != "eenmalig"]


def _axis(outcomes: list[Outcome], horizon_days: int) -> int:
    """Where the curve ends: the longest horizon of the outcomes (a maatje's 182 days next to a
    periodiek's 91), so no koppeling's course is cut off before its own horizon."""
    _check_horizon(horizon_days)
    return max([horizon_days, *(o.horizon_days for o in outcomes if o.horizon_days and o.kind != "eenmalig")])


def kaplan_meier(
    outcomes: Iterable[Outcome], *, now: datetime, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[tuple[float, float]]:
    """The survival step curve for charts, so a dashboard can show where in the period koppelingen stop.

    Points are ``(day, survival after that day's events)``: ``(0.0, 1.0)`` first, one point per distinct
    event day, and ``(horizon, S)`` last (not repeated when the last event falls on the horizon), where
    the horizon is the longest of ``horizon_days`` and the outcomes' own. Eenmalig outcomes are left
    out, as in :func:`summarize`. An event on day 0 gives a second point at day 0. Empty list when
    there are no outcomes.
    """
    lasting = _lasting(outcomes)
    axis = _axis(lasting, horizon_days)
    return _product_limit(_observations(lasting, now, horizon_days), axis)


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
    coordinator can tell "they stopped" from "we never heard back". ``neutral`` counts the koppelingen
    that ended for a reason in ``NEUTRAL_END_REASONS``: in no rate, but shown, because a wijk where
    many people move or die tells its own story.
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
    neutral: int = 0

    @property
    def total(self) -> int:
        return self.successes + self.failures + self.pending + self.neutral

    @property
    def decided(self) -> int:
        return self.successes + self.failures


Summary = DurabilitySummary


def _summary(outcomes: list[Outcome], now: datetime, horizon_days: int, axis: int) -> DurabilitySummary:
    """One pass over the outcomes so the counts, the rate and the Kaplan-Meier value always agree."""
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
    curve = _product_limit(observations, axis)
    return DurabilitySummary(
        successes=successes,
        failures=failures,
        pending=counts[Verdict.PENDING],
        unconfirmed=unconfirmed,
        rate=rate.rate,
        ci_low=rate.ci_low,
        ci_high=rate.ci_high,
        km_at_horizon=curve[-1][1] if curve else None,
        horizon_days=axis,
        neutral=counts[Verdict.NEUTRAL],
    )


def summarize(
    outcomes: Iterable[Outcome], *, now: datetime, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> DurabilitySummary:
    """Durability of the periodiek and maatje koppelingen among ``outcomes``; eenmalig ones are left
    out of every field (see :func:`helped`). ``horizon_days`` is the horizon of outcomes without their
    own; the summary's ``horizon_days`` is the longest that applied."""
    lasting = _lasting(outcomes)
    return _summary(lasting, now, horizon_days, _axis(lasting, horizon_days))


def helped(outcomes: Iterable[Outcome], *, now: datetime) -> DurabilitySummary:
    """*Geholpen*: of the eenmalig koppelingen among ``outcomes``, how many the hulpvrager confirmed at
    the check-in a week after the agreed day (or that ended with ``doel_bereikt``). Same rules and
    fields as :func:`summarize`, on the 7-day horizon; the other kinds are left out."""
    once = [o for o in outcomes if o.kind == "eenmalig"]
    return _summary(once, now, EENMALIG_HORIZON_DAYS, EENMALIG_HORIZON_DAYS)


def judge(summary: DurabilitySummary | Share, target: float) -> str:
    """A rate (a summary or any other share) against a target, on its interval: with 30 koppelingen 88%
    may well be 75%, so the point estimate alone says too much. "gehaald" when the lower bound reaches the target, "niet gehaald"
    when the upper bound stays below it, otherwise (also with nothing decided) "onzeker"."""
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"a target is a share between 0 and 1, got {target}")
    if summary.ci_low is None or summary.ci_high is None:
        return ONZEKER
    if summary.ci_low >= target:
        return GEHAALD
    if summary.ci_high < target:
        return NIET_GEHAALD
    return ONZEKER


def satisfaction(ratings: Iterable[int | None]) -> float | None:
    """Mean check-in rating times 10, to compare with the targets 85 and 75 on the same scale.

    Values outside 1..10 are typing or import errors, not opinions, so they are left out, as are
    missing ratings (``None``: a check-in answered without a rating).
    """
    valid = [r for r in ratings if r is not None and not isinstance(r, bool) and 1 <= r <= 10]
    if not valid:
        return None
    return sum(valid) / len(valid) * 10.0
