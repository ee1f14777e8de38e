"""Public pages about the gemeenten and their wijken."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from omkijken.platform.areas import maps
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Wijk

bp = Blueprint("areas", __name__)


@bp.get("/wijken")
def wijken():
    return render_template("areas/wijken.html", gemeenten=areas.public_per_gemeente())


@bp.get("/wijken/<code>")
def wijk(code: str):
    found = areas.wijk_by_code(code) or abort(404)
    outline = areas.area_outline_geojson(Wijk, found.id)
    wijk_map = maps.area_map(current_app.config, outline=outline, label=found.naam, home=None)
    return render_template("areas/wijk.html", wijk=found, wijk_map=wijk_map)
