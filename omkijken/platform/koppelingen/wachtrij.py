"""The coordinator's queue and the collective suggestions: where self-service did not work.

- voorstellen of a mediated dienst that wait for a coordinator;
- vragen with no voorstel after WACHT_DAGEN_COORDINATOR days (no volunteer fits, or none answered);
- voorstellen someone said no to, while their vraag still has no help.

Every vraag is handled or referred: a vraag leaves the queue when it gets a voorstel, a
koppeling, or a coordinator's note, referral or hand match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from geoalchemy2.shape import to_shape
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased, joinedload

from omkijken import matching
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import wijk_ids
from omkijken.platform.areas.models import Wijk
from omkijken.platform.clock import as_utc
from omkijken.platform.database import Distance, point_rd
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import notify, pipeline
from omkijken.platform.koppelingen.diensten import coordinates, dienst_for, dienst_id_for
from omkijken.platform.koppelingen.lifecycle import LIVE
from omkijken.platform.koppelingen.models import Afhandeling, Koppeling, Voorstel
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag, Ontmoetingsplek

# Volunteers who had no voorstel for this long hear of group activities near them.
IDLE_DAYS = 30


@dataclass
class Wachtrij:
    te_bevestigen: list[Voorstel] = field(default_factory=list)
    wachtend: list[Hulpvraag] = field(default_factory=list)
    afgewezen: list[Voorstel] = field(default_factory=list)

    @property
    def leeg(self) -> bool:
        return not (self.te_bevestigen or self.wachtend or self.afgewezen)


def wachtrij(user: User, *, now: datetime) -> Wachtrij:
    days = current_app.config["WACHT_DAGEN_COORDINATOR"]
    queue = Wachtrij()
    queue.te_bevestigen = [
        v for v in db.session.scalars(
            select(Voorstel).where(Voorstel.status == "te_bevestigen").order_by(Voorstel.created_at)
        ) if coordinates(user, v.dienst_id)
    ]
    handled = exists().where(Afhandeling.hulpvraag_id == Hulpvraag.id)
    has_voorstel = exists().where(Voorstel.hulpvraag_id == Hulpvraag.id, Voorstel.status.in_((*LIVE, "gekoppeld")))
    old = db.session.scalars(
        select(Hulpvraag).where(
            Hulpvraag.status == "open", Hulpvraag.verborgen.is_(False),
            Hulpvraag.created_at <= now - timedelta(days=days), ~handled, ~has_voorstel,
        ).order_by(Hulpvraag.created_at)
    )
    queue.wachtend = [v for v in old if coordinates(user, dienst_id_for(v))]
    newer = aliased(Voorstel)
    declined = db.session.scalars(
        select(Voorstel).join(Hulpvraag, Voorstel.hulpvraag_id == Hulpvraag.id).where(
            Voorstel.status == "afgewezen", Voorstel.afgewezen_door != "coordinator",
            Hulpvraag.status == "open", Voorstel.updated_at >= now - timedelta(days=30),
            ~exists().where(Voorstel.hulpvraag_id == Afhandeling.hulpvraag_id,
                            Afhandeling.created_at > Voorstel.updated_at),
            ~exists().where(newer.hulpvraag_id == Voorstel.hulpvraag_id, newer.status.in_(LIVE)),
        ).order_by(Voorstel.updated_at)
    )
    queue.afgewezen = [v for v in declined if coordinates(user, v.dienst_id)]
    return queue


def candidates_for(vraag: Hulpvraag, *, now: datetime, k: int = 10) -> list[tuple[Aanbod, matching.Proposal]]:
    """The best volunteers for a hand match, best first, with their reasons (from the public
    points, as the engine's)."""
    nearby = list(db.session.scalars(pipeline.near(pipeline.open_aanbod(), Aanbod, pipeline.public_point_rd(vraag.id),
                                                    pipeline.SEARCH_RADIUS_M)))
    nearby = [a for a in nearby if a.auteur_id != vraag.auteur_id and a.categorieen]
    if not nearby:
        return []
    index = matching.OfferIndex(pipeline.as_offers(nearby, except_for=vraag.id))
    request = pipeline.as_request(vraag, dienst_for(vraag))
    exclude = pipeline.excluded([vraag], nearby, only_declined=True)
    by_id = {a.id: a for a in nearby}
    return [(by_id[p.offer_id], p) for p in matching.top_candidates(request, index, now=now, k=k, exclude=exclude)]


# --- collective ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestie:
    """Open vragen of one category close together, with the nearest ontmoetingsplek."""

    cluster: matching.Cluster
    vragen: list[Hulpvraag]
    wijk: Wijk | None
    plek: Ontmoetingsplek | None


def collective_suggestions(*, wijk_ids: set[int] | None, radius_m: float = 800, min_size: int = 3) -> list[Suggestie]:
    """Groups of vragen close together by their public points (``pipeline.as_request``): which
    vragen are grouped is seen by opbouwwerkers, who are no party to them."""
    stmt = select(Hulpvraag).where(Hulpvraag.status == "open", Hulpvraag.verborgen.is_(False),
                                   Hulpvraag.collectief_id.is_(None))
    if wijk_ids is not None:
        stmt = stmt.where(Hulpvraag.wijk_id.in_(wijk_ids))
    vragen = {v.id: v for v in db.session.scalars(stmt)}
    requests = [pipeline.as_request(v, None) for v in vragen.values() if v.categorie]
    out = []
    for cluster in matching.collective_clusters(requests, radius_m=radius_m, min_size=min_size):
        members = [vragen[i] for i in cluster.request_ids]
        wijken = [m.wijk for m in members if m.wijk is not None]
        plek = db.session.scalar(
            select(Ontmoetingsplek).where(Ontmoetingsplek.status == "open", Ontmoetingsplek.verborgen.is_(False))
            .order_by(Distance(Ontmoetingsplek.toon_locatie_rd, point_rd(cluster.lat, cluster.lon))).limit(1)
        )
        out.append(Suggestie(cluster, members, max(set(wijken), key=wijken.count) if wijken else None, plek))
    return out


def mail_idle_volunteers(*, now: datetime) -> int:
    """Once a month, a volunteer without a voorstel or koppeling for IDLE_DAYS days gets an email
    with group activities near them. Written through the outbox with the marker, so never twice.
    A volunteer who switched this mail off (its link, or her profile) is skipped."""
    sent, seen = 0, set()
    since = now - timedelta(days=IDLE_DAYS)
    for aanbod in db.session.scalars(
        select(Aanbod).join(User, User.id == Aanbod.auteur_id)
        .where(Aanbod.status == "open", Aanbod.verborgen.is_(False), User.samen_doen_per_mail.is_(True),
               or_(Aanbod.samen_gemaild_at.is_(None), Aanbod.samen_gemaild_at < since))
        .order_by(Aanbod.id)
    ).all():
        if aanbod.auteur_id in seen:
            continue
        seen.add(aanbod.auteur_id)
        activiteiten = idle_volunteer_activities(aanbod.auteur, now=now)
        if not activiteiten:
            continue
        for other in db.session.scalars(select(Aanbod).where(Aanbod.auteur_id == aanbod.auteur_id)):
            other.samen_gemaild_at = now
        notify.samen_doen(aanbod.auteur, activiteiten, now=now)
        sent += 1
    db.session.flush()
    return sent


def idle_volunteer_activities(user: User, *, now: datetime, limit: int = 5) -> list[Activiteit]:
    """Everyone who signs up is placed: a volunteer without a voorstel for IDLE_DAYS days sees
    upcoming group activities near their home (004:555-557)."""
    aanbod = db.session.scalars(select(Aanbod).where(Aanbod.auteur_id == user.id, Aanbod.status == "open")).all()
    if not aanbod:
        return []
    since = now - timedelta(days=IDLE_DAYS)
    if min(as_utc(a.created_at) for a in aanbod) > since:
        return []
    recent = db.session.scalar(select(Voorstel.id).where(Voorstel.vrijwilliger_id == user.id,
                                                          Voorstel.created_at >= since).limit(1))
    active = db.session.scalar(select(Koppeling.id).where(Koppeling.vrijwilliger_id == user.id,
                                                           Koppeling.status == "actief").limit(1))
    if recent or active:
        return []
    # From the volunteer's own home (theirs to know) to each activity's public point: an activity
    # placed at its organiser's home must not be ordered by that home.
    home = to_shape(aanbod[0].locatie)
    stmt = (
        select(Activiteit)
        .where(Activiteit.status == "open", Activiteit.verborgen.is_(False),
               or_(Activiteit.start >= now, Activiteit.herhaling != ""))
        .order_by(Distance(Activiteit.toon_locatie_rd, point_rd(home.y, home.x)))
        .limit(limit)
        .options(joinedload(Activiteit.wijk))
    )
    return list(db.session.scalars(stmt))


# --- small queries for the coordinator's pages --------------------------------------------------


def age_days(vraag: Hulpvraag, *, now: datetime) -> int:
    """Whole days since the vraag was placed."""
    return max(0, (as_utc(now) - as_utc(vraag.created_at)).days)


def afhandelingen_van(vraag: Hulpvraag) -> list[Afhandeling]:
    """What coordinators did for this vraag, oldest first."""
    return list(db.session.scalars(
        select(Afhandeling).where(Afhandeling.hulpvraag_id == vraag.id).order_by(Afhandeling.created_at, Afhandeling.id)
    ))


def collective_scope(user: User) -> set[int] | None:
    """The wijken whose vragen this person may group into a collective activity: all (None) for a
    coordinator or the beheerder, else the opbouwwerker's own wijken."""
    return wijk_ids(user, "collectief_koppelen")


def in_scope(vraag: Hulpvraag, wijk_ids: set[int] | None) -> bool:
    return wijk_ids is None or vraag.wijk_id in wijk_ids


def linkable(vraag: Hulpvraag) -> bool:
    """A vraag can join a collective activity while it is open, shown, and not linked yet."""
    return vraag.status == "open" and not vraag.verborgen and vraag.collectief_id is None


def upcoming_activiteiten(*, now: datetime, near: tuple[float, float] | None = None,
                          limit: int | None = None) -> list[Activiteit]:
    """Open activiteiten that still take place (or repeat), their public point nearest to ``near`` first."""
    stmt = select(Activiteit).where(Activiteit.status == "open", Activiteit.verborgen.is_(False),
                                    or_(Activiteit.start >= now, Activiteit.herhaling != ""))
    if near is not None:
        stmt = stmt.order_by(Distance(Activiteit.toon_locatie_rd, point_rd(*near)), Activiteit.id)
    else:
        stmt = stmt.order_by(Activiteit.start, Activiteit.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))
