"""How well one offer fits one request: hard rules, the score, and the reasons people read.

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

from .model import DAY_PARTS, DAYS, Offer, Request

EARTH_RADIUS_M = 6_371_008.8
W_BASE = 0.05
W_NEAR = 0.40
W_SLOTS = 0.20
W_WAITING = 0.20
W_LOAD = 0.15
WAITING_SATURATES_DAYS = 14.0

LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "Engels",
    "ar": "Arabisch",
    "tr": "Turks",
    "pl": "Pools",
    "ti": "Tigrinya",
    "uk": "Oekraïens",
    "de": "Duits",
}
DAY_NAMES = dict(zip(DAYS, ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")))
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
# point, and three of them cross at it (issue 19). Upper bounds in metres, with the Dutch words.
DISTANCE_BANDS = ((1_000, "binnen 1 km"), (3_000, "1 tot 3 km"), (5_000, "3 tot 5 km"), (10_000, "5 tot 10 km"))
BEYOND_BANDS = "meer dan 10 km"


def distance_band(metres: float) -> str:
    """"binnen 1 km", "1 tot 3 km", "3 tot 5 km", "5 tot 10 km" or "meer dan 10 km"."""
    for upper, words in DISTANCE_BANDS:
        if metres < upper:
            return words
    return BEYOND_BANDS


def slot_name(slot: str) -> str:
    """"di-ochtend" -> "dinsdagochtend"; an unknown slot is shown as it is."""
    day, _, part = slot.partition("-")
    if day in DAY_NAMES and part in DAY_PARTS:
        return DAY_NAMES[day] + part
    return slot


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def reasons(request: Request, offer: Offer, *, now: datetime) -> tuple[str, ...]:
    """Short Dutch phrases that explain a pair: distance (as a band), shared day parts, language, VOG,
    waiting time. The words are shown to both people before either said yes, so the caller gives
    points that both may know (the platform gives the public points, never the homes)."""
    out = [distance_band(haversine_m(request.lat, request.lon, offer.lat, offer.lon))]
    shared_categories = sorted(request.categories & offer.categories)
    if shared_categories:
        out.append("helpt met " + _join(shared_categories))
    if request.slots and offer.slots:
        shared = sorted(request.slots & offer.slots, key=lambda s: (_SLOT_ORDER.get(s, 99), s))
        if not shared:
            pass  # only for a pair people chose by hand: the engine never pairs them without a shared dagdeel
        elif len(shared) <= 3:
            out.append("beiden " + _join([slot_name(s) for s in shared]))
        else:
            out.append(f"beiden {len(shared)} dagdelen, o.a. {slot_name(shared[0])}")
    elif request.slots:
        out.append("kan op elk dagdeel")
    if request.languages:
        spoken = sorted(request.languages & offer.languages, key=lambda c: (c != "nl", c))
        if spoken:
            out.append("spreekt " + _join([LANGUAGE_NAMES.get(c, c) for c in spoken]))
    if offer.has_vog:
        out.append("heeft een VOG")
    days = int((now - request.created_at).total_seconds() // 86400)
    if days >= 7:
        out.append(f"wacht al {days} dagen")
    return tuple(out)
