"""From the database to the matching engine and back: load open vragen and the volunteers near
them, call :func:`omkijken.matching.match`, and store the voorstellen.

The rules of what may be proposed live in the engine (hard rules, score) and here (what is
already proposed, declined, or served). Voorstellen are inserted with "on conflict do nothing"
on their unique key, so a task that runs twice, or two tasks at once, propose nothing twice.

One live voorstel per vraag at a time: a volunteer is asked only when the vraag is not already
waiting for someone else, and a decline makes room for the next best volunteer.

The engine sees the public points (``toon_locatie``), never the homes. Who is asked, in which
order, and the distance the voorstel names are all seen by people who have not said yes yet:
derived from the homes, they gave a home away to within metres to three throw-away accounts
(issue 19). A volunteer's radius is therefore measured between the two points the map shows,
which may differ from the distance between the homes by up to twice the blur (2 x 450 m).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

from geoalchemy2.shape import to_shape
from sqlalchemy import Select, String, cast, func, or_, select

from omkijken import matching
from omkijken.platform.clock import as_utc
from omkijken.platform.database import DWithin, insert_ignoring_duplicates
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import lifecycle, notify
from omkijken.platform.koppelingen.diensten import dienst_for
from omkijken.platform.koppelingen.lifecycle import LIVE
from omkijken.platform.koppelingen.models import Dienst, Koppeling, Voorstel
from omkijken.platform.posts.models import Aanbod, Hulpvraag, Post

# Volunteers who chose wijken instead of a distance: they help anywhere in those wijken, which
# the engine sees as a wide radius plus a rule (pairs outside their wijken are excluded).
WIJK_RADIUS_M = 15_000.0
# How far the coordinator's candidate list looks for volunteers.
SEARCH_RADIUS_M = 15_000.0


@dataclass(frozen=True)
class Outcome:
    """What one matching run did, for the CLI and the bench."""

    requests: int
    offers: int
    proposed: int


def _public_latlon(post: Post) -> tuple[float, float]:
    """The point of a post that anyone may know: the engine gets nothing finer."""
    shape = to_shape(post.toon_locatie)
    return shape.y, shape.x


def as_request(vraag: Hulpvraag, dienst: Dienst | None) -> matching.Request:
    lat, lon = _public_latlon(vraag)
    return matching.Request(
        id=vraag.id, lat=lat, lon=lon,
        categories=frozenset([vraag.categorie] if vraag.categorie else []),
        slots=frozenset(vraag.dagdelen or []),
        languages=frozenset([vraag.voorkeur_taal] if vraag.voorkeur_taal else []),
        created_at=as_utc(vraag.created_at),
        needs_vog=bool(dienst and dienst.vog_nodig),
        dienst=dienst.code if dienst else None,
    )


def as_offer(aanbod: Aanbod, *, waiting: int, active: int) -> matching.Offer:
    """``waiting``: its live voorstellen, which use up capacity; ``active``: running koppelingen of
    the volunteer, which only lower the score (spread the load)."""
    lat, lon = _public_latlon(aanbod)
    return matching.Offer(
        id=aanbod.id, lat=lat, lon=lon,
        radius_m=float(WIJK_RADIUS_M if aanbod.wijk_ids else aanbod.radius_m),
        categories=frozenset(aanbod.categorieen or []),
        slots=frozenset(aanbod.dagdelen or []),
        languages=frozenset(aanbod.talen or []),
        capacity=max(0, aanbod.capaciteit - waiting),
        has_vog=aanbod.heeft_vog,
        active_koppelingen=active,
    )


def open_vragen() -> Select:
    return select(Hulpvraag).where(Hulpvraag.status == "open", Hulpvraag.verborgen.is_(False))


def open_aanbod() -> Select:
    return select(Aanbod).where(Aanbod.status == "open", Aanbod.verborgen.is_(False))


def _unserved(vragen: Iterable[Hulpvraag]) -> list[Hulpvraag]:
    """Vragen without a live voorstel and without a running koppeling."""
    vragen = list(vragen)
    ids = [v.id for v in vragen]
    if not ids:
        return []
    busy = set(db.session.scalars(
        select(Voorstel.hulpvraag_id).where(Voorstel.hulpvraag_id.in_(ids), Voorstel.status.in_(LIVE))
    ))
    busy |= set(db.session.scalars(
        select(Koppeling.hulpvraag_id).where(Koppeling.hulpvraag_id.in_(ids), Koppeling.status == "actief")
    ))
    return [v for v in vragen if v.id not in busy]


def as_offers(aanbod: list[Aanbod], *, except_for: int | None = None) -> list[matching.Offer]:
    """The engine's offers; ``except_for`` a vraag whose own waiting voorstellen do not count
    against capacity (a coordinator's candidates for that vraag)."""
    ids = [a.id for a in aanbod]
    live = select(Voorstel.aanbod_id, func.count()).where(Voorstel.aanbod_id.in_(ids), Voorstel.status.in_(LIVE))
    if except_for is not None:
        live = live.where(Voorstel.hulpvraag_id != except_for)
    waiting = Counter(dict(db.session.execute(live.group_by(Voorstel.aanbod_id)).all())) if ids else Counter()
    users = {a.auteur_id for a in aanbod}
    active = Counter(dict(db.session.execute(
        select(Koppeling.vrijwilliger_id, func.count())
        .where(Koppeling.vrijwilliger_id.in_(users), Koppeling.status == "actief")
        .group_by(Koppeling.vrijwilliger_id)
    ).all())) if users else Counter()
    return [as_offer(a, waiting=waiting[a.id], active=active[a.auteur_id]) for a in aanbod]


def excluded(vragen: list[Hulpvraag], aanbod: list[Aanbod], *, only_declined: bool = False) -> frozenset[tuple[int, int]]:
    """Pairs that must not be proposed: the volunteer had a voorstel for this vraag before (a
    decline is never asked again; with ``only_declined``, for a coordinator's hand match, only
    declined ones count), it is the resident's own aanbod, the vraag lies outside the wijken a
    volunteer chose, or the dienst has its own volunteers and this is not one of them."""
    if not vragen or not aanbod:
        return frozenset()
    earlier = select(Voorstel.hulpvraag_id, Voorstel.vrijwilliger_id).where(
        Voorstel.hulpvraag_id.in_([v.id for v in vragen]))
    if only_declined:
        earlier = earlier.where(Voorstel.status == "afgewezen")
    by_author: dict[int, list[int]] = {}
    for a in aanbod:
        by_author.setdefault(a.auteur_id, []).append(a.id)
    pairs = set()
    for vraag_id, user_id in db.session.execute(earlier):
        pairs.update((vraag_id, a) for a in by_author.get(user_id, ()))
    own_volunteers = set(db.session.scalars(select(Aanbod.dienst_id).where(Aanbod.dienst_id.is_not(None))))
    by_wijken = [a for a in aanbod if a.wijk_ids]
    for vraag in vragen:
        pairs.update((vraag.id, a) for a in by_author.get(vraag.auteur_id, ()))
        pairs.update((vraag.id, a.id) for a in by_wijken if vraag.wijk_id not in a.wijk_ids)
        if vraag.dienst_id in own_volunteers:
            pairs.update((vraag.id, a.id) for a in aanbod if a.dienst_id != vraag.dienst_id)
    return frozenset(pairs)


def insert_voorstel(values: dict) -> int | None:
    """Insert unless the pair exists or the vraag already waits for a volunteer (both unique
    indexes); the id of the new row, or None."""
    return db.session.execute(insert_ignoring_duplicates(Voorstel, values).returning(Voorstel.id)).scalar()


def _store(proposal: matching.Proposal, *, vraag: Hulpvraag, aanbod: Aanbod, dienst: Dienst | None,
           now: datetime) -> Voorstel | None:
    """Store one proposal of the engine as a voorstel and tell the people who must answer it (a
    mediated dienst's coordinator looks first). None when the pair was proposed before."""
    new_id = insert_voorstel({
        "hulpvraag_id": vraag.id, "vrijwilliger_id": aanbod.auteur_id, "aanbod_id": aanbod.id,
        "dienst_id": dienst.id if dienst else None, "bron": "match",
        "status": lifecycle.voorstel_begin(mediated=bool(dienst and dienst.bemiddeld)),
        "score": proposal.score, "redenen": [r.as_dict() for r in proposal.reasons], "afwijs_reden": "",
        "created_at": now, "updated_at": now,
    })
    if new_id is None:
        return None
    voorstel = db.session.get(Voorstel, new_id)
    if voorstel.status == "open":
        notify.voorstel_open(voorstel, now=now)
    return voorstel


def _run(vragen: list[Hulpvraag], aanbod: list[Aanbod], *, now: datetime,
         progress: Callable[[int, int], None] | None = None) -> Outcome:
    vragen = _unserved(vragen)
    aanbod = [a for a in aanbod if a.categorieen]
    if not vragen or not aanbod:
        return Outcome(len(vragen), len(aanbod), 0)
    diensten = {v.id: dienst_for(v) for v in vragen}
    requests = [as_request(v, diensten[v.id]) for v in vragen]
    offers = as_offers(aanbod)
    proposals = matching.match(requests, offers, now=now, exclude=excluded(vragen, aanbod))
    by_vraag = {v.id: v for v in vragen}
    by_aanbod = {a.id: a for a in aanbod}
    made = 0
    for done, proposal in enumerate(proposals, start=1):
        if _store(proposal, vraag=by_vraag[proposal.request_id], aanbod=by_aanbod[proposal.offer_id],
                  dienst=diensten[proposal.request_id], now=now):
            made += 1
        if progress:
            progress(done, len(proposals))
    db.session.flush()
    return Outcome(len(requests), len(offers), made)


def near(stmt: Select, entity, geometry, metres: float) -> Select:
    """Posts whose public point lies within ``metres`` of ``geometry`` (RD New)."""
    return stmt.where(DWithin(entity.toon_locatie_rd, geometry, metres))


def public_point_rd(post_id: int):
    """The public point of a post in RD New, as a subquery for the spatial filters."""
    return select(Post.toon_locatie_rd).where(Post.id == post_id).scalar_subquery()


def _chose_wijken():
    """An aanbod whose volunteer chose wijken instead of a distance (see WIJK_RADIUS_M)."""
    return func.coalesce(cast(Aanbod.wijk_ids, String), "[]") != "[]"


def reaching(geometry, *, extra_m: float = 0.0) -> Select:
    """Open aanbod whose own radius (plus ``extra_m``) reaches ``geometry``, and aanbod of
    volunteers who chose wijken: the engine and :func:`excluded` then apply the exact rules.
    Filtering by each volunteer's own radius keeps the load small where many volunteers live."""
    return open_aanbod().where(
        or_(DWithin(Aanbod.toon_locatie_rd, geometry, Aanbod.radius_m + extra_m), _chose_wijken()))


def match_hulpvraag(vraag: Hulpvraag, *, now: datetime) -> Outcome:
    """A vraag was published, changed or declined: find its best volunteer nearby."""
    return _run([vraag], list(db.session.scalars(reaching(public_point_rd(vraag.id)))), now=now)


def match_aanbod(aanbod: Aanbod, *, now: datetime) -> Outcome:
    """A volunteer signed up or changed their offer: the waiting vragen they can reach are
    matched again, with the other volunteers who reach those vragen, so the newcomer gets what
    fits best without taking a vraag from someone who fits it better."""
    own_point = public_point_rd(aanbod.id)
    if aanbod.wijk_ids:
        vragen = db.session.scalars(open_vragen().where(Hulpvraag.wijk_id.in_(aanbod.wijk_ids))).all()
        reach = WIJK_RADIUS_M
    else:
        vragen = db.session.scalars(near(open_vragen(), Hulpvraag, own_point, aanbod.radius_m)).all()
        reach = float(aanbod.radius_m)
    others = db.session.scalars(reaching(own_point, extra_m=reach)).all()
    return _run(list(vragen), list(others), now=now)


def expire(post: Post, *, now: datetime) -> int:
    """A vraag or aanbod closed or paused: its voorstellen that wait for an answer lapse, and the
    vragen that waited for this volunteer look for someone else."""
    column = Voorstel.hulpvraag_id if post.soort == "hulpvraag" else Voorstel.aanbod_id
    waiting = db.session.scalars(select(Voorstel).where(column == post.id, Voorstel.status.in_(LIVE))).all()
    for voorstel in waiting:
        voorstel.status, voorstel.updated_at = lifecycle.voorstel_after("vervallen"), now
    db.session.flush()
    if isinstance(post, Aanbod):
        for voorstel in waiting:
            if voorstel.hulpvraag.status == "open":
                match_hulpvraag(voorstel.hulpvraag, now=now)
    return len(waiting)


def match_post(post_id: int, *, now: datetime) -> Outcome | None:
    """The outbox handler behind ``MATCH_POST``."""
    post = db.session.get(Post, post_id)
    if post is None:
        return None
    if post.status != "open" or post.verborgen:
        expire(post, now=now)
        return None
    if isinstance(post, Hulpvraag):
        return match_hulpvraag(post, now=now)
    if isinstance(post, Aanbod):
        return match_aanbod(post, now=now)
    return None


def match_all(*, now: datetime, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Every open vraag without a voorstel against every open aanbod: the nightly run and
    ``omkijken match --all``. One exact assignment over the whole gemeente."""
    vragen = list(db.session.scalars(open_vragen()))
    aanbod = list(db.session.scalars(open_aanbod()))
    return _run(vragen, aanbod, now=now, progress=progress)
