"""The wijkfoto beside the sociale agenda: the wijk's own figures from the platform, so the plan
rests on what residents ask and offer here, not only on what was said at a meeting; and the CBS
kerncijfers of the wijk (residents, ages, households, income) with their year and source.

No targets here: the wijkfoto describes the wijk, the KPI pages measure the work. A share that
needs a denominator ("x% of the residents takes part", 004:924-928) divides by the CBS's number of
residents, and is left out when that number is not known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from omkijken.matching.durability import DurabilitySummary, summarize
from omkijken.platform.areas import kerncijfers as cbs
from omkijken.platform.areas.models import Kerncijfers, Wijk
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import uitkomsten
from omkijken.platform.koppelingen.models import Koppeling
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag, Initiatief
from omkijken.platform.posts.vocabulary import CATEGORIEEN
from omkijken.platform.wijkagenda.models import Agendapunt, Reactie, Steun


@dataclass(frozen=True)
class Categorie:
    code: str
    label: str
    open_vragen: int
    vrijwilligers: int


@dataclass(frozen=True)
class Leeftijd:
    label: str
    aantal: int | None
    aandeel: float | None


@dataclass(frozen=True)
class Wijkfoto:
    categorieen: list[Categorie]
    activiteiten: int
    initiatieven: dict[str, int]
    duurzaam: DurabilitySummary | None
    cbs: Kerncijfers | None = None
    vrijwilligers: int = 0
    meedenkers: int = 0

    @property
    def initiatieven_totaal(self) -> int:
        return sum(self.initiatieven.values())

    def aandeel(self, count: int) -> float | None:
        """``count`` people as a share of the wijk's residents (CBS); None when that is unknown."""
        inwoners = self.cbs.inwoners if self.cbs is not None else None
        return count / inwoners if inwoners else None

    @property
    def leeftijden(self) -> list[Leeftijd]:
        if self.cbs is None:
            return []
        groups = [("0-14", self.cbs.leeftijd_0_15), ("15-24", self.cbs.leeftijd_15_25),
                  ("25-44", self.cbs.leeftijd_25_45), ("45-64", self.cbs.leeftijd_45_65),
                  ("65+", self.cbs.leeftijd_65_plus)]
        return [Leeftijd(label, n, self.aandeel(n) if n is not None else None) for label, n in groups]


def _vrijwilligers(wijk: Wijk) -> tuple[dict[str, int], int]:
    """Volunteers whose open aanbod is placed in the wijk or names it among their wijken: per
    category, and how many people in all."""
    counts: dict[str, set[int]] = {}
    people: set[int] = set()
    rows = db.session.execute(select(Aanbod.auteur_id, Aanbod.categorieen, Aanbod.wijk_id, Aanbod.wijk_ids).where(
        Aanbod.status == "open", Aanbod.verborgen.is_(False)))
    for auteur_id, categorieen, wijk_id, wijk_ids in rows:
        if wijk_id == wijk.id or wijk.id in (wijk_ids or []):
            people.add(auteur_id)
            for code in categorieen or []:
                counts.setdefault(code, set()).add(auteur_id)
    return {code: len(found) for code, found in counts.items()}, len(people)


def _meedenkers(wijk: Wijk) -> int:
    """People who think along about the wijk: they put a punt on its wijkagenda, supported one
    or reacted to one."""
    punten = select(Agendapunt.id).where(Agendapunt.wijk_id == wijk.id)
    people = set(db.session.scalars(select(Agendapunt.auteur_id).where(Agendapunt.wijk_id == wijk.id)))
    people |= set(db.session.scalars(select(Steun.user_id).where(Steun.punt_id.in_(punten))))
    people |= set(db.session.scalars(select(Reactie.auteur_id).where(Reactie.punt_id.in_(punten))))
    return len(people - {None})


def of(wijk: Wijk, *, now: datetime) -> Wijkfoto:
    vragen = dict(db.session.execute(
        select(Hulpvraag.categorie, func.count()).where(
            Hulpvraag.wijk_id == wijk.id, Hulpvraag.status == "open", Hulpvraag.verborgen.is_(False))
        .group_by(Hulpvraag.categorie)).all())
    helpers, vrijwilligers = _vrijwilligers(wijk)
    categorieen = [Categorie(code, str(label), vragen.get(code, 0), helpers.get(code, 0))
                   for code, label in CATEGORIEEN.items() if vragen.get(code) or helpers.get(code)]
    activiteiten = db.session.scalar(select(func.count()).select_from(Activiteit).where(
        Activiteit.wijk_id == wijk.id, Activiteit.verborgen.is_(False), Activiteit.status == "open",
        or_(Activiteit.start >= now, Activiteit.herhaling != ""))) or 0
    initiatieven = dict(db.session.execute(
        select(Initiatief.fase, func.count()).where(
            Initiatief.wijk_id == wijk.id, Initiatief.verborgen.is_(False), Initiatief.status != "gesloten")
        .group_by(Initiatief.fase)).all())
    koppelingen = list(db.session.scalars(
        select(Koppeling).join(Hulpvraag, Hulpvraag.id == Koppeling.hulpvraag_id).where(Hulpvraag.wijk_id == wijk.id)))
    summary = summarize(uitkomsten.outcomes_for(koppelingen, now=now).values(), now=now) if koppelingen else None
    if summary is not None and summary.rate is None:
        summary = None
    return Wijkfoto(categorieen, activiteiten, initiatieven, summary, cbs=cbs.of_wijk(wijk.id),
                    vrijwilligers=vrijwilligers, meedenkers=_meedenkers(wijk))
