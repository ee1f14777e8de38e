"""Candidates, the exact assignment, the incremental path and collective clusters.

Candidates: coordinates are projected to local metres (equirectangular around the mean latitude of
the data) and put in a ``scipy.spatial.cKDTree``, per category, so only pairs that share a category
and lie within (a slightly enlarged) offer radius are ever looked at; the hard rules and the exact
great-circle distance are then checked vectorised. The score is the formula of ``scoring.py``.

Assignment: maximum total score, each request at most once, each offer at most ``capacity`` times:
a minimum-cost flow (OR-Tools ``SimpleMinCostFlow``, cost-scaling push-relabel) from a source through
the requests (capacity 1) and the candidate edges (cost ``-score``) to the offers (capacity
``capacity``) and a sink, with a free bypass from source to sink so serving fewer requests is allowed.
Flows on bipartite graphs are integral, so the flow is an assignment; its cost is minimal, so the total
score is maximal. The solver wants integer costs: scores are scaled by the largest factor that keeps
its internal arithmetic inside 64 bits (about 1e13 at province scale), so ties aside the optimum is the
float optimum to within 1e-9.

For smaller instances scipy's ``min_weight_full_bipartite_matching`` (LAPJVsp) is faster: each offer
becomes ``min(capacity, degree)`` identical columns and each request gets a private "unmatched"
column, so a full matching always exists; with weights ``2 - score`` on real edges and ``2`` on the
private column, the minimum-weight full matching maximises the total score. Independent components
of the candidate graph are solved separately. At province scale that took 8 s of the 10 s budget on
this 2-core machine, the flow about 3 s; ``FLOW_FROM_EDGES`` picks the solver.
"""

from __future__ import annotations

import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from collections import defaultdict
from datetime import datetime
from typing import Iterable, Sequence

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from ortools.graph.python import min_cost_flow
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching
from scipy.spatial import cKDTree

from . import scoring
from .model import Cluster, Offer, Proposal, Request

R = scoring.EARTH_RADIUS_M
_SLACK = 1.01  # the ball query may take a little too much; the exact distance filters afterwards


# ---------------------------------------------------------------------------------------------
# array helpers


def _popcount(a: np.ndarray) -> np.ndarray:
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(a)
    b = a.view(np.uint8).reshape(a.shape + (8,))
    return np.unpackbits(b, axis=-1).sum(axis=-1)


class _Vocab:
    """Strings -> bit positions, for set intersections as bitwise ANDs over uint64 words."""

    def __init__(self, sets: Iterable[frozenset[str]]):
        # people share few distinct sets ({"boodschappen"}, ...): collect those first
        self.index: dict[str, int] = {item: i for i, item in enumerate(sorted(set().union(*set(sets))))}
        self.words = max(1, -(-len(self.index) // 64))

    def masks(self, sets: Sequence[frozenset[str]]) -> np.ndarray:
        ids: dict[frozenset[str], int] = {}
        row_of = np.array([ids.setdefault(s, len(ids)) for s in sets], dtype=np.int64)
        index, full = self.index, (1 << 64) - 1
        ints = [sum(1 << index[item] for item in s if item in index) for s in ids]
        distinct = np.array([[(m >> (64 * w)) & full for w in range(self.words)] for m in ints],
                            dtype=np.uint64).reshape(len(ids), self.words)
        return distinct[row_of]

    def members(self, masks: np.ndarray, item: str) -> np.ndarray:
        """Row positions whose set holds ``item``."""
        bit = self.index[item]
        return np.flatnonzero(masks[:, bit // 64] & (np.uint64(1) << np.uint64(bit % 64)))


def _unique_inverse(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(a, return_inverse=True)`` by sorting (numpy's hash-based path is slower here)."""
    order = np.argsort(a, kind="stable")
    sa = a[order]
    new = np.concatenate(([True], sa[1:] != sa[:-1])) if len(sa) else np.zeros(0, dtype=bool)
    inverse = np.empty(len(a), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return sa[new], inverse


def _any_shared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a & b).any(axis=1)


def _haversine(p1, l1, cos1, p2, l2, cos2) -> np.ndarray:
    """Great-circle distance in metres from latitudes/longitudes in radians and cos(latitude)."""
    a = np.sin((p2 - p1) * 0.5)
    a *= a
    b = np.sin((l2 - l1) * 0.5)
    b *= b
    a += cos1 * cos2 * b
    np.sqrt(a, out=a)
    np.minimum(a, 1.0, out=a)
    return (2 * R) * np.arcsin(a)


def _haversine_deg(lat1, lon1, lat2, lon2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    return _haversine(p1, np.radians(lon1), np.cos(p1), p2, np.radians(lon2), np.cos(p2))


def _project(lat: np.ndarray, lon: np.ndarray, lat0: float) -> np.ndarray:
    return np.column_stack((R * math.cos(math.radians(lat0)) * np.radians(lon), R * np.radians(lat)))


def _stretch(lat0: float, max_abs_lat: float) -> float:
    """How much the projection can shrink a true distance (east-west, away from lat0), plus slack."""
    far = min(math.radians(max_abs_lat) + 0.01, math.radians(89.0))
    return max(1.0, math.cos(math.radians(lat0)) / math.cos(far)) * _SLACK


class _Side:
    """Column arrays of the requests or offers that the vectorised rules and score need."""

    def __init__(self, items: Sequence, cat: _Vocab, slot: _Vocab, lang: _Vocab):
        self.items = items
        self.lat = np.fromiter((x.lat for x in items), dtype=float, count=len(items))
        self.lon = np.fromiter((x.lon for x in items), dtype=float, count=len(items))
        self.cat = cat.masks([x.categories for x in items])
        self.slot = slot.masks([x.slots for x in items])
        self.lang = lang.masks([x.languages for x in items])
        self.n_slots = np.fromiter((len(x.slots) for x in items), dtype=float, count=len(items))
        self.rlat, self.rlon = np.radians(self.lat), np.radians(self.lon)
        self.coslat = np.cos(self.rlat)


def _requests_side(requests, now, cat, slot, lang) -> _Side:
    side = _Side(requests, cat, slot, lang)
    side.n_lang = np.fromiter((len(x.languages) for x in requests), dtype=np.int64, count=len(requests))
    side.needs_vog = np.fromiter((bool(x.needs_vog) for x in requests), dtype=bool, count=len(requests))
    side.waiting = np.fromiter(
        (scoring.waiting_share(x.created_at, now) for x in requests), dtype=float, count=len(requests)
    )
    return side


def _offers_side(offers, cat, slot, lang) -> _Side:
    n = len(offers)
    side = _Side(offers, cat, slot, lang)
    side.radius = np.fromiter((float(x.radius_m) for x in offers), dtype=float, count=n)
    side.has_vog = np.fromiter((bool(x.has_vog) for x in offers), dtype=bool, count=n)
    side.capacity = np.fromiter((int(x.capacity) for x in offers), dtype=np.int64, count=n)
    side.load = 1.0 / (1.0 + np.maximum(np.fromiter((x.active_koppelingen for x in offers), dtype=float, count=n), 0))
    return side


def _rules_and_score(req: _Side, off: _Side, r: np.ndarray, o: np.ndarray, *,
                     check_categories: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the pairs (request positions ``r``, offer positions ``o``) that pass every hard rule.

    Returns the kept ``r``, ``o`` and their scores: the formula of ``scoring.score``. The cheap
    rules go first so the great-circle distance is computed for fewer pairs.
    """
    ok = ~req.needs_vog[r] | off.has_vog[o]
    if check_categories:
        ok &= _any_shared(req.cat[r], off.cat[o])
    r, o = r[ok], o[ok]
    ok = (req.n_lang[r] == 0) | _any_shared(req.lang[r], off.lang[o])
    r, o = r[ok], o[ok]
    shared_slots = _popcount(req.slot[r] & off.slot[o]).sum(axis=1)
    both_slots = (req.n_slots[r] > 0) & (off.n_slots[o] > 0)
    ok = ~both_slots | (shared_slots > 0)
    r, o, shared_slots, both_slots = r[ok], o[ok], shared_slots[ok], both_slots[ok]
    dist = _haversine(req.rlat[r], req.rlon[r], req.coslat[r], off.rlat[o], off.rlon[o], off.coslat[o])
    radius = off.radius[o]
    ok = dist <= radius
    r, o, dist, radius, shared_slots, both_slots = (
        r[ok], o[ok], dist[ok], radius[ok], shared_slots[ok], both_slots[ok])
    with np.errstate(divide="ignore", invalid="ignore"):
        near = np.where(radius > 0, 1.0 - dist / np.where(radius > 0, radius, 1.0), 1.0)
        share = np.where(both_slots, shared_slots / np.maximum(req.n_slots[r], 1.0), 1.0)
    s = (
        scoring.W_BASE
        + scoring.W_NEAR * near
        + scoring.W_SLOTS * share
        + scoring.W_WAITING * req.waiting[r]
        + scoring.W_LOAD * off.load[o]
    )
    return r, o, s


def _radius_groups(reach: np.ndarray, ratio: float = 1.25) -> list[np.ndarray]:
    """Positions of ``reach`` grouped so that within a group the largest is at most ``ratio`` times
    the smallest: one tree-to-tree query per group (fast, no Python lists) finds a few pairs too
    many, which the exact per-offer radius then drops."""
    if len(reach) == 0:
        return []
    level = np.floor(np.log(np.maximum(reach, 1.0)) / math.log(ratio)).astype(np.int64)
    order = np.argsort(level, kind="stable")
    bounds = np.flatnonzero(np.diff(level[order])) + 1
    return np.split(order, bounds)


# ---------------------------------------------------------------------------------------------
# candidates


class Candidates:
    """All allowed (request, offer) pairs of an instance, as parallel arrays of indices and scores."""

    def __init__(self, requests: Sequence[Request], offers: Sequence[Offer], *, now: datetime,
                 exclude: frozenset = frozenset()):
        self.requests, self.offers = requests, offers
        nr, no = len(requests), len(offers)
        empty = np.zeros(0, dtype=np.int64)
        self.r, self.o, self.score = empty, empty, np.zeros(0)
        self.capacity = np.fromiter((int(x.capacity) for x in offers), dtype=np.int64, count=no)
        if nr == 0 or no == 0:
            return
        everyone = list(itertools.chain(requests, offers))
        cat = _Vocab(x.categories for x in everyone)
        slot = _Vocab(x.slots for x in everyone)
        lang = _Vocab(x.languages for x in everyone)
        req = _requests_side(requests, now, cat, slot, lang)
        off = _offers_side(offers, cat, slot, lang)

        lats = np.concatenate((req.lat, off.lat))
        lat0 = float(lats.mean())
        stretch = _stretch(lat0, float(np.abs(lats).max()))
        req_xy, off_xy = _project(req.lat, req.lon, lat0), _project(off.lat, off.lon, lat0)

        usable = off.capacity > 0
        reach = off.radius * stretch

        def pairs_in(c: str) -> list[tuple[np.ndarray, np.ndarray]]:
            ri = cat.members(req.cat, c)
            oi = cat.members(off.cat, c)
            oi = oi[usable[oi]]
            if len(ri) == 0 or len(oi) == 0:
                return []
            tree = cKDTree(req_xy[ri])
            found = []
            for group in _radius_groups(reach[oi]):
                members = oi[group]
                pairs = cKDTree(off_xy[members]).sparse_distance_matrix(
                    tree, float(reach[members].max()), output_type="ndarray")
                near = pairs["v"] <= reach[members[pairs["i"]]]
                found.append((ri[pairs["j"][near]], members[pairs["i"][near]]))
            return found

        # The tree queries release the GIL: one thread per core halves the wall time on two cores.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            found = [pair for part in pool.map(pairs_in, list(cat.index)) for pair in part]
        parts_r, parts_o = [r for r, _ in found], [o for _, o in found]
        if not parts_r:
            return
        r, o = np.concatenate(parts_r), np.concatenate(parts_o)
        if len(r) == 0:
            return
        if len(parts_r) > 1:  # a pair sharing two categories was found twice
            key = np.sort(r * no + o)
            key = key[np.concatenate(([True], key[1:] != key[:-1]))]
            r, o = key // no, key % no
        if exclude:
            req_pos = {x.id: i for i, x in enumerate(requests)}
            off_pos = {x.id: j for j, x in enumerate(offers)}
            bad = [req_pos[a] * no + off_pos[b] for a, b in exclude if a in req_pos and b in off_pos]
            if bad:
                keep = ~np.isin(r * no + o, np.asarray(bad, dtype=np.int64))
                r, o = r[keep], o[keep]
        workers = os.cpu_count() or 1
        if workers > 1 and len(r) > 100_000:  # numpy releases the GIL: check halves side by side
            cut = np.array_split(np.arange(len(r)), workers)
            with ThreadPoolExecutor(max_workers=workers) as pool:
                done = list(pool.map(lambda part: _rules_and_score(req, off, r[part], o[part],
                                                                   check_categories=False), cut))
            self.r, self.o, self.score = (np.concatenate([d[k] for d in done]) for k in range(3))
        else:
            self.r, self.o, self.score = _rules_and_score(req, off, r, o, check_categories=False)

    def __len__(self) -> int:
        return len(self.r)


# ---------------------------------------------------------------------------------------------
# exact assignment


def _solve_component(r_local: np.ndarray, o_local: np.ndarray, s: np.ndarray, caps: np.ndarray,
                     n_rows: int) -> np.ndarray:
    """Indices (into the component's edges) of a maximum-score b-matching."""
    n_off = len(caps)
    degree = np.bincount(o_local, minlength=n_off)
    copies = np.minimum(caps, degree)
    first_col = np.concatenate(([0], np.cumsum(copies)[:-1]))
    n_copy = int(copies.sum())
    rep = copies[o_local]
    edge_of = np.repeat(np.arange(len(s)), rep)
    within = np.arange(len(edge_of)) - np.repeat(np.cumsum(rep) - rep, rep)
    rows = np.concatenate((r_local[edge_of], np.arange(n_rows)))
    cols = np.concatenate((first_col[o_local[edge_of]] + within, n_copy + np.arange(n_rows)))
    weights = np.concatenate((2.0 - s[edge_of], np.full(n_rows, 2.0)))
    edge_ids = np.concatenate((edge_of, np.full(n_rows, -1)))
    matrix = csr_matrix((weights, (rows, cols)), shape=(n_rows, n_copy + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    # find which edge each chosen (row, col) is: look the pair up in a sorted key array
    keys = rows.astype(np.int64) * (n_copy + n_rows) + cols
    order = np.argsort(keys)
    chosen = row_ind.astype(np.int64) * (n_copy + n_rows) + col_ind
    pos = order[np.searchsorted(keys, chosen, sorter=order)]
    picked = edge_ids[pos]
    return picked[picked >= 0]


def _solve_by_lapjv(cands: Candidates) -> np.ndarray:
    ur, r_local = _unique_inverse(cands.r)
    uo, o_local = _unique_inverse(cands.o)
    n_r, n_o = len(ur), len(uo)
    graph = coo_matrix((np.ones(len(cands)), (r_local, n_r + o_local)), shape=(n_r + n_o, n_r + n_o))
    n_comp, label = connected_components(graph, directed=False)
    caps = cands.capacity[uo]
    if n_comp == 1:
        return _solve_component(r_local, o_local, cands.score, caps, n_r)
    edge_comp = label[r_local]
    order = np.argsort(edge_comp, kind="stable")
    bounds = np.searchsorted(edge_comp[order], np.arange(n_comp + 1))
    picked = []
    for c in range(n_comp):
        e = order[bounds[c]:bounds[c + 1]]
        if len(e) == 0:
            continue
        if len(e) == 1:  # a lone pair: take it
            picked.append(e)
            continue
        cr, cr_local = _unique_inverse(r_local[e])
        co, co_local = _unique_inverse(o_local[e])
        chosen = _solve_component(cr_local, co_local, cands.score[e], caps[co], len(cr))
        picked.append(e[chosen])
    return np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)


# OR-Tools' cost scaling multiplies costs by about the number of nodes; keep that inside int64.
_INT64_HEADROOM = 2**62


def _solve_by_flow(cands: Candidates) -> np.ndarray:
    n_edges = len(cands)
    ur, r_local = _unique_inverse(cands.r)
    uo, o_local = _unique_inverse(cands.o)
    n_r, n_o = len(ur), len(uo)
    source, sink = n_r + n_o, n_r + n_o + 1
    scale = float(_INT64_HEADROOM // ((n_r + n_o + 2) * 4))
    cost = -np.rint(cands.score * scale).astype(np.int64)
    capacity = np.minimum(cands.capacity[uo], np.bincount(o_local, minlength=n_o))
    tails = np.concatenate((np.full(n_r, source), r_local, n_r + np.arange(n_o), [source]))
    heads = np.concatenate((np.arange(n_r), n_r + o_local, np.full(n_o, sink), [sink]))
    caps = np.concatenate((np.ones(n_r + n_edges, dtype=np.int64), capacity, [n_r]))
    costs = np.concatenate((np.zeros(n_r, dtype=np.int64), cost, np.zeros(n_o + 1, dtype=np.int64)))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n_r + n_o + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_r, -n_r
    flow.set_nodes_supplies(np.arange(n_r + n_o + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return np.flatnonzero(flow.flows(arcs[n_r:n_r + n_edges]) > 0)


# Below this many candidate pairs scipy's LAPJVsp is faster (Oss scale: 0.2 s against 0.3 s);
# above it the flow wins by far (province scale: 3 s against 8 s).
FLOW_FROM_EDGES = 500_000


def solve(cands: Candidates) -> np.ndarray:
    """Indices into ``cands`` of the maximum-total-score assignment."""
    if len(cands) == 0:
        return np.zeros(0, dtype=np.int64)
    return _solve_by_flow(cands) if len(cands) >= FLOW_FROM_EDGES else _solve_by_lapjv(cands)


def _sorted_by_request(proposals: list[Proposal]) -> list[Proposal]:
    try:
        return sorted(proposals, key=lambda p: p.request_id)
    except TypeError:  # ids that do not compare: keep the input order of the requests
        return proposals


def _proposals(cands: Candidates, chosen: np.ndarray, now: datetime) -> list[Proposal]:
    chosen = chosen[np.argsort(cands.r[chosen], kind="stable")]
    out = []
    for e in chosen.tolist():
        request, offer = cands.requests[int(cands.r[e])], cands.offers[int(cands.o[e])]
        out.append(Proposal(request.id, offer.id, float(cands.score[e]),
                            scoring.reasons(request, offer, now=now)))
    return _sorted_by_request(out)


def _check_unique(items: Sequence, what: str) -> None:
    if len({x.id for x in items}) != len(items):
        raise ValueError(f"{what} ids are not unique")


def match(requests: Iterable[Request], offers: Iterable[Offer], *, now: datetime,
          exclude: frozenset = frozenset()) -> list[Proposal]:
    """The assignment with the maximum total score (see the module docstring), sorted by request id.

    Each request appears at most once, each offer at most ``capacity`` times, and no
    ``(request_id, offer_id)`` pair in ``exclude`` is proposed.
    """
    requests, offers = list(requests), list(offers)
    _check_unique(requests, "request")
    _check_unique(offers, "offer")
    cands = Candidates(requests, offers, now=now, exclude=frozenset(exclude))
    return _proposals(cands, solve(cands), now)


def greedy_match(requests: Iterable[Request], offers: Iterable[Offer], *, now: datetime,
                 exclude: frozenset = frozenset()) -> list[Proposal]:
    """Baseline for the bench and the tests only: take the highest-scoring free pair first."""
    requests, offers = list(requests), list(offers)
    cands = Candidates(requests, offers, now=now, exclude=frozenset(exclude))
    return _proposals(cands, greedy_indices(cands), now)


def greedy_indices(cands: Candidates) -> np.ndarray:
    if len(cands) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-cands.score, kind="stable")
    taken = np.zeros(len(cands.requests), dtype=bool)
    left = cands.capacity.copy()
    picked = []
    for e, r, o in zip(order.tolist(), cands.r[order].tolist(), cands.o[order].tolist()):
        if not taken[r] and left[o] > 0:
            taken[r] = True
            left[o] -= 1
            picked.append(e)
    return np.asarray(picked, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# the incremental path: one new request against many offers


class OfferIndex:
    """Offers prepared once (arrays, bit masks and a KD-tree) for many :func:`top_candidates` calls."""

    def __init__(self, offers: Iterable[Offer]):
        self.offers = [x for x in offers if x.capacity > 0]
        items = self.offers
        self._cat = _Vocab(x.categories for x in items)
        self._slot = _Vocab(x.slots for x in items)
        self._lang = _Vocab(x.languages for x in items)
        self._side = _offers_side(items, self._cat, self._slot, self._lang)
        if items:
            self._lat0 = float(self._side.lat.mean())
            self._max_abs_lat = float(np.abs(self._side.lat).max())
            self._max_radius = float(self._side.radius.max())
            self._tree = cKDTree(_project(self._side.lat, self._side.lon, self._lat0))

    def __len__(self) -> int:
        return len(self.offers)

    def scored(self, request: Request, *, now: datetime) -> tuple[np.ndarray, np.ndarray]:
        """(offer positions, scores) of every offer that passes the hard rules for ``request``."""
        if not self.offers:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        stretch = _stretch(self._lat0, max(self._max_abs_lat, abs(request.lat)))
        xy = _project(np.array([request.lat]), np.array([request.lon]), self._lat0)[0]
        near = np.asarray(self._tree.query_ball_point(xy, r=self._max_radius * stretch), dtype=np.int64)
        req = _requests_side([request], now, self._cat, self._slot, self._lang)
        _, pos, s = _rules_and_score(req, self._side, np.zeros(len(near), dtype=np.int64), near)
        return pos, s


def top_candidates(request: Request, offers_index: OfferIndex, *, now: datetime, k: int = 10,
                   exclude: frozenset = frozenset()) -> list[Proposal]:
    """The ``k`` best offers for one request (best first), as proposals with reasons.

    ``exclude`` holds ``(request_id, offer_id)`` pairs, as in :func:`match`.
    """
    pos, s = offers_index.scored(request, now=now)
    if exclude:
        keep = np.fromiter(((request.id, offers_index.offers[j].id) not in exclude for j in pos.tolist()),
                           dtype=bool, count=len(pos))
        pos, s = pos[keep], s[keep]
    if len(pos) > k:
        part = np.argpartition(-s, k - 1)[:k]
        pos, s = pos[part], s[part]
    order = np.lexsort((pos, -s))  # best first, ties by offer order
    out = []
    for j, value in zip(pos[order].tolist(), s[order].tolist()):
        offer = offers_index.offers[j]
        out.append(Proposal(request.id, offer.id, value, scoring.reasons(request, offer, now=now)))
    return out


# ---------------------------------------------------------------------------------------------
# collective clusters


def collective_clusters(requests: Iterable[Request], *, radius_m: float = 800, min_size: int = 3) -> list[Cluster]:
    """Per category, groups of requests linked by chains of neighbours within ``radius_m``.

    Single linkage (connected components of the "within radius_m" graph, as DBSCAN with
    min_samples=1); only groups of at least ``min_size`` requests are returned, largest first.
    A request with several categories can be in one cluster per category.
    """
    requests = list(requests)
    if not requests or min_size < 1:
        return []
    lat = np.array([x.lat for x in requests], dtype=float)
    lon = np.array([x.lon for x in requests], dtype=float)
    lat0 = float(lat.mean())
    stretch = _stretch(lat0, float(np.abs(lat).max()))
    xy = _project(lat, lon, lat0)
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, x in enumerate(requests):
        for c in x.categories:
            by_cat[c].append(i)
    clusters = []
    for c in sorted(by_cat):
        idx = np.asarray(by_cat[c], dtype=np.int64)
        if len(idx) < min_size:
            continue
        pairs = cKDTree(xy[idx]).query_pairs(r=radius_m * stretch, output_type="ndarray")
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            close = _haversine_deg(lat[idx[a]], lon[idx[a]], lat[idx[b]], lon[idx[b]]) <= radius_m
            a, b = a[close], b[close]
        else:
            a = b = np.zeros(0, dtype=np.int64)
        graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(idx), len(idx)))
        _, label = connected_components(graph, directed=False)
        sizes = np.bincount(label)
        for comp in np.flatnonzero(sizes >= min_size).tolist():
            members = idx[label == comp]
            clusters.append(Cluster(
                category=c,
                request_ids=tuple(requests[i].id for i in members.tolist()),
                lat=float(lat[members].mean()),
                lon=float(lon[members].mean()),
            ))
    clusters.sort(key=lambda cl: -cl.size)
    return clusters
