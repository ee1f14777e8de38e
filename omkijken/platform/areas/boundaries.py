"""Reading CBS boundaries as a gemeente gets them: the Wijk- en Buurtkaart (GeoPackage, RD New)
or GeoJSON in WGS84, into the features ``areas.services.import_features`` stores.

The GeoPackage holds all of the Netherlands (hundreds of megabytes), so only the gemeenten asked
for are read. Column names differ between years (``wijkcode`` since 2022, ``WK_CODE`` before);
both are understood. The kaart holds a gemeente's water as separate rows with the same code
(``water`` = JA); only the land is kept, so one code is one area and homes fall in it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

from omkijken.platform.areas.services import AreaImportError, load_geojson

_GEMEENTE_CODE = re.compile(r"^GM\d{4}$")
# Per layer: the rubriek stored, and the possible names of the code and name columns.
_LAYERS = {
    "wijken": ("wijk", ("wijkcode", "wk_code"), ("wijknaam", "wk_naam")),
    "buurten": ("buurt", ("buurtcode", "bu_code"), ("buurtnaam", "bu_naam")),
}
_GEMEENTE_COLUMNS = ("gemeentecode", "gm_code")
_GEMEENTE_NAAM_COLUMNS = ("gemeentenaam", "gm_naam")
_WATER_COLUMNS = ("water",)


def read(path: Path, *, gemeenten: tuple[str, ...] = ()) -> list[dict]:
    """The wijken and buurten of ``gemeenten`` (all, for GeoJSON without them) as GeoJSON features
    in WGS84 with ``statcode``, ``statnaam``, ``rubriek`` and, from a GeoPackage, ``gemeentenaam``."""
    for code in gemeenten:
        if not _GEMEENTE_CODE.match(code):
            raise AreaImportError(f"{code} is geen CBS-gemeentecode (zoals GM0828)")
    if Path(path).suffix.lower() == ".gpkg":
        if not gemeenten:
            raise AreaImportError("zeg met --gemeenten welke gemeenten uit de kaart nodig zijn, bijvoorbeeld GM0828")
        return [f for layer in _LAYERS for f in _read_layer(Path(path), layer, gemeenten)]
    features = load_geojson(path)
    if gemeenten:
        wanted = {code[2:] for code in gemeenten}
        features = [f for f in features if str((f.get("properties") or {}).get("statcode", ""))[2:6] in wanted]
    return features


def _column(fields: list[str], names: tuple[str, ...], layer: str, *, required: bool = True) -> str | None:
    by_lower = {field.lower(): field for field in fields}
    found = next((by_lower[name] for name in names if name in by_lower), None)
    if found is None and required:
        raise AreaImportError(f"laag {layer} mist de kolom {names[0]}")
    return found


def _read_layer(path: Path, layer: str, gemeenten: tuple[str, ...]) -> list[dict]:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    rubriek, code_names, naam_names = _LAYERS[layer]
    try:
        info = pyogrio.read_info(path, layer=layer)
    except (DataLayerError, DataSourceError) as error:
        raise AreaImportError(f"{path.name} heeft geen laag {layer}: is dit de Wijk- en Buurtkaart?") from error
    fields = list(info["fields"])
    code_col, naam_col = _column(fields, code_names, layer), _column(fields, naam_names, layer)
    gm_col = _column(fields, _GEMEENTE_COLUMNS, layer)
    gm_naam_col = _column(fields, _GEMEENTE_NAAM_COLUMNS, layer, required=False)
    water_col = _column(fields, _WATER_COLUMNS, layer, required=False)
    columns = [c for c in (code_col, naam_col, gm_col, gm_naam_col, water_col) if c]
    # The codes were checked against _GEMEENTE_CODE above, so they are safe inside the filter.
    where = f"{gm_col} IN ({', '.join(repr(code) for code in gemeenten)})"
    meta, _fids, wkb, values = pyogrio.raw.read(path, layer=layer, columns=columns, where=where, force_2d=True)
    if not info.get("crs"):
        raise AreaImportError(f"laag {layer} zegt niet in welk coördinatenstelsel hij is")
    rows = dict(zip(meta["fields"], values))  # in the file's order, not the order asked
    geometries = _to_wgs84(shapely.from_wkb(wkb), info["crs"])
    features = []
    for i, geometry in enumerate(geometries):
        if water_col and str(rows[water_col][i]).strip().upper() == "JA":
            continue
        if geometry is None or geometry.is_empty:
            continue
        properties = {"statcode": str(rows[code_col][i]).strip(), "statnaam": str(rows[naam_col][i]).strip(),
                      "rubriek": rubriek}
        if gm_naam_col:
            properties["gemeentenaam"] = str(rows[gm_naam_col][i]).strip()
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(geometry)})
    return features


def _to_wgs84(geometries: np.ndarray, crs: str) -> np.ndarray:
    """RD New (or whatever the layer says) to WGS84 longitude/latitude, to about 1 cm."""
    from pyproj import Transformer

    transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def move(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([lon, lat]), 7)

    return shapely.transform(geometries, move)
