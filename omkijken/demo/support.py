"""What the demo modules that replay months of history through the live services share.

They call the services at the moment each step would have happened. The services only flush, so the
history is written in the one transaction of the command that seeds (``omkijken seed-demo`` commits
once at its end). The mails those steps queued were sent at the time; only the last days' still go
out when the site starts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from omkijken.platform.extensions import db
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage

MAIL_RECENT = timedelta(days=3)


def last_message_id() -> int:
    """Mark where a replay starts, for ``mails_sent_at_the_time``."""
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def mails_sent_at_the_time(*, after_id: int, now: datetime) -> None:
    """The replay's mails older than a few days count as sent; the recent ones still go out."""
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id > after_id, OutboxMessage.task == system.SEND_EMAIL,
                                    OutboxMessage.created_at < now - MAIL_RECENT, OutboxMessage.done_at.is_(None))
        .values(done_at=now).execution_options(synchronize_session=False))
