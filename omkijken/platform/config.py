"""Configuration from ``OMKIJKEN_*`` environment variables.

Everything has an embedded default (SQLite + SpatiaLite, a Redis broker that ``omkijken run`` starts
itself on a socket in the instance folder, mail to files) so that ``make run`` works on a fresh
machine without any setting.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

SOCKET_NAME = "redis.sock"
# sun_path of a Unix socket holds 108 bytes, one of them the closing NUL.
MAX_SOCKET_PATH = 107


def socket_path(instance_path: Path | str) -> Path:
    """Where the embedded broker listens: ``<instance>/broker/redis.sock``, or, when that path is
    too long for a Unix socket, a name in the temporary folder derived from the instance path (so
    web, worker and beat of one instance still find the same socket). It lives here, not in
    system/broker.py, because the configuration needs it and sits below every domain."""
    instance = Path(instance_path).resolve()
    path = instance / "broker" / SOCKET_NAME
    if len(os.fsencode(path)) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(os.fsencode(instance)).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"omkijken-{digest}.sock"


DEFAULT_TILE_URL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a>'
PDOK_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"OMKIJKEN_{name}")
    return value if value not in (None, "") else default


def _flag(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def secret_key(instance_path: Path) -> str:
    """A key generated once and kept in the instance folder, so sessions survive a restart."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


MB = 1024 * 1024


def from_environment(instance_path: Path) -> dict[str, Any]:
    """Build the Flask config for this process from the environment."""
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = _env("DATABASE_URL", f"sqlite:///{instance_path / 'omkijken.sqlite'}")
    redis_url = _env("REDIS_URL")
    behind_tls = _flag("BEHIND_TLS")
    bijlage_bytes = int(_env("SUBSIDIE_MAX_BIJLAGE_MB", "10")) * MB
    return {
        "SECRET_KEY": _env("SECRET_KEY") or secret_key(instance_path),
        # The generated key is for one machine; production must bring its own (security.py).
        "SECRET_KEY_FROM_ENVIRONMENT": _env("SECRET_KEY") is not None,
        "PRODUCTION": _env("ENV", "development") == "production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        # The embedded broker's socket, used when REDIS_URL is unset (system/broker.py). The rate
        # limits stay in process memory then: the embedded broker is for tasks only.
        "BROKER_SOCKET": str(socket_path(instance_path)),
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": int(_env("MAIL_PORT", "25")),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_CA_FILE": _env("MAIL_CA_FILE"),
        "MAIL_FROM": _env("MAIL_FROM", "Omkijken <noreply@omkijken.local>"),
        "MAIL_FOLDER": str(instance_path / "mail"),
        "TILE_URL": _env("TILE_URL", DEFAULT_TILE_URL),
        "TILE_ATTRIBUTION": _env("TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        "GEOCODER": _env("GEOCODER", "pdok"),
        "PDOK_URL": _env("PDOK_URL", PDOK_URL),
        "SITE_URL": _env("SITE_URL", "http://127.0.0.1:5000"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis down must not turn a login into a 500: limits are then counted per process.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_LOGIN": _env("RATELIMIT_LOGIN", "10 per minute"),
        # Wrong passwords for one e-mail address, from any address: after these the account waits.
        "RATELIMIT_LOGIN_ACCOUNT": _env("RATELIMIT_LOGIN_ACCOUNT", "10 per 15 minutes"),
        # Password reset: how often one address (client) may ask, and how long a link works.
        "RATELIMIT_WACHTWOORD": _env("RATELIMIT_WACHTWOORD", "5 per 15 minutes"),
        # Werkzeug's scrypt; only the tests choose a cheaper one (accounts/password_hash.py).
        "PASSWORD_HASH_METHOD": "scrypt",
        "WACHTWOORD_LINK_MINUTEN": int(_env("WACHTWOORD_LINK_MINUTEN", "60")),
        # The link in the welcome mail of a new account confirms the address and logs in, once (issue 22).
        "WELKOM_LINK_DAGEN": int(_env("WELKOM_LINK_DAGEN", "3")),
        # A phone number residents may call (the welzijn desk); shown where someone waits, if set.
        "CONTACT_TELEFOON": _env("CONTACT_TELEFOON", ""),
        # A message nobody opened is mailed to the other party after this many minutes (issue 22).
        "GESPREK_MAIL_NA_MINUTEN": int(_env("GESPREK_MAIL_NA_MINUTEN", "10")),
        # "Ik help" and "Vraag om hulp": how often one account may press them. Each answer names
        # the other in a voorstel, so a fresh account must not be able to ask the whole town.
        "RATELIMIT_IK_HELP": _env("RATELIMIT_IK_HELP", "10 per day"),
        "RATELIMIT_VRAAG_HULP": _env("RATELIMIT_VRAAG_HULP", "10 per day"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": behind_tls,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": behind_tls,
        "PREFERRED_URL_SCHEME": "https" if behind_tls else "http",
        "BEHIND_TLS": behind_tls,
        # Beat sends a heartbeat every 30 s: 120 s without one means three were missed.
        "WORKER_STALE_AFTER_SECONDS": int(_env("WORKER_STALE_AFTER_SECONDS", "120")),
        # Redis gives a task a worker took but never acknowledged (the worker was killed) to
        # another worker after this long; a run that takes longer is started a second time,
        # which does no harm (tasks are idempotent) but costs the work twice.
        "BROKER_VISIBILITY_TIMEOUT": int(_env("BROKER_VISIBILITY_TIMEOUT", "3600")),
        # The outbox relay: how often beat runs it, and how old an unsent message must be before
        # the relay sends it (younger ones are still being sent after their commit).
        "RELAY_INTERVAL_SECONDS": int(_env("RELAY_INTERVAL_SECONDS", "10")),
        # How often beat asks a worker to check in; WORKER_STALE_AFTER_SECONDS should be a few of these.
        "HEARTBEAT_SECONDS": int(_env("HEARTBEAT_SECONDS", "30")),
        "RELAY_AFTER_SECONDS": int(_env("RELAY_AFTER_SECONDS", "10")),
        # A mail the SMTP server refuses is tried again after backoff, 2 x backoff, 4 x ... seconds.
        "MAIL_RETRY_BACKOFF_SECONDS": int(_env("MAIL_RETRY_BACKOFF_SECONDS", "30")),
        "MAIL_MAX_RETRIES": int(_env("MAIL_MAX_RETRIES", "6")),
        "PROXY_COUNT": int(_env("PROXY_COUNT", "0")),
        # Only these peers may say who the client is (X-Forwarded-*): a request straight to the app's
        # port must not choose its own address and so dodge the rate limits.
        "TRUSTED_PROXIES": _env("TRUSTED_PROXIES", "127.0.0.1/32,::1/128"),
        # The largest upload (a subsidy attachment), and the largest request: the attachment and the
        # rest of its form. A bigger body is refused (413) before it is read, not after.
        "SUBSIDIE_MAX_BIJLAGE_BYTES": bijlage_bytes,
        "MAX_CONTENT_LENGTH": bijlage_bytes + MB,
        "REPORTS_TO_HIDE": int(_env("REPORTS_TO_HIDE", "3")),
        # A report from an account younger than this weighs nothing towards hiding a post; an older
        # one weighs half, or one when the reporter posted or wrote something before (posts.services).
        "MELDING_ACCOUNT_DAGEN": int(_env("MELDING_ACCOUNT_DAGEN", "14")),
        "ACTIVITEIT_MAX_PRIJS": Decimal(_env("ACTIVITEIT_MAX_PRIJS", "5")),
        "VOORSTEL_LINK_DAGEN": int(_env("VOORSTEL_LINK_DAGEN", "14")),
        "WACHT_DAGEN_COORDINATOR": int(_env("WACHT_DAGEN_COORDINATOR", "7")),
        # Nazorg: days until a reminder, and again until the coordinator calls; how long a link works.
        "NAZORG_HERINNER_DAGEN": int(_env("NAZORG_HERINNER_DAGEN", "3")),
        "NAZORG_LINK_DAGEN": int(_env("NAZORG_LINK_DAGEN", "14")),
        # Privacy: a closed hulpvraag keeps its text and exact place this many months.
        "HULPVRAAG_BEWAAR_MAANDEN": int(_env("HULPVRAAG_BEWAAR_MAANDEN", "12")),
        # Who hears of a security problem (/.well-known/security.txt, RFC 9116): a mailto: or https:
        # URI. Unset, there is no security.txt: a contact nobody reads is worse than none.
        "SECURITY_CONTACT": _env("SECURITY_CONTACT"),
    }
