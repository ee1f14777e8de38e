"""The wijkfoto beside the sociale agenda: the wijk's own figures from the platform, so the plan
rests on what residents ask and offer here, not only on what was said at a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from omkijken.matching.durability import DurabilitySummary, summarize
from omkijken.platform.areas.models import Wijk
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import nazorg
from omkijken.platform.koppelingen.models import Koppeling
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag, Initiatief
from omkijken.platform.posts.vocabulary import CATEGORIEEN


@dataclass(frozen=True)
class Categorie:
    code: str
    label: str
    open_vragen: int
    vrijwilligers: int


@dataclass(frozen=True)
class Wijkfoto:
    categorieen: list[Categorie]
    activiteiten: int
    initiatieven: dict[str, int]
    duurzaam: DurabilitySummary | None

    @property
    def initiatieven_totaal(self) -> int:
        return sum(self.initiatieven.values())


def _vrijwilligers_per_categorie(wijk: Wijk) -> dict[str, int]:
    """Volunteers whose open aanbod is placed in the wijk or names it among their wijken."""
    counts: dict[str, set[int]] = {}
    rows = db.session.execute(select(Aanbod.auteur_id, Aanbod.categorieen, Aanbod.wijk_id, Aanbod.wijk_ids).where(
        Aanbod.status == "open", Aanbod.verborgen.is_(False)))
    for auteur_id, categorieen, wijk_id, wijk_ids in rows:
        if wijk_id == wijk.id or wijk.id in (wijk_ids or []):
            for code in categorieen or []:
                counts.setdefault(code, set()).add(auteur_id)
    return {code: len(people) for code, people in counts.items()}


def of(wijk: Wijk, *, now: datetime) -> Wijkfoto:
    vragen = dict(db.session.execute(
        select(Hulpvraag.categorie, func.count()).where(
            Hulpvraag.wijk_id == wijk.id, Hulpvraag.status == "open", Hulpvraag.verborgen.is_(False))
        .group_by(Hulpvraag.categorie)).all())
    helpers = _vrijwilligers_per_categorie(wijk)
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
    summary = summarize(nazorg.outcomes_for(koppelingen, now=now).values(), now=now) if koppelingen else None
    if summary is not None and summary.rate is None:
        summary = None
    return Wijkfoto(categorieen, activiteiten, initiatieven, summary)
