"""Answers ``areas.signals.wijken_in_use`` for the prikbord: a wijk nobody lives in (an industrial
estate) stays in public lists while a public post is placed there."""

from __future__ import annotations

from sqlalchemy import select

from omkijken.platform.areas.signals import wijken_in_use
from omkijken.platform.extensions import db
from omkijken.platform.posts.models import Post


@wijken_in_use.connect
def _with_posts(wijk_ids: frozenset[int], **_: object) -> set[int]:
    return set(db.session.scalars(select(Post.wijk_id).distinct().where(
        Post.wijk_id.in_(wijk_ids), Post.status == "open", Post.verborgen.is_(False))))
