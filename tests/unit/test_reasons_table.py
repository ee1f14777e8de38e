"""What both people read about a proposed pair, point by point, and the edges of the score (issue 31:
the mutation run of matching/scoring.py found these unchecked)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

import pytest

from omkijken.matching import score
from omkijken.matching.scoring import EARTH_RADIUS_M, haversine_m, reasons
from tests.unit.test_matching import NOW, OSS, north, offer, req


def said(r, o) -> list[dict]:
    return [reason.as_dict() for reason in reasons(r, o, now=NOW)]


def test_every_point_of_a_pair_in_the_order_people_read_it():
    r = req(categories=["vervoer", "klussen", "boodschappen"], slots=["vr-middag", "di-ochtend", "ma-avond"],
            languages=["tr", "nl", "ar"], days=8.5)
    o = offer(categories=["klussen", "boodschappen", "tuin"], slots=["ma-avond", "vr-middag", "di-ochtend", "za-middag"],
              languages=["ar", "tr", "nl"], has_vog=True)
    assert said(r, o) == [
        {"code": "afstand", "band": "0-1"},
        # only what both share, never what one of them offers or asks alone
        {"code": "helpt_met", "categories": ["boodschappen", "klussen"]},
        # in week order (maandag first), not in the alphabet's
        {"code": "dagdelen", "slots": ["ma-avond", "di-ochtend", "vr-middag"]},
        # Dutch first, then the alphabet
        {"code": "spreekt", "languages": ["nl", "ar", "tr"]},
        {"code": "vog"},
        {"code": "wacht", "days": 8},
    ]


def test_three_shared_day_parts_are_named_and_four_are_counted():
    three = ["zo-avond", "ma-ochtend", "wo-middag"]
    assert said(req(slots=three), offer(slots=three))[1:] == [
        {"code": "helpt_met", "categories": ["boodschappen"]},
        {"code": "dagdelen", "slots": ["ma-ochtend", "wo-middag", "zo-avond"]},
    ]
    four = [*three, "di-avond"]
    assert said(req(slots=four), offer(slots=four))[2] == {"code": "veel_dagdelen", "count": 4, "first": "ma-ochtend"}


def test_a_volunteer_without_day_parts_fits_any_time_and_says_so():
    assert {"code": "elk_dagdeel"} in said(req(slots=["di-ochtend"]), offer(slots=[]))
    # a vraag without day parts: nothing to say about them
    assert [x["code"] for x in said(req(slots=[]), offer(slots=["di-ochtend"]))] == ["afstand", "helpt_met"]


def test_a_day_part_the_week_does_not_know_comes_last():
    shared = ["feestdag", "za-middag"]
    assert said(req(slots=shared), offer(slots=shared))[2] == {"code": "dagdelen", "slots": ["za-middag", "feestdag"]}


@pytest.mark.parametrize(("waited", "shown"), [(timedelta(days=6, hours=23), None), (timedelta(days=7), 7),
                                               (timedelta(days=7, hours=23), 7), (timedelta(days=8), 8)])
def test_waiting_is_told_from_a_full_week_in_whole_days(waited, shown):
    r = replace(req(), created_at=NOW - waited)
    waits = [x for x in said(r, offer()) if x["code"] == "wacht"]
    assert waits == ([] if shown is None else [{"code": "wacht", "days": shown}])


def test_points_on_opposite_sides_of_the_earth_are_half_its_circumference_apart():
    # Rounding makes the haversine term a hair above 1 here (1 + 2e-16): the distance stays half the circumference.
    distance = haversine_m(69.51232454868148, 86.5812282599507, -69.51232454868148, 266.5812282599507)
    assert distance == pytest.approx(math.pi * EARTH_RADIUS_M)


@pytest.mark.parametrize("radius_m", [0.5, 800.0, 3000.0])
def test_halfway_to_the_edge_of_any_radius_is_half_as_near(radius_m):
    # The "near" term falls linearly from the spot to the edge, for a short radius too (0.40 weight).
    on_the_spot = score(req(), offer(radius_m=radius_m), now=NOW)
    halfway = score(req(lat=north(OSS[0], radius_m / 2)), offer(radius_m=radius_m), now=NOW)
    assert on_the_spot - halfway == pytest.approx(0.20, abs=0.002)
