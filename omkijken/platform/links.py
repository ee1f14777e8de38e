"""Signed one-tap links in mails: answer a voorstel, a check-in or a question without logging in,
choose a new password, switch a mail off.

A link names its objects and person, is signed with the site's secret and a salt per kind (so one
kind of link never passes for another) and, unless it is meant to last, expires. The salts and
the payloads are part of links already sitting in people's mailboxes: changing them breaks those.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

# Links that expire carry their signing time and a list of values.
SALTS = {
    "voorstel": "omkijken.voorstel-antwoord",
    "checkin": "omkijken.checkin-antwoord",
    "bestaat_nog": "omkijken.bestaat-nog",
    "wachtwoord": "omkijken.wachtwoord-kiezen",
    "welkom": "omkijken.welkom-bevestigen",
}
# Links that never expire (switching a mail off must always work) carry one bare value.
LASTING_SALTS = {
    "wijkdigest_uit": "omkijken.wijkdigest-uit",
    "aanbod_mail_uit": "omkijken.aanbod-mail-uit",
    "voorstellen_uit": "omkijken.voorstellen-mail-uit",
    "samen_doen_uit": "omkijken.samen-doen-mail-uit",
}


class LinkInvalid(Exception):
    """The link is broken, forged or expired; ``expired`` tells which, for the message."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _timed(kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[kind])


def _lasting(kind: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LASTING_SALTS[kind])


def sign(kind: str, *values: Any) -> str:
    """The token of a link of ``kind`` holding ``values`` (ids, an answer, a fingerprint)."""
    if kind in LASTING_SALTS:
        (value,) = values
        return _lasting(kind).dumps(value)
    return _timed(kind).dumps(list(values))


def read(kind: str, token: str, max_age: timedelta | None = None) -> tuple[Any, ...]:
    """The values signed into ``token``; LinkInvalid when it was changed, made for another kind,
    or is older than ``max_age`` (which every kind but a lasting one must give)."""
    if kind not in LASTING_SALTS and max_age is None:
        raise TypeError(f"a {kind} link expires: give max_age")
    try:
        if kind in LASTING_SALTS:
            return (_lasting(kind).loads(token),)
        loaded = _timed(kind).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as error:
        raise LinkInvalid(expired=True) from error
    except BadData as error:
        raise LinkInvalid(expired=False) from error
    if not isinstance(loaded, list):
        raise LinkInvalid(expired=False)
    return tuple(loaded)


def read_id(kind: str, token: str) -> int | None:
    """The one id in a lasting link (a mail's stop link), or None when the link was changed."""
    try:
        (value,) = read(kind, token)
        return int(value)
    except (LinkInvalid, TypeError, ValueError):
        return None
