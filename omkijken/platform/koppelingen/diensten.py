"""Which dienst handles a vraag, and who may coordinate it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.accounts.permissions import may
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen.models import Dienst
from omkijken.platform.koppelingen.vocabulary import SOORTEN, STANDAARD_DIENSTEN, STANDAARD_DOELEN
from omkijken.platform.posts.models import Hulpvraag
from omkijken.platform.posts.vocabulary import CATEGORIEEN

DEFAULT_DIENST = "burenhulp"


def ensure_standard() -> list[Dienst]:
    """Create the diensten every gemeente starts with; existing ones are left as the beheerder set them."""
    known = {d.code: d for d in db.session.scalars(select(Dienst))}
    for code, naam, beschrijving, soort, bemiddeld, vog, categorieen in STANDAARD_DIENSTEN:
        if code not in known:
            known[code] = Dienst(code=code, naam=naam, beschrijving=beschrijving, soort_koppeling=soort,
                                 bemiddeld=bemiddeld, vog_nodig=vog, categorieen=list(categorieen),
                                 duurzaam_doel=STANDAARD_DOELEN.get(code))
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


def dienst_id_for(vraag: Hulpvraag) -> int | None:
    dienst = dienst_for(vraag)
    return dienst.id if dienst else None


#: Kinds of koppeling that are a series: a vraag over a period keeps its dienst's kind if it is one.
REEKSEN = ("periodiek", "maatje")


def soort_voor(vraag: Hulpvraag, dienst: Dienst | None) -> str:
    """The kind of koppeling a vraag makes: what the vraag says about how often first, its
    dienst's usual kind after. A vraag for one day (a date, no end date) is one task; a vraag up to
    an end date is a series, which a dienst for one-off tasks (Burenhulp) would have called
    "eenmalig" and asked about once, a week after the start. Without either, the dienst decides."""
    usual = dienst.soort_koppeling if dienst else "eenmalig"
    if vraag.periode_tot is not None and (vraag.datum is None or vraag.periode_tot > vraag.datum):
        return usual if usual in REEKSEN else "periodiek"
    if vraag.datum is not None:
        return "eenmalig"
    return usual


def coordinates(user: User | Any, dienst_id: int | None) -> bool:
    """A coordinator of this dienst, a coordinator without a dienst of their own (the makelaar,
    who sees all), or the beheerder."""
    if may(user, "beheren"):
        return True
    if not may(user, "coordineren"):
        return False
    own = coordinated_dienst_ids(user)
    return not own or dienst_id in own


def coordinated_dienst_ids(user: User) -> set[int]:
    return set(db.session.scalars(
        select(Dienst.id).where(Dienst.coordinatoren.any(User.id == user.id))
    ))


# --- what the beheerder changes ---------------------------------------------------------------

CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
CODE_MAX = 40
NAAM_MAX = 80
BESCHRIJVING_MAX = 2000


@dataclass(frozen=True)
class DienstValues:
    """What the beheerder may set on a dienst (the code is set once, by ``create``)."""

    naam: str
    beschrijving: str = ""
    soort_koppeling: str = "eenmalig"
    bemiddeld: bool = False
    vog_nodig: bool = False
    categorieen: tuple[str, ...] = field(default_factory=tuple)
    # The check-in days as typed ("14, 42, 91"); empty: the usual days of the kind.
    nazorg_dagen: str = ""
    # The durability target in percent as typed ("85"); empty: no target.
    duurzaam_doel: str = ""
    # The horizons in days as typed; empty: the usual 91 and 182 days.
    horizon_periodiek: str = ""
    horizon_maatje: str = ""


def coordinator_candidates() -> list[User]:
    """Everyone who holds the role coordinator, by name: the people a dienst can be given to."""
    return list(db.session.scalars(
        select(User).where(User.roles.any(RoleGrant.role == "coordinator")).order_by(User.naam, User.id)
    ))


def create(*, code: str, by: User, values: DienstValues, coordinator_ids: Iterable[int]) -> Dienst:
    """A new dienst. The code is how the platform knows it, so it is checked once and never changed."""
    _check_beheerder(by)
    code = (code or "").strip()
    if not code:
        raise RuleBroken("code", _l("Vul een code in."))
    if len(code) > CODE_MAX or not CODE.fullmatch(code):
        raise RuleBroken("code", _l(
            "Gebruik alleen kleine letters, cijfers en streepjes (-), zonder spaties. Hooguit %(max)s tekens.",
            max=CODE_MAX))
    if by_code(code) is not None:
        raise RuleBroken("code", _l("Er is al een dienst met de code %(code)s. Kies een andere code.", code=code))
    clean, coordinatoren = _checked(None, values, coordinator_ids)
    dienst = Dienst(code=code, **clean)
    dienst.coordinatoren = coordinatoren
    db.session.add(dienst)
    try:
        db.session.flush()
    except IntegrityError as error:  # someone else made the same code just now
        db.session.rollback()
        raise RuleBroken(
            "code", _l("Er is al een dienst met de code %(code)s. Kies een andere code.", code=code)
        ) from error
    return dienst


def save(dienst: Dienst, *, by: User, values: DienstValues, coordinator_ids: Iterable[int]) -> Dienst:
    """Change what a dienst does and who coordinates it. Nothing changes when a rule is broken."""
    _check_beheerder(by)
    clean, coordinatoren = _checked(dienst, values, coordinator_ids)
    for name, value in clean.items():
        setattr(dienst, name, value)
    dienst.coordinatoren = coordinatoren
    db.session.flush()
    return dienst


MAX_NAZORG_DAG = 730


def parse_days(typed: str) -> list[int] | None:
    """'14, 42, 91' -> [14, 42, 91]; empty -> None (the usual days of the kind)."""
    parts = [p for p in re.split(r"[\s,;]+", typed or "") if p]
    if not parts:
        return None
    if not all(p.isdigit() and 1 <= int(p) <= MAX_NAZORG_DAG for p in parts):
        raise RuleBroken("nazorg_dagen", _l(
            "Schrijf dagen als hele getallen van 1 tot en met %(max)s, met komma's ertussen. "
            "Bijvoorbeeld: 14, 42, 91.", max=MAX_NAZORG_DAG))
    return sorted({int(p) for p in parts})


def days_text(days: list[int] | None) -> str:
    return ", ".join(str(d) for d in days or ())


#: The horizon of a kind when the beheerder leaves it empty (DOMAIN.md): a series is judged after a
#: quarter, a maatje (about a year) after half a year.
STANDAARD_HORIZON = {"periodiek": 91, "maatje": 182}
MIN_HORIZON, MAX_HORIZON = 14, 730


def parse_target(typed: str) -> float | None:
    """'85' or '85%' -> 0.85; empty -> None (no target)."""
    text = (typed or "").strip().rstrip("%").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise RuleBroken("duurzaam_doel", _l(
            "Schrijf het doel als een heel getal van 1 tot en met 100, bijvoorbeeld 85. Geen doel? Laat het leeg."))
    return int(text) / 100


def target_text(target: float | None) -> str:
    return "" if target is None else str(round(target * 100))


def parse_horizon(typed: str, soort: str) -> int:
    """'182' -> 182; empty -> the usual horizon of the kind."""
    text = (typed or "").strip()
    if not text:
        return STANDAARD_HORIZON[soort]
    if not text.isdigit() or not MIN_HORIZON <= int(text) <= MAX_HORIZON:
        raise RuleBroken(f"horizon_{soort}", _l(
            "Schrijf een heel aantal dagen van %(min)s tot en met %(max)s. Bijvoorbeeld: %(voorbeeld)s.",
            min=MIN_HORIZON, max=MAX_HORIZON, voorbeeld=STANDAARD_HORIZON[soort]))
    return int(text)


def _check_beheerder(by: User) -> None:
    if not may(by, "beheren"):
        raise RuleBroken("", _l("Alleen een beheerder kan diensten aanpassen."))


def _checked(
    dienst: Dienst | None, values: DienstValues, coordinator_ids: Iterable[int]
) -> tuple[dict[str, Any], list[User]]:
    """The values to store and the coordinators, or RuleBroken for the first field that is wrong."""
    naam = (values.naam or "").strip()
    if not naam:
        raise RuleBroken("naam", _l("Vul een naam in."))
    if len(naam) > NAAM_MAX:
        raise RuleBroken("naam", _l("Maak de naam korter: hooguit %(max)s tekens.", max=NAAM_MAX))
    beschrijving = (values.beschrijving or "").strip()
    if len(beschrijving) > BESCHRIJVING_MAX:
        raise RuleBroken("beschrijving", _l("Maak het korter: hooguit %(max)s tekens.", max=BESCHRIJVING_MAX))
    if values.soort_koppeling not in SOORTEN:
        raise RuleBroken("soort_koppeling", _l("Kies wat voor koppeling deze dienst meestal maakt."))

    nazorg_dagen = parse_days(values.nazorg_dagen)
    duurzaam_doel = parse_target(values.duurzaam_doel)
    horizon_periodiek = parse_horizon(values.horizon_periodiek, "periodiek")
    horizon_maatje = parse_horizon(values.horizon_maatje, "maatje")

    chosen = set(values.categorieen or ())
    if chosen - set(CATEGORIEEN):
        raise RuleBroken("categorieen", _l("Kies alleen onderwerpen uit de lijst."))
    owner = {
        categorie: other
        for other in all_diensten()
        if dienst is None or other.id != dienst.id
        for categorie in (other.categorieen or [])
    }
    taken = [code for code in CATEGORIEEN if code in chosen and code in owner]
    if taken:
        raise RuleBroken("categorieen", " ".join(
            str(_l("Het onderwerp %(categorie)s hoort al bij de dienst %(dienst)s. "
                   "Een onderwerp kan maar bij één dienst horen. Haal het daar eerst weg.",
                   categorie=CATEGORIEEN[code], dienst=owner[code].label))
            for code in taken
        ))

    wanted = {int(i) for i in coordinator_ids}
    candidates = {user.id: user for user in coordinator_candidates()}
    if wanted - set(candidates):
        raise RuleBroken("coordinatoren", _l("Kies alleen mensen die de rol coördinator hebben."))

    clean = {
        "naam": naam,
        "beschrijving": beschrijving,
        "soort_koppeling": values.soort_koppeling,
        "bemiddeld": bool(values.bemiddeld),
        "vog_nodig": bool(values.vog_nodig),
        "nazorg_dagen": nazorg_dagen,
        "duurzaam_doel": duurzaam_doel,
        "horizon_periodiek": horizon_periodiek,
        "horizon_maatje": horizon_maatje,
        # In the order of the list, so the same choice is always stored the same way.
        "categorieen": [code for code in CATEGORIEEN if code in chosen],
    }
    return clean, [candidates[i] for i in sorted(wanted, key=lambda i: (candidates[i].naam, i))]
