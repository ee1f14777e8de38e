"""The plain, frozen dataclasses the engine takes and returns.

Sets are stored as frozensets: anything iterable is accepted and converted, so a caller may
pass a list or a set. Ids are opaque (int, str, UUID ...): the engine only hashes and compares
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Hashable

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DAY_PARTS = ("ochtend", "middag", "avond")
#: Every known slot, in week order: "ma-ochtend", "ma-middag", ..., "zo-avond".
SLOTS = tuple(f"{d}-{p}" for d in DAYS for p in DAY_PARTS)
LANGUAGES = ("nl", "en", "ar", "tr", "pl", "ti", "uk", "de")


def _frozen(obj: object, name: str) -> None:
    value = getattr(obj, name)
    if isinstance(value, str):  # a lone string is a common slip: "nl" is not {"n", "l"}
        value = (value,)
    if not isinstance(value, frozenset):
        object.__setattr__(obj, name, frozenset(value))


@dataclass(frozen=True)
class Request:
    """An open hulpvraag.

    ``slots`` empty means "any time"; ``languages`` empty means "no language requirement".
    """

    id: Hashable
    lat: float
    lon: float
    categories: frozenset[str]
    slots: frozenset[str]
    languages: frozenset[str]
    created_at: datetime
    needs_vog: bool = False
    dienst: str | None = None

    def __post_init__(self) -> None:
        for name in ("categories", "slots", "languages"):
            _frozen(self, name)


@dataclass(frozen=True)
class Offer:
    """A volunteer's aanbod: what, where (within ``radius_m`` of lat/lon), when and in which languages.

    ``capacity`` is how many new koppelingen the volunteer takes on at once; ``active_koppelingen``
    is how many are running now (used to spread the load, not as a hard limit).
    ``slots`` empty means "any time".
    """

    id: Hashable
    lat: float
    lon: float
    radius_m: float
    categories: frozenset[str]
    slots: frozenset[str] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)
    capacity: int = 1
    has_vog: bool = False
    active_koppelingen: int = 0

    def __post_init__(self) -> None:
        for name in ("categories", "slots", "languages"):
            _frozen(self, name)


@dataclass(frozen=True)
class Reason:
    """One point that explains a pair, as a code with its parameters; the platform words it in the
    reader's language. Codes and parameters (all JSON values):

    - ``afstand``: ``band`` is one of :data:`DISTANCE_BAND_CODES` (``"1-3"`` is "1 to 3 km");
    - ``helpt_met``: ``categories``, a sorted list of shared category codes;
    - ``dagdelen``: ``slots``, the shared slots in week order (at most three);
    - ``veel_dagdelen``: ``count`` shared slots, ``first`` the first of them;
    - ``elk_dagdeel``: the offer gave no slots, any time fits;
    - ``spreekt``: ``languages``, shared language codes ("nl" first);
    - ``vog``: the volunteer has a VOG;
    - ``wacht``: ``days`` the request has waited (7 or more).
    """

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """What the platform stores: ``{"code": ..., **params}``."""
        return {"code": self.code, **{k: list(v) if isinstance(v, tuple) else v for k, v in self.params}}


@dataclass(frozen=True)
class Proposal:
    """A proposed koppeling with its score and the reasons shown to both sides (as codes)."""

    request_id: Hashable
    offer_id: Hashable
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Cluster:
    """Open requests of one category that lie close together: a candidate collective activity."""

    category: str
    request_ids: tuple[Hashable, ...]
    lat: float
    lon: float

    @property
    def size(self) -> int:
        return len(self.request_ids)
