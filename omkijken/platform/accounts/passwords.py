"""Choosing a new password: by a link in the mail when it is forgotten, or on the profile.

The link is signed with the site's secret, expires (``WACHTWOORD_LINK_MINUTEN``) and works once: it
carries a fingerprint of the current password hash and login token, so it dies the moment the
password changes. Asking for a link answers the same whether or not the address has an account.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app

from omkijken.platform import links
from omkijken.platform.accounts import services
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.password_hash import password_matches
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.links import LinkInvalid
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import queue_mail

# Outbox task: look up an address and mail it a link (payload: email).
RESET_LINK = "omkijken.wachtwoord_link"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.login_token}".encode()).hexdigest()[:24]


def reset_token(user: User) -> str:
    return links.sign("wachtwoord", user.id, _fingerprint(user))


def reset_url(user: User) -> str:
    return f"{current_app.config['SITE_URL']}/wachtwoord-vergeten/{reset_token(user)}"


def user_for_token(token: str) -> User:
    """The person a reset link belongs to; LinkInvalid when it is broken, forged, used or expired."""
    values = links.read("wachtwoord", token, max_age=timedelta(minutes=current_app.config["WACHTWOORD_LINK_MINUTEN"]))
    try:
        user_id, fingerprint = values
        user = db.session.get(User, int(user_id))
    except (ValueError, TypeError) as error:
        raise LinkInvalid(expired=False) from error
    if user is None or fingerprint != _fingerprint(user):
        raise LinkInvalid(expired=False)
    return user


def request_reset(email: str, *, now: datetime) -> None:
    """Queue the look-up for a worker, so the page costs the same whether or not the address is known."""
    system.enqueue(RESET_LINK, {"email": services.normalise_email(email)}, now=now)
    db.session.flush()


def send_reset_link(email: str, *, now: datetime) -> bool:
    """For the worker: mail a link when the address has an account; an unknown address gets nothing."""
    user = services.find_by_email(email)
    if user is None:
        return False
    queue_mail(
        user, _l("Kies een nieuw wachtwoord voor Omkijken"), "accounts/email/wachtwoord.txt", now=now,
        url=reset_url(user), minuten=current_app.config["WACHTWOORD_LINK_MINUTEN"],
    )
    return True


def reset_password(token: str, new_password: str) -> User:
    """Set the new password; every session of this person ends, and the link cannot be used again."""
    user = user_for_token(token)
    services.change_password(user, new_password)
    return user


def change_own_password(user: User, *, current: str, new_password: str) -> None:
    if not password_matches(user.password_hash, current):
        raise services.AccountError("huidig", _l("Dit is niet je huidige wachtwoord. Probeer het nog eens."))
    services.change_password(user, new_password)
