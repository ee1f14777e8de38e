"""The public assignment: :func:`match` (exact, see ``solvers.py``) and the greedy baseline the bench
and the tests compare it with."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

import numpy as np

from . import scoring
from .candidates import Candidates
from .model import Offer, Proposal, Request
from .solvers import solve


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
