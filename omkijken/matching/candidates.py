"""Candidate pairs: every (request, offer) pair that passes the hard rules, with its score.

Coordinates are projected to local metres (equirectangular around the mean latitude of the data)
and put in ``scipy.spatial.cKDTree``s, per category and per band of offer radii, so only pairs that
share a category and lie within (a slightly enlarged) offer radius are ever looked at; the hard rules
and the exact great-circle distance are then checked vectorised. The score is the formula of
``scoring.py``. The tree queries release the GIL, so they run one thread per core.
"""

from __future__ import annotations

import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Iterable, Sequence

import numpy as np
from scipy.spatial import cKDTree

from . import scoring
from .model import Offer, Request

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
