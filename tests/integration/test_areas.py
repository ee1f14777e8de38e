"""Point in buurt and wijk on the real spatial database, and the area pages."""

from __future__ import annotations

import pytest
from sqlalchemy import and_, delete, func, or_, select

from omkijken import demo
from omkijken.cli import main
from omkijken.platform.accounts.models import User
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Buurt, Gemeente, Wijk
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Hulpvraag, Ontmoetingsplek, Post
from tests.conftest import make_app
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
    features = [f for p in areas.MAP_2014 for f in areas.load_geojson(p)]
    before = db.session.scalar(select(func.count(Buurt.id)))

    counts = areas.import_features(features)

    assert (counts["wijken"], counts["buurten"], counts["overgeslagen"], counts["gewijzigd"]) == (36, 133, 11, 0)
    assert db.session.scalar(select(func.count(Buurt.id))) == before


def test_a_wijk_renamed_by_an_import_is_named_so_at_once(client):
    """Pages keep the wijken for minutes; an import in the same process makes them forget."""
    ruwaard = next(f for f in areas.load_geojson(areas.MAP_2014[0]) if f["properties"]["statcode"] == "WK082806")
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


# In the wijk polygon of Lithoijen (WK082819), in the coarse 2014 buurt polygon of De Tuinlangel
# (BU08281209), a buurt of another wijk.
LITHOIJEN_IN_A_NEIGHBOURS_BUURT = (51.80333, 5.52281)


def test_the_wijk_polygon_decides_and_the_buurt_is_one_of_that_wijk(app):
    found = areas.locate(*LITHOIJEN_IN_A_NEIGHBOURS_BUURT)

    assert found.wijk.code == "WK082819"
    assert found.buurt.wijk_id == found.wijk.id


def misplaced(model, column) -> list[int]:
    """Rows whose point lies in some wijk polygon but not in that of their own wijk, or whose
    buurt belongs to another wijk."""
    in_some_wijk = select(Wijk.id).where(func.ST_Contains(Wijk.geom, column)).exists()
    in_own_wijk = select(Wijk.id).where(Wijk.id == model.wijk_id, func.ST_Contains(Wijk.geom, column)).exists()
    buurt_elsewhere = select(Buurt.id).where(Buurt.id == model.buurt_id, Buurt.wijk_id != model.wijk_id).exists()
    return list(db.session.scalars(select(model.id).where(
        column.is_not(None), or_(and_(in_some_wijk, ~in_own_wijk), buurt_elsewhere))))


GEFFEN = (51.7405, 5.4640)  # the village of Geffen, part of Oss since 2015


@pytest.fixture
def shipped_map(instance_path, database):
    """The map a new site and the demo start with (2023), instead of the tests' 2014 one. Ask for
    it before ``app``: the 2014 wijken come back after the app fixture emptied the other tables."""
    yield
    app = make_app(instance_path, database)
    with app.app_context():
        areas.import_features(areas.load_geojson(areas.MAP_2014[0]))
        db.session.execute(delete(Wijk).where(Wijk.code == "WK082822"))
        db.session.commit()
        db.engine.dispose()


def test_on_the_shipped_map_a_point_in_geffen_belongs_to_oss(shipped_map, app):
    assert areas.locate(*GEFFEN).wijk is None  # in 2014 Geffen was a gemeente of its own

    result = app.test_cli_runner().invoke(main, ["import-areas"])

    assert "37 wijken en 133 buurten geïmporteerd" in result.output, result.output
    found = areas.locate(*GEFFEN)
    assert (found.wijk.code, found.wijk.naam, found.wijk.gemeente.naam) == ("WK082822", "Geffen", "Oss")


def test_after_seeding_the_demo_every_post_and_home_is_in_the_wijk_that_holds_its_point(shipped_map, app):
    areas.import_features([f for path in areas.BUNDLED_FILES for f in areas.load_geojson(path)], complete=True)
    demo.seed(now=utcnow())

    assert db.session.scalar(select(func.count(Post.id))) > 700
    assert misplaced(Post, Post.locatie) == []
    assert misplaced(User, User.home) == []
    named = {p.titel: p.wijk.naam for p in db.session.scalars(select(Ontmoetingsplek))}
    assert (named["Wijkhuis de Ruwaard"], named["Activiteitencentrum Dommelbergen"]) == ("Ruwaard", "Dommelbergen")


def test_relocate_puts_posts_and_homes_placed_by_the_old_rule_right(app, make_user):
    """What the 0026 migration and ``omkijken relocate`` do for points stored before: the old rule
    took the buurt's wijk, so this home was in wijk Tuinlangel."""
    user = make_user("lithoijen@example.org", home=LITHOIJEN_IN_A_NEIGHBOURS_BUURT)
    vraag = posts.create(Hulpvraag(titel="Boodschappen", categorie="boodschappen"), auteur=user, now=utcnow())
    old_buurt = db.session.scalar(select(Buurt).filter_by(code="BU08281209"))
    for row in (user, vraag):
        row.wijk_id, row.buurt_id = old_buurt.wijk_id, old_buurt.id
    commit()

    first = app.test_cli_runner().invoke(main, ["relocate"])
    second = app.test_cli_runner().invoke(main, ["relocate"])

    assert "1 bericht en 1 woonadres naar een andere wijk of buurt verplaatst." in first.output
    assert "0 berichten en 0 woonadressen" in second.output
    db.session.expire_all()
    assert db.session.get(User, user.id).wijk.code == db.session.get(Hulpvraag, vraag.id).wijk.code == "WK082819"
