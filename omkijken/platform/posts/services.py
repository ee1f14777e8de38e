"""The rules of the prikbord: placing posts (with a blurred public point), editing, status,
reports, conversations, and the public query behind the list, the map and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Iterable

from flask import current_app
from geoalchemy2.shape import to_shape
from sqlalchemy import Select, func, or_, select

from omkijken.platform import clock
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import may, may_moderate, moderators_of
from omkijken.platform.areas import services as areas
from omkijken.platform.database import DWithin, InBox, point, point_rd
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts import ongelezen
from omkijken.platform.posts.models import Aanbod, Activiteit, Bericht, Gesprek, Melding, Post
from omkijken.platform.posts.vocabulary import SLUIT_REDENEN, STATUSSEN
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import queue_mail

# Kinds whose place is, by default, someone's home: their public point is blurred.
HOME_BASED = frozenset({"hulpvraag", "aanbod"})
# Kinds the matching engine pairs up; a change to one asks the worker to look again.
MATCHED = HOME_BASED
# People who work for the platform: their reports always count in full.


class PostError(RuleBroken):
    """A rule about posts was broken."""


@dataclass(frozen=True)
class Filters:
    """What a visitor filters the prikbord on. Every field is optional."""

    soorten: tuple[str, ...] = ()
    categorie: str | None = None
    wijk_id: int | None = None
    zoek: str | None = None
    near: tuple[float, float] | None = None
    afstand_m: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat


def _place(post: Post, lat: float, lon: float, *, op_huisadres: bool) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise PostError("kaart", _l("Dit punt ligt niet op de kaart. Kies de plek nog eens."))
    shown = areas.blur(lat, lon, secret=current_app.config["SECRET_KEY"]) if op_huisadres else (lat, lon)
    post.op_huisadres = op_huisadres
    post.locatie, post.locatie_rd = point(lat, lon), point_rd(lat, lon)
    post.toon_locatie, post.toon_locatie_rd = point(*shown), point_rd(*shown)
    where = areas.locate(lat, lon)
    post.wijk, post.buurt = where.wijk, where.buurt


def home_of(user: User) -> tuple[float, float]:
    home = None if user.home is None else to_shape(user.home)
    if home is None:
        raise PostError("kaart", _l("We weten je adres nog niet. Kies een plek op de kaart."))
    return home.y, home.x


def create(
    post: Post,
    *,
    auteur: User,
    now: datetime,
    where: tuple[float, float] | None = None,
    op_huisadres: bool | None = None,
    namens: User | None = None,
) -> Post:
    """Publish ``post`` (a new Hulpvraag, Aanbod, ...). Without ``where`` it is at the author's home.

    A coordinator may post on behalf of a resident who phoned ("de vraag reist, niet de inwoner"):
    then ``auteur`` is the resident and ``namens`` the coordinator, and the post says so.
    """
    if namens is not None and not may(namens, "namens_plaatsen"):
        raise PostError("", _l("Alleen een coördinator kan iets plaatsen voor een ander."))
    if not (post.titel or "").strip():
        raise PostError("titel", _l("Geef je bericht een korte titel."))
    if isinstance(post, Activiteit):
        check_admission(post)
    # Requests and offers are about a person, so their place is private wherever it is.
    private = (post.soort in HOME_BASED or where is None) if op_huisadres is None else op_huisadres
    lat, lon = where if where is not None else home_of(auteur)
    post.auteur, post.namens = auteur, namens
    post.created_at = post.updated_at = now
    post.status = "open"
    _place(post, lat, lon, op_huisadres=private)
    if post.wijk is not None and may_moderate(auteur, post.wijk.id):
        post.beoordeeld_at = now  # an opbouwwerker's own post needs no second look
    db.session.add(post)
    _ask_for_matching(post, now=now)
    db.session.flush()
    return post


def _ask_for_matching(post: Post, *, now: datetime) -> None:
    """In the same transaction as the change: the worker matches once it is committed."""
    if post.soort in MATCHED:
        db.session.flush()
        system.enqueue(system.MATCH_POST, {"post_id": post.id}, now=now)


def check_admission(activiteit: Activiteit) -> None:
    """The admission rules of DOMAIN.md (001:2202-2232) that a machine can check: the organiser
    confirmed the rules (no religion or politics, no parties or closed events), and the price is low."""
    if not activiteit.regels_gelezen:
        raise PostError("regels_gelezen", _l("Zet een vinkje: je activiteit volgt de regels."))
    most = Decimal(str(current_app.config["ACTIVITEIT_MAX_PRIJS"]))
    if activiteit.prijs is not None and Decimal(activiteit.prijs) > most:
        raise PostError("prijs", _l("Deze prijs is te hoog. Een activiteit kost hooguit %(bedrag)s euro.", bedrag=most))


def next_step_is_aanbod(user: Any) -> bool:
    """A new volunteer's first step is saying what she can do and when (her aanbod): true for
    someone who may place one and has none open or paused yet."""
    if not may(user, "aanbieden"):
        return False
    eigen = select(Aanbod.id).where(Aanbod.auteur_id == user.id, Aanbod.status != "gesloten").limit(1)
    return db.session.scalar(eigen) is None


def can_edit(user: Any, post: Post) -> bool:
    """The author, the coordinator who posted for them, and the beheerder."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.id in (post.auteur_id, post.namens_id) or may(user, "beheren")


def update(post: Post, *, by: User, values: dict[str, Any], now: datetime,
           where: tuple[float, float] | None = None, op_huisadres: bool | None = None) -> Post:
    if not can_edit(by, post):
        raise PostError("", _l("Alleen wie dit plaatste kan het veranderen."))
    for name, value in values.items():
        setattr(post, name, value)
    if not (post.titel or "").strip():
        raise PostError("titel", _l("Geef je bericht een korte titel."))
    if isinstance(post, Activiteit):
        check_admission(post)
    if where is not None:
        _place(post, *where, op_huisadres=post.op_huisadres if op_huisadres is None else op_huisadres)
    post.updated_at = now
    _ask_for_matching(post, now=now)
    db.session.flush()
    return post


def set_status(post: Post, *, by: User, status: str, now: datetime, reden: str | None = None) -> Post:
    """Pause, reopen or close a post; closing says why ('gelukt', 'niet meer nodig')."""
    if not can_edit(by, post):
        raise PostError("", _l("Alleen wie dit plaatste kan het veranderen."))
    if status not in STATUSSEN:
        raise PostError("status", _l("Deze status bestaat niet."))
    if status == "gesloten" and reden not in SLUIT_REDENEN:
        raise PostError("reden", _l("Zeg waarom je het sluit: gelukt, of niet meer nodig."))
    post.status = status
    post.sluit_reden = reden if status == "gesloten" else None
    post.updated_at = now
    _ask_for_matching(post, now=now)
    db.session.flush()
    return post


def report(post: Post, *, by: User, reden: str, now: datetime) -> Melding:
    """Report a post. It is hidden until a moderator decides when its open reports weigh
    REPORTS_TO_HIDE together (:func:`report_weight`); the moderators of its wijk hear of it."""
    melding = db.session.scalar(select(Melding).filter_by(post_id=post.id, melder_id=by.id))
    if melding is None:
        melding = Melding(post=post, melder=by, reden=(reden or "").strip()[:2000], created_at=now)
        db.session.add(melding)
        db.session.flush()
    open_ones = db.session.scalars(
        select(Melding).where(Melding.post_id == post.id, Melding.afgehandeld_at.is_(None))).all()
    if not post.verborgen and sum(map(report_weight, open_ones)) >= current_app.config["REPORTS_TO_HIDE"]:
        post.verborgen = True
        for moderator in moderators_of(post.wijk_id):
            queue_mail(moderator, _l("Verborgen na meldingen: %(titel)s", titel=post.titel),
                       "posts/email/verborgen.txt", now=now, post=post, meldingen=len(open_ones))
    db.session.flush()
    return melding


def report_weight(melding: Melding) -> float:
    """How much a report counts towards hiding its post. Three accounts made a minute before could
    hide any hulpvraag, which then also stopped being matched (issue 19), so: nothing from an account
    younger than MELDING_ACCOUNT_DAGEN days when it reported; half from an older one; one from an
    older one that placed a post (not hidden) or wrote a message before, and from anyone who works
    for the platform. Reports of brand-new accounts still reach the moderator's queue."""
    user = melding.melder
    if may(user, "vertrouwd_melden"):
        return 1.0
    at = clock.as_utc(melding.created_at)
    if at - clock.as_utc(user.created_at) < timedelta(days=current_app.config["MELDING_ACCOUNT_DAGEN"]):
        return 0.0
    posted = select(Post.id).where(Post.auteur_id == user.id, Post.created_at < at, Post.verborgen.is_(False),
                                   Post.id != melding.post_id).limit(1)
    wrote = select(Bericht.id).where(Bericht.afzender_id == user.id, Bericht.created_at < at).limit(1)
    return 1.0 if db.session.scalar(posted) or db.session.scalar(wrote) else 0.5


def open_reports(wijk_ids: Iterable[int] | None = None) -> list[Melding]:
    """Reports still to be handled, for the moderation queue of the opbouwwerkers of these wijken."""
    stmt = select(Melding).join(Post).where(Melding.afgehandeld_at.is_(None)).order_by(Melding.created_at)
    if wijk_ids is not None:
        stmt = stmt.where(Post.wijk_id.in_(list(wijk_ids)))
    return list(db.session.scalars(stmt))


def respond(post: Post, *, by: User, tekst: str, now: datetime) -> Gesprek:
    """'Reageer': start (or continue) the conversation between ``by`` and the post's author."""
    tekst = (tekst or "").strip()
    if not tekst:
        raise PostError("tekst", _l("Schrijf een bericht."))
    if by.id == post.auteur_id:
        raise PostError("tekst", _l("Dit is je eigen bericht."))
    if not post.is_public:
        raise PostError("", _l("Op dit bericht kun je niet meer reageren."))
    gesprek = db.session.scalar(select(Gesprek).filter_by(post_id=post.id, deelnemer_id=by.id))
    if gesprek is None:
        gesprek = Gesprek(post=post, deelnemer=by, created_at=now)
        db.session.add(gesprek)
    gesprek.berichten.append(Bericht(afzender=by, tekst=tekst[:5000], created_at=now))
    db.session.flush()
    ongelezen.mark_read(gesprek, by)
    return gesprek


def reply(gesprek: Gesprek, *, by: User, tekst: str, now: datetime) -> Bericht:
    if by.id not in (gesprek.deelnemer_id, gesprek.post.auteur_id):
        raise PostError("", _l("Dit gesprek is niet van jou."))
    tekst = (tekst or "").strip()
    if not tekst:
        raise PostError("tekst", _l("Schrijf een bericht."))
    bericht = Bericht(afzender=by, tekst=tekst[:5000], created_at=now)
    gesprek.berichten.append(bericht)
    db.session.flush()
    ongelezen.mark_read(gesprek, by)  # who writes has seen the conversation
    return bericht


def conversations_of(user: User) -> list[Gesprek]:
    stmt = (
        select(Gesprek)
        .join(Post)
        .where(or_(Gesprek.deelnemer_id == user.id, Post.auteur_id == user.id))
        .order_by(Gesprek.created_at.desc())
    )
    return list(db.session.scalars(stmt))


def public_query(filters: Filters, *, now: datetime | None = None) -> Select:
    """The posts anyone may see, filtered. Distance and box use the public (blurred) point, so a
    filter can never be used to find where someone lives."""
    stmt = select(Post).where(Post.status == "open", Post.verborgen.is_(False))
    if filters.soorten:
        stmt = stmt.where(Post.soort.in_(filters.soorten))
    if filters.categorie:
        stmt = stmt.where(Post.categorie == filters.categorie)
    if filters.wijk_id:
        stmt = stmt.where(Post.wijk_id == filters.wijk_id)
    if filters.zoek:
        # The words typed are searched as they are: a "%" or "_" is a character, not a wildcard.
        typed = filters.zoek.strip().lower()
        stmt = stmt.where(or_(func.lower(Post.titel).contains(typed, autoescape=True),
                              func.lower(Post.beschrijving).contains(typed, autoescape=True)))
    if filters.near and filters.afstand_m:
        stmt = stmt.where(DWithin(Post.toon_locatie_rd, point_rd(*filters.near), filters.afstand_m))
    if filters.bbox:
        min_lon, min_lat, max_lon, max_lat = filters.bbox
        stmt = stmt.where(InBox(Post.toon_locatie, min_lon, min_lat, max_lon, max_lat))
    return stmt.order_by(Post.created_at.desc(), Post.id.desc())


def public_point(post: Post) -> tuple[float, float]:
    shape = to_shape(post.toon_locatie)
    return shape.y, shape.x


def exact_point(post: Post) -> tuple[float, float]:
    """Only for matching and for the two people of a koppeling; never for public pages."""
    shape = to_shape(post.locatie)
    return shape.y, shape.x


def settle_reports(post: Post, *, zichtbaar: bool, now: datetime) -> int:
    """Close the open reports of a post and show or hide it (``moderatie.services`` decides
    who may, and writes the audit entry); how many reports were closed."""
    open_ones = list(db.session.scalars(
        select(Melding).where(Melding.post_id == post.id, Melding.afgehandeld_at.is_(None))))
    for melding in open_ones:
        melding.afgehandeld_at = now
    post.verborgen = not zichtbaar
    return len(open_ones)
