"""Roles and scopes are checked here and nowhere else."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from omkijken.platform.accounts.models import RoleGrant, User, Vangnet
from omkijken.platform.areas.models import Wijk
from omkijken.platform.extensions import db, login_manager

# Who may be a gemeente's fallback moderator: its own staff, or an opbouwwerker of other wijken.
VANGNET_ROLES = ("gemeente", "opbouwwerker")

F = TypeVar("F", bound=Callable[..., Any])


def has_role(user: User | Any, role: str, *, wijk_id: int | None = None) -> bool:
    """Whether ``user`` holds ``role``; for a scoped role, optionally in one wijk."""
    if not getattr(user, "is_authenticated", False):
        return False
    for grant in user.roles:
        if grant.role == role and (wijk_id is None or grant.wijk_id == wijk_id):
            return True
    return False


def scoped_wijk_ids(user: User, role: str) -> set[int]:
    return {g.wijk_id for g in user.roles if g.role == role and g.wijk_id is not None}


def may_moderate(user: User | Any, wijk_id: int | None) -> bool:
    """Moderation is scoped: the opbouwwerker of that wijk, or the beheerder anywhere."""
    if has_role(user, "beheerder"):
        return True
    return wijk_id is not None and has_role(user, "opbouwwerker", wijk_id=wijk_id)


def moderated_wijk_ids(user: User | Any) -> set[int] | None:
    """The wijken this user moderates as their opbouwwerker; None means all of them (the beheerder)."""
    return None if has_role(user, "beheerder") else scoped_wijk_ids(user, "opbouwwerker")


def _without_opbouwwerker():
    return ~exists().where(RoleGrant.role == "opbouwwerker", RoleGrant.wijk_id == Wijk.id)


def vangnet_wijk_ids(user: User | Any) -> set[int]:
    """The wijken this user watches as the fallback moderator of their gemeente: those without an
    opbouwwerker of their own."""
    if not getattr(user, "is_authenticated", False) or not any(has_role(user, r) for r in VANGNET_ROLES):
        return set()
    gemeenten = select(Vangnet.gemeente_id).where(Vangnet.user_id == user.id)
    return set(db.session.scalars(select(Wijk.id).where(Wijk.gemeente_id.in_(gemeenten), _without_opbouwwerker())))


def is_vangnet(user: User | Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not any(has_role(user, r) for r in VANGNET_ROLES):
        return False
    return db.session.scalar(select(Vangnet.id).where(Vangnet.user_id == user.id).limit(1)) is not None


def is_moderator(user: User | Any) -> bool:
    """Whether the moderation queue is for this user: an opbouwwerker, the beheerder, or a fallback."""
    return has_role(user, "opbouwwerker") or has_role(user, "beheerder") or is_vangnet(user)


def queue_wijk_ids(user: User | Any) -> set[int] | None:
    """The wijken whose moderation queue this user works: their own as opbouwwerker, and as a
    gemeente's fallback its wijken that have none; None means all of them (the beheerder)."""
    own = moderated_wijk_ids(user)
    return None if own is None else own | vangnet_wijk_ids(user)


def moderates_queue(user: User | Any, wijk_id: int | None) -> bool:
    """May decide on what waits in the moderation queue of this wijk (reports, agendapunten, new
    posts). Wider than :func:`may_moderate`, which also covers a wijk's sociale agenda and its
    subsidy files: a fallback moderator gets the queue, not the wijk."""
    return may_moderate(user, wijk_id) or (wijk_id is not None and wijk_id in vangnet_wijk_ids(user))


def moderators_of(wijk_id: int | None) -> list[User]:
    """Who hears that something in this wijk waits for a moderator: its opbouwwerkers; else the
    fallback moderators of its gemeente; else the beheerders."""
    if wijk_id is not None:
        found = list(db.session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
            RoleGrant.role == "opbouwwerker", RoleGrant.wijk_id == wijk_id, User.verwijderd_at.is_(None))))
        if found:
            return found
        gemeente = select(Wijk.gemeente_id).where(Wijk.id == wijk_id).scalar_subquery()
        staff = exists().where(RoleGrant.user_id == User.id, RoleGrant.role.in_(VANGNET_ROLES))
        found = list(db.session.scalars(select(User).join(Vangnet, Vangnet.user_id == User.id).where(
            Vangnet.gemeente_id == gemeente, User.verwijderd_at.is_(None), staff)))
        if found:
            return found
    return list(db.session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "beheerder", User.verwijderd_at.is_(None)).distinct()))


def role_required(*roles: str) -> Callable[[F], F]:
    """Anonymous visitors go to the login page; logged-in users without the role get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(has_role(current_user, role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
