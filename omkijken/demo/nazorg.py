"""The check-ins of the demo history, moved on the way the live code would have moved them.

``nazorg.plan`` made the rows; here each ronde that is due goes through the same steps as the
sweep and ``nazorg.answer`` take (sent, a reminder after three days, the coordinator after six,
an answer that ends the koppeling, settles the ronde or asks for attention), in the order they
would have happened, and only as far as ``now``. Nothing is mailed and nothing is committed here.

As in the live code (issue 23) the hulpvrager's voice decides: when she stays silent the
coordinator calls her, whatever the volunteer said; and at the last planned ronde she says
whether they carry on (a new ronde half a year later) or are done (afgerond).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from omkijken.platform.accounts.models import User
from omkijken.platform.clock import as_utc
from omkijken.platform.koppelingen import lifecycle, nazorg
from omkijken.platform.koppelingen.models import Checkin, Koppeling

KANTEN = ("hulpvrager", "vrijwilliger")
REMIND = timedelta(days=3)
ESCALATE = timedelta(days=6)

GOED = ("Het gaat goed, we zien elkaar elke week.", "Fijn dat er iemand komt.", "Ik ben heel blij met de hulp.",
        "De tuin ziet er weer netjes uit.", "We drinken samen koffie en praten veel.", "Alles is op tijd geregeld.")
BETER = ("We zien elkaar niet zo vaak als ik wil.", "Het is lastig om een tijd af te spreken.",
         "Ik wil graag wat meer uitleg.", "De vrijwilliger kwam een keer niet.")
GESTOPT = {
    "doel_bereikt": "Alles is geregeld. Dank je wel!",
    "klikte_niet": "Het klikte niet zo tussen ons.",
    "geen_tijd": "Ik heb door mijn werk geen tijd meer.",
    "verhuisd": "Ik ben verhuisd naar een andere plaats.",
    "overleden": "Meneer is helaas overleden.",
    "opname_zorg": "Mijn moeder woont nu in een verpleeghuis.",
    "doorverwezen": "Het wijkteam helpt nu, dat is beter zo.",
    "anders": "Het liep anders dan we dachten.",
}
#: Of the pairs who reach their last planned ronde well, this share carries on.
DOORGAAN_KANS = 0.4
GEBELD = ("Gebeld: het gaat goed.", "Gebeld en even bijgepraat.", "Telefonisch gesproken, alles loopt.")
NOTITIES = ("Gebeld en besproken.", "Nieuwe afspraak gemaakt.", "Met beiden gesproken, het loopt weer.")


@dataclass(frozen=True)
class Fate:
    """How one koppeling goes: ``door`` (carries on), ``klaar`` (stops early, goal reached),
    ``stopt`` (stops early for ``reden``), ``stil`` (nobody answers from the horizon on),
    ``later_gestopt`` (a maatje that stops after its horizon)."""

    kind: str
    reden: str | None = None


@dataclass(frozen=True)
class _Answer:
    at: datetime
    antwoord: str
    cijfer: int | None
    stop_reden: str | None = None
    by_coordinator: bool = False


def simulate(rng: random.Random, koppeling: Koppeling, checkins: list[Checkin], fate: Fate, *,
             coordinator: User, now: datetime) -> int:
    """Fill the history of the check-ins that were due before ``now``; returns how many rows there are.
    A pair who carries on gets a new ronde (``nazorg.carry_on``), which is played too when it is due."""
    rondes = sorted({c.ronde for c in checkins})
    horizon = nazorg.horizon_of(koppeling)
    dagen = {r: next(c.dagen for c in checkins if c.ronde == r) for r in rondes}
    decisive = _decisive(rng, fate, rondes, dagen, horizon)
    calls_back = rng.random() < 0.6  # a silent koppeling: the coordinator records "geen contact"
    ronde = 1
    while rows := [c for c in checkins if c.ronde == ronde]:
        due = as_utc(rows[0].due_at)
        if koppeling.status != "actief" or due > now:
            break
        last = ronde == max(c.ronde for c in checkins)
        if decisive is not None and ronde >= decisive and fate.kind == "stil":
            answers = _silent(rng, due) if calls_back else {}
        elif ronde == decisive:
            answers = _stop(rng, due, fate.reden or "anders")
        else:
            answers = _usual(rng, due)
        _run(rng, koppeling, checkins, rows, answers, last=last, coordinator=coordinator, now=now)
        ronde += 1
    return len(checkins)


def _decisive(rng: random.Random, fate: Fate, rondes: list[int], dagen: dict[int, int], horizon: int) -> int | None:
    before = [r for r in rondes if dagen[r] < horizon] or rondes[:1]
    after = [r for r in rondes if dagen[r] >= horizon]
    if fate.kind == "stopt":
        return rng.choice(before)
    if fate.kind == "klaar":
        return before[0] if len(rondes) == 1 else rng.choice(before[:2])
    if fate.kind == "stil":
        return after[0] if after else None
    if fate.kind == "later_gestopt":
        later = [r for r in rondes if dagen[r] > horizon]
        return later[0] if later else None
    return None


def _days(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def _cijfer(rng: random.Random, antwoord: str, reden: str | None = None) -> int | None:
    if rng.random() < 0.12:
        return None
    if antwoord == "goed" or reden == "doel_bereikt":
        return rng.choices((6, 7, 8, 9, 10), (1, 12, 38, 33, 16))[0]
    if antwoord == "beter" or reden in ("geen_tijd", "verhuisd", "overleden", "opname_zorg", "doorverwezen"):
        return rng.choices((4, 5, 6, 7), (10, 25, 40, 25))[0]
    return rng.choices((3, 4, 5, 6), (15, 30, 35, 20))[0]


def _usual(rng: random.Random, due: datetime) -> dict[str, _Answer]:
    """Most people answer within three days, some after the reminder, some not at all; when the
    hulpvrager does not, the coordinator calls her and records how it goes, whatever the volunteer said."""
    answers = {}
    for kant, chance in (("hulpvrager", 0.65), ("vrijwilliger", 0.7)):
        if rng.random() < chance:
            delay = _days(rng, 0.1, 2.9) if rng.random() < 0.75 else _days(rng, 3.1, 5.9)
            antwoord = "goed" if rng.random() < 0.9 else "beter"
            answers[kant] = _Answer(due + delay, antwoord, _cijfer(rng, antwoord))
    if "hulpvrager" not in answers:
        answers["hulpvrager"] = _Answer(due + ESCALATE + _days(rng, 0.2, 4), "goed", _cijfer(rng, "goed"),
                                        by_coordinator=True)
    return answers


def _stop(rng: random.Random, due: datetime, reden: str) -> dict[str, _Answer]:
    """One of them says they stopped; that the goal was reached the hulpvrager says (only hers counts)."""
    kant = "hulpvrager" if reden == "doel_bereikt" else rng.choice(KANTEN)
    by_coordinator = rng.random() < 0.2
    at = due + (ESCALATE + _days(rng, 0.2, 4) if by_coordinator else _days(rng, 0.1, 5.9))
    return {kant: _Answer(at, "gestopt", _cijfer(rng, "gestopt", reden), reden, by_coordinator)}


def _silent(rng: random.Random, due: datetime) -> dict[str, _Answer]:
    at = due + ESCALATE + _days(rng, 1, 5)
    return {kant: _Answer(at, "geen_contact", None, by_coordinator=True) for kant in KANTEN}


def _run(rng: random.Random, koppeling: Koppeling, checkins: list[Checkin], rows: list[Checkin],
         answers: dict[str, _Answer], *, last: bool, coordinator: User, now: datetime) -> None:
    """One ronde, event by event in time order, as far as ``now``."""
    due = as_utc(rows[0].due_at)
    events = []
    for checkin in rows:
        checkin.status, checkin.sent_at = "verstuurd", due
        for older in checkins:  # as the sweep does: a new ronde replaces an unanswered older one
            if older.kant == checkin.kant and older.ronde < checkin.ronde and older.status in lifecycle.CHECKIN_OPEN:
                older.status = "verlopen"
        events += [(due + REMIND, 0, "remind", checkin), (due + ESCALATE, 1, "escalate", checkin)]
        if checkin.kant in answers:
            events.append((answers[checkin.kant].at, 2, "answer", checkin))
    for at, _, step, checkin in sorted(events, key=lambda e: (e[0], e[1], e[3].kant)):
        if at > now:
            break
        other = next(c for c in rows if c is not checkin)
        if step == "remind" and checkin.status == "verstuurd":
            checkin.status, checkin.reminded_at = "herinnerd", at
        elif step == "escalate" and checkin.status == "herinnerd":
            if other.antwoord in nazorg.ANTWOORDEN and checkin.kant == "vrijwilliger":
                checkin.status = "verlopen"  # her answer spares the volunteer's; never the other way round
            else:
                checkin.status, checkin.escalated_at = "bij_coordinator", at
        elif step == "answer" and checkin.status in lifecycle.CHECKIN_OPEN:
            _answer(rng, koppeling, checkins, checkin, other, answers[checkin.kant], last=last,
                    coordinator=coordinator, now=now)


def _answer(rng: random.Random, koppeling: Koppeling, checkins: list[Checkin], checkin: Checkin, other: Checkin,
            given: _Answer, *, last: bool, coordinator: User, now: datetime) -> None:
    """What ``nazorg.answer`` stores, and what the coordinator later did with a worrying answer."""
    checkin.status, checkin.answered_at = "beantwoord", given.at
    checkin.antwoord, checkin.cijfer, checkin.stop_reden = given.antwoord, given.cijfer, given.stop_reden
    checkin.via = "coordinator" if given.by_coordinator else rng.choice(("link", "link", "app"))
    checkin.beantwoord_door_id = coordinator.id if given.by_coordinator else checkin.user_id
    checkin.opmerking = _opmerking(rng, given)
    asks = last and koppeling.soort != "eenmalig" and given.antwoord in ("goed", "beter")
    if asks:
        checkin.doorgaan = rng.random() < (DOORGAAN_KANS if checkin.kant == "hulpvrager" else 0.8)
    checkin.aandacht = (
        given.antwoord == "beter"
        or (given.cijfer is not None and given.cijfer <= nazorg.LAAG_CIJFER)
        or (given.antwoord == "gestopt" and given.stop_reden != "doel_bereikt")
        or (checkin.doorgaan is False and checkin.kant == "vrijwilliger")
    )
    if checkin.aandacht and given.at < now - timedelta(days=10) and rng.random() < 0.92:
        checkin.afgehandeld_at = given.at + _days(rng, 0.5, 4)
        checkin.afgehandeld_door_id, checkin.notitie = coordinator.id, rng.choice(NOTITIES)
    if given.antwoord == "gestopt":
        _end(koppeling, checkins, given.stop_reden or "anders", given.at)
    elif given.antwoord in ("goed", "beter"):
        if other.status == "bij_coordinator" and checkin.kant == "hulpvrager":
            other.status = "verlopen"
        if last and checkin.kant == "hulpvrager" and koppeling.status == "actief":
            if asks and checkin.doorgaan:
                checkins.extend(nazorg.carry_on(koppeling, after=checkin))
            else:
                _end(koppeling, checkins, "doel_bereikt", given.at, asked_ronde=checkin.ronde)


def _opmerking(rng: random.Random, given: _Answer) -> str:
    if given.antwoord == "geen_contact":
        return "Twee keer gebeld, niemand nam op."
    if given.antwoord == "gestopt":
        return GESTOPT[given.stop_reden or "anders"] if rng.random() < 0.7 else ""
    if given.by_coordinator:
        return rng.choice(GEBELD)
    if rng.random() < 0.3:
        return rng.choice(GOED if given.antwoord == "goed" else BETER)
    return ""


def _end(koppeling: Koppeling, checkins: list[Checkin], reden: str, at: datetime,
         asked_ronde: int | None = None) -> None:
    koppeling.status = "afgerond" if reden == "doel_bereikt" else "gestopt"
    koppeling.ended_at, koppeling.eind_reden = at, reden
    for checkin in checkins:
        if checkin.ronde == asked_ronde and checkin.status in lifecycle.CHECKIN_OPEN:
            continue  # as nazorg.end: the volunteer's question of the last ronde may still be answered
        if checkin.status in lifecycle.CHECKIN_NOG_NIET_BEANTWOORD:
            checkin.status = "vervallen"
