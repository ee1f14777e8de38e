"""The link in the welcome mail of a new account: it confirms the address, logs the person in and
takes her to her next step (issue 22, item 8).

The link is signed (``platform.links``, kind ``welkom``), expires after ``WELKOM_LINK_DAGEN`` days
and works once: it is refused once the address is confirmed (``User.email_bevestigd_at``, claimed
with one conditional UPDATE, so two taps at once cannot both log in), and it carries a fingerprint
of the password hash, login token and address, so a new password or a "log out everywhere" kills
it. It never logs in anyone with a role beyond inwoner and vrijwilliger, which is all a fresh
registration has: a person given a staff role since logs in with her password.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from omkijken.platform import links
from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.links import LinkInvalid

# The roles a registration gives (accounts.services.register); any other role is staff.
FRESH_ROLES = frozenset({"inwoner", "vrijwilliger"})


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.login_token}|{user.email}".encode()).hexdigest()[:24]


def link_days() -> int:
    return current_app.config["WELKOM_LINK_DAGEN"]


def welcome_url(user: User) -> str:
    """The one-tap link for the welcome mail of ``user`` (flushed: it needs the id and token)."""
    return f"{current_app.config['SITE_URL']}/welkom/{links.sign('welkom', user.id, _fingerprint(user))}"


def may_use_link(user: User | None) -> bool:
    """A fresh, unconfirmed, not erased account without a staff role."""
    return (user is not None and user.verwijderd_at is None and user.email_bevestigd_at is None
            and bool(user.role_names) and user.role_names <= FRESH_ROLES)


def user_for_token(token: str) -> User:
    """The person of a welcome link; LinkInvalid when it is broken, forged, expired, used, or not
    for a fresh inwoner or vrijwilliger account."""
    values = links.read("welkom", token, max_age=timedelta(days=link_days()))
    try:
        user_id, fingerprint = values
        user = db.session.get(User, int(user_id))
    except (ValueError, TypeError) as error:
        raise LinkInvalid(expired=False) from error
    if not may_use_link(user) or fingerprint != _fingerprint(user):
        raise LinkInvalid(expired=False)
    return user


def confirm(token: str, *, now: datetime) -> User:
    """Confirm the address of the link's person and spend the link; the caller logs her in."""
    user = user_for_token(token)
    claimed = db.session.execute(
        update(User).where(User.id == user.id, User.email_bevestigd_at.is_(None))
        .values(email_bevestigd_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LinkInvalid(expired=False)
    db.session.refresh(user)
    return user
