"""Signed one-click links in emails: answer a voorstel or a check-in without logging in.

A link names one voorstel or check-in, one person and one answer, is signed with the site's
secret (a different salt per kind, so one kind of link never passes for another), and expires.
It opens a page with one button, not the answer itself: mail scanners open links before people
do, and must not answer for them. A check-in link works once: the check-in remembers its answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "omkijken.voorstel-antwoord"
ANSWERS = ("ja", "nee")
CHECKIN_SALT = "omkijken.checkin-antwoord"
CHECKIN_ANSWERS = ("goed", "beter", "gestopt")


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


def _serializer(salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def token(voorstel_id: int, user_id: int, answer: str) -> str:
    if answer not in ANSWERS:
        raise ValueError(answer)
    return _serializer().dumps([voorstel_id, user_id, answer])


def _load(value: str, *, salt: str, days: int, answers: tuple[str, ...]) -> tuple[int, int, str]:
    try:
        object_id, user_id, answer = _serializer(salt).loads(value, max_age=days * 86400)
    except SignatureExpired as error:
        raise LinkInvalid(expired=True) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid(expired=False) from error
    if answer not in answers:
        raise LinkInvalid(expired=False)
    return int(object_id), int(user_id), answer


def read(value: str) -> Answer:
    return Answer(*_load(value, salt=SALT, days=current_app.config["VOORSTEL_LINK_DAGEN"], answers=ANSWERS))


def url(voorstel_id: int, user_id: int, answer: str) -> str:
    return f"{current_app.config['SITE_URL']}/voorstellen/antwoord/{token(voorstel_id, user_id, answer)}"


@dataclass(frozen=True)
class CheckinAnswer:
    checkin_id: int
    user_id: int
    answer: str


def checkin_url(checkin_id: int, user_id: int, answer: str) -> str:
    if answer not in CHECKIN_ANSWERS:
        raise ValueError(answer)
    value = _serializer(CHECKIN_SALT).dumps([checkin_id, user_id, answer])
    return f"{current_app.config['SITE_URL']}/checkins/antwoord/{value}"


def read_checkin(value: str) -> CheckinAnswer:
    return CheckinAnswer(*_load(value, salt=CHECKIN_SALT, days=current_app.config["NAZORG_LINK_DAGEN"],
                                answers=CHECKIN_ANSWERS))
