"""Who may do what: named capabilities over the roles, checked here and nowhere else.

Views, services and templates (the Jinja global ``may``) ask ``may(user, "coordineren")`` instead of
repeating role tuples, so a new role or a changed duty is one line in :data:`CAPABILITIES`.
Object-level checks (is this person a party of this voorstel) stay with their domain and ask this
module only for the role part.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from omkijken.platform.accounts.models import RoleGrant, User, Vangnet
from omkijken.platform.areas.models import Wijk
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Capability:
    """``overal``: roles that hold the capability in every wijk; ``in_wijk``: roles that hold it only
    in the wijken their grant names."""

    overal: frozenset[str]
    in_wijk: frozenset[str] = frozenset()


def _cap(overal: tuple[str, ...], in_wijk: tuple[str, ...] = ()) -> Capability:
    return Capability(frozenset(overal), frozenset(in_wijk))


CAPABILITIES: dict[str, Capability] = {
    # The beheerder runs the site: accounts, diensten, regelingen, erasure, the status page.
    "beheren": _cap(("beheerder",)),
    # Group wijken into gebieden and mark the wijken nobody lives in (industrial estates).
    "gebieden_beheren": _cap(("beheerder",)),
    # Matching by hand and following up koppelingen and check-ins.
    "coordineren": _cap(("coordinator", "beheerder")),
    # The collective offer: everywhere for coordinators, in their own wijken for opbouwwerkers.
    "collectief_koppelen": _cap(("coordinator", "beheerder"), ("opbouwwerker",)),
    # Decide on reports, agendapunten, new posts and the sociale agenda of a wijk.
    "modereren": _cap(("beheerder",), ("opbouwwerker",)),
    # May be named a gemeente's fallback moderator (vangnet) for wijken without an opbouwwerker.
    "vangnet_zijn": _cap(("gemeente", "opbouwwerker")),
    # KPI dashboards, exports and the waiting list.
    "inzicht": _cap(("gemeente", "coordinator", "beheerder")),
    # Read the subsidy queue and its figures: all of it, or an opbouwwerker's own wijken.
    "subsidies_inzien": _cap(("gemeente", "beheerder"), ("opbouwwerker",)),
    # Handle subsidies for the gemeente: set terms, see every file, read the whole audit log.
    "subsidies_behandelen": _cap(("gemeente", "beheerder")),
    # Read the audit log: the moderation of one's own wijken, or (subsidies_behandelen) all of it.
    "logboek_lezen": _cap(("opbouwwerker", "gemeente", "beheerder")),
    # Act as the gemeente itself: decide on an aanvraag, add its documents.
    "namens_gemeente": _cap(("gemeente",)),
    # Advise on an aanvraag of one's own wijk.
    "adviseren": _cap((), ("opbouwwerker",)),
    # Offer help (aanbod) and get suggestions "voor jou".
    "vrijwilligen": _cap(("vrijwilliger",)),
    "aanbieden": _cap(("vrijwilliger", "coordinator", "beheerder")),
    "vacatures_plaatsen": _cap(("organisatie", "beheerder")),
    # Place a hulpvraag for someone else.
    "namens_plaatsen": _cap(("coordinator",)),
    # A report by staff hides a post at once.
    "vertrouwd_melden": _cap(("opbouwwerker", "coordinator", "gemeente", "beheerder")),
}


class NotAllowed(RuleBroken):
    """This person may not do this; uncaught it answers 403 (create_app). It is a RuleBroken so a
    form that catches rule errors can still show its ``message``."""

    def __init__(self, field: str = "", message: Any = "") -> None:
        super().__init__(field, message)


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


def may(user: User | Any, capability: str, *, wijk_id: int | None = None) -> bool:
    """Whether ``user`` holds ``capability``; with ``wijk_id``, in that wijk. Without it, a
    capability held in any wijk counts."""
    cap = CAPABILITIES[capability]
    if any(has_role(user, role) for role in cap.overal):
        return True
    return any(has_role(user, role, wijk_id=wijk_id) for role in cap.in_wijk)


def wijk_ids(user: User | Any, capability: str) -> set[int] | None:
    """The wijken where ``user`` holds ``capability``; None means all of them."""
    cap = CAPABILITIES[capability]
    if any(has_role(user, role) for role in cap.overal):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    return set().union(*(scoped_wijk_ids(user, role) for role in cap.in_wijk))


def may_moderate(user: User | Any, wijk_id: int | None) -> bool:
    """Moderation is scoped: the opbouwwerker of that wijk, or the beheerder anywhere. Something
    without a wijk is for the beheerder only."""
    if wijk_id is None:
        return wijk_ids(user, "modereren") is None
    return may(user, "modereren", wijk_id=wijk_id)


def moderated_wijk_ids(user: User | Any) -> set[int] | None:
    """The wijken this user moderates as their opbouwwerker; None means all of them (the beheerder)."""
    return wijk_ids(user, "modereren")


def _without_opbouwwerker():
    return ~exists().where(RoleGrant.role == "opbouwwerker", RoleGrant.wijk_id == Wijk.id)


def vangnet_wijk_ids(user: User | Any) -> set[int]:
    """The wijken this user watches as the fallback moderator of their gemeente: those without an
    opbouwwerker of their own."""
    if not may(user, "vangnet_zijn"):
        return set()
    gemeenten = select(Vangnet.gemeente_id).where(Vangnet.user_id == user.id)
    return set(db.session.scalars(select(Wijk.id).where(Wijk.gemeente_id.in_(gemeenten), _without_opbouwwerker())))


def is_vangnet(user: User | Any) -> bool:
    if not may(user, "vangnet_zijn"):
        return False
    return db.session.scalar(select(Vangnet.id).where(Vangnet.user_id == user.id).limit(1)) is not None


def is_moderator(user: User | Any) -> bool:
    """Whether the moderation queue is for this user: an opbouwwerker, the beheerder, or a fallback."""
    return may(user, "modereren") or is_vangnet(user)


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
        staff = exists().where(RoleGrant.user_id == User.id, RoleGrant.role.in_(CAPABILITIES["vangnet_zijn"].overal))
        found = list(db.session.scalars(select(User).join(Vangnet, Vangnet.user_id == User.id).where(
            Vangnet.gemeente_id == gemeente, User.verwijderd_at.is_(None), staff)))
        if found:
            return found
    return list(db.session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "beheerder", User.verwijderd_at.is_(None)).distinct()))


def capability_required(capability: str) -> Callable[[F], F]:
    """Anonymous visitors go to the login page; logged-in users without the capability get 403."""
    CAPABILITIES[capability]  # a misspelt name fails at import, not at the first request

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not may(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
