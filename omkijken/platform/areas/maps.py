"""Leaflet maps built with folium, with Leaflet served from our own static folder (no CDN)."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import folium
import xyzservices
from flask import url_for
from markupsafe import Markup

from omkijken.platform.security import with_nonce

OSS_OOSTERHOUT_CENTRE = (51.70, 5.20)


@lru_cache(maxsize=8)
def _tile_provider(url: str, attribution: str) -> xyzservices.TileProvider:
    """Given a plain URL, folium first searches all of xyzservices' ~250 providers for one of that
    name (a few ms per map); given a provider, it uses it as it is."""
    return xyzservices.TileProvider(name="kaart", url=url, attribution=attribution)


@dataclass(frozen=True)
class MapParts:
    """The pieces of a folium page, to place in our own template."""

    name: str
    header: Markup
    html: Markup
    script: Markup


def base_map(config: Mapping[str, Any], *, centre: tuple[float, float] | None, zoom: int) -> folium.Map:
    fmap = folium.Map(
        location=list(centre or OSS_OOSTERHOUT_CENTRE),
        zoom_start=zoom,
        tiles=None,
        height=320,
        control_scale=True,
    )
    fmap.default_js = [("leaflet", url_for("static", filename="vendor/leaflet/leaflet.js"))]
    fmap.default_css = [("leaflet_css", url_for("static", filename="vendor/leaflet/leaflet.css"))]
    folium.TileLayer(tiles=_tile_provider(config["TILE_URL"], config["TILE_ATTRIBUTION"]),
                     attr=config["TILE_ATTRIBUTION"], name="kaart").add_to(fmap)
    return fmap


# folium writes a whole page; inside ours these would block zooming (WCAG 1.4.4), fix the body's
# height and repeat the charset.
_PAGE_ONLY = [
    re.compile(r'<meta name="viewport"[^>]*>', re.S),
    re.compile(r'<meta http-equiv="content-type"[^>]*>', re.S),
    re.compile(r"<style>\s*html, body \{.*?</style>", re.S),
    re.compile(r"<style>\s*#map \{.*?</style>", re.S),
]


def parts(fmap: folium.Map) -> MapParts:
    root = fmap.get_root()
    root.render()
    header = root.header.render()
    for pattern in _PAGE_ONLY:
        header = pattern.sub("", header)
    return MapParts(
        name=fmap.get_name(),
        header=with_nonce(header),
        html=with_nonce(root.html.render()),
        script=Markup(root.script.render()),
    )


# folium puts a tooltip's text as HTML inside a JavaScript template literal, unescaped: a backtick or
# "${" in someone's title would end the literal and run as code in our trusted (nonce) script.
# folium also compiles each element's rendered output as a Jinja template again (branca's
# Element(template)): "{{ ... }}" in a title would run as Python on the server, so braces go too.
_TOOLTIP_ESCAPES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def tooltip(text: str) -> folium.Tooltip:
    """A tooltip for any text, also one a resident typed: shown as text, never run."""
    return folium.Tooltip(html.escape(text).translate(_TOOLTIP_ESCAPES))


def point_picker(config: Mapping[str, Any], *, home: tuple[float, float] | None) -> MapParts:
    """A map on which a resident taps their home; static/js/pick-point.js fills the form.

    ``home`` may be what was just typed into a refused form ("nan", 1e999): a point no map can show
    is left out, so the form comes back with its message instead of a server error."""
    if home and not (all(math.isfinite(c) for c in home) and abs(home[0]) <= 90 and abs(home[1]) <= 180):
        home = None
    fmap = base_map(config, centre=home, zoom=16 if home else 11)
    if home:
        folium.Marker(list(home)).add_to(fmap)
    return parts(fmap)


def area_map(
    config: Mapping[str, Any], *, outline: dict | None, label: str, home: tuple[float, float] | None
) -> MapParts:
    fmap = base_map(config, centre=home, zoom=14)
    if outline:
        layer = folium.GeoJson(
            outline,
            name=label,
            style_function=lambda _f: {"color": "#1d5c8f", "weight": 3, "fillOpacity": 0.08},
        )
        layer.add_to(fmap)
        fmap.fit_bounds(layer.get_bounds())
    if home:
        folium.Marker(list(home), tooltip=tooltip(label)).add_to(fmap)
    return parts(fmap)
