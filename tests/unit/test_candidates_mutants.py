"""Candidates beyond the everyday instance (issue 31: the mutation run of matching/candidates.py)."""

from __future__ import annotations

import random

import pytest

from omkijken.matching import score
from omkijken.matching.candidates import Candidates
from omkijken.matching.scoring import haversine_m
from tests.unit.test_matching import NOW, OSS, north, offer, req


def allowed_pairs(requests, offers) -> dict[tuple[int, int], float]:
    return {(i, j): s for i, r in enumerate(requests) for j, o in enumerate(offers)
            if (s := score(r, o, now=NOW)) is not None}


def found_pairs(requests, offers) -> dict[tuple[int, int], float]:
    cands = Candidates(requests, offers, now=NOW)
    return {(int(r), int(o)): float(s) for r, o, s in zip(cands.r, cands.o, cands.score)}


def test_more_than_64_categories_languages_and_day_parts_are_all_matched():
    """The sets are bit masks in 64-bit words: the 65th category must land in the second word."""
    rng = random.Random(31)
    categories = [f"categorie-{i:02d}" for i in range(65)]  # 65: one bit into the second word
    languages = [f"t{i:02d}" for i in range(70)]
    slots = [f"{d}-{p}" for d in ("ma", "di", "wo", "do", "vr", "za", "zo") for p in ("ochtend", "middag", "avond")]
    slots += [f"extra-{i}" for i in range(50)]
    requests = [req(id=i, lat=north(OSS[0], rng.uniform(-2000, 2000)), categories=rng.sample(categories, 2),
                    languages=rng.sample(languages, 1), slots=rng.sample(slots, 3)) for i in range(60)]
    offers = [offer(id=f"o{j}", lat=north(OSS[0], rng.uniform(-2000, 2000)), categories=rng.sample(categories, 20),
                    languages=rng.sample(languages, 30), slots=rng.sample(slots, 40)) for j in range(60)]
    expected = allowed_pairs(requests, offers)
    assert len(expected) > 20  # the rules let enough pairs through to compare
    found = found_pairs(requests, offers)
    assert found.keys() == expected.keys()
    assert all(found[k] == pytest.approx(v, abs=1e-12) for k, v in expected.items())


def test_offers_with_very_different_radii_each_keep_their_own_reach():
    """Offers are queried in groups of similar radius; a 50 m and a 20 km radius side by side must
    neither miss a pair nor propose one beyond the offer's own radius."""
    radii = [0.0, 0.5, 50.0, 300.0, 1_000.0, 1_300.0, 2_500.0, 8_000.0, 20_000.0]
    offers = [offer(id=f"o{j}", radius_m=r) for j, r in enumerate(radii)]
    distances = [0.0, 0.3, 40.0, 60.0, 290.0, 310.0, 990.0, 1_250.0, 2_400.0, 2_600.0, 7_900.0, 8_100.0,
                 19_900.0, 20_100.0]
    requests = [req(id=i, lat=north(OSS[0], d)) for i, d in enumerate(distances)]
    expected = allowed_pairs(requests, offers)
    found = found_pairs(requests, offers)
    assert found.keys() == expected.keys()
    # the nearness term too: 1 on the spot for a zero radius, linear to the edge for a short one
    assert all(found[k] == pytest.approx(v, abs=1e-12) for k, v in expected.items())
    assert (distances.index(2_400.0), radii.index(2_500.0)) in expected
    assert (distances.index(2_600.0), radii.index(2_500.0)) not in expected


def test_a_pair_that_shares_two_categories_is_one_candidate():
    cands = Candidates([req(categories=["boodschappen", "vervoer"])], [offer(categories=["vervoer", "boodschappen"])],
                       now=NOW)
    assert list(zip(cands.r.tolist(), cands.o.tolist())) == [(0, 0)]


def test_a_volunteer_without_room_left_is_never_a_candidate():
    cands = Candidates([req()], [offer(id="vol", capacity=0), offer(id="ruimte", capacity=1)], now=NOW)
    assert cands.o.tolist() == [1]


def test_a_refusal_of_a_volunteer_who_since_left_changes_nothing_for_the_others():
    # exclude holds (request id, offer id) pairs someone said no to; the offer may be gone by now
    cands = Candidates([req(id=1), req(id=2)], [offer(id="a")], now=NOW, exclude=frozenset({(1, "weg"), (2, "a")}))
    assert list(zip(cands.r.tolist(), cands.o.tolist())) == [(0, 0)]


def test_without_requests_there_are_no_candidates_and_no_scores():
    cands = Candidates([], [offer()], now=NOW)
    assert (len(cands), cands.r.size, cands.o.size, cands.score.size) == (0, 0, 0, 0)


def test_day_parts_are_counted_the_same_without_numpys_bitwise_count(monkeypatch):
    """numpy 1.x (pyproject allows >= 1.26) has no bitwise_count: the fallback must count alike."""
    import numpy as np

    rng = random.Random(7)
    slots = ["ma-ochtend", "di-ochtend", "wo-avond", "za-middag", "zo-middag"]
    requests = [req(id=i, lat=north(OSS[0], rng.uniform(-1500, 1500)), slots=rng.sample(slots, rng.randint(0, 4)))
                for i in range(30)]
    offers = [offer(id=f"o{j}", lat=north(OSS[0], rng.uniform(-1500, 1500)), slots=rng.sample(slots, rng.randint(0, 5)))
              for j in range(30)]
    expected = allowed_pairs(requests, offers)
    monkeypatch.delattr(np, "bitwise_count", raising=False)
    found = found_pairs(requests, offers)
    assert found.keys() == expected.keys()
    assert all(found[k] == pytest.approx(v, abs=1e-12) for k, v in expected.items())


def test_a_city_sized_instance_checked_in_parallel_gets_the_same_pairs_and_scores():
    """Above 100,000 pairs the rules run in one thread per core; the halves must add up to the whole."""
    rng = random.Random(100)
    requests = [req(id=i, lat=north(OSS[0], rng.uniform(-300, 300)), slots=rng.sample(["ma-ochtend", "di-avond"], 1),
                    days=rng.uniform(0, 20)) for i in range(400)]
    offers = [offer(id=f"o{j}", lat=north(OSS[0], rng.uniform(-300, 300)), slots=rng.sample(["ma-ochtend", "di-avond"], 2),
                    active=rng.randint(0, 3)) for j in range(300)]
    expected = allowed_pairs(requests, offers)
    assert len(expected) > 100_000
    found = found_pairs(requests, offers)
    assert found.keys() == expected.keys()
    assert all(found[k] == pytest.approx(v, abs=1e-12) for k, v in expected.items())


def test_at_the_equator_a_pair_just_inside_the_radius_east_or_north_is_found():
    """The projection is exact on the mean latitude; the tree's slack must still cover the radius."""
    metres_per_deg = 111_195.0
    requests = [req(id=1, lat=0.0, lon=0.0), req(id=2, lat=0.0, lon=0.0)]
    offers = [offer(id="oost", lat=0.0, lon=2985 / metres_per_deg), offer(id="noord", lat=2985 / metres_per_deg, lon=0.0)]
    expected = allowed_pairs(requests, offers)
    assert len(expected) == 4
    assert found_pairs(requests, offers).keys() == expected.keys()


def test_a_request_exactly_on_the_edge_of_the_radius_is_allowed():
    r = req(lat=north(OSS[0], 1234.5))
    edge = haversine_m(r.lat, r.lon, OSS[0], OSS[1])
    assert list(found_pairs([r], [offer(radius_m=edge)])) == [(0, 0)] == list(allowed_pairs([r], [offer(radius_m=edge)]))
