"""From check-in rows to the outcomes ``matching.durability`` counts: whether a koppeling lasted, as
the hulpvrager said it (issue 23). Read by the dashboards, the wijkfoto and the demo's checks; the
check-ins themselves are planned, sent and answered in ``nazorg``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from omkijken.matching.durability import Outcome
from omkijken.platform.clock import as_utc
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import lifecycle
from omkijken.platform.koppelingen.models import Checkin, Koppeling
from omkijken.platform.koppelingen.nazorg import ANTWOORDEN, LAAG_CIJFER, horizon_of

#: An escalated round that no coordinator recorded for this long counts as unconfirmed.
ONBEVESTIGD_NA = timedelta(days=14)


def outcome_of(koppeling: Koppeling, checkins: list, *, now: datetime) -> Outcome:
    """What ``matching.durability`` needs to know of one koppeling, from its check-ins (rows
    or objects with ``kant``, ``ronde``, ``dagen``, ``status``, ``antwoord``, ``stop_reden``, ``cijfer``,
    ``answered_at``, ``escalated_at`` and ``afgehandeld_at``).

    Only the hulpvrager's answers (hers, or what the coordinator recorded after calling her)
    confirm: a volunteer's answer alone does not settle it (DOMAIN.md). "Het kan beter" with a low
    cijfer is no confirmation until a coordinator followed it up (``afgehandeld_at``): "it goes, but
    badly" is for a person to hear, not for a rate to count. Unconfirmed means: she
    did not answer a ronde on or after the horizon, and the coordinator did not reach her
    (``geen_contact``) or left it for two weeks. A later answer still counts: ``durability``
    looks at confirmations first.
    """
    hers = [c for c in checkins if c.kant == "hulpvrager"]
    confirmed = [as_utc(c.answered_at) for c in hers if c.answered_at and _confirms(c)]
    horizon = horizon_of(koppeling)

    def silent(checkin) -> bool:
        if checkin.antwoord in ANTWOORDEN:
            return False
        return checkin.antwoord == "geen_contact" or (
            checkin.escalated_at is not None and as_utc(checkin.escalated_at) <= now - ONBEVESTIGD_NA)

    unconfirmed = any(silent(c) for c in hers if c.dagen >= horizon)
    ended_at = as_utc(koppeling.ended_at) if koppeling.ended_at else None
    end_reason = koppeling.eind_reden
    if end_reason == lifecycle.DOEL_BEREIKT:
        ended_at, end_reason = _goal_as_she_saw_it(checkins, hers, ended_at, silent)
    return Outcome(
        koppeling_id=koppeling.id, kind=koppeling.soort, started_at=as_utc(koppeling.started_at),
        ended_at=ended_at, end_reason=end_reason,
        last_confirmed_at=max(confirmed) if confirmed else None, unconfirmed=unconfirmed, horizon_days=horizon,
    )


def _goal_as_she_saw_it(checkins: list, hers: list, ended_at: datetime | None, silent) -> tuple[datetime | None, str | None]:
    """(ended_at, end_reason) of a koppeling ended with ``doel_bereikt``. When the volunteer said so,
    it counts once the hulpvrager confirms in that ronde or later; while her question is open it is
    still running (pending); her own stop reason wins; silence leaves an end without a reason (not
    successful, DOMAIN.md)."""
    volunteers = [c for c in checkins if c.kant == "vrijwilliger" and c.antwoord == "gestopt"
                  and c.stop_reden == lifecycle.DOEL_BEREIKT]
    if not volunteers or any(c.antwoord == "gestopt" and c.stop_reden == lifecycle.DOEL_BEREIKT for c in hers):
        return ended_at, lifecycle.DOEL_BEREIKT
    ronde = min(c.ronde for c in volunteers)
    later = [c for c in hers if c.ronde >= ronde]
    if any(_confirms(c) for c in later):
        return ended_at, lifecycle.DOEL_BEREIKT
    own = next((c.stop_reden for c in later if c.antwoord == "gestopt" and c.stop_reden), None)
    if own:
        return ended_at, own
    if any(c.status in lifecycle.CHECKIN_OPEN and not silent(c) for c in later):
        return None, None
    return ended_at, None


def _confirms(checkin) -> bool:
    """The hulpvrager says it still goes: "goed", or "het kan beter" that is not a cry for help."""
    if checkin.antwoord == "goed":
        return True
    low = checkin.cijfer is not None and checkin.cijfer <= LAAG_CIJFER
    return checkin.antwoord == "beter" and (not low or checkin.afgehandeld_at is not None)


def outcomes_for(koppelingen: list[Koppeling], *, now: datetime) -> dict[int, Outcome]:
    """Outcomes of many koppelingen, reading only the columns that decide them (a dashboard over
    thousands of koppelingen need not build a full object per check-in)."""
    by_koppeling: dict[int, list] = {k.id: [] for k in koppelingen}
    ids = list(by_koppeling)
    columns = (Checkin.koppeling_id, Checkin.kant, Checkin.ronde, Checkin.dagen, Checkin.status, Checkin.antwoord,
               Checkin.stop_reden, Checkin.cijfer, Checkin.answered_at, Checkin.escalated_at, Checkin.afgehandeld_at)
    for start in range(0, len(ids), 500):
        for row in db.session.execute(select(*columns).where(Checkin.koppeling_id.in_(ids[start:start + 500]))):
            by_koppeling[row.koppeling_id].append(row)
    return {k.id: outcome_of(k, by_koppeling[k.id], now=now) for k in koppelingen}
