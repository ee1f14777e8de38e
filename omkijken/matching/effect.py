"""Effect on people: how a hulpvrager is doing, as change from the start of a koppeling.

DOMAIN.md (Effect) asks for the seeds' measures about people rather than about koppelingen:
quality of life from start to end (004:244-250), wellbeing after support (002:839-842) and the
share of lonely people (002:744-747). Two measures feed this module:

* **"Hoe gaat het met je?"**, a grade 0-10 asked of the hulpvrager at the start of a koppeling and
  at each check-in ronde.
* For maatjes, the **six-item De Jong Gierveld loneliness scale** (De Jong Gierveld & Van Tilburg
  2006, "A 6-item scale for overall, emotional, and social loneliness", Research on Aging 28(5),
  582-598), asked at start, after six months and at the end, in its original Dutch wording.

**Change per person** (:func:`changes`) is the person's *last* measure after the start minus the
start measure, one number per person (and koppeling), so someone asked five times weighs as much as
someone asked once. People without a start measure, or without any later one, are left out: there
is nothing to compare.

**The mean change and its 95% interval** (:func:`mean_change`) is the paired t-interval
``mean ± t(0.975, n-1) · sd / √n``. We chose it over a bootstrap because the groups per dienst are
small (tens of people), where a percentile bootstrap is known to be too narrow, and because the
t-interval is deterministic and can be checked by hand; the changes are bounded (-10..10, -6..6),
so the mean's sampling distribution is close to normal already at the group sizes we show. One
person gives a mean but no interval; nobody gives nothing.

**Scoring the loneliness scale** (:func:`loneliness`) follows the scale's manual (De Jong Gierveld &
Van Tilburg, *Manual of the Loneliness Scale*, VU Amsterdam 1999, updated 2022, section 8 "A short
scale", https://home.fsw.vu.nl/TG.van.Tilburg/manual_loneliness_scale_1999.html; the same rules
CBS follows, https://www.cbs.nl/en-gb/news/2020/13/nearly-1-in-10-dutch-people-frequently-lonely-in-2019/loneliness-survey-technical-explanation).
Answers are "ja", "min of meer" or "nee". Items 1-3 here are the *emotional* items (negatively
worded): "ja" and "min of meer" score 1. Items 4-6 are the *social* items (positively worded):
"nee" and "min of meer" score 1. The emotional and social subscales (0-3) are missing when any of
their items is missing; the total (0-6) is missing when more than one item is missing (the manual's
SPSS syntax: ``if (mlones>1) lones=-1``). Totals 0-1 are "niet eenzaam", 2-4 "matig eenzaam", 5-6
"ernstig eenzaam". A *lower* score is better, so a negative change is an improvement.

Pure: no Flask, no SQLAlchemy, no I/O.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping

from scipy.stats import t as student_t

#: The grade a hulpvrager gives to "Hoe gaat het met je?".
CIJFER_MIN, CIJFER_MAX = 0, 10

#: The six items of the short scale, numbered as stored: 1-3 emotional, 4-6 social. Original Dutch
#: wording (De Jong Gierveld & Van Tilburg 2006).
EMOTIONEEL = (1, 2, 3)
SOCIAAL = (4, 5, 6)
ITEMS = EMOTIONEEL + SOCIAAL
ITEM_TEKST = {
    1: "Ik ervaar een leegte om me heen.",
    2: "Ik mis mensen om me heen.",
    3: "Vaak voel ik me in de steek gelaten.",
    4: "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
    5: "Ik ken veel mensen op wie ik volledig kan vertrouwen.",
    6: "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
}
#: The order of the published scale, which mixes the two kinds of statement so that nobody answers
#: "ja" six times without reading.
VOLGORDE = (1, 4, 5, 2, 6, 3)
ANTWOORDEN = ("ja", "min_of_meer", "nee")
#: The moments the scale is asked at.
START, ZES_MAANDEN, EIND = "start", "6m", "eind"


# --- change from start ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """One measure of one person: ``moment`` "start" is the baseline; ``day`` orders the others."""

    person: Hashable
    moment: str
    day: float
    value: float


def changes(scores: Iterable[Score]) -> dict[Hashable, float]:
    """Per person: the last measure after the start minus the start measure.

    A person with several start measures keeps the first (the earliest day); later measures at the
    same day as each other are taken in the order given, the last one wins.
    """
    start: dict[Hashable, Score] = {}
    last: dict[Hashable, Score] = {}
    for score in scores:
        if score.moment == START:
            if score.person not in start or score.day < start[score.person].day:
                start[score.person] = score
        elif score.person not in last or score.day >= last[score.person].day:
            last[score.person] = score
    return {p: last[p].value - s.value for p, s in start.items() if p in last}


@dataclass(frozen=True)
class Change:
    """The mean change of a group with its 95% t-interval; ``None`` where there is no figure."""

    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None


def mean_change(values: Iterable[float], *, confidence: float = 0.95) -> Change:
    """Mean of the changes with a two-sided t-interval (``n - 1`` degrees of freedom)."""
    data = [float(v) for v in values]
    n = len(data)
    if n == 0:
        return Change(0, None, None, None)
    mean = statistics.fmean(data)
    if n == 1:
        return Change(1, mean, None, None)
    half = float(student_t.ppf(0.5 + confidence / 2, n - 1)) * statistics.stdev(data) / math.sqrt(n)
    return Change(n, mean, mean - half, mean + half)


# --- the De Jong Gierveld short scale ------------------------------------------------------------


def item_score(item: int, answer: str | None) -> int | None:
    """1 when the answer counts as lonely, 0 when not, None when unanswered."""
    if item not in ITEMS:
        raise ValueError(f"no item {item} in the short scale")
    if answer is None:
        return None
    if answer not in ANTWOORDEN:
        raise ValueError(f"unknown answer {answer!r}")
    lonely = ("ja", "min_of_meer") if item in EMOTIONEEL else ("nee", "min_of_meer")
    return int(answer in lonely)


@dataclass(frozen=True)
class Loneliness:
    total: int | None  # 0-6
    emotional: int | None  # 0-3
    social: int | None  # 0-3

    @property
    def category(self) -> str | None:
        """"niet", "matig" or "ernstig" eenzaam, by the manual's cut-off points."""
        if self.total is None:
            return None
        return "niet" if self.total <= 1 else "matig" if self.total <= 4 else "ernstig"


def loneliness(answers: Mapping[int, str | None]) -> Loneliness:
    """Score six answers (item number -> "ja", "min_of_meer", "nee" or None)."""
    scores = {item: item_score(item, answers.get(item)) for item in ITEMS}

    def subscale(items: tuple[int, ...]) -> int | None:
        values = [scores[i] for i in items]
        return None if None in values else sum(values)

    missing = sum(1 for s in scores.values() if s is None)
    total = None if missing > 1 else sum(s for s in scores.values() if s is not None)
    return Loneliness(total=total, emotional=subscale(EMOTIONEEL), social=subscale(SOCIAAL))
