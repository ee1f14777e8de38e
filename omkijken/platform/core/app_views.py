"""What makes the site feel like an app on a phone: the web app manifest, the icons browsers ask
for at fixed addresses, the service worker, its offline page and "Zet Omkijken op je telefoon".

The service worker is served from the site's root (``/sw.js``) so its scope is the whole site. Its
cache names carry ``VERSION`` plus a hash of itself and of the files it keeps, so a deploy that
changes any of them replaces the old caches; bump ``SW_VERSION`` to drop them for another reason.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, send_from_directory, url_for

bp = Blueprint("app", __name__)

SW_VERSION = 1
THEME_COLOUR = "#1d5c8f"  # --brand in static/css/omkijken.css
BACKGROUND_COLOUR = "#ffffff"  # --paper
# What the service worker keeps from its first visit on: the stylesheet and script every page uses.
PRECACHED_STATIC = ("css/omkijken.css", "js/app.js", "icons/icon-192.png")


def _icons() -> Path:
    return Path(current_app.static_folder) / "icons"


@lru_cache(maxsize=4)
def _version(static_folder: str, template: str) -> str:
    digest = hashlib.sha256(template.encode())
    for name in PRECACHED_STATIC:
        digest.update((Path(static_folder) / name).read_bytes())
    return f"{SW_VERSION}-{digest.hexdigest()[:12]}"


@bp.get("/manifest.webmanifest")
def manifest():
    icon = lambda name: url_for("static", filename=f"icons/{name}")  # noqa: E731
    body = {
        "id": url_for("core.home"),
        "name": "Omkijken: naar elkaar omkijken in Oss en Oosterhout",
        "short_name": "Omkijken",
        "description": "Hulp vragen en iets doen voor een ander, in je eigen buurt.",
        "lang": "nl",
        "dir": "ltr",
        "start_url": url_for("core.home"),
        "scope": url_for("core.home"),
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("maskable-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "maskable"},
            {"src": icon("maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            {"src": icon("icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(_icons(), "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)


# iPhones ask for these two at the root whether or not the page names one.
@bp.get("/apple-touch-icon.png")
@bp.get("/apple-touch-icon-precomposed.png")
def apple_touch_icon():
    return send_from_directory(_icons(), "apple-touch-icon.png", mimetype="image/png", max_age=86400)


@bp.get("/sw.js")
def service_worker():
    env = current_app.jinja_env
    sources = "".join(env.loader.get_source(env, name)[0] for name in ("app/sw.js", "app/offline.html"))
    version = _version(current_app.static_folder, sources)
    precache = [url_for("app.offline"), *(url_for("static", filename=name) for name in PRECACHED_STATIC)]
    body = render_template("app/sw.js", version=version, precache=precache, offline=url_for("app.offline"))
    response = Response(body, mimetype="text/javascript")
    # The browser must see a new version at once: never from a cache.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    """What the service worker shows when there is no connection; kept in its cache."""
    return render_template("app/offline.html")


@bp.get("/op-je-telefoon")
def op_je_telefoon():
    return render_template("app/op_je_telefoon.html")
