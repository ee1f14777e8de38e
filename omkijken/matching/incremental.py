"""The incremental path: one new request against many offers, prepared once in an :class:`OfferIndex`."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

import numpy as np
from scipy.spatial import cKDTree

from . import scoring
from .candidates import _offers_side, _project, _requests_side, _rules_and_score, _stretch, _Vocab
from .model import Offer, Proposal, Request


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
