"""JSON and GeoJSON API, version 1, with its OpenAPI document.

Read-only and public: no login, no CSRF (the blueprint is exempt; GET is not protected anyway).
Every mistake in the input is a 400 with a Dutch ``{"error": ...}``, never a 5xx.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from omkijken.platform.api import geojson, openapi
from omkijken.platform.extensions import csrf
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


def _json(body: Any, status: int = 200, mimetype: str = "application/json"):
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(text, status=status, mimetype=mimetype)


def _error(message: str, status: int = 400):
    return _json({"error": message}, status)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    messages = {404: "Dit adres bestaat niet in de API.", 405: "Deze API kan alleen lezen (GET)."}
    return _error(messages.get(error.code or 400, "Dit verzoek begrepen we niet."), error.code or 400)


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
    body = geojson.feature_collection(
        choice.filters, bbox, cap=current_app.config.get("API_GEOJSON_CAP", geojson.CAP)
    )
    response = _json(body, mimetype="application/geo+json")
    response.headers["Cache-Control"] = "private, max-age=30"
    return response


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    return _json(openapi.document(url_for("api.posts_geojson", _external=True).rsplit("/", 1)[0]))
