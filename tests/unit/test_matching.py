"""The matching engine: hard rules, the score, reasons, exact optimality, clusters, the incremental path."""

from __future__ import annotations

import itertools
import math
import random
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from omkijken.matching import (
    Offer,
    OfferIndex,
    Proposal,
    Reason,
    Request,
    collective_clusters,
    greedy_match,
    match,
    score,
    solvers,
    top_candidates,
)
from omkijken.matching.candidates import Candidates
from omkijken.matching.scoring import distance_band, haversine_m, reasons

NOW = datetime(2026, 3, 1, 12, 0)
OSS = (51.765, 5.518)
METRES_PER_DEG_LAT = 111_195.0


def north(lat: float, metres: float) -> float:
    return lat + metres / METRES_PER_DEG_LAT


def req(id=1, lat=OSS[0], lon=OSS[1], categories=("boodschappen",), slots=(), languages=(), days=0.0,
        needs_vog=False) -> Request:
    return Request(id=id, lat=lat, lon=lon, categories=frozenset(categories), slots=frozenset(slots),
                   languages=frozenset(languages), created_at=NOW - timedelta(days=days), needs_vog=needs_vog)


def offer(id="a", lat=OSS[0], lon=OSS[1], radius_m=3000.0, categories=("boodschappen",), slots=(),
          languages=(), capacity=1, has_vog=False, active=0) -> Offer:
    return Offer(id=id, lat=lat, lon=lon, radius_m=radius_m, categories=frozenset(categories),
                 slots=frozenset(slots), languages=frozenset(languages), capacity=capacity, has_vog=has_vog,
                 active_koppelingen=active)


# --------------------------------------------------------------------------------------------
# hard rules


def test_a_plain_pair_scores_between_zero_and_one():
    value = score(req(), offer(), now=NOW)
    assert value is not None and 0 < value <= 1


def test_no_shared_category_fails():
    assert score(req(categories=["vervoer"]), offer(categories=["boodschappen"]), now=NOW) is None
    assert score(req(categories=["vervoer", "klussen"]), offer(categories=["klussen"]), now=NOW) is not None


def test_distance_beyond_the_offer_radius_fails():
    assert score(req(lat=north(OSS[0], 2990)), offer(radius_m=3000), now=NOW) is not None
    assert score(req(lat=north(OSS[0], 3010)), offer(radius_m=3000), now=NOW) is None


def test_slots_must_overlap_when_both_have_slots():
    assert score(req(slots=["di-ochtend"]), offer(slots=["wo-avond"]), now=NOW) is None
    assert score(req(slots=["di-ochtend", "wo-avond"]), offer(slots=["wo-avond"]), now=NOW) is not None
    assert score(req(slots=[]), offer(slots=["wo-avond"]), now=NOW) is not None  # any time
    assert score(req(slots=["di-ochtend"]), offer(slots=[]), now=NOW) is not None


def test_a_requested_language_must_be_spoken():
    assert score(req(languages=["ar"]), offer(languages=["nl", "en"]), now=NOW) is None
    assert score(req(languages=["ar"]), offer(languages=[]), now=NOW) is None
    assert score(req(languages=["ar", "tr"]), offer(languages=["nl", "tr"]), now=NOW) is not None
    assert score(req(languages=[]), offer(languages=["pl"]), now=NOW) is not None


def test_a_vog_is_needed_when_asked():
    assert score(req(needs_vog=True), offer(has_vog=False), now=NOW) is None
    assert score(req(needs_vog=True), offer(has_vog=True), now=NOW) is not None
    assert score(req(needs_vog=False), offer(has_vog=False), now=NOW) is not None


@pytest.mark.parametrize("rule", ["category", "distance", "slots", "language", "vog"])
def test_match_never_proposes_a_pair_that_fails_a_hard_rule(rule):
    bad = {
        "category": dict(r=req(categories=["vervoer"]), o=offer()),
        "distance": dict(r=req(lat=north(OSS[0], 3100)), o=offer(radius_m=3000)),
        "slots": dict(r=req(slots=["ma-avond"]), o=offer(slots=["di-avond"])),
        "language": dict(r=req(languages=["ti"]), o=offer(languages=["nl"])),
        "vog": dict(r=req(needs_vog=True), o=offer()),
    }[rule]
    assert match([bad["r"]], [bad["o"]], now=NOW) == []
    index = OfferIndex([bad["o"]])
    assert top_candidates(bad["r"], index, now=NOW) == []


# --------------------------------------------------------------------------------------------
# the soft part of the score


def test_nearer_is_better():
    near = score(req(lat=north(OSS[0], 200)), offer(), now=NOW)
    far = score(req(lat=north(OSS[0], 2500)), offer(), now=NOW)
    assert near > far


def test_longer_waiting_is_better_and_saturates():
    fresh, week, old, older = (score(req(days=d), offer(), now=NOW) for d in (0, 7, 14, 60))
    assert fresh < week < old
    assert old == pytest.approx(older)


def test_less_loaded_volunteer_is_better():
    assert score(req(), offer(active=0), now=NOW) > score(req(), offer(active=2), now=NOW)


def test_more_shared_slots_is_better():
    slots = ["di-ochtend", "wo-ochtend", "do-ochtend"]
    assert score(req(slots=slots), offer(slots=slots), now=NOW) > score(req(slots=slots), offer(slots=slots[:1]), now=NOW)


def test_best_and_worst_scores_stay_in_range():
    best = score(req(days=30, slots=["ma-ochtend"]), offer(slots=["ma-ochtend"]), now=NOW)
    assert best == pytest.approx(1.0)
    edge = req(lat=north(OSS[0], 2999), slots=["ma-ochtend", "di-ochtend", "wo-ochtend"], days=-3)
    worst = score(edge, offer(slots=["ma-ochtend"], active=50), now=NOW)
    assert 0.05 <= worst < 0.2
    assert score(req(), offer(radius_m=0), now=NOW) == pytest.approx(score(req(days=0), offer(), now=NOW))


def test_a_vraag_dated_in_the_future_scores_like_one_of_today():
    """A vraag whose time lies ahead (a clock that runs behind, an import) has not waited less than
    nothing: it scores as a vraag posted now, never below one."""
    assert score(req(days=-3), offer(), now=NOW) == pytest.approx(score(req(days=0), offer(), now=NOW))
    assert score(req(days=-3), offer(), now=NOW) < score(req(days=1), offer(), now=NOW)


# --------------------------------------------------------------------------------------------
# reasons


def test_reasons_are_codes_with_parameters_and_the_distance_as_a_band():
    # The platform words them in the reader's language (issue 22): the engine speaks no language.
    r = req(lat=north(OSS[0], 1200), slots=["di-ochtend", "vr-middag"], languages=["ar"], days=9, needs_vog=True)
    o = offer(slots=["di-ochtend"], languages=["nl", "ar"], has_vog=True)
    [proposal] = match([r], [o], now=NOW)
    said = [x.as_dict() for x in proposal.reasons]
    assert said[0] == {"code": "afstand", "band": "1-3"}
    assert {"code": "dagdelen", "slots": ["di-ochtend"]} in said
    assert {"code": "spreekt", "languages": ["ar"]} in said
    assert {"code": "vog"} in said
    assert {"code": "wacht", "days": 9} in said
    assert all(isinstance(x, Reason) for x in proposal.reasons)


def test_a_distance_is_only_ever_told_as_a_coarse_band():
    # Metres told to people before both said yes are circles that cross at a home (issue 19).
    assert [distance_band(m) for m in (0, 349, 999.9, 1000, 2999, 3000, 4999, 5000, 9999, 10_000, 12_345)] == [
        "0-1", "0-1", "0-1", "1-3", "1-3", "3-5", "3-5", "5-10", "5-10", "10+", "10+"]


# --------------------------------------------------------------------------------------------
# optimality


def random_instance(rng: random.Random, n_req: int, n_off: int, spread_m: float = 3000):
    cats = ["boodschappen", "vervoer", "klussen"]
    slots = ["ma-ochtend", "di-ochtend", "wo-avond", "za-middag"]

    def pos():
        return north(OSS[0], rng.uniform(-spread_m, spread_m)), OSS[1] + rng.uniform(-spread_m, spread_m) / 69_000

    requests = []
    for i in range(n_req):
        lat, lon = pos()
        requests.append(req(id=i, lat=lat, lon=lon, categories=rng.sample(cats, rng.randint(1, 2)),
                            slots=rng.sample(slots, rng.randint(0, 2)),
                            languages=rng.choice([[], [], ["ar"], ["tr"]]), days=rng.uniform(0, 20),
                            needs_vog=rng.random() < 0.2))
    offers = []
    for j in range(n_off):
        lat, lon = pos()
        offers.append(offer(id=f"o{j}", lat=lat, lon=lon, radius_m=rng.uniform(1000, 5000),
                            categories=rng.sample(cats, rng.randint(1, 3)), slots=rng.sample(slots, rng.randint(0, 3)),
                            languages=rng.choice([["nl"], ["nl", "ar"], ["nl", "tr"]]), capacity=rng.randint(1, 3),
                            has_vog=rng.random() < 0.5, active=rng.randint(0, 3)))
    return requests, offers


def check_valid(proposals: list[Proposal], requests, offers, exclude=frozenset()):
    by_id = {o.id: o for o in offers}
    req_by_id = {r.id: r for r in requests}
    assert len({p.request_id for p in proposals}) == len(proposals)
    for oid, n in _count(p.offer_id for p in proposals).items():
        assert n <= by_id[oid].capacity
    for p in proposals:
        assert (p.request_id, p.offer_id) not in exclude
        assert p.score == pytest.approx(score(req_by_id[p.request_id], by_id[p.offer_id], now=NOW), abs=1e-12)
    assert [p.request_id for p in proposals] == sorted(p.request_id for p in proposals)


def _count(items):
    out: dict = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


def brute_force(requests, offers, exclude=frozenset()) -> float:
    """Best total over every assignment (each request: one allowed offer or none), with capacities."""
    options = []
    for r in requests:
        mine = [(None, 0.0)]
        for o in offers:
            s = score(r, o, now=NOW)
            if s is not None and (r.id, o.id) not in exclude:
                mine.append((o.id, s))
        options.append(mine)
    caps = {o.id: o.capacity for o in offers}
    best = 0.0
    for combo in itertools.product(*options):
        used = _count(oid for oid, _ in combo if oid is not None)
        if all(n <= caps[oid] for oid, n in used.items()):
            best = max(best, sum(s for _, s in combo))
    return best


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_req=st.integers(1, 5), n_off=st.integers(1, 4), n_excl=st.integers(0, 3),
       flow=st.booleans())
def test_match_equals_brute_force_on_small_instances(seed, n_req, n_off, n_excl, flow):
    rng = random.Random(seed)
    requests, offers = random_instance(rng, n_req, n_off)
    exclude = frozenset((rng.randrange(n_req), f"o{rng.randrange(n_off)}") for _ in range(n_excl))
    default = solvers.FLOW_FROM_EDGES
    solvers.FLOW_FROM_EDGES = 0 if flow else default
    try:
        proposals = match(requests, offers, now=NOW, exclude=exclude)
    finally:
        solvers.FLOW_FROM_EDGES = default
    check_valid(proposals, requests, offers, exclude)
    assert sum(p.score for p in proposals) == pytest.approx(brute_force(requests, offers, exclude), abs=1e-9)


def dense_optimum(requests, offers, exclude=frozenset()) -> float:
    """Independent exact optimum: scipy's dense linear_sum_assignment with offer copies and dummy columns.

    Scores come from ``score`` on every pair (no spatial index)."""
    columns = [o for o in offers for _ in range(o.capacity)]
    n = len(requests)
    profit = np.zeros((n, len(columns) + n))
    for i, r in enumerate(requests):
        for j, o in enumerate(columns):
            s = score(r, o, now=NOW)
            if s is not None and (r.id, o.id) not in exclude:
                profit[i, j] = s
    rows, cols = linear_sum_assignment(profit, maximize=True)
    return float(profit[rows, cols].sum())


@pytest.mark.parametrize("solver", ["lapjv", "flow"])
@pytest.mark.parametrize("seed", range(6))
def test_match_equals_an_independent_exact_solver_on_medium_instances(seed, solver, monkeypatch):
    """Both solvers behind ``match`` (LAPJVsp below FLOW_FROM_EDGES pairs, min-cost flow above)."""
    monkeypatch.setattr(solvers, "FLOW_FROM_EDGES", 0 if solver == "flow" else 10**12)
    rng = random.Random(1000 + seed)
    requests, offers = random_instance(rng, 60, 40, spread_m=4000)
    exclude = frozenset((rng.randrange(60), f"o{rng.randrange(40)}") for _ in range(30))
    proposals = match(requests, offers, now=NOW, exclude=exclude)
    check_valid(proposals, requests, offers, exclude)
    total = sum(p.score for p in proposals)
    assert total == pytest.approx(dense_optimum(requests, offers, exclude), abs=1e-9)
    assert total >= sum(p.score for p in greedy_match(requests, offers, now=NOW, exclude=exclude)) - 1e-12


def test_capacity_scarce_offers_are_filled_but_never_overfilled():
    requests = [req(id=i, lat=north(OSS[0], 10 * i)) for i in range(10)]
    offers = [offer(id="big", capacity=3), offer(id="small", capacity=1)]
    proposals = match(requests, offers, now=NOW)
    assert len(proposals) == 4
    assert _count(p.offer_id for p in proposals) == {"big": 3, "small": 1}


def test_excluded_pairs_are_never_proposed():
    r, o1, o2 = req(id=1), offer(id="a"), offer(id="b", lat=north(OSS[0], 2000))
    assert [p.offer_id for p in match([r], [o1, o2], now=NOW)] == ["a"]
    assert [p.offer_id for p in match([r], [o1, o2], now=NOW, exclude=frozenset({(1, "a")}))] == ["b"]
    assert match([r], [o1, o2], now=NOW, exclude=frozenset({(1, "a"), (1, "b")})) == []


def test_exact_assignment_serves_requests_that_greedy_leaves_waiting():
    # r1 likes a best, r2 can only use a; greedy gives a to r1 and leaves r2 without help.
    r1 = req(id=1, lat=north(OSS[0], 0))
    r2 = req(id=2, lat=north(OSS[0], 300))
    a = offer(id="a", lat=north(OSS[0], 100), radius_m=1000)
    b = offer(id="b", lat=north(OSS[0], -600), radius_m=700)
    assert score(r1, a, now=NOW) > score(r2, a, now=NOW)
    assert score(r2, b, now=NOW) is None
    greedy = greedy_match([r1, r2], [a, b], now=NOW)
    exact = match([r1, r2], [a, b], now=NOW)
    assert len(greedy) == 1
    assert {(p.request_id, p.offer_id) for p in exact} == {(1, "b"), (2, "a")}
    assert sum(p.score for p in exact) > sum(p.score for p in greedy)


def test_empty_inputs_and_duplicate_ids():
    assert match([], [offer()], now=NOW) == []
    assert match([req()], [], now=NOW) == []
    assert match([req()], [offer(capacity=0)], now=NOW) == []
    with pytest.raises(ValueError):
        match([req(id=1), req(id=1)], [offer()], now=NOW)


def test_candidates_from_the_spatial_index_are_exactly_the_allowed_pairs():
    rng = random.Random(5)
    requests, offers = random_instance(rng, 150, 120, spread_m=8000)
    cands = Candidates(requests, offers, now=NOW)
    found = {(int(r), int(o)): s for r, o, s in zip(cands.r, cands.o, cands.score)}
    expected = {}
    for i, r in enumerate(requests):
        for j, o in enumerate(offers):
            s = score(r, o, now=NOW)
            if s is not None:
                expected[(i, j)] = s
    assert found.keys() == expected.keys()
    assert all(found[k] == pytest.approx(v, abs=1e-12) for k, v in expected.items())


def test_candidates_near_the_radius_edge_at_another_latitude():
    # far from the data's mean latitude the projection shrinks distances; the ball query must still find them
    requests = [req(id=1, lat=60.0, lon=10.0), req(id=2, lat=45.0, lon=2.0)]
    offers = [offer(id="n", lat=60.0, lon=10.0 + 2990 / (111_195 * math.cos(math.radians(60)))),
              offer(id="s", lat=45.0, lon=2.0 + 2990 / (111_195 * math.cos(math.radians(45))))]
    assert {p.offer_id for p in match(requests, offers, now=NOW)} == {"n", "s"}


# --------------------------------------------------------------------------------------------
# collective clusters


def test_collective_clusters_finds_a_planted_group_and_ignores_scattered_requests():
    rng = random.Random(3)
    planted = [req(id=f"p{i}", lat=north(OSS[0], rng.uniform(0, 300)), lon=OSS[1] + rng.uniform(0, 0.004),
                   categories=["taalmaatje"]) for i in range(5)]
    scattered = [req(id=f"s{i}", lat=north(OSS[0], 5000 * (i + 1)), categories=["taalmaatje"]) for i in range(6)]
    other_category = [req(id=f"c{i}", lat=planted[0].lat, lon=planted[0].lon, categories=["vervoer"]) for i in range(2)]
    clusters = collective_clusters(planted + scattered + other_category, radius_m=800, min_size=3)
    assert len(clusters) == 1
    [cluster] = clusters
    assert cluster.category == "taalmaatje"
    assert set(cluster.request_ids) == {r.id for r in planted}
    assert haversine_m(cluster.lat, cluster.lon, planted[0].lat, planted[0].lon) < 800
    assert collective_clusters(planted + other_category, min_size=6) == []
    assert collective_clusters([]) == []


# --------------------------------------------------------------------------------------------
# the incremental path


@pytest.mark.parametrize("seed", range(3))
def test_top_candidates_agrees_with_brute_force(seed):
    rng = random.Random(77 + seed)
    requests, offers = random_instance(rng, 20, 300, spread_m=6000)
    index = OfferIndex(offers)
    for r in requests:
        scored = sorted(((s, o.id) for o in offers if (s := score(r, o, now=NOW)) is not None), key=lambda x: -x[0])
        top = top_candidates(r, index, now=NOW, k=10)
        assert len(top) == min(10, len(scored))
        assert [p.score for p in top] == pytest.approx([s for s, _ in scored[:10]], abs=1e-12)
        assert all(p.request_id == r.id and p.reasons for p in top)
    r = requests[0]
    first = top_candidates(r, index, now=NOW, k=1)
    if first:
        excluded = top_candidates(r, index, now=NOW, k=10, exclude=frozenset({(r.id, first[0].offer_id)}))
        assert first[0].offer_id not in {p.offer_id for p in excluded}


def test_reasons_for_a_pair_without_a_shared_day_part():
    # A resident may ask a volunteer by hand whose days do not fit theirs; explaining that pair
    # raised IndexError (found by tests/integration/test_fuzz_forms.py on /prikbord/<id>/vraag-hulp).
    r = req(slots=["di-ochtend"])
    o = offer(slots=["za-middag"])
    said = reasons(r, o, now=NOW)
    assert said[0].code == "afstand"
    assert not any(reason.code in ("dagdelen", "veel_dagdelen") for reason in said)
