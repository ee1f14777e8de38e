"""Signed one-click links in emails: answer a voorstel without logging in.

A link names one voorstel, one person and one answer, is signed with the site's secret, and
expires. It opens a page with one button, not the answer itself: mail scanners open links
before people do, and must not answer for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "omkijken.voorstel-antwoord"
ANSWERS = ("ja", "nee")


@dataclass(frozen=True)
class Answer:
    voorstel_id: int
    user_id: int
    answer: str


class LinkInvalid(Exception):
    """The link is broken, forged or expired; ``expired`` tells which, for the message."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(voorstel_id: int, user_id: int, answer: str) -> str:
    if answer not in ANSWERS:
        raise ValueError(answer)
    return _serializer().dumps([voorstel_id, user_id, answer])


def read(value: str) -> Answer:
    max_age = current_app.config["VOORSTEL_LINK_DAGEN"] * 86400
    try:
        voorstel_id, user_id, answer = _serializer().loads(value, max_age=max_age)
    except SignatureExpired as error:
        raise LinkInvalid(expired=True) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid(expired=False) from error
    if answer not in ANSWERS:
        raise LinkInvalid(expired=False)
    return Answer(int(voorstel_id), int(user_id), answer)


def url(voorstel_id: int, user_id: int, answer: str) -> str:
    return f"{current_app.config['SITE_URL']}/voorstellen/antwoord/{token(voorstel_id, user_id, answer)}"
