"""Which dienst handles a vraag, and who may coordinate it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import has_role
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Dienst
from omkijken.platform.koppelingen.vocabulary import STANDAARD_DIENSTEN
from omkijken.platform.posts.models import Hulpvraag

DEFAULT_DIENST = "burenhulp"


def ensure_standard() -> list[Dienst]:
    """Create the diensten every gemeente starts with; existing ones are left as the beheerder set them."""
    known = {d.code: d for d in db.session.scalars(select(Dienst))}
    for code, naam, beschrijving, soort, bemiddeld, vog, categorieen in STANDAARD_DIENSTEN:
        if code not in known:
            known[code] = Dienst(code=code, naam=naam, beschrijving=beschrijving, soort_koppeling=soort,
                                 bemiddeld=bemiddeld, vog_nodig=vog, categorieen=list(categorieen))
            db.session.add(known[code])
    db.session.flush()
    return list(known.values())


def all_diensten() -> list[Dienst]:
    return list(db.session.scalars(select(Dienst).order_by(Dienst.naam)))


def by_code(code: str) -> Dienst | None:
    return db.session.scalar(select(Dienst).filter_by(code=code))


def dienst_for(vraag: Hulpvraag) -> Dienst | None:
    """The vraag's own dienst, else the one for its category, else Burenhulp."""
    if vraag.dienst_id is not None:
        return db.session.get(Dienst, vraag.dienst_id)
    diensten = all_diensten()
    for dienst in diensten:
        if vraag.categorie in (dienst.categorieen or []):
            return dienst
    return next((d for d in diensten if d.code == DEFAULT_DIENST), None)


def coordinates(user: User | Any, dienst_id: int | None) -> bool:
    """A coordinator of this dienst, a coordinator without a dienst of their own (the makelaar,
    who sees all), or the beheerder."""
    if has_role(user, "beheerder"):
        return True
    if not has_role(user, "coordinator"):
        return False
    own = coordinated_dienst_ids(user)
    return not own or dienst_id in own


def coordinated_dienst_ids(user: User) -> set[int]:
    return set(db.session.scalars(
        select(Dienst.id).where(Dienst.coordinatoren.any(User.id == user.id))
    ))
