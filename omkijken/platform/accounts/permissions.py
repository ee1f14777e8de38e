"""Roles and scopes are checked here and nowhere else."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort
from flask_login import current_user

from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import login_manager

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
    """The wijken whose queue this user works; None means all of them (the beheerder)."""
    return None if has_role(user, "beheerder") else scoped_wijk_ids(user, "opbouwwerker")


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
