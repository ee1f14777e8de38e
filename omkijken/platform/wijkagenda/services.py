"""The rules of the wijkagenda for residents: add a punt, change it and send it again, support it
(one vote each), react, say "ik wil meehelpen", and follow a wijk.

Moderation decisions are in ``moderatie``; the sociale agenda in ``sociale_agenda``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import may_moderate
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Wijk
from omkijken.platform.database import insert_ignoring_duplicates
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.wijkagenda import lifecycle
from omkijken.platform.wijkagenda.models import Agendapunt, Puntvolger, Reactie, Steun, Wijkvolger
from omkijken.platform.wijkagenda.vocabulary import ONDERWERPEN, SOORTEN

TITEL_MAX = 120
TEKST_MAX = 2000


class AgendaError(RuleBroken):
    """A rule of the wijkagenda was broken."""


@dataclass(frozen=True)
class Regel:
    """A punt as a list shows it: with its support and whether the reader supports it."""

    punt: Agendapunt
    steun: int
    gesteund: bool


def _check(*, soort: str, onderwerp: str, titel: str, beschrijving: str, wijk: Wijk,
           plek: tuple[float, float] | None) -> None:
    if not titel.strip():
        raise AgendaError("titel", _l("Schrijf in een paar woorden waar het over gaat."))
    if len(titel.strip()) > TITEL_MAX:
        raise AgendaError("titel", _l("Maak de titel korter: hooguit %(max)s tekens.", max=TITEL_MAX))
    if len(beschrijving) > TEKST_MAX:
        raise AgendaError("beschrijving", _l("Maak je uitleg korter: hooguit %(max)s tekens.", max=TEKST_MAX))
    if soort not in SOORTEN:
        raise AgendaError("soort", _l("Kies wat voor punt het is."))
    if onderwerp not in ONDERWERPEN:
        raise AgendaError("onderwerp", _l("Kies waar het over gaat."))
    if plek is not None and getattr(areas.locate(*plek).wijk, "id", None) != wijk.id:
        raise AgendaError("kaart", _l("Deze plek ligt niet in %(wijk)s. Kies een plek in de wijk, of geen plek.",
                                      wijk=wijk.naam))


def create(*, wijk: Wijk, auteur: User, soort: str, onderwerp: str, titel: str, beschrijving: str = "",
           plek: tuple[float, float] | None = None, now: datetime) -> Agendapunt:
    """A new punt waits for the opbouwwerker; its author follows it from the start."""
    _check(soort=soort, onderwerp=onderwerp, titel=titel, beschrijving=beschrijving, wijk=wijk, plek=plek)
    punt = Agendapunt(
        wijk_id=wijk.id, auteur_id=auteur.id, soort=soort, onderwerp=onderwerp, titel=titel.strip(),
        beschrijving=beschrijving.strip(), lat=plek[0] if plek else None, lon=plek[1] if plek else None,
        moderatie="ingediend", status="nieuw", created_at=now, updated_at=now,
    )
    db.session.add(punt)
    db.session.flush()
    _follow_punt(punt, auteur, now=now)
    db.session.flush()
    return punt


def can_edit(user: Any, punt: Agendapunt) -> bool:
    """The author, while the punt is not (yet) on the wijkagenda: an approved punt is not
    changed under the feet of those who supported it."""
    return (getattr(user, "is_authenticated", False) and user.id == punt.auteur_id
            and punt.moderatie in ("ingediend", *lifecycle.RESUBMITTABLE))


def edit(punt: Agendapunt, *, by: User, soort: str, onderwerp: str, titel: str, beschrijving: str,
         plek: tuple[float, float] | None, now: datetime) -> Agendapunt:
    """Change a punt; after a refusal or a request for change, this sends it to the opbouwwerker again."""
    if not can_edit(by, punt):
        raise AgendaError("", _l("Je kunt dit punt nu niet meer veranderen."))
    _check(soort=soort, onderwerp=onderwerp, titel=titel, beschrijving=beschrijving, wijk=punt.wijk, plek=plek)
    punt.soort, punt.onderwerp, punt.titel, punt.beschrijving = soort, onderwerp, titel.strip(), beschrijving.strip()
    punt.lat, punt.lon = (plek if plek else (None, None))
    if lifecycle.may_resubmit(punt.moderatie):
        punt.moderatie = "ingediend"
    punt.updated_at = now
    db.session.flush()
    return punt


def visible_to(user: Any, punt: Agendapunt) -> bool:
    """Everyone reads approved punten; a punt that is not approved only its author and moderators."""
    if punt.is_public:
        return True
    return getattr(user, "is_authenticated", False) and (user.id == punt.auteur_id or may_moderate(user, punt.wijk_id))


def _require_public(punt: Agendapunt) -> None:
    if not punt.is_public:
        raise AgendaError("", _l("Dit punt staat niet op de wijkagenda."))


def _follow_punt(punt: Agendapunt, user: User, *, now: datetime, meehelpen: bool = False) -> None:
    db.session.execute(insert_ignoring_duplicates(
        Puntvolger, {"punt_id": punt.id, "user_id": user.id, "meehelpen": meehelpen, "created_at": now}))
    if meehelpen:
        db.session.execute(update(Puntvolger).where(Puntvolger.punt_id == punt.id, Puntvolger.user_id == user.id)
                           .values(meehelpen=True))


def support(punt: Agendapunt, *, by: User, now: datetime) -> bool:
    """One vote per person: a second tap, also at the same moment, changes nothing (the
    primary key decides). True when this was a new vote."""
    _require_public(punt)
    new_vote = db.session.execute(insert_ignoring_duplicates(
        Steun, {"punt_id": punt.id, "user_id": by.id, "created_at": now}).returning(Steun.user_id)).scalar()
    _follow_punt(punt, by, now=now)
    db.session.flush()
    return new_vote is not None


def withdraw_support(punt: Agendapunt, *, by: User) -> None:
    db.session.execute(delete(Steun).where(Steun.punt_id == punt.id, Steun.user_id == by.id))
    db.session.flush()


def react(punt: Agendapunt, *, by: User, tekst: str, now: datetime) -> Reactie:
    _require_public(punt)
    tekst = (tekst or "").strip()
    if not tekst:
        raise AgendaError("tekst", _l("Schrijf eerst je reactie."))
    if len(tekst) > TEKST_MAX:
        raise AgendaError("tekst", _l("Maak je reactie korter: hooguit %(max)s tekens.", max=TEKST_MAX))
    reactie = Reactie(punt_id=punt.id, auteur_id=by.id, tekst=tekst, created_at=now)
    db.session.add(reactie)
    _follow_punt(punt, by, now=now)
    db.session.flush()
    return reactie


def help_out(punt: Agendapunt, *, by: User, now: datetime) -> None:
    """"Ik wil meehelpen": the opbouwwerker sees who, to ask them when the wijk takes it up."""
    _require_public(punt)
    _follow_punt(punt, by, now=now, meehelpen=True)
    db.session.flush()


def steun_counts(punt_ids: list[int]) -> dict[int, int]:
    if not punt_ids:
        return {}
    rows = db.session.execute(
        select(Steun.punt_id, func.count()).where(Steun.punt_id.in_(punt_ids)).group_by(Steun.punt_id))
    return {punt_id: count for punt_id, count in rows}


def supported_by(user: Any, punt_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not punt_ids:
        return set()
    return set(db.session.scalars(select(Steun.punt_id).where(Steun.user_id == user.id, Steun.punt_id.in_(punt_ids))))


def helpers(punt: Agendapunt) -> list[User]:
    return [v.user for v in db.session.scalars(
        select(Puntvolger).where(Puntvolger.punt_id == punt.id, Puntvolger.meehelpen.is_(True))
        .order_by(Puntvolger.created_at))]


def wants_to_help(user: Any, punt: Agendapunt) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(Puntvolger.meehelpen).where(
        Puntvolger.punt_id == punt.id, Puntvolger.user_id == user.id)))


def regels(punten: list[Agendapunt], reader: Any) -> list[Regel]:
    ids = [p.id for p in punten]
    counts, mine = steun_counts(ids), supported_by(reader, ids)
    return [Regel(p, counts.get(p.id, 0), p.id in mine) for p in punten]


def wijkagenda(wijk: Wijk, reader: Any, *, status: str | None = None) -> list[Regel]:
    """The approved punten of a wijk, most supported first: what the wijk finds most important."""
    stmt = select(Agendapunt).where(Agendapunt.wijk_id == wijk.id, Agendapunt.moderatie == "goedgekeurd")
    if status:
        stmt = stmt.where(Agendapunt.status == status)
    lines = regels(list(db.session.scalars(stmt)), reader)
    return sorted(lines, key=lambda r: (-r.steun, -r.punt.created_at.timestamp()))


def own_waiting(user: Any, wijk: Wijk) -> list[Agendapunt]:
    """The reader's own punten that are not on the wijkagenda (yet), with what the opbouwwerker said."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Agendapunt).where(Agendapunt.wijk_id == wijk.id, Agendapunt.auteur_id == user.id,
                                 Agendapunt.moderatie.in_(("ingediend", *lifecycle.RESUBMITTABLE)))
        .order_by(Agendapunt.created_at.desc())))


def merge(punt: Agendapunt, into: Agendapunt) -> dict[str, int]:
    """Move votes, followers and reactions of a duplicate to the punt that stays. Someone who
    supported both keeps one vote; wanting to help on either counts on the one that stays."""
    if into.id == punt.id or into.wijk_id != punt.wijk_id or into.moderatie not in ("ingediend", "goedgekeurd"):
        raise AgendaError("samen_met", _l("Kies een ander punt uit dezelfde wijk om mee samen te voegen."))
    votes = list(db.session.execute(select(Steun.user_id, Steun.created_at).where(Steun.punt_id == punt.id)))
    for user_id, created_at in votes:
        db.session.execute(insert_ignoring_duplicates(
            Steun, {"punt_id": into.id, "user_id": user_id, "created_at": created_at}))
    volgers = list(db.session.scalars(select(Puntvolger).where(Puntvolger.punt_id == punt.id)))
    for volger in volgers:
        db.session.execute(insert_ignoring_duplicates(Puntvolger, {
            "punt_id": into.id, "user_id": volger.user_id, "meehelpen": volger.meehelpen,
            "created_at": volger.created_at}))
        if volger.meehelpen:
            db.session.execute(update(Puntvolger).where(
                Puntvolger.punt_id == into.id, Puntvolger.user_id == volger.user_id).values(meehelpen=True))
    moved = db.session.execute(update(Reactie).where(Reactie.punt_id == punt.id).values(punt_id=into.id)).rowcount
    db.session.execute(delete(Steun).where(Steun.punt_id == punt.id))
    db.session.execute(delete(Puntvolger).where(Puntvolger.punt_id == punt.id))
    punt.samengevoegd_in_id = into.id
    db.session.expire(into, ["reacties"])
    return {"samengevoegd_in": into.id, "stemmen": len(votes), "volgers": len(volgers), "reacties": moved}


def follows(user: Any, wijk: Wijk) -> Wijkvolger | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Wijkvolger).where(Wijkvolger.wijk_id == wijk.id, Wijkvolger.user_id == user.id))


def follow(wijk: Wijk, *, by: User, now: datetime) -> None:
    db.session.execute(insert_ignoring_duplicates(
        Wijkvolger, {"wijk_id": wijk.id, "user_id": by.id, "per_mail": True, "created_at": now}))
    db.session.flush()


def unfollow(wijk: Wijk, *, by: User) -> None:
    db.session.execute(delete(Wijkvolger).where(Wijkvolger.wijk_id == wijk.id, Wijkvolger.user_id == by.id))
    db.session.flush()


def set_digest(user: User, *, aan: bool) -> int:
    """Switch the weekly mail on or off for every wijk the person follows; how many rows changed."""
    changed = db.session.execute(update(Wijkvolger).where(Wijkvolger.user_id == user.id).values(per_mail=aan)).rowcount
    db.session.flush()
    return changed
