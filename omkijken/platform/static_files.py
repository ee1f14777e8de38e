"""Static files under names that carry their content's hash, cached by browsers for a year.

``url_for('static', filename='css/omkijken.css')`` gives ``/static/css/omkijken.<hash>.css``: the
hash is the first 12 hex digits of the file's SHA-256, so a deploy that changes a file changes its
address, and a browser may keep every address for a year without asking again
(``Cache-Control: public, max-age=31536000, immutable``). The old, unhashed address still works,
with ``no-cache``: a bookmarked or cached page that names it gets the current file.

The names are computed once per file (a small manifest, filled as files are asked for and kept for
the life of the process; a deploy restarts it; in debug mode on every ask). No library: WhiteNoise wants to sit in front of the
WSGI app with its own copy of the files, for what is these few lines in Flask.

A static file is the same for everyone, so it carries no ``Vary: Cookie`` (which would keep shared
caches from keeping it): its answer never saves the session, even though Flask-Login looks into it
after every request, and security.py does not look up the person for it.
"""

from __future__ import annotations

import hashlib
import posixpath
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface

HASH_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"


class Manifest:
    """original name -> hashed name, and back; filled lazily, safe across threads."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder).resolve()
        self.hashed: dict[str, str] = {}
        self.original: dict[str, str] = {}
        self._lock = threading.Lock()

    def hashed_name(self, filename: str) -> str:
        known = self.hashed.get(filename)
        # In debug mode (a developer editing CSS) every ask hashes again: the new file, a new address.
        if known is not None and not current_app.debug:
            return known
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return filename
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
        stem, ext = posixpath.splitext(filename)
        name = f"{stem}.{digest}{ext}"
        with self._lock:
            self.hashed[filename] = name
            self.original[name] = filename
        return name

    def original_name(self, filename: str) -> str | None:
        """The file a hashed name stands for, or None when ``filename`` is not a (current) hashed name."""
        candidate = self.original.get(filename)
        if candidate is None:
            stem, ext = posixpath.splitext(filename)
            base, dot, digest = stem.rpartition(".")
            if not dot or len(digest) != HASH_LENGTH:
                return None
            candidate = f"{base}{ext}"
        return candidate if self.hashed_name(candidate) == filename else None


def _manifest() -> Manifest:
    return current_app.extensions["omkijken.static_manifest"]


def _hash_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and isinstance(values.get("filename"), str):
        values["filename"] = _manifest().hashed_name(values["filename"])


def static_file(filename: str) -> Response:
    folder = current_app.static_folder
    original = _manifest().original_name(filename)
    if original is not None:
        response = send_from_directory(folder, original, max_age=31536000)
        response.headers["Cache-Control"] = IMMUTABLE
        return response
    response = send_from_directory(folder, filename, max_age=None)
    response.headers["Cache-Control"] = "no-cache"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, not saved for a static file: no Set-Cookie, no Vary: Cookie."""

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.extensions["omkijken.static_manifest"] = Manifest(app.static_folder)
    app.url_defaults(_hash_static_urls)
    app.view_functions["static"] = static_file
