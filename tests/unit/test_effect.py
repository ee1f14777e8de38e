"""The effect figures (issue 23 item 8): change from start, its t-interval, and the scoring of the
De Jong Gierveld short loneliness scale. Every expected number is worked out by hand in a comment."""

from __future__ import annotations

import pytest

from omkijken.matching.effect import Score, changes, loneliness, mean_change


def test_change_is_the_last_measure_after_the_start_minus_the_start():
    scores = [
        Score("ans", "start", 0, 5), Score("ans", "ronde", 14, 6), Score("ans", "ronde", 42, 8),
        Score("bob", "ronde", 14, 7), Score("bob", "start", 0, 7),  # order given does not matter
        Score("cor", "start", 0, 6),  # no later measure: left out
        Score("dirk", "ronde", 14, 9),  # no start: left out
    ]
    assert changes(scores) == {"ans": 3.0, "bob": 0.0}


def test_a_second_start_answer_does_not_replace_the_first():
    assert changes([Score(1, "start", 0, 4), Score(1, "start", 2, 9), Score(1, "ronde", 14, 6)]) == {1: 2.0}


def test_mean_change_with_its_t_interval():
    # 1..5: mean 3, sd sqrt(2.5) = 1.5811, se = 0.70711, t(0.975, 4) = 2.7764 -> 3 ± 1.9632
    change = mean_change([1, 2, 3, 4, 5])
    assert change.n == 5 and change.mean == 3
    assert change.ci_low == pytest.approx(1.0368, abs=1e-4)
    assert change.ci_high == pytest.approx(4.9632, abs=1e-4)


def test_two_people_give_a_wide_interval():
    # 0 and 2: mean 1, sd sqrt(2), se 1, t(0.975, 1) = 12.7062 -> -11.7062 .. 13.7062
    change = mean_change([0, 2])
    assert (change.ci_low, change.ci_high) == (pytest.approx(-11.7062, abs=1e-4), pytest.approx(13.7062, abs=1e-4))


def test_all_equal_changes_have_no_spread():
    assert (mean_change([2, 2, 2]).ci_low, mean_change([2, 2, 2]).ci_high) == (2.0, 2.0)


def test_one_person_has_a_mean_but_no_interval_and_nobody_has_nothing():
    one = mean_change([-3])
    assert (one.n, one.mean, one.ci_low, one.ci_high) == (1, -3.0, None, None)
    none = mean_change([])
    assert (none.n, none.mean, none.ci_low, none.ci_high) == (0, None, None, None)


def test_emotional_items_count_yes_and_more_or_less_social_items_count_no_and_more_or_less():
    # Emotional 1-3: ja=1, min_of_meer=1, nee=0. Social 4-6: nee=1, min_of_meer=1, ja=0.
    scored = loneliness({1: "ja", 2: "min_of_meer", 3: "nee", 4: "ja", 5: "min_of_meer", 6: "nee"})
    assert (scored.emotional, scored.social, scored.total) == (2, 2, 4)
    assert scored.category == "matig"


def test_the_least_and_the_most_lonely_answers():
    never = loneliness({1: "nee", 2: "nee", 3: "nee", 4: "ja", 5: "ja", 6: "ja"})
    assert (never.total, never.emotional, never.social, never.category) == (0, 0, 0, "niet")
    always = loneliness({1: "ja", 2: "ja", 3: "ja", 4: "nee", 5: "nee", 6: "nee"})
    assert (always.total, always.emotional, always.social, always.category) == (6, 3, 3, "ernstig")


def test_cut_off_points_of_the_total():
    # total 1 -> niet, 2 -> matig, 5 -> ernstig
    assert loneliness({1: "ja", 2: "nee", 3: "nee", 4: "ja", 5: "ja", 6: "ja"}).category == "niet"
    assert loneliness({1: "ja", 2: "ja", 3: "nee", 4: "ja", 5: "ja", 6: "ja"}).category == "matig"
    assert loneliness({1: "ja", 2: "ja", 3: "ja", 4: "nee", 5: "min_of_meer", 6: "ja"}).category == "ernstig"


def test_one_missing_item_keeps_the_total_but_not_its_subscale():
    # Item 2 missing: emotional unknown; social 4=nee(1) 5=ja(0) 6=ja(0) = 1; total 1 + 1 + 0 = 2.
    scored = loneliness({1: "ja", 3: "nee", 4: "nee", 5: "ja", 6: "ja"})
    assert (scored.total, scored.emotional, scored.social) == (2, None, 1)


def test_two_missing_items_leave_no_total():
    scored = loneliness({1: "ja", 2: "ja", 3: "ja", 4: "nee"})
    assert (scored.total, scored.emotional, scored.social, scored.category) == (None, 3, None, None)


def test_an_unknown_answer_is_refused():
    with pytest.raises(ValueError):
        loneliness({1: "soms"})
