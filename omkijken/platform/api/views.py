"""JSON and GeoJSON API, version 1, with its OpenAPI document.

Read-only and public: no login, no CSRF (the blueprint is exempt; GET is not protected anyway).
The one exception is ``/kpi``: the dashboard figures, for a logged-in gemeente, coordinator or beheerder.
Every mistake in the input is a 400 with a Dutch ``{"error": ...}``, never a 5xx. Routing errors (404,
405) are JSON too, answered app-wide by path (platform/__init__.py): a blueprint's handler never sees them.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from omkijken.platform.accounts.permissions import may
from omkijken.platform.api import geojson, openapi
from omkijken.platform.areas import services as areas
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import csrf
from omkijken.platform.insights import export, kaart, kpi
from omkijken.platform.insights.forms import filter_form, valid_periode
from omkijken.platform.posts import prikbord
from omkijken.platform.posts.vocabulary import CATEGORIEEN, SOORTEN

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# What the API says when a filter makes no sense (the list page says it more softly and goes on).
FILTER_ERRORS = {
    "type": "Onbekend soort bericht. Kies uit: alles, {soorten}.",
    "soort": "Onbekend soort bericht. Kies uit: alles, {soorten}.",
    "categorie": "Onbekende categorie. Kies uit: alles, {categorieen}.",
    "wijk": "Deze wijk kennen we niet. Gebruik de CBS-code (zoals WK082806) of het nummer van de wijk.",
    "zoek": "Het zoekwoord is te lang: hoogstens {zoek_max} tekens.",
    "afstand": "Kies een afstand van 1, 2, 5 of 10 (km).",
    "van": "Met afstand hoort van: 'huis' (ingelogd, met adres) of de CBS-code van een wijk.",
}
GEMEENTE_FOUT = ("Onbekende gemeente in `gemeente`. Kies uit: {codes}. Laat `gemeente` weg voor de cijfers van alle "
                 "gemeenten samen.")
DATUM_FOUT = ("Een datum klopt niet. Gebruik jjjj-mm-dd tussen 2000 en 2099; `tot` mag niet voor `van` liggen en "
              "de periode is hoogstens vijf jaar.")


def _json(body: Any, status: int = 200, mimetype: str = "application/json"):
    return current_app.response_class(orjson.dumps(body), status=status, mimetype=mimetype)


def _error(message: str, status: int = 400):
    return _json({"error": message}, status)


@bp.get("/posts.geojson")
def posts_geojson():
    try:
        bbox = geojson.parse_bbox(request.args.get("bbox"))
    except geojson.BadBox as bad:
        return _error(str(bad))
    choice = prikbord.parse(request.args, user=current_user, type_alias=True)
    if choice.notices:
        name = next(iter(choice.notices))
        return _error(FILTER_ERRORS[name].format(
            soorten=", ".join(SOORTEN), categorieen=", ".join(CATEGORIEEN), zoek_max=prikbord.ZOEK_MAX
        ))
    clusters = request.args.get("clusters", "0").strip()
    if clusters not in ("0", "1"):
        return _error("Gebruik clusters=1 voor groepen als er veel berichten zijn, of clusters=0.")
    body = geojson.feature_collection(
        choice.filters, bbox, cap=current_app.config.get("API_GEOJSON_CAP", geojson.CAP), clusters=clusters == "1"
    )
    response = _json(body, mimetype="application/geo+json")
    response.headers["Cache-Control"] = "private, max-age=30"
    return response


@bp.get("/kpi")
def kpi_figures():
    """The figures of the KPI dashboard (/inzicht), from the same service: the same numbers."""
    if not current_user.is_authenticated:
        response = _error("Log eerst in. Deze cijfers zijn voor de gemeente en coördinatoren.", 401)
        # RFC 9110 wants a challenge with a 401. The API uses the site's session cookie, set by the login
        # form: the "Cookie" scheme of draft-broyer-http-cookie-auth says just that.
        response.headers["WWW-Authenticate"] = (
            f'Cookie realm="Omkijken", form-action="{url_for("accounts.login")}", '
            f'cookie-name="{current_app.config.get("SESSION_COOKIE_NAME") or "session"}"'
        )
        return response
    if not may(current_user, "inzicht"):
        return _error("Deze cijfers zijn alleen voor de gemeente, coördinatoren en beheerders.", 403)
    gemeenten = kaart.gemeente_namen()
    if any(name in request.args and not request.args[name].strip() for name in ("van", "tot")):
        return _error(f"{DATUM_FOUT} Laat `van` of `tot` weg als je er geen wilt geven.")
    # An empty `gemeente=` is refused as an unknown one: a client that sends it by mistake must not
    # get the figures of every gemeente as if they were those of one (the page's empty choice means all).
    if any(code not in gemeenten for code in request.args.getlist("gemeente")):
        return _error(GEMEENTE_FOUT.format(codes=", ".join(gemeenten)))
    form = filter_form(request.args, gemeenten)
    now = utcnow()
    periode = valid_periode(form, now=now)
    if periode is None:
        return _error(DATUM_FOUT)
    response = _json(export.as_json(kpi.dashboard(periode, now=now)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    return _json(openapi.document(
        url_for("api.posts_geojson", _external=True).rsplit("/", 1)[0],
        gemeenten=list(kaart.gemeente_namen()),
        wijken=[wijk.code for wijk in areas.all_wijken()],
    ))
