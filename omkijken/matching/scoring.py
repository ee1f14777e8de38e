"""How well one offer fits one request: hard rules, the score, and the reasons people read (as codes).

Hard rules (any failing one gives ``None``, the pair is never proposed):

1. request and offer share at least one category;
2. the great-circle (haversine) distance between them is at most ``offer.radius_m``;
3. when both have slots, at least one slot is shared (empty slots mean "any time");
4. when the request lists languages, the offer speaks at least one of them;
5. when the request needs a VOG, the offer has one.

Score of a pair that passes, always in (0, 1]::

    score = 0.05 + 0.40 * near + 0.20 * slot_share + 0.20 * waiting + 0.15 * load

    near       = 1 - distance / radius_m                    (1 on the spot, 0 at the edge; 1 if radius_m == 0)
    slot_share = |request.slots & offer.slots| / |request.slots|
                 (1 when either side has no slots: any time fits)
    waiting    = min(days since request.created_at, 14) / 14 (0 for a new request, 1 after two weeks;
                 negative ages count as 0)
    load       = 1 / (1 + offer.active_koppelingen)        (1 for a volunteer with nothing running)

The weights sum to 1 and every term lies in [0, 1], so the score lies in [0.05, 1]: never 0, so
every allowed pair is worth proposing, and the exact assignment in :func:`omkijken.matching.match`
serves as many requests as it can unless serving one more would cost more score than it adds.
The vectorised version in ``engine.py`` computes exactly this formula; a unit test checks they agree.
"""

from __future__ import annotations

import math
from datetime import datetime

from .model import DAY_PARTS, DAYS, Offer, Reason, Request

EARTH_RADIUS_M = 6_371_008.8
W_BASE = 0.05
W_NEAR = 0.40
W_SLOTS = 0.20
W_WAITING = 0.20
W_LOAD = 0.15
WAITING_SATURATES_DAYS = 14.0

_SLOT_ORDER = {f"{d}-{p}": i * 3 + j for i, d in enumerate(DAYS) for j, p in enumerate(DAY_PARTS)}


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def waiting_share(created_at: datetime, now: datetime) -> float:
    days = (now - created_at).total_seconds() / 86400.0
    return min(max(days, 0.0), WAITING_SATURATES_DAYS) / WAITING_SATURATES_DAYS


def _combine(near: float, slot_share: float, waiting: float, load: float) -> float:
    return W_BASE + W_NEAR * near + W_SLOTS * slot_share + W_WAITING * waiting + W_LOAD * load


def score(request: Request, offer: Offer, *, now: datetime) -> float | None:
    """The score of the pair in (0, 1], or ``None`` when a hard rule fails (see the module docstring)."""
    if not request.categories & offer.categories:
        return None
    if request.needs_vog and not offer.has_vog:
        return None
    if request.languages and not request.languages & offer.languages:
        return None
    if request.slots and offer.slots and not request.slots & offer.slots:
        return None
    distance = haversine_m(request.lat, request.lon, offer.lat, offer.lon)
    if distance > offer.radius_m:
        return None
    near = 1.0 - distance / offer.radius_m if offer.radius_m > 0 else 1.0
    if request.slots and offer.slots:
        slot_share = len(request.slots & offer.slots) / len(request.slots)
    else:
        slot_share = 1.0
    load = 1.0 / (1.0 + max(offer.active_koppelingen, 0))
    return _combine(near, slot_share, waiting_share(request.created_at, now), load)


# Distances are told in coarse bands, never in metres: a shown distance is one circle around a
# point, and three of them cross at it (issue 19). Upper bounds in metres, with the band's code.
DISTANCE_BANDS = ((1_000, "0-1"), (3_000, "1-3"), (5_000, "3-5"), (10_000, "5-10"))
BEYOND_BANDS = "10+"
#: Every band code, nearest first.
DISTANCE_BAND_CODES = tuple(code for _, code in DISTANCE_BANDS) + (BEYOND_BANDS,)


def distance_band(metres: float) -> str:
    """The band's code: "0-1" (within 1 km), "1-3", "3-5", "5-10" or "10+" (more than 10 km)."""
    for upper, code in DISTANCE_BANDS:
        if metres < upper:
            return code
    return BEYOND_BANDS


def reasons(request: Request, offer: Offer, *, now: datetime) -> tuple[Reason, ...]:
    """The points that explain a pair, as codes (see :class:`Reason`): distance (as a band), shared
    categories and day parts, language, VOG, waiting time. They are shown to both people before
    either said yes, so the caller gives points that both may know (the platform gives the public
    points, never the homes). The platform words them in the reader's language."""
    out = [Reason("afstand", (("band", distance_band(haversine_m(request.lat, request.lon, offer.lat, offer.lon))),))]
    shared_categories = sorted(request.categories & offer.categories)
    if shared_categories:
        out.append(Reason("helpt_met", (("categories", tuple(shared_categories)),)))
    if request.slots and offer.slots:
        shared = sorted(request.slots & offer.slots, key=lambda s: (_SLOT_ORDER.get(s, 99), s))
        if not shared:
            pass  # only for a pair people chose by hand: the engine never pairs them without a shared dagdeel
        elif len(shared) <= 3:
            out.append(Reason("dagdelen", (("slots", tuple(shared)),)))
        else:
            out.append(Reason("veel_dagdelen", (("count", len(shared)), ("first", shared[0]))))
    elif request.slots:
        out.append(Reason("elk_dagdeel"))
    if request.languages:
        spoken = sorted(request.languages & offer.languages, key=lambda c: (c != "nl", c))
        if spoken:
            out.append(Reason("spreekt", (("languages", tuple(spoken)),)))
    if offer.has_vog:
        out.append(Reason("vog"))
    days = int((now - request.created_at).total_seconds() // 86400)
    if days >= 7:
        out.append(Reason("wacht", (("days", days),)))
    return tuple(out)
