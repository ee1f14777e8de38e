"""A home is never shown exactly: the public point is moved at least 250 m, the same way every time."""

from __future__ import annotations

import math

from omkijken.platform.areas.services import blur
from tests.support import RUWAARD


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    return math.hypot((a[0] - b[0]) * 111_320, (a[1] - b[1]) * 111_320 * math.cos(lat))


def test_a_home_is_shown_at_least_250_m_away_but_not_far():
    homes = [(RUWAARD[0] + i * 0.0013, RUWAARD[1] + i * 0.0021) for i in range(200)]

    distances = [metres_between(blur(*home, secret="s"), home) for home in homes]

    assert min(distances) >= 249.5 and max(distances) <= 450.5


def test_the_same_home_always_shows_the_same_point():
    assert blur(*RUWAARD, secret="s") == blur(*RUWAARD, secret="s")
    next_door_same_house = (RUWAARD[0] + 0.000001, RUWAARD[1] + 0.000001)
    assert blur(*next_door_same_house, secret="s") == blur(*RUWAARD, secret="s")


def test_the_offset_depends_on_the_secret_key():
    assert blur(*RUWAARD, secret="one") != blur(*RUWAARD, secret="two")


def test_directions_are_spread_so_no_side_gives_the_home_away():
    """Each quarter of the compass gets about a quarter of the homes: a public point that always lies
    east (or north) of the home would halve the area where the home can be."""
    homes = [(RUWAARD[0] + i * 0.0007, RUWAARD[1] + (i % 7) * 0.0011) for i in range(800)]
    quadrants = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for home in homes:
        public = blur(*home, secret="s")
        quadrants[(public[0] > round(home[0], 4), public[1] > round(home[1], 4))] += 1

    assert all(150 < count < 250 for count in quadrants.values()), quadrants
