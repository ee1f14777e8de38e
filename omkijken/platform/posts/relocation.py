"""Posts when boundaries change (``areas.signals``): placed again in the wijk of their point, and
an aanbod's chosen wijken follow a wijk that went into another."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from omkijken.platform.areas import services as areas
from omkijken.platform.areas.signals import relocating, wijk_merged
from omkijken.platform.extensions import db
from omkijken.platform.posts.models import Aanbod, Post


@relocating.connect
def relocate_posts(_sender: Any, *, changed: dict[str, int]) -> None:
    """Every post (aanbod too) by its exact point; an erased post's is the point it showed."""
    changed["posts"] = changed.get("posts", 0) + areas.relocate_rows(Post, Post.locatie)


@wijk_merged.connect
def follow_merged_wijk(_sender: Any, *, old_id: int, new_id: int) -> None:
    for aanbod in db.session.scalars(select(Aanbod)):
        if old_id in (aanbod.wijk_ids or []):
            aanbod.wijk_ids = list(dict.fromkeys(new_id if i == old_id else i for i in aanbod.wijk_ids))
