"""The outbox (background work written in the same transaction as the change), worker heartbeats and the
audit log of decisions (system/audit.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omkijken.platform.areas.models import Wijk
from omkijken.platform.extensions import db


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class WorkerHeartbeat(db.Model):
    __tablename__ = "worker_heartbeats"

    worker: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(db.Model):
    """One moderation decision: who, what, when, why. Rows are only ever added (see audit.py).

    ``actor_naam`` keeps the name as it was, so the log still reads after an account is erased.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_naam: Mapped[str] = mapped_column(String(120))
    onderwerp: Mapped[str] = mapped_column(String(30), index=True)
    onderwerp_id: Mapped[int] = mapped_column(Integer)
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    besluit: Mapped[str] = mapped_column(String(30))
    reden: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    wijk: Mapped[Wijk | None] = relationship()
