"""The one-click links in mails about voorstellen and check-ins: answer without logging in.

A link names one voorstel or check-in, one person and one answer (signed by
:mod:`omkijken.platform.links`). It opens a page with one button, not the answer itself: mail
scanners open links before people do, and must not answer for them. A check-in link works once:
the check-in remembers its answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from omkijken.platform import links
from omkijken.platform.links import LinkInvalid

ANSWERS = ("ja", "nee")
CHECKIN_ANSWERS = ("goed", "beter", "gestopt")


@dataclass(frozen=True)
class Answer:
    voorstel_id: int
    user_id: int
    answer: str


def token(voorstel_id: int, user_id: int, answer: str) -> str:
    if answer not in ANSWERS:
        raise ValueError(answer)
    return links.sign("voorstel", voorstel_id, user_id, answer)


def _load(kind: str, value: str, *, days: int, answers: tuple[str, ...]) -> tuple[int, int, str]:
    try:
        object_id, user_id, answer = links.read(kind, value, max_age=timedelta(days=days))
        loaded = int(object_id), int(user_id), answer
    except (ValueError, TypeError) as error:
        raise LinkInvalid(expired=False) from error
    if answer not in answers:
        raise LinkInvalid(expired=False)
    return loaded


def read(value: str) -> Answer:
    return Answer(*_load("voorstel", value, days=current_app.config["VOORSTEL_LINK_DAGEN"], answers=ANSWERS))


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
    value = links.sign("checkin", checkin_id, user_id, answer)
    return f"{current_app.config['SITE_URL']}/checkins/antwoord/{value}"


def read_checkin(value: str) -> CheckinAnswer:
    return CheckinAnswer(*_load("checkin", value, days=current_app.config["NAZORG_LINK_DAGEN"],
                                answers=CHECKIN_ANSWERS))


def voorstellen_uit_url(user_id: int) -> str:
    """The link in a proposal mail that stops these mails for this volunteer (it does not expire)."""
    return f"{current_app.config['SITE_URL']}/voorstellen/mail-uit/{links.sign('voorstellen_uit', user_id)}"


def read_voorstellen_uit(value: str) -> int | None:
    """The person in such a link, or None when it was changed."""
    return links.read_id("voorstellen_uit", value)


def samen_doen_uit_url(user_id: int) -> str:
    """The link in the mail of group activities for an idle volunteer that stops it (it does not expire)."""
    return f"{current_app.config['SITE_URL']}/voorstellen/samen-doen/mail-uit/{links.sign('samen_doen_uit', user_id)}"


def read_samen_doen_uit(value: str) -> int | None:
    """The person in such a link, or None when it was changed or made for another mail."""
    return links.read_id("samen_doen_uit", value)
