"""CBS shapes are cleaned before they reach the database."""

from __future__ import annotations

from shapely import wkt

from omkijken.platform.areas.services import _multipolygon_wkt, wijk_display_name


def test_slivers_are_dropped_and_the_rest_kept():
    square = [[5.0, 51.0], [5.1, 51.0], [5.1, 51.1], [5.0, 51.1], [5.0, 51.0]]
    sliver = [[5.2, 51.0], [5.3, 51.0]]
    shape = wkt.loads(_multipolygon_wkt({"type": "MultiPolygon", "coordinates": [[square], [sliver]]}))

    assert shape.geom_type == "MultiPolygon" and len(shape.geoms) == 1 and shape.is_valid


def test_a_shape_with_nothing_left_is_skipped():
    assert _multipolygon_wkt({"type": "Polygon", "coordinates": [[[5.0, 51.0], [5.1, 51.0]]]}) is None


def test_a_self_crossing_ring_is_made_valid():
    bowtie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    shape = wkt.loads(_multipolygon_wkt({"type": "Polygon", "coordinates": [bowtie]}))

    assert shape.is_valid and round(shape.area, 6) == 0.5


def test_wijk_names_lose_the_cbs_number():
    assert wijk_display_name("Wijk 06 Ruwaard") == "Ruwaard"
    assert wijk_display_name("Wijk 00 Oosterhout-Centrum") == "Oosterhout-Centrum"
    assert wijk_display_name("Dorst") == "Dorst"
