"""The Flask site. ``create_app`` is the one place where the parts are put together."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import (
    Flask,
    Request,
    current_app,
    has_request_context,
    request,
    session,
)
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter, UnicodeConverter

from omkijken.platform import clock, security, static_files, transaction
from omkijken.platform import config as config_module
from omkijken.platform.core import error_pages
from omkijken.platform.database import engine_options, prepare_engine
from omkijken.platform.formfields import MAX_ID
from omkijken.platform.i18n import lazy_gettext as _l

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = PACKAGE_ROOT.parent / "migrations"
# What Flask-Compress compresses: text, our JSON and GeoJSON; never images, PDFs or spreadsheets.
COMPRESSED_TYPES = ("text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
                    "application/json", "application/geo+json", "application/manifest+json", "image/svg+xml",
                    "image/vnd.microsoft.icon")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("OMKIJKEN_INSTANCE_PATH")
    app = transaction.TransactionalFlask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
        template_folder=str(PACKAGE_ROOT / "templates"),
        static_folder=str(PACKAGE_ROOT / "static"),
    )
    app.config.update(config_module.from_environment(Path(app.instance_path)))
    app.config.update(config or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "nl")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PACKAGE_ROOT / "translations"))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)

    if app.config["PROXY_COUNT"]:
        # Behind a proxy: take client address and scheme from its headers (rate limits, HTTPS), when
        # the request came through one of the trusted proxies.
        app.wsgi_app = security.TrustedProxies(app.wsgi_app, proxies=app.config["TRUSTED_PROXIES"],
                                               count=app.config["PROXY_COUNT"])
    security.init_app(app)
    static_files.init_app(app)
    # Every <int:...> in a URL is a row id: a number past the INTEGER column is "not found" (404),
    # not a database error.
    app.url_map.converters["int"] = _IdConverter
    # PostgreSQL text cannot hold NUL (0x00): a query with one is a DataError (500). Nobody means
    # to type it, so it is dropped from query strings and form fields, and a path with one is a 404.
    app.url_map.converters["default"] = app.url_map.converters["string"] = _TextConverter
    app.request_class = _Request
    _init_extensions(app)
    transaction.init_app(app)
    _register_blueprints(app)
    _connect_erasure_handlers()
    error_pages.register(app)
    _register_template_helpers(app)

    return app


class _WithoutNul(ImmutableMultiDict):
    def __init__(self, mapping: Any = None) -> None:
        super().__init__([(key.replace("\x00", ""), value.replace("\x00", "") if isinstance(value, str) else value)
                          for key, value in iter_multi_items(mapping or ())])


class _Request(Request):
    parameter_storage_class = _WithoutNul


class _TextConverter(UnicodeConverter):
    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


class _IdConverter(IntegerConverter):
    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def select_locale() -> str:
    """The person's language; Dutch where there is no request (the CLI, the worker, beat)."""
    if not has_request_context():
        return "nl"
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.taal
    return session.get("taal", "nl")


def _init_extensions(app: Flask) -> None:
    from omkijken.platform import (
        formatting,
        i18n,
        models,  # noqa: F401  (registers every table with the metadata)
    )
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.areas import geocoding
    from omkijken.platform.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
    from omkijken.platform.system.broker import make_sender

    db.init_app(app)
    with app.app_context():
        prepare_engine(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    i18n.init_app(app)
    formatting.init_app(app)
    limiter.init_app(app)
    # Pages, GeoJSON, CSS and JS compressed (Leaflet: 148 kB to 43 kB): a phone on a slow
    # connection gets the map in a third of the time (issue 22, Lighthouse in bench/lighthouse.py).
    # A signed-in person's pages go uncompressed (security.compress_unless_personal: BREACH).
    app.config.setdefault("COMPRESS_MIMETYPES", [*COMPRESSED_TYPES])
    # A static file is sent as a stream, and Flask-Compress leaves gzip out of its choice for streams:
    # a client that reads gzip only (curl, proxies, older apps) got Leaflet raw. Its gzip stream works.
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["zstd", "br", "gzip", "deflate"])
    app.config["COMPRESS_REGISTER"] = False
    compress.init_app(app)
    app.after_request(lambda response: security.compress_unless_personal(compress, response))

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log eerst in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(accounts.find_by_login_token)

    app.extensions["omkijken.sender"] = make_sender(app.config)
    app.extensions.setdefault("omkijken.geocoder", geocoding.from_config(app.config))


def _register_blueprints(app: Flask) -> None:
    from omkijken.platform.accounts.privacy_views import bp as privacy_bp
    from omkijken.platform.accounts.views import bp as accounts_bp
    from omkijken.platform.api.views import bp as api_bp
    from omkijken.platform.areas.views import bp as areas_bp
    from omkijken.platform.core.app_views import bp as app_bp
    from omkijken.platform.core.views import bp as core_bp
    from omkijken.platform.insights.views import bp as insights_bp
    from omkijken.platform.insights.wachtlijst_views import bp as wachtlijst_bp
    from omkijken.platform.koppelingen.coordinatie_views import bp as coordinatie_bp
    from omkijken.platform.koppelingen.diensten_views import bp as diensten_bp
    from omkijken.platform.koppelingen.nazorg_views import bp as nazorg_bp
    from omkijken.platform.koppelingen.views import bp as koppelingen_bp
    from omkijken.platform.moderatie.views import bp as moderatie_bp
    from omkijken.platform.posts.agenda_views import bp as agenda_bp
    from omkijken.platform.posts.prikbord_views import bp as prikbord_bp
    from omkijken.platform.posts.views import bp as posts_bp
    from omkijken.platform.posts.volgen_views import bp as volgen_bp
    from omkijken.platform.subsidies.gemeente_views import bp as subsidies_gemeente_bp
    from omkijken.platform.subsidies.opvolging_views import bp as subsidies_opvolging_bp
    from omkijken.platform.subsidies.views import bp as subsidies_bp
    from omkijken.platform.wijkagenda.gebieden_views import bp as gebieden_bp
    from omkijken.platform.wijkagenda.sociale_agenda_views import bp as sociale_agenda_bp
    from omkijken.platform.wijkagenda.views import bp as wijkagenda_bp

    blueprints = (core_bp, accounts_bp, areas_bp, posts_bp, prikbord_bp, agenda_bp, volgen_bp, moderatie_bp,
                  wijkagenda_bp, sociale_agenda_bp, koppelingen_bp, coordinatie_bp, diensten_bp, nazorg_bp,
                  subsidies_bp, subsidies_gemeente_bp, subsidies_opvolging_bp, insights_bp, wachtlijst_bp, api_bp,
                  privacy_bp, app_bp, gebieden_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _connect_erasure_handlers() -> None:
    """Each domain cleans its own rows when a person is erased or a post wiped (accounts.signals,
    posts.signals); importing its erasure module connects its handlers. Likewise the domains that
    tell areas where something is posted (areas.signals.wijken_in_use: an industrial estate stays in
    public lists while something is posted there), and new boundaries (areas.signals.relocating):
    each relocation module places its own points again."""
    from omkijken.platform.accounts import relocation as _homes  # noqa: F401
    from omkijken.platform.koppelingen import erasure as _koppelingen  # noqa: F401
    from omkijken.platform.posts import erasure as _posts  # noqa: F401
    from omkijken.platform.posts import relocation as _posts_placed  # noqa: F401
    from omkijken.platform.posts import wijken_in_gebruik as _posts_in_use  # noqa: F401
    from omkijken.platform.subsidies import erasure as _subsidies  # noqa: F401
    from omkijken.platform.wijkagenda import erasure as _wijkagenda  # noqa: F401
    from omkijken.platform.wijkagenda import wijken_in_gebruik as _punten_in_use  # noqa: F401


def _worker_warning() -> bool:
    """Only the beheerder hears that no worker has checked in; residents cannot act on it."""
    from omkijken.platform.accounts.permissions import may
    from omkijken.platform.system import services as system

    if not may(current_user, "beheren"):
        return False
    return system.worker_is_stale(
        now=clock.utcnow(), stale_after=current_app.config["WORKER_STALE_AFTER_SECONDS"]
    )


def _unread_conversations() -> int:
    """How many conversations of the person logged in have a message they did not open (the menu)."""
    from omkijken.platform.posts import ongelezen

    return ongelezen.unread_count(current_user) if current_user.is_authenticated else 0


def _register_template_helpers(app: Flask) -> None:
    from omkijken.platform.accounts.models import ROLES
    from omkijken.platform.accounts.permissions import is_moderator, may
    from omkijken.platform.core.views import LANGUAGES

    @app.context_processor
    def helpers() -> dict[str, Any]:
        from flask_babel import get_locale

        return {
            "worker_warning": _worker_warning(),
            "unread_conversations": _unread_conversations,
            "may": may,
            "is_moderator": is_moderator,
            "role_labels": ROLES,
            "languages": LANGUAGES,
            "current_locale": str(get_locale()),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
