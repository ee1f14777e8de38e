"""How long a closed hulpvraag keeps its text: after the bewaartermijn (``HULPVRAAG_BEWAAR_MAANDEN``,
default 12) a daily beat sweep wipes text and exact place, and keeps what the figures need.

It lives in koppelingen, not posts, because a gekoppelde vraag is done only when its koppelingen
have ended; the wiping itself is ``posts.erasure.wipe_post``, and the rows of koppelingen about the
vraag are wiped by this domain's handler of ``posts.signals.post_wiped``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Koppeling
from omkijken.platform.posts.erasure import wipe_post
from omkijken.platform.posts.models import Hulpvraag, Post

#: Closed this many months ago, a hulpvraag loses its text and exact place (config: HULPVRAAG_BEWAAR_MAANDEN).
STANDAARD_BEWAAR_MAANDEN = 12


def bewaar_grens(now: datetime, maanden: int) -> datetime:
    """``now`` minus whole months, as 30-day months: a day more or less does not matter here."""
    return now - timedelta(days=30 * maanden)


def te_wissen_vragen(*, now: datetime, maanden: int) -> list[int]:
    """Hulpvragen closed before the limit that still have their text: closed ('gesloten', the
    moment is its last change), or 'gekoppeld' whose koppelingen all ended before the limit."""
    grens = bewaar_grens(now, maanden)
    gesloten = select(Hulpvraag.id).where(
        Hulpvraag.geanonimiseerd_at.is_(None), Hulpvraag.status == "gesloten", Hulpvraag.updated_at < grens)
    laatste = (select(Koppeling.hulpvraag_id).group_by(Koppeling.hulpvraag_id)
               .having(func.count(Koppeling.ended_at) == func.count(Koppeling.id))
               .having(func.max(Koppeling.ended_at) < grens))
    gekoppeld = select(Hulpvraag.id).where(
        Hulpvraag.geanonimiseerd_at.is_(None), Hulpvraag.status == "gekoppeld", Hulpvraag.id.in_(laatste))
    return sorted(set(db.session.scalars(gesloten)) | set(db.session.scalars(gekoppeld)))


def wis_oude_hulpvragen(*, now: datetime, maanden: int = STANDAARD_BEWAAR_MAANDEN) -> int:
    """The daily retention sweep. Each vraag is claimed with one conditional UPDATE before it is
    wiped, so two sweeps at once (or one that runs twice) wipe each vraag once; returns how many
    this sweep wiped."""
    wiped = 0
    for vraag_id in te_wissen_vragen(now=now, maanden=maanden):
        claimed = db.session.execute(
            update(Post).where(Post.id == vraag_id, Post.geanonimiseerd_at.is_(None))
            .values(geanonimiseerd_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        vraag = db.session.get(Hulpvraag, vraag_id, populate_existing=True)
        wipe_post(vraag, now=now)
        db.session.commit()  # a job of many items commits each: one that fails keeps the others wiped
        wiped += 1
    return wiped
