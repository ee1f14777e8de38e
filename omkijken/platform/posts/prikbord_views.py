"""The prikbord as a list and as a map, filtered (the filters are read in posts/prikbord.py).

The map itself holds no markers: static/js/kaart.js loads them per view from the GeoJSON API
(omkijken.platform.api).
"""


import math
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from omkijken.platform.areas import maps
from omkijken.platform.areas import services as areas
from omkijken.platform.clock import as_utc, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.posts.models import Post
from omkijken.platform.posts.prikbord import (
    AFSTANDEN_KM,
    PER_PAGE,
    Choice,
    home_point,
    listing,
    page_number,
    parse,
)
from omkijken.platform.posts.vocabulary import CATEGORIEEN, SOORTEN

bp = Blueprint("prikbord", __name__)


def _form_context(choice: Choice) -> dict[str, Any]:
    per_gemeente: dict[areas.GemeenteInfo, list[areas.WijkInfo]] = {}
    for wijk in areas.public_wijken():  # by gemeente name; no industrial estate without posts
        per_gemeente.setdefault(wijk.gemeente, []).append(wijk)
    return {
        "choice": choice,
        "soorten": SOORTEN,
        "categorieen": CATEGORIEEN,
        "gemeenten": list(per_gemeente.items()),
        "afstanden": AFSTANDEN_KM,
        "can_use_home": home_point(current_user) is not None,
    }


@bp.get("/prikbord")
def lijst():
    choice = parse(request.args, user=current_user)
    page = page_number(request.args.get("pagina"))
    items, total = listing(choice.filters, page=page)
    pages = max(1, math.ceil(total / PER_PAGE))
    if page > pages:  # an old link after posts were closed: show the last page there is
        page = pages
        items, total = listing(choice.filters, page=page)
    return render_template(
        "posts/lijst.html",
        items=items,
        total=total,
        page=page,
        pages=pages,
        now=utcnow(),
        form_action=url_for("prikbord.lijst"),
        filters_heading=_("Filter de berichten"),
        **_form_context(choice),
    )


KAART_SCRIPTS = (
    ("markercluster", "vendor/markercluster/leaflet.markercluster.js"),
)
KAART_STYLES = (
    ("markercluster_css", "vendor/markercluster/MarkerCluster.css"),
    ("markercluster_default_css", "vendor/markercluster/MarkerCluster.Default.css"),
)


def _view(choice: Choice) -> tuple[tuple[float, float] | None, int, list[list[float]] | None]:
    """Where the map opens: the chosen circle, the chosen wijk, the visitor's home, or all gemeenten."""
    near = choice.filters.near
    if near is not None:
        return near, {1: 14, 2: 13, 5: 12, 10: 11}.get(choice.afstand_km or 0, 12), None
    if choice.wijk is not None:
        return None, 14, areas.bounds([choice.wijk])
    home = home_point(current_user)
    if home is not None:
        return home, 14, None
    return None, 10, areas.bounds(areas.all_gemeenten())


@bp.get("/kaart")
def kaart():
    choice = parse(request.args, user=current_user)
    centre, zoom, bounds = _view(choice)
    scripts = [(name, url_for("static", filename=path)) for name, path in KAART_SCRIPTS]
    styles = [(name, url_for("static", filename=path)) for name, path in KAART_STYLES]

    def build():
        fmap = maps.base_map(current_app.config, centre=centre, zoom=zoom)
        if bounds is not None:
            fmap.fit_bounds(bounds)
        fmap.default_js = [*fmap.default_js, *scripts]
        fmap.default_css = [*fmap.default_css, *styles]
        return fmap

    key = ("kaart", centre, zoom, bounds and tuple(map(tuple, bounds)), tuple(scripts), tuple(styles))
    return render_template(
        "posts/kaart.html",
        kaart=maps.cached_parts(current_app.config, key, build),
        api_url=url_for("api.posts_geojson"),
        lijst_url=url_for("prikbord.lijst") + (f"?{choice.query_string()}" if choice.active else ""),
        soort_labels={code: str(label) for code, label in SOORTEN.items()},
        form_action=url_for("prikbord.kaart"),
        filters_heading=_("Filter de kaart"),
        **_form_context(choice),
    )



# What the sitemap names: the pages of places, activities, initiatives and vacatures, the things a
# neighbourhood shows on purpose. Not a hulpvraag (one person's need) nor an aanbod (one volunteer's
# offer): they are public on the prikbord for the neighbours, not for search engines. Not a post whose
# place is someone's home, even blurred. Not a closed or hidden post (its page is gone for visitors).
SITEMAP_SOORTEN = ("activiteit", "initiatief", "ontmoetingsplek", "vacature")
SITEMAP_PAGES = ("core.home", "prikbord.lijst", "prikbord.kaart", "agenda.overzicht", "agenda.sociale_kaart",
                 "areas.wijken", "app.op_je_telefoon", "privacy.statement")
SITEMAP_MAX_POSTS = 45_000  # a sitemap holds at most 50,000 addresses


@bp.get("/sitemap.xml")
def sitemap():
    stmt = (select(Post.id, Post.updated_at)
            .where(Post.status == "open", Post.verborgen.is_(False), Post.op_huisadres.is_(False),
                   Post.soort.in_(SITEMAP_SOORTEN))
            .order_by(Post.id)
            .limit(SITEMAP_MAX_POSTS))
    entries: list[tuple[str, str | None]] = [(url_for(endpoint, _external=True), None) for endpoint in SITEMAP_PAGES]
    entries += [(url_for("areas.wijk", code=wijk.code, _external=True), None) for wijk in areas.public_wijken()]
    entries += [(url_for("posts.detail", post_id=post_id, _external=True), as_utc(updated).date().isoformat())
                for post_id, updated in db.session.execute(stmt)]
    body = render_template("posts/sitemap.xml", entries=entries)
    response = Response(body, mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
