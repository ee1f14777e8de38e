"""Unread messages in conversations: what the menu counts, and the mail about them.

Each party of a conversation has a :class:`GesprekStand`: the last message they read and the last
one they were mailed about. Opening the conversation (or writing in it) moves ``gelezen_tot``. The
periodic job :func:`mail_unread` mails the other party once per conversation when a message they
have not read is older than a few minutes (``GESPREK_MAIL_NA_MINUTEN``), so a quick back-and-forth
does not become a mail per line. The mail says who wrote about which post, never the text: mail is
read on shared screens and forwarded, and the conversation is behind the login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, func, or_, select, update

from omkijken.platform.accounts.models import User
from omkijken.platform.database import insert_ignoring_duplicates
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts.models import Bericht, Gesprek, GesprekStand, Post
from omkijken.platform.system.mail import queue_mail


def _ensure_stand(gesprek_id: int, user_id: int) -> None:
    """The markers of this person in this conversation exist afterwards; the unique key, not a
    look first, keeps two requests at the same moment from making them twice."""
    db.session.execute(insert_ignoring_duplicates(
        GesprekStand, {"gesprek_id": gesprek_id, "user_id": user_id, "gelezen_tot": 0, "gemaild_tot": 0}))


def _move(gesprek_id: int, user_id: int, column: str, to: int) -> bool:
    """Move one marker forward to ``to``, never back; False when it already was there (another
    request or run was first)."""
    _ensure_stand(gesprek_id, user_id)
    marker = getattr(GesprekStand, column)
    return bool(db.session.execute(
        update(GesprekStand)
        .where(GesprekStand.gesprek_id == gesprek_id, GesprekStand.user_id == user_id, marker < to)
        .values({column: to})
        .execution_options(synchronize_session=False)
    ).rowcount)


def mark_read(gesprek: Gesprek, user: User) -> None:
    """``user`` has seen every message of the conversation so far."""
    last = max((bericht.id for bericht in gesprek.berichten), default=0)
    if last:
        _move(gesprek.id, user.id, "gelezen_tot", last)


def _recipient():
    """The party a message is for: the other one of the two."""
    return case((Bericht.afzender_id == Gesprek.deelnemer_id, Post.auteur_id), else_=Gesprek.deelnemer_id)


def unread_gesprek_ids(user: User) -> set[int]:
    """The conversations of ``user`` with a message of the other party they have not opened."""
    stmt = (
        select(Bericht.gesprek_id)
        .join(Gesprek, Bericht.gesprek_id == Gesprek.id)
        .join(Post, Gesprek.post_id == Post.id)
        .outerjoin(GesprekStand, and_(GesprekStand.gesprek_id == Gesprek.id, GesprekStand.user_id == user.id))
        .where(
            or_(Gesprek.deelnemer_id == user.id, Post.auteur_id == user.id),
            Bericht.afzender_id != user.id,
            Bericht.id > func.coalesce(GesprekStand.gelezen_tot, 0),
        )
        .distinct()
    )
    return set(db.session.scalars(stmt))


def unread_count(user: User) -> int:
    return len(unread_gesprek_ids(user))


@dataclass(frozen=True)
class _Due:
    gesprek_id: int
    user_id: int
    tot: int
    nieuw: int


def _due(*, cutoff: datetime) -> list[_Due]:
    """Per conversation and person: the messages for them that are neither read nor mailed, when
    the oldest of them was written before ``cutoff``."""
    ontvanger = _recipient()
    seen = func.coalesce(GesprekStand.gelezen_tot, 0)
    mailed = func.coalesce(GesprekStand.gemaild_tot, 0)
    stmt = (
        select(Bericht.gesprek_id, ontvanger, func.max(Bericht.id), func.count(Bericht.id),
               func.min(Bericht.created_at))
        .join(Gesprek, Bericht.gesprek_id == Gesprek.id)
        .join(Post, Gesprek.post_id == Post.id)
        .outerjoin(GesprekStand, and_(GesprekStand.gesprek_id == Gesprek.id, GesprekStand.user_id == ontvanger))
        .join(User, User.id == ontvanger)
        .where(Bericht.id > seen, Bericht.id > mailed, User.verwijderd_at.is_(None))
        .group_by(Bericht.gesprek_id, ontvanger)
        .having(func.min(Bericht.created_at) <= cutoff)
        .order_by(Bericht.gesprek_id)
    )
    return [_Due(gesprek_id, user_id, tot, nieuw) for gesprek_id, user_id, tot, nieuw, _ in db.session.execute(stmt)]


def mail_unread(*, now: datetime) -> int:
    """Mail each party about messages they have not read for a while, once; returns the mails.

    ``gemaild_tot`` moves in the same transaction as the mail is written to the outbox, and only
    forward: a second run (or two at once: the second waits for the first's row) finds nothing left.
    """
    cutoff = now - timedelta(minutes=current_app.config["GESPREK_MAIL_NA_MINUTEN"])
    sent = 0
    for due in _due(cutoff=cutoff):
        if not _move(due.gesprek_id, due.user_id, "gemaild_tot", due.tot):
            continue
        gesprek = db.session.get(Gesprek, due.gesprek_id)
        ontvanger = db.session.get(User, due.user_id)
        ander = gesprek.post.auteur if ontvanger.id == gesprek.deelnemer_id else gesprek.deelnemer
        if queue_mail(ontvanger, _l("Nieuw bericht op Omkijken"), "posts/email/nieuw_bericht.txt", now=now,
                      gesprek=gesprek, ander=ander, aantal=due.nieuw):
            sent += 1
    db.session.flush()
    return sent
