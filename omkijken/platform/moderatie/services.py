"""One moderation service for every kind of content an opbouwwerker keeps in order: agendapunten,
reported posts, and new activiteiten, ontmoetingsplekken and initiatieven.

``decide`` is the only way a decision is made: it checks the scope (``permissions.moderates_queue``:
the opbouwwerker of the wijk, the gemeente's fallback moderator where the wijk has none, the beheerder),
applies the decision with the rules of that kind, writes the audit entry and tells the author,
all in one transaction. A kind is a small table entry, not a copy of the flow.

Moderation sits above the wijkagenda (it moderates its punten); what a decision does to a punt is
the wijkagenda's (``wijkagenda.besluiten``), and so are the exceptions the sociale agenda shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import NotAllowed, moderates_queue, queue_wijk_ids
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Melding, Post
from omkijken.platform.system import audit
from omkijken.platform.system.mail import queue_mail
from omkijken.platform.system.models import AuditEntry
from omkijken.platform.wijkagenda import lifecycle, vocabulary
from omkijken.platform.wijkagenda.besluiten import REFUSALS, NotFound, apply_to_punt
from omkijken.platform.wijkagenda.models import Agendapunt

# Posts an opbouwwerker looks at once after they are placed (DOMAIN.md's admission rules for
# activiteiten; places and initiatives because they invite the whole wijk).
REVIEWED_SOORTEN = ("activiteit", "ontmoetingsplek", "initiatief")


@dataclass(frozen=True)
class Besluit:
    """What a moderator asks: ``besluit`` on ``onderwerp`` number ``onderwerp_id``."""

    onderwerp: str
    onderwerp_id: int
    besluit: str
    reden: str = ""
    samen_met: int | None = None


@dataclass(frozen=True)
class Soort:
    load: Callable[[int], Any]
    wijk_of: Callable[[Any], int | None]
    besluiten: frozenset[str]
    apply: Callable[[Any, Besluit, datetime], dict[str, Any]]
    titel_of: Callable[[Any], str]
    author_of: Callable[[Any], User | None] = field(default=lambda _: None)


def _apply_to_punt(punt: Agendapunt, b: Besluit, now: datetime) -> dict[str, Any]:
    return apply_to_punt(punt, b.besluit, reden=b.reden, samen_met=b.samen_met, now=now)


def _apply_to_reports(post: Post, b: Besluit, now: datetime) -> dict[str, Any]:
    closed = posts.settle_reports(post, zichtbaar=b.besluit == "terugzetten", now=now)
    if b.besluit == "verbergen":
        post.moderatie_reden = b.reden.strip()
    return {"meldingen": closed}


def _apply_to_post(post: Post, b: Besluit, now: datetime) -> dict[str, Any]:
    if b.besluit == "weigeren" and not b.reden.strip():
        field_name, message = REFUSALS["reden_nodig"]
        raise RuleBroken(field_name, message)
    post.beoordeeld_at = now
    post.verborgen = b.besluit == "weigeren"
    post.moderatie_reden = b.reden.strip() if b.besluit == "weigeren" else ""
    return {"soort": post.soort}


def _load_reported(post_id: int) -> Post | None:
    has_open = select(Melding.id).where(Melding.post_id == post_id, Melding.afgehandeld_at.is_(None)).exists()
    return db.session.scalar(select(Post).where(Post.id == post_id, has_open))


def _load_new_post(post_id: int) -> Post | None:
    return db.session.scalar(select(Post).where(Post.id == post_id, Post.soort.in_(REVIEWED_SOORTEN)))


SOORTEN: dict[str, Soort] = {
    "agendapunt": Soort(
        load=lambda i: db.session.get(Agendapunt, i), wijk_of=lambda p: p.wijk_id,
        besluiten=frozenset(lifecycle.BESLUITEN), apply=_apply_to_punt, titel_of=lambda p: p.titel,
        author_of=lambda p: p.auteur),
    "melding": Soort(
        load=_load_reported, wijk_of=lambda p: p.wijk_id, besluiten=frozenset({"terugzetten", "verbergen"}),
        apply=_apply_to_reports, titel_of=lambda p: p.titel),
    "post": Soort(
        load=_load_new_post, wijk_of=lambda p: p.wijk_id, besluiten=frozenset({"toelaten", "weigeren"}),
        apply=_apply_to_post, titel_of=lambda p: p.titel, author_of=lambda p: p.auteur),
}
for _kind in SOORTEN:
    audit.register_labels(_kind, vocabulary.BESLUITEN)

# Decisions the author hears of by mail (the rest they see on the page).
_TELL_AUTHOR = frozenset({"goedkeuren", "wijziging_vragen", "weigeren", "samenvoegen"})


def decide(b: Besluit, *, by: User, now: datetime) -> AuditEntry:
    """Make one decision; raises NotFound, NotAllowed (outside the moderator's wijken) or
    RuleBroken (with a Dutch message for the form)."""
    soort = SOORTEN.get(b.onderwerp)
    if soort is None:
        raise NotFound(b.onderwerp)
    subject = soort.load(b.onderwerp_id)
    if subject is None:
        raise NotFound(b.onderwerp_id)
    wijk_id = soort.wijk_of(subject)
    if not moderates_queue(by, wijk_id):
        raise NotAllowed()
    if b.besluit not in soort.besluiten:
        raise RuleBroken("besluit", REFUSALS["onbekend"][1])
    details = soort.apply(subject, b, now)
    entry = audit.record(by=by, onderwerp=b.onderwerp, onderwerp_id=b.onderwerp_id, wijk_id=wijk_id,
                         besluit=b.besluit, reden=b.reden, details={"titel": soort.titel_of(subject), **details},
                         now=now)
    author = soort.author_of(subject)
    if author is not None and author.id != by.id and b.besluit in _TELL_AUTHOR:
        _tell_author(author, b, titel=soort.titel_of(subject), subject=subject, now=now)
    db.session.flush()
    return entry


def _tell_author(author: User, b: Besluit, *, titel: str, subject: Any, now: datetime) -> None:
    queue_mail(author, _l("Over je bericht: %(titel)s", titel=titel), "wijkagenda/email/besluit.txt", now=now,
               besluit=b, titel=titel, subject=subject)


@dataclass
class Wachtrij:
    """Everything waiting for one moderator, oldest first within each kind."""

    punten: list[Agendapunt]
    meldingen: list[tuple[Post, list[Melding]]]
    posts: list[Post]
    # Reports of accounts too new to count towards hiding (posts.report_weight), by report id.
    nieuw: set[int] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.punten) + len(self.meldingen) + len(self.posts)


def wachtrij(user: User) -> Wachtrij:
    wijken = queue_wijk_ids(user)
    stmt_punten = select(Agendapunt).where(Agendapunt.moderatie == "ingediend").order_by(Agendapunt.created_at)
    reported = select(Melding.id).where(Melding.post_id == Post.id, Melding.afgehandeld_at.is_(None)).exists()
    # A new post that is also reported waits under the reports: one decision at a time, counted once.
    stmt_posts = (select(Post).where(Post.soort.in_(REVIEWED_SOORTEN), Post.beoordeeld_at.is_(None),
                                     Post.status != "gesloten", ~reported).order_by(Post.created_at))
    if wijken is not None:
        stmt_punten = stmt_punten.where(Agendapunt.wijk_id.in_(wijken))
        stmt_posts = stmt_posts.where(Post.wijk_id.in_(wijken))
    reports = posts.open_reports(wijken)
    per_post: dict[int, tuple[Post, list[Melding]]] = {}
    for melding in reports:
        per_post.setdefault(melding.post_id, (melding.post, []))[1].append(melding)
    return Wachtrij(list(db.session.scalars(stmt_punten)), list(per_post.values()),
                    list(db.session.scalars(stmt_posts)),
                    nieuw={m.id for m in reports if posts.report_weight(m) == 0})
