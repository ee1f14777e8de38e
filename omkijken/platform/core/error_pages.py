"""The pages of an error, app-wide: Dutch (or the visitor's language) and in the site's layout, and
JSON under /api/, for every HTTP error and for a service's NotAllowed that no view caught."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, current_app, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from omkijken.platform.accounts.permissions import NotAllowed
from omkijken.platform.i18n import lazy_gettext as _l

PAGES: dict[int | str, tuple[Any, Any]] = {
    400: (_l("Er ging iets mis"), _l("We begrepen dit verzoek niet. Ga terug en probeer het nog eens.")),
    403: (
        _l("Geen toegang"),
        _l("Deze pagina is niet voor jou. Denk je dat dit niet klopt? Vraag het de beheerder."),
    ),
    404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet (meer). Kijk of het adres klopt.")),
    413: (
        _l("Dit is te groot"),
        _l("Wat je stuurde is te groot. Een bestand mag hooguit %(mb)s MB zijn. Maak het kleiner en probeer "
           "het nog eens."),
    ),
    429: (
        _l("Even wachten"),
        _l("Je hebt het te vaak geprobeerd. Wacht een minuut en probeer het dan opnieuw."),
    ),
    405: (
        _l("Dit kan zo niet"),
        _l("Deze pagina kan dit niet doen. Ga terug en probeer het via de knoppen op de pagina."),
    ),
    500: (_l("Er ging iets mis"), _l("Er ging bij ons iets mis. Probeer het later nog eens.")),
    "csrf": (
        _l("Het formulier is verlopen"),
        _l(
            "Het formulier was te lang open of kwam niet van deze site. "
            "Ga terug, laad de pagina opnieuw en probeer het nog eens."
        ),
    ),
}

# Under /api/ an error is JSON, in Dutch whatever the visitor's language, like the API's own answers.
API_ERRORS = {
    404: "Dit adres bestaat niet in de API.",
    405: "Deze API kan alleen lezen (GET).",
}


def _api_error(code: int, text: Any):
    from flask_babel import force_locale

    with force_locale("nl"):
        message = API_ERRORS.get(code) or str(text)
    return current_app.response_class(json.dumps({"error": message}), status=code, mimetype="application/json")


def register(app: Flask) -> None:

    def render(code: int, key: int | str, text: Any = None):
        title, default = PAGES[key]
        text = default if text is None else text
        if request.path.startswith("/api/"):
            return _api_error(code, text)
        return render_template("core/error.html", code=code, title=title, text=text), code

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render(400, "csrf")

    # Every HTTP error, also one raised while routing (a 404, a 405) before any blueprint is chosen;
    # the specific handlers below are picked first for their own codes.
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        response = render(code, code if code in PAGES else 400)
        if isinstance(response, tuple):
            response = make_response(*response)
        # A 405 names the methods that do work (RFC 9110 15.5.6), as Werkzeug's own page did.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    for code in (400, 403, 404, 500):
        app.register_error_handler(code, lambda _error, code=code: render(code, code))

    @app.errorhandler(NotAllowed)
    def not_allowed(_error):
        """A service refused on who the user is, and no view caught it: the same page as abort(403)."""
        return render(403, 403)

    @app.errorhandler(413)
    def too_large(_error):
        mb = app.config["SUBSIDIE_MAX_BIJLAGE_BYTES"] // (1024 * 1024)
        return render(413, 413, PAGES[413][1] % {"mb": mb})

    @app.errorhandler(429)
    def too_many(error):
        """A limit with its own message (per account and day) says that one, not "wait a minute"."""
        limit = getattr(error, "limit", None)
        if limit is None or not limit.error_message:
            return render(429, 429)
        return render(429, 429, error.description)
