"""Nazorg: "Hoe gaat het?" for both people of a koppeling, on the dienst's schedule.

The schedule is planned as rows when the koppeling starts (:func:`plan`). Beat sweeps them
(:func:`sweep`): a check-in that is due is sent; three days without an answer bring a reminder;
three more days and the round goes to the dienst's coordinator, who calls and records the answer.
Each step is a timestamp that one conditional UPDATE sets, so two sweeps at once (or one that
runs twice) send nothing twice.

Answers move the koppeling: "we zijn gestopt" ends it, "het kan beter", a low cijfer or a stop
without the goal reached put it on the coordinator's list. The figures are made from these rows
(``uitkomsten``) by ``matching.durability``.

Both people are asked, and both answers are kept, but the hulpvrager's voice decides (DOMAIN.md,
issue 23): a ronde is settled by her answer, or by the coordinator who called her. The volunteer's
answer alone settles nothing: her check-in stays open and is chased with the usual reminder and the
coordinator's call. Her answer spares the volunteer's check-in of that ronde a call.

Nothing ends by itself. At the last planned ronde both are asked "Gaan jullie door?": when she says
yes, a new ronde is planned six months on (and that one is the last, so the question comes again);
when she says no, the koppeling ends as afgerond.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from omkijken.matching.durability import EENMALIG_HORIZON_DAYS
from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.clock import as_utc
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen import lifecycle, notify
from omkijken.platform.koppelingen.diensten import coordinated_dienst_ids, coordinates
from omkijken.platform.koppelingen.models import Checkin, Dienst, Koppeling
from omkijken.platform.system import services as system

#: The check-in days of each kind when the dienst sets none (DOMAIN.md). A periodiek koppeling
#: also gets one on its planned last day.
DEFAULT_DAGEN = {"eenmalig": (7,), "periodiek": (14, 42), "maatje": (14, 42, 91, 182, 365)}
#: The horizon of a kind when the koppeling has no dienst (a dienst sets its own, DOMAIN.md).
HORIZON_DAGEN = {"periodiek": 91, "maatje": 182}
#: A pair who carry on after the last planned ronde is asked again this many days later.
DOORGAAN_DAGEN = 182
ANTWOORDEN = {
    "goed": _l("Goed"),
    "beter": _l("Het kan beter"),
    "gestopt": _l("We zijn gestopt"),
}
STOP_REDENEN = {
    "doel_bereikt": _l("Het doel is bereikt"),
    "klikte_niet": _l("Het klikte niet"),
    "geen_tijd": _l("Geen tijd meer"),
    "verhuisd": _l("Iemand is verhuisd"),
    "overleden": _l("Iemand is overleden"),
    "opname_zorg": _l("Iemand is opgenomen in een zorginstelling"),
    "doorverwezen": _l("Iemand krijgt nu hulp van een professional"),
    "anders": _l("Iets anders"),
}
DOORGAAN = {"ja": _l("Ja, we gaan door"), "nee": _l("Nee, we stoppen. Het is goed zo")}
#: A cijfer at or under this asks for the coordinator's attention.
LAAG_CIJFER = 5


class NazorgError(RuleBroken):
    """A check-in cannot be answered like this."""


def horizon_days(soort: str, dienst: Dienst | None) -> int:
    """The days after the start at which a koppeling of ``soort`` counts as durable: its dienst's
    horizon for the kind (a maatje half a year, a series a quarter), a week for a one-off task."""
    if soort == "eenmalig":
        return EENMALIG_HORIZON_DAYS
    own = getattr(dienst, f"horizon_{soort}", None) if dienst is not None else None
    return own or HORIZON_DAGEN[soort]


def schedule_days(soort: str, dienst: Dienst | None, *, started: date, afgesproken_op: date | None = None,
                  eind_datum: date | None = None) -> list[int]:
    """The days after the start on which both people get a check-in.

    Every schedule that runs past the horizon has a check-in on the horizon day, so each
    koppeling is decided on time: a periodiek series of half a year is asked at 91 days too.
    A one-off task is asked a week after the agreed day. A series without a planned end is
    asked at the horizon as its end.
    """
    base = list(dienst.nazorg_dagen) if dienst is not None and dienst.nazorg_dagen else list(DEFAULT_DAGEN[soort])
    if soort == "eenmalig":
        shift = max((afgesproken_op - started).days, 0) if afgesproken_op else 0
        days = [shift + d for d in base]
    else:
        horizon = horizon_days(soort, dienst)
        if soort == "periodiek":
            end = (eind_datum - started).days if eind_datum and eind_datum > started else horizon
            days = [d for d in base if d < end] + [end]
        else:
            days = base
        if max(days) > horizon:
            days.append(horizon)
    return sorted({d for d in days if d > 0})


def horizon_of(koppeling: Koppeling) -> int:
    return horizon_days(koppeling.soort, koppeling.dienst)


def plan(koppeling: Koppeling) -> list[Checkin]:
    """Create the check-in rows of a new koppeling (both people, every ronde)."""
    vraag = koppeling.hulpvraag
    if koppeling.soort == "eenmalig" and koppeling.afgesproken_op is None:
        koppeling.afgesproken_op = vraag.datum
    if koppeling.soort == "periodiek" and koppeling.eind_datum is None:
        koppeling.eind_datum = vraag.periode_tot
    started = as_utc(koppeling.started_at)
    days = schedule_days(koppeling.soort, koppeling.dienst, started=started.date(),
                         afgesproken_op=koppeling.afgesproken_op, eind_datum=koppeling.eind_datum)
    rows = []
    for ronde, dagen in enumerate(days, start=1):
        for kant, user_id in (("hulpvrager", koppeling.hulpvrager_id), ("vrijwilliger", koppeling.vrijwilliger_id)):
            rows.append(Checkin(koppeling=koppeling, user_id=user_id, kant=kant, ronde=ronde, dagen=dagen,
                                status=lifecycle.CHECKIN_BEGIN, due_at=started + timedelta(days=dagen), opmerking="", notitie=""))
    db.session.add_all(rows)
    return rows


# --- the sweep -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    sent: int
    reminded: int
    escalated: int


def _wait() -> timedelta:
    return timedelta(days=current_app.config["NAZORG_HERINNER_DAGEN"])


def _claim(checkin: Checkin, stap: str, *, before: str, now: datetime, stamp: str | None = None) -> bool:
    """Take ``stap`` (lifecycle) from ``before``, only if nobody moved the check-in on meanwhile: the
    row lock of this UPDATE makes a second sweep at the same moment find nothing left to do."""
    if not lifecycle.checkin_may(before, stap):
        raise ValueError(f"check-in step {stap} is not taken from {before}")
    values = {"status": lifecycle.checkin_after(stap)} | ({stamp: now} if stamp else {})
    result = db.session.execute(
        update(Checkin).where(Checkin.id == checkin.id, Checkin.status == before)
        .values(**values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(checkin)
    return True


def sweep(*, now: datetime) -> SweepResult:
    """Send what is due, remind who did not answer, and hand silent rondes to the coordinator."""
    sent = reminded = escalated = 0
    due = db.session.scalars(
        select(Checkin).join(Koppeling).where(Checkin.status == "gepland", Checkin.due_at <= now,
                                              Koppeling.status == "actief")
        .order_by(Checkin.koppeling_id, Checkin.kant, Checkin.ronde.desc())
    ).all()
    newest: set[tuple[int, str]] = set()
    for checkin in due:
        key = (checkin.koppeling_id, checkin.kant)
        if key in newest:  # the sweep did not run for a while: ask once, about now
            _claim(checkin, "vervallen", before="gepland", now=now)
        else:
            newest.add(key)
            if _claim(checkin, "versturen", before="gepland", stamp="sent_at", now=now):
                _supersede(checkin)
                notify.checkin(checkin, now=now)
                sent += 1
        db.session.commit()  # a job of many items commits each: one that fails keeps the others sent

    for checkin in db.session.scalars(
        select(Checkin).where(Checkin.status == "verstuurd", Checkin.sent_at <= now - _wait())
    ).all():
        if _claim(checkin, "herinneren", before="verstuurd", stamp="reminded_at", now=now):
            notify.checkin(checkin, now=now, herinnering=True)
            reminded += 1
        db.session.commit()  # a job of many items commits each: one that fails keeps the others sent

    to_call: dict[int | None, int] = {}
    for checkin in db.session.scalars(
        select(Checkin).where(Checkin.status == "herinnerd", Checkin.reminded_at <= now - _wait())
    ).all():
        if _other_side_answered(checkin) and _spared_by_the_other(checkin):
            _claim(checkin, "verlopen", before="herinnerd", now=now)
        elif _claim(checkin, "naar_coordinator", before="herinnerd", stamp="escalated_at", now=now):
            escalated += 1
            dienst_id = checkin.koppeling.dienst_id
            to_call[dienst_id] = to_call.get(dienst_id, 0) + 1
        db.session.commit()  # a job of many items commits each: one that fails keeps the others sent
    _tell_coordinators(to_call, now=now)
    return SweepResult(sent=sent, reminded=reminded, escalated=escalated)


def _tell_coordinators(to_call: dict[int | None, int], *, now: datetime) -> None:
    """One mail per coordinator per sweep, not one per person to call. A dienst without its own
    coordinators is looked after by the coordinators without a dienst (the makelaars)."""
    if not to_call:
        return
    general = [u for u in db.session.scalars(select(User).where(User.roles.any(RoleGrant.role == "coordinator")))
               if not coordinated_dienst_ids(u)]
    counts: dict[int, tuple[User, int]] = {}
    for dienst_id, count in to_call.items():
        dienst = db.session.get(Dienst, dienst_id) if dienst_id else None
        for user in (dienst.coordinatoren if dienst and dienst.coordinatoren else general):
            counts[user.id] = (user, counts.get(user.id, (user, 0))[1] + count)
    for user, count in counts.values():
        notify.te_bellen(user, count, now=now)
    db.session.flush()


def _supersede(checkin: Checkin) -> None:
    """A new ronde replaces this person's older unanswered one: nobody calls about day 91 when
    day 182 is asked already."""
    for older in db.session.scalars(
        select(Checkin).where(Checkin.koppeling_id == checkin.koppeling_id, Checkin.kant == checkin.kant,
                              Checkin.ronde < checkin.ronde, Checkin.status.in_(lifecycle.CHECKIN_OPEN))
    ):
        older.status = lifecycle.checkin_after("verlopen")


def mail_undeliverable(checkin_id: int, *, now: datetime) -> bool:
    """The mail server kept refusing this person's check-in mail: waiting for an answer or sending
    a reminder to that address helps nobody, so the coordinator calls now. Commits nothing."""
    allowed_from, after = lifecycle.checkin_step("mail_mislukt")
    moved = db.session.execute(
        update(Checkin).where(Checkin.id == checkin_id, Checkin.status.in_(sorted(allowed_from)))
        .values(status=after, escalated_at=now, mail_mislukt_at=now)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount == 1


def _last_ronde(koppeling_id: int) -> int:
    return db.session.scalar(select(func.max(Checkin.ronde)).where(Checkin.koppeling_id == koppeling_id))


def asks_doorgaan(checkin: Checkin) -> bool:
    """Whether this check-in asks "Gaan jullie door?": the last planned ronde of a koppeling that
    can go on (periodiek or maatje; a one-off task is done when it is done)."""
    koppeling = checkin.koppeling
    return (koppeling.soort != "eenmalig" and lifecycle.koppeling_loopt(koppeling.status)
            and checkin.ronde == _last_ronde(checkin.koppeling_id))


def _spared_by_the_other(checkin: Checkin) -> bool:
    """Whether the other person's answer of this ronde makes this check-in unneeded: the
    hulpvrager's answer spares the volunteer's, never the other way round (the hulpvrager's voice
    decides, DOMAIN.md), so her silence is chased and goes to the coordinator."""
    return checkin.kant == "vrijwilliger"


def _other_side_answered(checkin: Checkin) -> bool:
    """The hulpvrager answered this ronde (see ``_spared_by_the_other``): nobody needs to call the
    volunteer who stayed silent."""
    return db.session.scalar(
        select(func.count(Checkin.id)).where(
            Checkin.koppeling_id == checkin.koppeling_id, Checkin.ronde == checkin.ronde,
            Checkin.id != checkin.id, Checkin.antwoord.in_(tuple(ANTWOORDEN)),
        )
    ) > 0


# --- answers ---------------------------------------------------------------------------------

def may_answer(checkin: Checkin, user: User | object) -> bool:
    """The person asked, whoever posted the vraag for them, or a coordinator of the dienst."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id == checkin.user_id:
        return True
    if checkin.kant == "hulpvrager" and user.id == checkin.koppeling.hulpvraag.namens_id:
        return True
    return coordinates(user, checkin.koppeling.dienst_id)


@dataclass(frozen=True)
class Answer:
    antwoord: str
    cijfer: int | None = None
    opmerking: str = ""
    stop_reden: str | None = None
    doorgaan: bool | None = None  # "Gaan jullie door?", asked at the last planned ronde


def answer(checkin: Checkin, given: Answer, *, by: User, via: str, now: datetime) -> None:
    """Store one answer. "We zijn gestopt" ends the koppeling. The hulpvrager's positive answer
    settles the ronde; at the last ronde it also says whether they carry on (a new ronde in six
    months) or are done (afgerond). The volunteer's answer is kept and settles nothing. The
    coordinator hears of anything that is not going well."""
    if not may_answer(checkin, by):
        raise NazorgError("", _l("Deze vraag is niet voor jou."))
    if checkin.status == lifecycle.checkin_after("beantwoorden"):
        raise NazorgError("", _l("Deze vraag is al beantwoord. Dank je!"))
    if not lifecycle.checkin_may(checkin.status, "beantwoorden"):
        raise NazorgError("", _l("Deze vraag is niet meer nodig. Je hoeft niets te doen."))
    allowed = set(ANTWOORDEN) | ({"geen_contact"} if via == "coordinator" else set())
    if given.antwoord not in allowed:
        raise NazorgError("antwoord", _l("Kies hoe het gaat."))
    if given.antwoord == "gestopt" and given.stop_reden not in STOP_REDENEN:
        raise NazorgError("stop_reden", _l("Kies waarom jullie gestopt zijn."))
    if given.cijfer is not None and not 1 <= given.cijfer <= 10:
        raise NazorgError("cijfer", _l("Geef een cijfer van 1 tot en met 10."))
    doorgaan = given.doorgaan if given.antwoord in ("goed", "beter") and asks_doorgaan(checkin) else None
    if doorgaan is None and given.antwoord in ("goed", "beter") and asks_doorgaan(checkin):
        raise NazorgError("doorgaan", _l("Zeg of jullie doorgaan."))
    checkin.status, checkin.answered_at, checkin.via = lifecycle.checkin_after("beantwoorden"), now, via
    checkin.antwoord, checkin.cijfer = given.antwoord, given.cijfer
    checkin.opmerking = (given.opmerking or "").strip()[:2000]
    checkin.stop_reden = given.stop_reden if given.antwoord == "gestopt" else None
    checkin.beantwoord_door_id = by.id
    checkin.doorgaan = doorgaan
    # A neutral stop (a move, a death, care, a referral) is nobody's failure, but the coordinator
    # still hears of it: the vraag may need another kind of help.
    checkin.aandacht = (
        given.antwoord == "beter"
        or (given.cijfer is not None and given.cijfer <= LAAG_CIJFER)
        or (given.antwoord == "gestopt" and given.stop_reden != "doel_bereikt")
        or doorgaan is False and checkin.kant == "vrijwilliger"
    )
    koppeling = checkin.koppeling
    if given.antwoord == "gestopt":
        # A volunteer who says the goal was reached ends it, but the hulpvrager's question of this ronde
        # stays open: only she can say she was helped (``uitkomsten.outcome_of``).
        volunteers_goal = checkin.kant == "vrijwilliger" and given.stop_reden == lifecycle.DOEL_BEREIKT
        end(koppeling, given.stop_reden, now=now, asked_ronde=checkin.ronde if volunteers_goal else None)
    elif given.antwoord in ("goed", "beter") and checkin.kant == "hulpvrager":
        _settle_ronde(checkin, now=now)
        last = checkin.ronde == _last_ronde(koppeling.id)
        if last and lifecycle.koppeling_loopt(koppeling.status):
            if doorgaan:
                carry_on(koppeling, after=checkin)
            else:
                # The volunteer's question of this ronde stays open: that answer counts too.
                end(koppeling, lifecycle.DOEL_BEREIKT, now=now, asked_ronde=checkin.ronde)
    db.session.flush()


def carry_on(koppeling: Koppeling, *, after: Checkin) -> list[Checkin]:
    """They go on after the last planned ronde: both are asked again six months later, and that
    ronde is the last one, so the question "Gaan jullie door?" comes back every half year."""
    dagen = after.dagen + DOORGAAN_DAGEN
    started = as_utc(koppeling.started_at)
    rows = [Checkin(koppeling=koppeling, user_id=user_id, kant=kant, ronde=after.ronde + 1, dagen=dagen,
                    status=lifecycle.CHECKIN_BEGIN, due_at=started + timedelta(days=dagen), opmerking="", notitie="")
            for kant, user_id in (("hulpvrager", koppeling.hulpvrager_id), ("vrijwilliger", koppeling.vrijwilliger_id))]
    db.session.add_all(rows)
    return rows


def end(koppeling: Koppeling, reden: str, *, now: datetime, asked_ronde: int | None = None) -> None:
    """End a koppeling with ``reden``; its check-ins still to come lapse, except those of
    ``asked_ronde`` that were sent already and may still be answered. Also used when an account is erased."""
    koppeling.status = lifecycle.koppeling_after_end(reden)
    koppeling.ended_at, koppeling.eind_reden = now, reden
    for other in db.session.scalars(
        select(Checkin).where(Checkin.koppeling_id == koppeling.id,
                              Checkin.status.in_(lifecycle.CHECKIN_NOG_NIET_BEANTWOORD))
    ):
        if other.ronde == asked_ronde and other.status in lifecycle.CHECKIN_OPEN:
            continue
        other.status = lifecycle.checkin_after("vervallen")


def _settle_ronde(checkin: Checkin, *, now: datetime) -> None:
    """The other person's silent check-in of this ronde need not be chased any more."""
    for other in db.session.scalars(
        select(Checkin).where(Checkin.koppeling_id == checkin.koppeling_id, Checkin.ronde == checkin.ronde,
                              Checkin.id != checkin.id, Checkin.status == "bij_coordinator")
    ):
        other.status = lifecycle.checkin_after("verlopen")


def history(koppeling: Koppeling) -> list[Checkin]:
    """Every check-in of a koppeling that was sent, in order: what the coordinator reads back."""
    return list(db.session.scalars(
        select(Checkin).where(Checkin.koppeling_id == koppeling.id, Checkin.sent_at.is_not(None))
        .order_by(Checkin.ronde, Checkin.kant)
    ))


def open_checkins(user: User) -> list[Checkin]:
    """The check-ins this person can still answer, oldest first."""
    return list(db.session.scalars(
        select(Checkin).where(Checkin.user_id == user.id, Checkin.status.in_(lifecycle.CHECKIN_OPEN)).order_by(Checkin.due_at)
    ))


# --- the coordinator -------------------------------------------------------------------------


def _own_diensten(query, user: User):
    own = coordinated_dienst_ids(user)
    return query.where(Koppeling.dienst_id.in_(own)) if own else query


def te_bellen(user: User) -> list[Checkin]:
    """Rondes nobody answered after a reminder: the coordinator calls and records the answer."""
    query = select(Checkin).join(Koppeling).where(Checkin.status == "bij_coordinator").order_by(Checkin.escalated_at)
    return list(db.session.scalars(_own_diensten(query, user)))


def aandacht(user: User) -> list[Checkin]:
    """Answers that ask for a coordinator: "het kan beter", a low cijfer, a stop too early."""
    query = (select(Checkin).join(Koppeling).where(Checkin.aandacht.is_(True), Checkin.afgehandeld_at.is_(None))
             .order_by(Checkin.answered_at))
    return list(db.session.scalars(_own_diensten(query, user)))


def handle(checkin: Checkin, *, by: User, notitie: str, heropen: bool, now: datetime) -> None:
    """The coordinator followed up. When the two stopped too early, the vraag may look for a new
    volunteer: the resident still needs help."""
    if not coordinates(by, checkin.koppeling.dienst_id):
        raise NazorgError("", _l("Alleen een coördinator van deze dienst kan dit doen."))
    if not checkin.aandacht or checkin.afgehandeld_at is not None:
        raise NazorgError("", _l("Dit is al afgehandeld."))
    checkin.afgehandeld_at, checkin.afgehandeld_door_id = now, by.id
    checkin.notitie = (notitie or "").strip()[:2000]
    vraag = checkin.koppeling.hulpvraag
    if heropen:
        if lifecycle.koppeling_loopt(checkin.koppeling.status):
            raise NazorgError("heropen", _l("De koppeling loopt nog. Zet de hulpvraag pas open als ze gestopt is."))
        vraag.status, vraag.sluit_reden, vraag.updated_at = "open", None, now
        system.enqueue(system.MATCH_POST, {"post_id": vraag.id}, now=now)
    db.session.flush()
