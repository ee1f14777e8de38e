"""A home is never shown exactly: blurred points snap to a grid."""

from __future__ import annotations

import math

from omkijken.platform.areas.services import blur
from tests.support import RUWAARD


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * 111_320
    dx = (a[1] - b[1]) * 111_320 * math.cos(lat)
    return math.hypot(dx, dy)


def test_blurred_point_is_near_but_not_the_home():
    shown = blur(*RUWAARD)

    assert shown != RUWAARD
    assert metres_between(shown, RUWAARD) <= 250 * math.sqrt(2) / 2 + 1


def test_neighbours_share_one_blurred_point_and_it_never_changes():
    centre = blur(*RUWAARD)
    neighbours = [(centre[0] + dy, centre[1] + dx) for dy in (-0.0005, 0.0005) for dx in (-0.0008, 0.0008)]

    assert blur(*RUWAARD) == centre
    assert {blur(*home) for home in neighbours} == {centre}


def test_a_larger_cell_hides_more():
    far = [metres_between(blur(*RUWAARD, cell_m=cell), RUWAARD) for cell in (100, 1000)]
    assert max(far) <= 1000 * math.sqrt(2) / 2 + 1
