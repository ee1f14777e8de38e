"""Gebieden and woonwijken: how a gemeente groups its wijken, and which wijken nobody lives in.

Oss draws up its sociale agenda per gebied (eleven, Geffen included), not per CBS wijk; a gebied is
a named group of wijken, or of buurten where a wijk is split, of one gemeente, kept by the
beheerder. An industrial estate is a CBS wijk too; marked "geen woonwijk" it stays out of public
lists, filters and the waiting list unless something is posted there
(:func:`areas.services.public_wijken`).

Services flush; the beheerder's page checks the capability (accounts is above areas).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Buurt, Gebied, Gemeente, Wijk, gebied_buurten, gebied_wijken
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l

NAAM_MAX = 120


def all_gebieden() -> list[Gebied]:
    """Every gebied, by gemeente name and gebied name."""
    return list(db.session.scalars(select(Gebied).join(Gemeente).order_by(Gemeente.naam, Gebied.naam)))


def of_gemeente(gemeente_id: int) -> list[Gebied]:
    return list(db.session.scalars(select(Gebied).where(Gebied.gemeente_id == gemeente_id).order_by(Gebied.naam)))


def of_wijk(wijk_id: int) -> list[Gebied]:
    """The gebieden the wijk belongs to, whole or with one of its buurten."""
    whole = select(gebied_wijken.c.gebied_id).where(gebied_wijken.c.wijk_id == wijk_id)
    part = (select(gebied_buurten.c.gebied_id).join(Buurt, Buurt.id == gebied_buurten.c.buurt_id)
            .where(Buurt.wijk_id == wijk_id))
    return list(db.session.scalars(select(Gebied).where(Gebied.id.in_(whole.union(part))).order_by(Gebied.naam)))


def save(*, gemeente_id: int, naam: str, wijk_ids: Iterable[int], buurt_ids: Iterable[int] = (),
         gebied: Gebied | None = None) -> Gebied:
    """Make a gebied, or change ``gebied``: a name that is unique in the gemeente, and at least one
    wijk or buurt of that gemeente."""
    naam = (naam or "").strip()
    if not naam:
        raise RuleBroken("naam", _l("Geef het gebied een naam."))
    if len(naam) > NAAM_MAX:
        raise RuleBroken("naam", _l("Maak de naam korter: hooguit %(max)s tekens.", max=NAAM_MAX))
    if gebied is not None:
        gemeente_id = gebied.gemeente_id
    same = db.session.scalar(select(Gebied.id).where(Gebied.gemeente_id == gemeente_id, Gebied.naam == naam))
    if same is not None and (gebied is None or same != gebied.id):
        raise RuleBroken("naam", _l("Er is al een gebied met deze naam in deze gemeente."))
    wijken = list(db.session.scalars(select(Wijk).where(Wijk.id.in_(set(wijk_ids)), Wijk.gemeente_id == gemeente_id)))
    buurten = list(db.session.scalars(select(Buurt).join(Wijk).where(
        Buurt.id.in_(set(buurt_ids)), Wijk.gemeente_id == gemeente_id)))
    if len(wijken) != len(set(wijk_ids)) or len(buurten) != len(set(buurt_ids)):
        raise RuleBroken("wijken", _l("Kies alleen wijken en buurten van deze gemeente."))
    if not wijken and not buurten:
        raise RuleBroken("wijken", _l("Kies minstens één wijk of buurt."))
    if gebied is None:
        gebied = Gebied(gemeente_id=gemeente_id)
        db.session.add(gebied)
    gebied.naam, gebied.wijken, gebied.buurten = naam, wijken, buurten
    db.session.flush()
    return gebied


def remove(gebied: Gebied) -> None:
    """The wijken stay; only the grouping goes."""
    db.session.delete(gebied)
    db.session.flush()


def set_woonwijken(gemeente_id: int, geen_woonwijk: Iterable[int]) -> int:
    """Mark the wijken of the gemeente in ``geen_woonwijk`` as places nobody lives, and the rest as
    woonwijken. Returns how many changed."""
    elders = set(geen_woonwijk)
    changed = 0
    for wijk in db.session.scalars(select(Wijk).where(Wijk.gemeente_id == gemeente_id)):
        woonwijk = wijk.id not in elders
        if wijk.woonwijk != woonwijk:
            wijk.woonwijk = woonwijk
            changed += 1
    db.session.flush()
    areas.forget_wijken()
    return changed
