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
    homes = [(RUWAARD[0] + i * 0.0007, RUWAARD[1]) for i in range(400)]
    north = sum(blur(*home, secret="s")[0] > home[0] for home in homes)

    assert 140 < north < 260
