"""A new year of the CBS Wijk- en Buurtkaart (GeoPackage in RD New), as a gemeente downloads it.

The tests write a small kaart of their own for a made-up gemeente, GM0999 Testdorp, in Zeeland,
far from Oss and Oosterhout: three wijken side by side, West, Midden and Oost, 2 km each. The
shared test database keeps its areas between tests, so Testdorp is removed again afterwards."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box
from sqlalchemy import delete, func, select

from omkijken.cli import main
from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.areas import boundaries
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Buurt, Gemeente, Wijk
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.wijkagenda import services as wijkagenda
from omkijken.platform.wijkagenda.models import Agendapunt
from tests.conftest import make_app
from tests.support import commit

Y = (390_000, 392_000)  # RD New, metres north
WEST, MIDDEN, OOST = (40_000, 42_000), (42_000, 44_000), (44_000, 46_000)  # metres east

# Wijken as (code, name, x range, water); buurten as (code, name, x range).
KAART_2022 = (
    [("WK099901", "Wijk 01 West", WEST, "NEE"), ("WK099903", "Wijk 03 Midden", MIDDEN, "NEE"),
     ("WK099902", "Wijk 02 Oost", OOST, "NEE"),
     # The kaart keeps a wijk's water as a row of its own with the same code.
     ("WK099901", "Wijk 01 West", (40_000, 42_000, 392_000, 393_000), "JA")],
    [("BU09990100", "Westpolder", (40_000, 41_000)), ("BU09990101", "Westdorp", (41_000, 42_000)),
     ("BU09990300", "Midden", MIDDEN), ("BU09990200", "Oostdorp", OOST)],
)
# A year later West is numbered 05 (and its buurten with it) and Midden went into Oost.
KAART_2023 = (
    [("WK099905", "Wijk 05 West", WEST, "NEE"), ("WK099902", "Wijk 02 Oost", (42_000, 46_000), "NEE")],
    [("BU09990500", "Westpolder", (40_000, 41_000)), ("BU09990501", "Westdorp", (41_000, 42_000)),
     ("BU09990201", "Midden", MIDDEN), ("BU09990200", "Oostdorp", OOST)],
)
TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def at(x: float, y: float = 391_000) -> tuple[float, float]:
    """(lat, lon) of an RD New point."""
    lon, lat = TO_WGS84.transform(x, y)
    return lat, lon


def _box(extent: tuple) -> shapely.Geometry:
    x0, x1, *rest = extent
    y0, y1 = rest or Y
    return box(x0, y0, x1, y1)


def write_kaart(path: Path, kaart: tuple) -> Path:
    """A GeoPackage with the layers and columns of the CBS kaart since 2022, in RD New."""
    wijken, buurten = kaart
    layers = {
        "wijken": ([_box(x) for _, _, x, _ in wijken],
                   {"wijkcode": [c for c, *_ in wijken], "wijknaam": [n for _, n, *_ in wijken],
                    "water": [w for *_, w in wijken]}),
        "buurten": ([_box(x) for _, _, x in buurten],
                    {"buurtcode": [c for c, *_ in buurten], "buurtnaam": [n for _, n, _ in buurten],
                     "wijkcode": ["WK" + c[2:8] for c, *_ in buurten], "water": ["NEE"] * len(buurten)}),
    }
    for layer, (shapes, columns) in layers.items():
        columns = {**columns, "gemeentecode": ["GM0999"] * len(shapes), "gemeentenaam": ["Testdorp"] * len(shapes)}
        pyogrio.raw.write(path, np.array(shapely.to_wkb(shapes), dtype=object),
                          [np.array(v, dtype=object) for v in columns.values()], list(columns), layer=layer,
                          driver="GPKG", crs="EPSG:28992", geometry_type="Polygon")
    return path


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args))


@pytest.fixture
def testdorp(instance_path, database):
    """Ask for it before ``app``: it removes Testdorp after the app fixture emptied the other tables."""
    yield
    app = make_app(instance_path, database)
    with app.app_context():
        wijk_ids = select(Wijk.id).join(Gemeente).where(Gemeente.code == "GM0999")
        db.session.execute(delete(Buurt).where(Buurt.wijk_id.in_(wijk_ids)))
        db.session.execute(delete(Wijk).where(Wijk.id.in_(wijk_ids)))
        db.session.execute(delete(Gemeente).where(Gemeente.code == "GM0999"))
        db.session.commit()
        db.engine.dispose()


def stored_areas() -> list[tuple]:
    wijken = db.session.execute(select(Wijk.id, Wijk.code, Wijk.naam, Wijk.gemeente_id, func.ST_AsText(Wijk.geom))
                                .where(Wijk.code.like("WK0999%")).order_by(Wijk.id)).all()
    buurten = db.session.execute(select(Buurt.id, Buurt.code, Buurt.naam, Buurt.wijk_id, func.ST_AsText(Buurt.geom))
                                 .where(Buurt.code.like("BU0999%")).order_by(Buurt.id)).all()
    return [tuple(row) for row in wijken + buurten]


def test_a_geopackage_imported_twice_changes_nothing_the_second_time(testdorp, app, tmp_path):
    kaart = write_kaart(tmp_path / "wijkenbuurten_2022.gpkg", KAART_2022)

    first = run(app, "import-areas", str(kaart), "--gemeenten", "GM0999")
    after_first = stored_areas()
    second = run(app, "import-areas", str(kaart), "--gemeenten", "GM0999")

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "3 wijken en 4 buurten geïmporteerd, 7 daarvan nieuw of veranderd." in first.output
    assert "3 wijken en 4 buurten geïmporteerd, 0 daarvan nieuw of veranderd." in second.output
    assert "0 berichten en 0 woonadressen naar een andere wijk of buurt verplaatst." in second.output
    assert stored_areas() == after_first
    assert db.session.scalar(select(Gemeente.naam).filter_by(code="GM0999")) == "Testdorp"
    # Reprojected from RD New: a point 500 m inside West lies in West and in its buurt.
    found = areas.locate(*at(40_500))
    assert (found.wijk.code, found.wijk.naam, found.buurt.code) == ("WK099901", "West", "BU09990100")
    # The wijk's water is not part of the wijk.
    assert areas.locate(*at(40_500, 392_500)).wijk is None


def test_a_later_year_keeps_posts_agendapunten_and_scopes_attached(testdorp, app, tmp_path, make_user):
    areas.import_features(boundaries.read(write_kaart(tmp_path / "2022.gpkg", KAART_2022), gemeenten=("GM0999",)),
                          complete=True)
    west, midden, oost = (areas.wijk_by_code(code) for code in ("WK099901", "WK099903", "WK099902"))
    west_id, midden_id, oost_id = west.id, midden.id, oost.id
    now = utcnow()
    opbouwwerker = make_user("ow@example.org", roles=("opbouwwerker",), wijken=("WK099901", "WK099903", "WK099902"))
    bewoner = make_user("bewoner@example.org", home=at(43_000))
    vraag_west = posts.create(Hulpvraag(titel="Boodschappen", categorie="boodschappen"), auteur=bewoner, now=now,
                              where=at(41_500), op_huisadres=False)
    vraag_midden = posts.create(Hulpvraag(titel="Tuin", categorie="tuinonderhoud"), auteur=bewoner, now=now)
    aanbod = posts.create(Aanbod(titel="Ik help", categorie="boodschappen", categorieen=["boodschappen"],
                                 wijk_ids=[midden.id, oost.id]), auteur=bewoner, now=now)
    punt_west = wijkagenda.create(wijk=west, auteur=bewoner, soort="wens", onderwerp="omgeving",
                                  titel="Te hard rijden op de dijk", now=now)
    punt_midden = wijkagenda.create(wijk=midden, auteur=bewoner, soort="wens", onderwerp="omgeving",
                                    titel="Geen bankje bij de bushalte", now=now)
    ids = {"vraag_west": vraag_west.id, "vraag_midden": vraag_midden.id, "aanbod": aanbod.id,
           "bewoner": bewoner.id, "opbouwwerker": opbouwwerker.id, "punt_west": punt_west.id,
           "punt_midden": punt_midden.id}
    commit()

    result = run(app, "import-areas", str(write_kaart(tmp_path / "2023.gpkg", KAART_2023)), "--gemeenten", "GM0999")

    assert result.exit_code == 0, result.output
    assert "WK099901 heet nu WK099905" in result.output and "WK099903 heet nu WK099902" in result.output
    db.session.expire_all()
    # West was renumbered: the same wijk, so all of it stays; Midden went into Oost, and so did all of it.
    assert db.session.get(Wijk, west_id).code == "WK099905" and db.session.get(Wijk, midden_id) is None
    assert db.session.get(Hulpvraag, ids["vraag_west"]).wijk_id == west_id
    assert db.session.get(Hulpvraag, ids["vraag_midden"]).wijk_id == oost_id
    assert db.session.get(Hulpvraag, ids["vraag_midden"]).buurt.code == "BU09990201"
    assert db.session.get(User, ids["bewoner"]).wijk_id == oost_id
    assert db.session.get(Aanbod, ids["aanbod"]).wijk_ids == [oost_id]
    assert db.session.get(Agendapunt, ids["punt_west"]).wijk_id == west_id
    assert db.session.get(Agendapunt, ids["punt_midden"]).wijk_id == oost_id
    scope = db.session.scalars(select(RoleGrant.wijk_id).where(RoleGrant.user_id == ids["opbouwwerker"],
                                                               RoleGrant.role == "opbouwwerker")).all()
    assert sorted(scope) == sorted([west_id, oost_id])
    assert [w.code for w in areas.all_wijken() if w.code.startswith("WK0999")] == ["WK099902", "WK099905"]


def test_a_geopackage_needs_the_gemeenten_asked_for(app, tmp_path):
    kaart = write_kaart(tmp_path / "kaart.gpkg", KAART_2022)

    without = run(app, "import-areas", str(kaart))
    wrong = run(app, "import-areas", str(kaart), "--gemeenten", "Oss")

    assert without.exit_code != 0 and "--gemeenten" in without.output
    assert wrong.exit_code != 0 and "OSS is geen CBS-gemeentecode" in wrong.output
    assert not db.session.scalar(select(func.count(Wijk.id)).where(Wijk.code.like("WK0999%")))
