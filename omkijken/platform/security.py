"""Security headers on every response, with a Content-Security-Policy that allows only our own scripts.

folium writes its maps as inline scripts. Rather than allow every inline script (which would let an
injected one run too), each response gets a fresh random nonce and only ``<script>`` tags carrying it
run: our templates write ``nonce="{{ csp_nonce() }}"``, and ``with_nonce`` adds it to folium's header.

Inline *styles* stay allowed: Leaflet and folium set them on map elements, and a style cannot run code.

No library: flask-talisman would add a forced-HTTPS redirect that fights the proxy set-up and its last
release is from 2023, while what we need is the few lines below.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from typing import Any, Mapping
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from flask_login import current_user
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

# Values that must never sign sessions in production: ours from the tests and the README's placeholder.
KNOWN_SECRETS = frozenset({"", "...", "test-secret", "change-me", "changeme", "secret", "dev", "omkijken"})
MIN_SECRET_LENGTH = 32

_SCRIPT_TAG = re.compile(r"<script(?![^>]*\bnonce=)")


def csp_nonce() -> str:
    """The nonce of this response, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def with_nonce(html: str) -> Markup:
    """Give every ``<script>`` tag in trusted generated HTML (folium's) this response's nonce."""
    return Markup(_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', str(html)))


def tile_source(tile_url: str) -> str:
    """The origin of the map tiles, for img-src; ``{s}`` subdomains become a wildcard."""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(config: Mapping[str, Any], nonce: str) -> str:
    images = " ".join(filter(None, ["'self'", "data:", tile_source(config["TILE_URL"])]))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def check_production_secret(config: Mapping[str, Any]) -> None:
    """Production refuses to start with a secret anyone could know or guess.

    With a known key anyone can sign a session cookie, a check-in link or a password-reset link.
    """
    if not config.get("PRODUCTION"):
        return
    key = config.get("SECRET_KEY") or ""
    if not config.get("SECRET_KEY_FROM_ENVIRONMENT") or key in KNOWN_SECRETS or len(key) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            "OMKIJKEN_ENV=production needs its own OMKIJKEN_SECRET_KEY of at least "
            f"{MIN_SECRET_LENGTH} random characters (for example: python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'). The site does not start with the embedded default."
        )


def _headers(app: Flask, response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(app.config, csp_nonce())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()")
    if app.config["BEHIND_TLS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint == "static":
        # The same file for everyone (static_files.py): no need to look up who asks.
        return response
    if current_user and getattr(current_user, "is_authenticated", False) and "Cache-Control" not in headers:
        # A page for one person must not stay in a shared computer's cache or a proxy.
        headers["Cache-Control"] = "private, no-store"
    return response


def compress_unless_personal(compress: Any, response: Response) -> Response:
    """Compress what Flask-Compress would, except a signed-in person's pages.

    Those hold secrets (the CSRF token of her session, her name, messages, an address) beside text an
    attacker can put in the page through a link (a search word): compressed, the size of the encrypted
    answer tells such an attacker, guess by guess, what the secret is (BREACH). Public pages, scripts,
    styles and the GeoJSON still go compressed, where a slow phone gains most.
    """
    if response.mimetype == "text/html" and getattr(current_user, "is_authenticated", False):
        response.headers.add("Vary", "Cookie")
        return response
    return compress.after_request(response)


def init_app(app: Flask) -> None:
    check_production_secret(app.config)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(lambda response: _headers(app, response))


class TrustedProxies:
    """Werkzeug's ProxyFix, for requests from the configured proxies only. ProxyFix alone believes
    ``X-Forwarded-For`` from anyone, so a client that reaches the app's port directly could send a
    new address with every wrong password and never meet the login limit."""

    def __init__(self, wsgi_app: Any, *, proxies: str, count: int) -> None:
        self.wsgi_app = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=count, x_proto=count, x_host=count)
        self.proxies = [ipaddress.ip_network(part.strip(), strict=False) for part in proxies.split(",") if part.strip()]

    def trusted(self, peer: str | None) -> bool:
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.wsgi_app(environ, start_response)


def safe_redirect_target(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default``: the one check for every view that
    redirects to a place someone else chose (``next`` after logging in, after switching language).

    Browsers drop tabs and line breaks from a URL and read ``\\`` as ``/``: "/\\t/evil.example" and
    "/\\\\evil.example" are //evil.example to them, another site. So a target must start with one "/"
    and hold no control character, no whitespace and no backslash at all, and have no scheme or host.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return default
    if any(ch == "\\" or ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
