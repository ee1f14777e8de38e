"""What erasing a person (``accounts.signals.user_erasing``) does to posts, and wiping one post,
which the retention sweep of old hulpvragen shares. See ``accounts.privacy.ERASE_RULES``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.privacy import Erasure
from omkijken.platform.accounts.signals import user_erasing
from omkijken.platform.extensions import db
from omkijken.platform.posts.models import Aanbod, Bericht, Gesprek, GesprekStand, Hulpvraag, Melding, Post
from omkijken.platform.posts.signals import post_wiped

VERWIJDERD_BERICHT = "Dit bericht is verwijderd."


def wipe_post(post: Post, *, now: datetime) -> None:
    """Text and exact place go; kind, category, wijk, dates, status and links stay (the figures)."""
    post.titel = post.soort.capitalize()  # stored Dutch, like the rest of the data: "Hulpvraag", "Aanbod"
    post.beschrijving = ""
    post.moderatie_reden = ""
    post.locatie, post.locatie_rd = post.toon_locatie, post.toon_locatie_rd
    for attribute in ("wil", "kan_zelf", "nodig", "uren", "plaats", "adres", "losgelaten_reden"):
        if hasattr(post, attribute) and getattr(post, attribute) is not None:
            setattr(post, attribute, "")
    if isinstance(post, Hulpvraag):
        post.voorkeur_taal = post.voorkeur_geslacht = None
    post.geanonimiseerd_at = now
    _wipe_around_post(post.id)
    post_wiped.send(post.id, now=now)


def _wipe_around_post(post_id: int) -> None:
    """What others wrote about this post that could tell who asked: the conversation and reports
    (what the coordinator noted and the voorstellen are wiped by koppelingen on ``post_wiped``)."""
    gesprek_ids = select(Gesprek.id).where(Gesprek.post_id == post_id).scalar_subquery()
    db.session.execute(update(Bericht).where(Bericht.gesprek_id.in_(gesprek_ids))
                       .values(tekst=VERWIJDERD_BERICHT).execution_options(synchronize_session=False))
    db.session.execute(update(Melding).where(Melding.post_id == post_id).values(reden="")
                       .execution_options(synchronize_session=False))


@user_erasing.connect
def erase_posts(user: User, *, now: datetime, result: Erasure, **_: Any) -> None:
    """Open posts are withdrawn, every post is wiped, and the person's messages and reasons go."""
    uid = user.id
    for post in db.session.scalars(select(Post).where(Post.auteur_id == uid)):
        if post.status in ("open", "gepauzeerd"):
            post.status, post.sluit_reden, post.updated_at = "gesloten", "niet_meer_nodig", now
            result.ingetrokken += 1
        if isinstance(post, Aanbod):
            post.volgt_per_mail = False
        wipe_post(post, now=now)
        result.posts += 1
    db.session.execute(update(Bericht).where(Bericht.afzender_id == uid).values(tekst=VERWIJDERD_BERICHT)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Melding).where(Melding.melder_id == uid).values(reden="")
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(GesprekStand).where(GesprekStand.user_id == uid)
                       .execution_options(synchronize_session=False))
