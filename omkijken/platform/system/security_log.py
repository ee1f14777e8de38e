"""Security events as one JSON line each on the logger ``omkijken.security``, for the gemeente's SIEM
(the BIO asks for logging of logins, changes of rights and the like): who, what, when and from where.

A line never holds a password, a token or a typed e-mail address. A login for an address names
the account by a keyed hash of the address (``account``), so failed tries for one account can be
counted across lines without writing the address down; a known account is named by its id.
Changes a beheerder makes to someone's roles or account are also in the audit log (logboek).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

from flask import current_app, has_request_context, request

from omkijken.platform.clock import utcnow

log = logging.getLogger("omkijken.security")


def account_key(email: str) -> str:
    """The same short key for the same address however it was typed; not reversible without the
    site's secret key."""
    typed = (email or "").strip().casefold().encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), typed, hashlib.sha256).hexdigest()[:16]


def event(kind: str, *, user_id: int | None = None, email: str | None = None, by: int | None = None,
          **fields: Any) -> dict[str, Any]:
    """Write one security event; returns what was written (for tests and callers that show it)."""
    line: dict[str, Any] = {"event": kind, "at": utcnow().isoformat(), "user_id": user_id}
    if email is not None:
        line["account"] = account_key(email)
    if by is not None:
        line["by"] = by
    if has_request_context():
        line["ip"] = request.remote_addr
        line["path"] = request.path
    line.update(fields)
    log.info(json.dumps(line, ensure_ascii=False, sort_keys=True, default=str))
    return line
