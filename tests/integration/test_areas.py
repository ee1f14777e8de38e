"""Point in buurt and wijk on the real spatial database, and the area pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Buurt, Gemeente, Wijk
from omkijken.platform.extensions import db
from tests.support import AMSTERDAM, DOMMELBERGEN, OSS_CENTRUM, RUWAARD, commit, static_url


@pytest.mark.parametrize(
    ("where", "gemeente", "wijk", "buurt"),
    [
        (RUWAARD, "Oss", "Ruwaard", "Witte Hoef"),
        (DOMMELBERGEN, "Oosterhout", "Dommelbergen", "Schildersbuurt"),
        (OSS_CENTRUM, "Oss", "Centrum", "Centrum Zuid"),
    ],
)
def test_a_point_lies_in_its_buurt_and_wijk(app, where, gemeente, wijk, buurt):
    found = areas.locate(*where)

    assert (found.wijk.gemeente.naam, found.wijk.naam, found.buurt.naam) == (gemeente, wijk, buurt)


def test_a_point_outside_both_gemeenten_has_no_wijk(app):
    found = areas.locate(*AMSTERDAM)

    assert found.wijk is None and found.buurt is None


def test_the_import_holds_both_gemeenten_with_outlines(app):
    names = db.session.scalars(select(Gemeente.naam).order_by(Gemeente.naam)).all()
    assert names == ["Oosterhout", "Oss"]
    assert db.session.scalar(select(func.count(Wijk.id))) == 36
    assert db.session.scalar(select(func.count(Buurt.id))) == 133
    oss = db.session.scalar(select(Gemeente).filter_by(code="GM0828"))
    assert db.session.scalar(select(func.ST_Contains(Gemeente.geom, func.ST_GeomFromText(
        f"POINT({RUWAARD[1]} {RUWAARD[0]})", 4326))).where(Gemeente.id == oss.id))


def test_import_twice_changes_nothing(app):
    features = [f for p in areas.BUNDLED_FILES for f in areas.load_geojson(p)]
    before = db.session.scalar(select(func.count(Buurt.id)))

    counts = areas.import_features(features)

    assert counts == {"wijken": 36, "buurten": 133, "overgeslagen": 11}
    assert db.session.scalar(select(func.count(Buurt.id))) == before


def test_a_wijk_renamed_by_an_import_is_named_so_at_once(client):
    """Pages keep the wijken for minutes; an import in the same process makes them forget."""
    ruwaard = next(f for f in areas.load_geojson(areas.BUNDLED_FILES[0]) if f["properties"]["statcode"] == "WK082806")
    renamed = {**ruwaard, "properties": {**ruwaard["properties"], "statnaam": "Wijk 06 Ruwaard-Oost"}}
    assert "Ruwaard-Oost" not in client.get("/prikbord").get_data(as_text=True)
    try:
        areas.import_features([renamed])
        assert '<option value="WK082806" >Ruwaard-Oost</option>' in client.get("/prikbord").get_data(as_text=True)
    finally:
        areas.import_features([ruwaard])
        commit()  # as the import command would: the areas are not emptied between tests
    assert areas.wijk_info("WK082806").naam == "Ruwaard"


def test_a_buurt_without_its_wijk_is_refused(app):
    orphan = {
        "type": "Feature",
        "properties": {"statcode": "BU09999901", "statnaam": "Nergens", "rubriek": "buurt"},
        "geometry": {"type": "Polygon", "coordinates": [[[5, 51], [5.1, 51], [5.1, 51.1], [5, 51]]]},
    }
    with pytest.raises(areas.AreaImportError, match="WK099999"):
        areas.import_features([orphan])


def test_wijken_page_lists_both_gemeenten_and_links_to_a_wijk(client):
    page = client.get("/wijken").get_data(as_text=True)

    assert "Oosterhout" in page and "Oss" in page
    assert 'href="/wijken/WK082806"' in page

    wijk = client.get("/wijken/WK082806").get_data(as_text=True)
    assert "<h1>Wijk Ruwaard</h1>" in wijk and "Witte Hoef" in wijk
    assert static_url("vendor/leaflet/leaflet.js") in wijk and "cdn." not in wijk


def test_an_unknown_wijk_is_a_404(client):
    response = client.get("/wijken/WK000000")

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_map_pages_do_not_block_zooming(client):
    page = client.get("/wijken/WK082806").get_data(as_text=True)

    assert "user-scalable=no" not in page and "maximum-scale" not in page
    assert page.count('name="viewport"') == 1
