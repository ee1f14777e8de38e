"""How the hulpvrager is doing: "Hoe gaat het met je?" and, for maatjes, the loneliness scale.

The effect the seeds ask about is about people (DOMAIN.md, Effect), so the hulpvrager is asked about
herself: a grade 0-10 at the start of the koppeling and with each check-in, and a maatje's hulpvrager
also the six De Jong Gierveld statements at start, after six months and at the end
(``matching.effect`` scores them and computes the change).

*When is "start"?* On the first page she sees after both said yes: the koppeling's own page (the
redirect after her yes, and the link in the "Jullie zijn gekoppeld" mail both land there), which
offers the short start page. A start answer is taken until her first check-in is answered: after
that, what she says is no longer how things were before the help began, and an answer from the
first check-in counted as "start" would hide exactly the change we want to see.

Only she answers, not whoever posted the vraag for her nor the coordinator who calls: a guess
about how someone else feels is not her answer. The volunteer is never asked about her. Nobody
reads a row on its own; the dashboards show figures of groups only (``insights.effect``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import select

from omkijken.matching import effect
from omkijken.platform.clock import as_utc
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen import lifecycle
from omkijken.platform.koppelingen.models import Checkin, Koppeling, WelzijnMeting

#: The loneliness scale after six months (DOMAIN.md: a maatje runs about a year).
ZES_MAANDEN_DAGEN = 182
#: How long after a maatje koppeling ended she may still fill in the scale for its end.
EIND_TERMIJN = timedelta(days=60)

ANTWOORDEN = {"ja": _l("Ja"), "min_of_meer": _l("Min of meer"), "nee": _l("Nee")}
#: The statements in the original Dutch of the scale; English in the translations.
STELLINGEN = {
    1: _l("Ik ervaar een leegte om me heen."),
    2: _l("Ik mis mensen om me heen."),
    3: _l("Vaak voel ik me in de steek gelaten."),
    4: _l("Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen."),
    5: _l("Ik ken veel mensen op wie ik volledig kan vertrouwen."),
    6: _l("Er zijn voldoende mensen met wie ik me nauw verbonden voel."),
}


class WelzijnError(RuleBroken):
    """An answer about how someone is doing cannot be stored like this."""


def is_self(koppeling: Koppeling, user: Any) -> bool:
    """Whether ``user`` is the hulpvrager of this koppeling herself."""
    return bool(getattr(user, "is_authenticated", False)) and user.id == koppeling.hulpvrager_id


def _rows(koppeling: Koppeling) -> dict[tuple[str, int], WelzijnMeting]:
    return {(m.moment, m.ronde): m for m in db.session.scalars(
        select(WelzijnMeting).where(WelzijnMeting.koppeling_id == koppeling.id))}


def _first_checkin_answered(koppeling: Koppeling) -> bool:
    return db.session.scalar(select(Checkin.id).where(
        Checkin.koppeling_id == koppeling.id, Checkin.kant == "hulpvrager", Checkin.answered_at.is_not(None),
    ).limit(1)) is not None


def moment_due(koppeling: Koppeling, user: Any, *, now: datetime) -> str | None:
    """The moment she can answer now ("start", "6m" or "eind"), or None. Only for herself."""
    if not is_self(koppeling, user):
        return None
    rows = _rows(koppeling)
    loopt = lifecycle.koppeling_loopt(koppeling.status)
    if loopt and ("start", 0) not in rows and not _first_checkin_answered(koppeling):
        return effect.START
    if koppeling.soort != "maatje":
        return None
    if not loopt:
        ended = as_utc(koppeling.ended_at) if koppeling.ended_at else None
        if ended and now - ended <= EIND_TERMIJN and (effect.EIND, 0) not in rows:
            return effect.EIND
        return None
    if now - as_utc(koppeling.started_at) >= timedelta(days=ZES_MAANDEN_DAGEN) and (effect.ZES_MAANDEN, 0) not in rows:
        return effect.ZES_MAANDEN
    return None


def asks_scale(koppeling: Koppeling) -> bool:
    return koppeling.soort == "maatje"


def asks_cijfer(moment: str) -> bool:
    """The grade is asked at the start; later it comes with the check-in."""
    return moment == effect.START


def _check_cijfer(cijfer: int | None) -> None:
    if cijfer is not None and not effect.CIJFER_MIN <= cijfer <= effect.CIJFER_MAX:
        raise WelzijnError("cijfer", _l("Kies een cijfer van 0 tot en met 10."))


def _dagen(koppeling: Koppeling, now: datetime) -> int:
    return max((now - as_utc(koppeling.started_at)).days, 0)


def record(koppeling: Koppeling, *, by: Any, cijfer: int | None, stellingen: Mapping[int, str | None],
           now: datetime) -> WelzijnMeting | None:
    """Store her answers for the moment that is due. Everything may stay empty: then nothing is stored."""
    moment = moment_due(koppeling, by, now=now)
    if moment is None:
        raise WelzijnError("", _l("Er is nu niets om in te vullen. Dank je!"))
    _check_cijfer(cijfer)
    if not asks_cijfer(moment):
        cijfer = None
    answers = {i: stellingen.get(i) or None for i in effect.ITEMS} if asks_scale(koppeling) else {}
    for item, answer in answers.items():
        if answer is not None and answer not in effect.ANTWOORDEN:
            raise WelzijnError(f"stelling_{item}", _l("Kies ja, min of meer of nee."))
    if cijfer is None and not any(answers.values()):
        return None
    meting = WelzijnMeting(koppeling_id=koppeling.id, user_id=by.id, moment=moment, ronde=0,
                           dagen=_dagen(koppeling, now), cijfer=cijfer, created_at=now,
                           **{f"eenzaam_{i}": a for i, a in answers.items()})
    db.session.add(meting)
    db.session.flush()
    return meting


def record_checkin(checkin: Checkin, *, by: Any, cijfer: int | None, now: datetime) -> WelzijnMeting | None:
    """Her grade given with a check-in. Someone answering for her is not asked, and the volunteer never."""
    koppeling = checkin.koppeling
    if cijfer is None or checkin.kant != "hulpvrager" or not is_self(koppeling, by):
        return None
    _check_cijfer(cijfer)
    existing = db.session.scalar(select(WelzijnMeting).where(
        WelzijnMeting.koppeling_id == koppeling.id, WelzijnMeting.moment == "ronde",
        WelzijnMeting.ronde == checkin.ronde))
    if existing is not None:
        return existing
    meting = WelzijnMeting(koppeling_id=koppeling.id, user_id=by.id, checkin_id=checkin.id, moment="ronde",
                           ronde=checkin.ronde, dagen=checkin.dagen, cijfer=cijfer, created_at=now)
    db.session.add(meting)
    db.session.flush()
    return meting


def asks_in_checkin(checkin: Checkin, user: Any) -> bool:
    """Whether the check-in page shows "En hoe gaat het met jou?": only to the hulpvrager herself."""
    return checkin.kant == "hulpvrager" and is_self(checkin.koppeling, user)
