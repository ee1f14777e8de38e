"""What insights keeps: the monthly waiting-list report.

Every other figure is computed from the live data when asked. The waiting-list report is a
snapshot: the gemeente must be able to read what the list looked like on the first of March,
also in June.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime
from sqlalchemy.orm import Mapped, mapped_column

from omkijken.platform.extensions import db


class Wachtlijstrapport(db.Model):
    __tablename__ = "wachtlijstrapporten"

    id: Mapped[int] = mapped_column(primary_key=True)
    maand: Mapped[date] = mapped_column(Date, unique=True)  # the first day of the month it reports on
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
