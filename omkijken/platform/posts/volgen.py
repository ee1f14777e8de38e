"""Volunteers follow new hulpvragen that fit their aanbod: same category, within their radius
or in the wijken they chose. In the app at any time, and by a daily email digest."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select

from omkijken.platform import links
from omkijken.platform.accounts.models import User
from omkijken.platform.clock import as_utc
from omkijken.platform.database import DWithin
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts.models import Aanbod, Hulpvraag, Post
from omkijken.platform.system.mail import queue_mail


def vragen_voor(aanbod: Aanbod, *, since: datetime | None = None, limit: int = 50) -> list[Hulpvraag]:
    """Open hulpvragen this offer could answer, newest first.

    Distance is measured from the volunteer's own (exact) point to the vraag's public point: the
    volunteer learns nothing finer than anyone else sees.
    """
    if not aanbod.categorieen:
        return []
    own_point = select(Post.locatie_rd).where(Post.id == aanbod.id).scalar_subquery()
    where_ok = DWithin(Hulpvraag.toon_locatie_rd, own_point, aanbod.radius_m)
    if aanbod.wijk_ids:
        where_ok = or_(where_ok, Hulpvraag.wijk_id.in_(aanbod.wijk_ids))
    stmt = (
        select(Hulpvraag)
        .where(
            Hulpvraag.status == "open",
            Hulpvraag.verborgen.is_(False),
            Hulpvraag.auteur_id != aanbod.auteur_id,
            Hulpvraag.categorie.in_(aanbod.categorieen),
            where_ok,
        )
        .order_by(Hulpvraag.created_at.desc())
        .limit(limit)
    )
    if since is not None:
        stmt = stmt.where(Hulpvraag.created_at > since)
    return list(db.session.scalars(stmt))


def aanbod_van(user: User) -> list[Aanbod]:
    return list(
        db.session.scalars(
            select(Aanbod).where(Aanbod.auteur_id == user.id, Aanbod.status == "open").order_by(Aanbod.id)
        )
    )


def zet_mail(aanbod: Aanbod, *, by: User, aan: bool) -> None:
    if aanbod.auteur_id != by.id:
        raise RuleBroken("", _l("Dit aanbod is niet van jou."))
    aanbod.volgt_per_mail = aan
    db.session.flush()


def unsubscribe_url(aanbod: Aanbod) -> str:
    """The link in an aanbod's digest that switches that digest off (it does not expire)."""
    return f"{current_app.config['SITE_URL']}/voor-jou/mail-uit/{links.sign('aanbod_mail_uit', aanbod.id)}"


def read_unsubscribe(value: str) -> int | None:
    """The aanbod id in an unsubscribe link, or None when it was tampered with."""
    return links.read_id("aanbod_mail_uit", value)


def mail_uit(aanbod: Aanbod) -> None:
    """The one-tap link: the digest of this aanbod stops. Doing it twice changes nothing."""
    aanbod.volgt_per_mail = False
    db.session.flush()


def stuur_digests(*, now: datetime) -> int:
    """Write one email per followed aanbod with vragen that are new since its last email.

    The emails go through the outbox, in the same transaction that moves ``gemaild_tot``, so a
    digest is never sent twice and never lost.
    """
    sent = 0
    followed = db.session.scalars(
        select(Aanbod).where(Aanbod.status == "open", Aanbod.verborgen.is_(False), Aanbod.volgt_per_mail.is_(True))
    ).all()
    for aanbod in followed:
        since = as_utc(aanbod.gemaild_tot or aanbod.created_at)
        nieuw = vragen_voor(aanbod, since=since)
        aanbod.gemaild_tot = now
        if not nieuw:
            continue
        uit = unsubscribe_url(aanbod)
        queue_mail(aanbod.auteur, _l("Nieuwe hulpvragen bij jou in de buurt"), "posts/email/nieuwe_vragen.txt",
                   now=now, list_id="nieuwe-vragen", unsubscribe=uit, aanbod=aanbod, vragen=nieuw, uit=uit)
        sent += 1
    db.session.flush()
    return sent
