"""The vraag/aanbod matching engine.

Pure Python on purpose (numpy, scipy and OR-Tools only): no Flask, no SQLAlchemy, no I/O, so the engine can be
tested, benchmarked and reused without a database. Everything that depends on time takes ``now``.

- :func:`score` -- hard rules and the documented score formula (``scoring.py``).
- :func:`match` -- the exact maximum-total-score assignment with offer capacities (``engine.py``,
  candidates in ``candidates.py``, the two exact solvers in ``solvers.py``).
- :class:`OfferIndex` + :func:`top_candidates` -- one new request against many offers (``incremental.py``).
- :func:`collective_clusters` -- nearby requests of one category, for "collectief, tenzij" (``clusters.py``).
"""

from .clusters import collective_clusters
from .engine import greedy_match, match
from .incremental import OfferIndex, top_candidates
from .model import LANGUAGES, SLOTS, Cluster, Offer, Proposal, Reason, Request
from .scoring import reasons, score

__all__ = [
    "Cluster",
    "LANGUAGES",
    "Offer",
    "OfferIndex",
    "Proposal",
    "Reason",
    "Request",
    "SLOTS",
    "collective_clusters",
    "greedy_match",
    "match",
    "reasons",
    "score",
    "top_candidates",
]
