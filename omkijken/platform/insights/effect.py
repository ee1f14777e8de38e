"""Effect on people per dienst: how much better (or worse) hulpvragers say they are doing than at
the start of their koppeling, and for maatjes how their loneliness score changed.

The numbers come from ``koppelingen.models.WelzijnMeting`` and are worked out by the pure
``matching.effect`` (change per person, mean with a 95% t-interval, the De Jong Gierveld score).
A koppeling belongs to the period in which it started, as on the rest of the dashboard, and one
koppeling is one person's change: someone helped twice counts twice, once per koppeling.

A group of fewer than :data:`MIN_MENSEN` people shows no figure at all: a mean of two people's
answers about their own wellbeing is close to telling what each of them said, and the dashboard is
read by people who may know them. Nothing else on the dashboard is about how someone feels, so the
dashboard had no such threshold yet: five is our choice, one constant to change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from omkijken.matching import effect
from omkijken.matching.effect import Change, Score
from omkijken.platform.areas.models import Gemeente, Wijk
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.insights.feiten import Periode
from omkijken.platform.koppelingen.models import Dienst, Koppeling, WelzijnMeting
from omkijken.platform.posts.models import Hulpvraag

#: Fewer people than this: no figure (see the module's docstring).
MIN_MENSEN = 5
ALLE = "alle"
GEEN = "geen"


@dataclass(frozen=True)
class EffectRij:
    """One dienst (or all of them): the change of "Hoe gaat het met je?" and of loneliness.

    ``welzijn`` and ``eenzaamheid`` are None when fewer than :data:`MIN_MENSEN` people answered at
    start and later; ``n_*`` then still says how many did (a count, not what they said)."""

    code: str
    label: str
    n_welzijn: int
    welzijn: Change | None
    n_eenzaamheid: int
    eenzaamheid: Change | None


def _shown(values: list[float]) -> Change | None:
    return effect.mean_change(values) if len(values) >= MIN_MENSEN else None


def _rij(code: str, label: str, welzijn: list[float], eenzaamheid: list[float]) -> EffectRij:
    return EffectRij(code, label, len(welzijn), _shown(welzijn), len(eenzaamheid), _shown(eenzaamheid))


def _scores(rows) -> tuple[dict[int, float], dict[int, float]]:
    """Per koppeling: the change of the grade, and of the loneliness total."""
    cijfers, eenzaam = [], []
    for meting in rows:
        if meting.cijfer is not None:
            cijfers.append(Score(meting.koppeling_id, meting.moment, meting.dagen, meting.cijfer))
        if meting.moment in (effect.START, effect.ZES_MAANDEN, effect.EIND):
            total = effect.loneliness(meting.eenzaam()).total
            if total is not None:
                eenzaam.append(Score(meting.koppeling_id, meting.moment, meting.dagen, total))
    return effect.changes(cijfers), effect.changes(eenzaam)


def per_dienst(periode: Periode) -> list[EffectRij]:
    """All diensten together first, then every dienst by name (also one without answers)."""
    query = (select(WelzijnMeting, Koppeling.dienst_id).join(Koppeling, WelzijnMeting.koppeling_id == Koppeling.id)
             .join(Hulpvraag, Koppeling.hulpvraag_id == Hulpvraag.id)
             .where(Koppeling.started_at >= periode.start, Koppeling.started_at < periode.end))
    if periode.gemeente:
        wijken = select(Wijk.id).join(Gemeente).where(Gemeente.code == periode.gemeente)
        query = query.where(Hulpvraag.wijk_id.in_(wijken))
    dienst_of: dict[int, int | None] = {}
    metingen = []
    for meting, dienst_id in db.session.execute(query):
        dienst_of[meting.koppeling_id] = dienst_id
        metingen.append(meting)
    welzijn, eenzaam = _scores(metingen)

    by_dienst: dict[int | None, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for koppeling_id, value in welzijn.items():
        by_dienst[dienst_of[koppeling_id]][0].append(value)
    for koppeling_id, value in eenzaam.items():
        by_dienst[dienst_of[koppeling_id]][1].append(value)

    diensten = {d.id: d for d in db.session.scalars(select(Dienst))}
    rows = [_rij(ALLE, str(_l("Alle diensten")), list(welzijn.values()), list(eenzaam.values()))]
    for dienst_id in sorted(set(diensten) | set(by_dienst),
                            key=lambda i: (i is None, diensten[i].label.lower() if i in diensten else "")):
        dienst = diensten.get(dienst_id)
        code, label = (dienst.code, dienst.label) if dienst else (GEEN, str(_l("Zonder dienst")))
        rows.append(_rij(code, label, *by_dienst.get(dienst_id, ([], []))))
    return rows
