"""Leaflet maps built with folium, with Leaflet served from our own static folder (no CDN)."""

from __future__ import annotations

import html
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Callable, Hashable, Mapping

import folium
import xyzservices
from flask import url_for
from markupsafe import Markup

from omkijken.platform.config import DEFAULT_TILE_ATTRIBUTION
from omkijken.platform.i18n import gettext as _
from omkijken.platform.security import with_nonce

OSS_OOSTERHOUT_CENTRE = (51.70, 5.20)


@lru_cache(maxsize=8)
def _tile_provider(url: str, attribution: str) -> xyzservices.TileProvider:
    """Given a plain URL, folium first searches all of xyzservices' ~250 providers for one of that
    name (a few ms per map); given a provider, it uses it as it is."""
    return xyzservices.TileProvider(name="kaart", url=url, attribution=attribution)


def attribution(config: Mapping[str, Any]) -> str:
    """The map credit in the reader's language; one set in the settings is shown as set."""
    credit = config["TILE_ATTRIBUTION"]
    if credit != DEFAULT_TILE_ATTRIBUTION:
        return credit
    return _("Kaartgegevens &copy; %(bron)s", bron='<a href="https://www.kadaster.nl">Kadaster</a>')


@dataclass(frozen=True)
class MapParts:
    """The pieces of a folium page, to place in our own template."""

    name: str
    header: Markup
    html: Markup
    script: Markup

    @property
    def head(self) -> Markup:
        """The header without its scripts: Leaflet's stylesheet and the map's size, for <head>."""
        return Markup(_HEADER_SCRIPT.sub("", str(self.header)))

    @property
    def scripts(self) -> Markup:
        """The header's scripts (Leaflet, plugins, folium's settings), in their order and with
        ``defer``, for the end of <body> before ``deferred_script``: in <head>, or without defer
        in <body>, they hold up the first paint of the whole page (Lighthouse: 1.9 s on /kaart on
        a slow phone)."""
        tags = _HEADER_SCRIPT.findall(str(self.header))
        return Markup("\n".join(_SCRIPT_WITH_SRC.sub("<script defer", tag) for tag in tags))

    @property
    def deferred_script(self) -> Markup:
        """``script`` run once the deferred ``scripts`` have loaded (DOMContentLoaded), its map a
        global by its name for the page's own script (static/js/kaart.js), as before. Its opening
        view is set at once: animated, a script that reads the view next would get the old one."""
        return Markup(
            'document.addEventListener("DOMContentLoaded", function () {\n'
            "var fit = L.Map.prototype.fitBounds;\n"
            "L.Map.prototype.fitBounds = function (bounds, options) {\n"
            "  return fit.call(this, bounds, L.extend({}, options, {animate: false}));\n};\n"
            f"try {{\n{self.script}\nwindow[\"{self.name}\"] = {self.name};\n}}"
            " finally { L.Map.prototype.fitBounds = fit; }\n});")


def base_map(config: Mapping[str, Any], *, centre: tuple[float, float] | None, zoom: int) -> folium.Map:
    fmap = folium.Map(
        location=list(centre or OSS_OOSTERHOUT_CENTRE),
        zoom_start=zoom,
        tiles=None,
        height=320,
        control_scale=True,
    )
    # leaflet-nl.js names Leaflet's zoom buttons and markers in the page's language, before the map is made.
    fmap.default_js = [("leaflet", url_for("static", filename="vendor/leaflet/leaflet.js")),
                       ("leaflet_nl", url_for("static", filename="js/leaflet-nl.js"))]
    fmap.default_css = [("leaflet_css", url_for("static", filename="vendor/leaflet/leaflet.css"))]
    credit = attribution(config)
    folium.TileLayer(tiles=_tile_provider(config["TILE_URL"], credit), attr=credit, name="kaart").add_to(fmap)
    return fmap


_HEADER_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_SCRIPT_WITH_SRC = re.compile(r"<script\b(?=[^>]*\bsrc=)")

# folium writes a whole page; inside ours these would block zooming (WCAG 1.4.4), fix the body's
# height and repeat the charset.
_PAGE_ONLY = [
    re.compile(r'<meta name="viewport"[^>]*>', re.S),
    re.compile(r'<meta http-equiv="content-type"[^>]*>', re.S),
    re.compile(r"<style>\s*html, body \{.*?</style>", re.S),
    re.compile(r"<style>\s*#map \{.*?</style>", re.S),
]


def _render(fmap: folium.Map) -> tuple[str, str, str, str]:
    """name, header, html and script of a map, before this response's nonce goes in."""
    root = fmap.get_root()
    root.render()
    header = root.header.render()
    for pattern in _PAGE_ONLY:
        header = pattern.sub("", header)
    return fmap.get_name(), header, root.html.render(), root.script.render()


def _parts(rendered: tuple[str, str, str, str]) -> MapParts:
    name, header, body, script = rendered
    return MapParts(name=name, header=with_nonce(header), html=with_nonce(body), script=Markup(script))


def parts(fmap: folium.Map) -> MapParts:
    return _parts(_render(fmap))


# folium spends about 5 ms on a map (it compiles a Jinja template for every element it renders),
# more than the rest of a post page. Maps that many pages share are rendered once per process.
_RENDERED: OrderedDict[Hashable, tuple[str, str, str, str]] = OrderedDict()
_RENDERED_MAX = 256
_RENDERED_LOCK = threading.Lock()


def cached_parts(config: Mapping[str, Any], key: Hashable, build: Callable[[], folium.Map]) -> MapParts:
    """``parts(build())``, rendered once per ``key`` (and tile settings and static URL) in this
    process; the element ids repeat between responses, the nonce does not. ``key`` must hold
    everything ``build`` depends on besides ``config``'s tile settings and the map credit (which
    follows the reader's language)."""
    full_key = (key, config["TILE_URL"], attribution(config),
                url_for("static", filename="vendor/leaflet/leaflet.js"))
    with _RENDERED_LOCK:
        rendered = _RENDERED.get(full_key)
        if rendered is not None:
            _RENDERED.move_to_end(full_key)
    if rendered is None:
        rendered = _render(build())
        with _RENDERED_LOCK:
            _RENDERED[full_key] = rendered
            while len(_RENDERED) > _RENDERED_MAX:
                _RENDERED.popitem(last=False)
    return _parts(rendered)


# A point no map of ours shows; point_map renders around it once and puts the real point in.
_SENTINEL = (-12.3456789, -123.4567891)
_SENTINEL_TEXT = f"[{_SENTINEL[0]!r}, {_SENTINEL[1]!r}]"


def point_map(config: Mapping[str, Any], point: tuple[float, float], *, zoom: int,
              circle_m: int | None = None) -> MapParts:
    """A map around one point with a marker, or with a circle of ``circle_m`` metres (a blurred
    home). Thousands of post pages differ only by the point, so the map is rendered once per
    shape and the point goes into the text; folium writes a point as ``[lat, lon]``."""
    lat, lon = point
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError("a map point must be finite")

    def build(centre: tuple[float, float]) -> folium.Map:
        fmap = base_map(config, centre=centre, zoom=zoom)
        if circle_m:
            folium.Circle(list(centre), radius=circle_m, color="#1d5c8f", fill=True, fill_opacity=0.15).add_to(fmap)
        else:
            folium.Marker(list(centre)).add_to(fmap)
        return fmap

    shape = cached_parts(config, ("point", zoom, circle_m), lambda: build(_SENTINEL))
    if _SENTINEL_TEXT not in shape.script:  # a folium that writes points otherwise: render each map
        return parts(build((lat, lon)))
    text = f"[{float(lat)!r}, {float(lon)!r}]"
    return replace(shape, script=Markup(str(shape.script).replace(_SENTINEL_TEXT, text)))


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
