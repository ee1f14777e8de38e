"""The audit log: every moderation decision, written in the same transaction as the decision.

It sits in ``system``, below every domain, because several domains write it (wijkagenda, subsidies,
moderation). The logboek shows a readable label for each decision; a domain registers the labels
of its own ``onderwerp`` with :func:`register_labels`, so the log needs no import upwards.

Append-only from the application's side: the ORM refuses to change or delete an entry, and there
is no service that would. Erasing an account (``accounts.privacy``) keeps the users row as an
empty shell, so ``actor_id`` still points at it and ``actor_naam`` keeps the moderator's name:
a decision stays accountable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping, Protocol

from sqlalchemy import event, select

from omkijken.platform.extensions import db
from omkijken.platform.system.models import AuditEntry


class AppendOnly(RuntimeError):
    pass


class Actor(Protocol):
    """Who decided: a ``User`` (accounts sits above system, so the log names only what it reads)."""

    id: int
    naam: str


_LABELS: dict[str, Mapping[str, str]] = {}


def register_labels(onderwerp: str, labels: Mapping[str, str]) -> None:
    """The readable names of the decisions about one ``onderwerp``, filled by the domain that owns it."""
    _LABELS[onderwerp] = labels


def labels() -> dict[str, str]:
    """``"onderwerp:besluit"`` -> label, for every registered onderwerp."""
    return {f"{onderwerp}:{besluit}": label for onderwerp, known in _LABELS.items() for besluit, label in known.items()}


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper: Any, _connection: Any, _target: AuditEntry) -> None:
    raise AppendOnly("audit_log: entries are never changed or deleted")


def record(*, by: Actor, onderwerp: str, onderwerp_id: int, wijk_id: int | None, besluit: str,
           reden: str = "", details: dict[str, Any] | None = None, now: datetime) -> AuditEntry:
    entry = AuditEntry(
        at=now, actor_id=by.id, actor_naam=by.naam, onderwerp=onderwerp, onderwerp_id=onderwerp_id,
        wijk_id=wijk_id, besluit=besluit, reden=reden.strip(), details=details or {},
    )
    db.session.add(entry)
    return entry


def entries(*, wijk_ids: Iterable[int] | None = None, onderwerp: str | None = None,
            onderwerp_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first; ``wijk_ids`` None means every wijk (the gemeente and the beheerder)."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if wijk_ids is not None:
        stmt = stmt.where(AuditEntry.wijk_id.in_(list(wijk_ids)))
    if onderwerp is not None:
        stmt = stmt.where(AuditEntry.onderwerp == onderwerp)
    if onderwerp_id is not None:
        stmt = stmt.where(AuditEntry.onderwerp_id == onderwerp_id)
    return list(db.session.scalars(stmt))
