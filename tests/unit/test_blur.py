"""A home is never shown exactly: the public point is moved at least 250 m, the same way every time."""

from __future__ import annotations

import math

import pytest

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


# Public points are stored with each post (posts/services.py). Were the formula to change in a
# release, one home would show two points, old posts and new, and two points narrow where it is.
PINNED = [
    ((51.749697, 5.526908), "s", (51.74837564657621, 5.523070126952763)),  # Ruwaard, Oss
    ((51.7712, 5.5423), "geheim", (51.76880935016872, 5.54614204309188)),
    ((-33.8688, 151.2093), "s", (-33.87037336773037, 151.21274803230128)),  # south and east of Greenwich
    # Five decimals: rounded to four (about 10 m) before the hash, so a re-geocoded address keeps its point.
    ((51.74312, 5.51876), "s", (51.74508238631796, 5.5163201336370165)),
    ((51.74308, 5.51878), "s", (51.74508238631796, 5.5163201336370165)),
]


def test_a_home_shows_the_same_public_point_after_every_release():
    for home, secret, public in PINNED:
        assert blur(*home, secret=secret) == pytest.approx(public, abs=1e-7), home  # 1e-7 degree: about 1 cm


def test_distances_fill_the_whole_band_not_just_its_near_half():
    """A public point always 250-350 m off would tell the home lies on a narrower ring."""
    homes = [(RUWAARD[0] + i * 0.0013, RUWAARD[1] + i * 0.0021) for i in range(200)]
    distances = sorted(metres_between(blur(*home, secret="s"), (round(home[0], 4), round(home[1], 4)))
                       for home in homes)
    assert distances[0] < 270 and distances[-1] > 430
    assert 40 < sum(d > 400 for d in distances) < 60  # a quarter of the band: about a quarter of the homes
