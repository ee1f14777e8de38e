"""The rules of the road from voorstel to koppeling: who answers, what a yes or a no does, what a
coordinator may do, and who sees what.

A voorstel has two sides: the *hulpvrager* (the vraag's author; the coordinator who registered
the vraag for them may answer in their name) and the *vrijwilliger*. Both yes: a koppeling.
One no: the pair is never proposed again and the worker looks for the next volunteer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from omkijken import matching
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import wijk_ids
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen import lifecycle, nazorg, notify, pipeline
from omkijken.platform.koppelingen.diensten import coordinates, dienst_for, dienst_id_for, soort_voor
from omkijken.platform.koppelingen.lifecycle import LIVE
from omkijken.platform.koppelingen.models import Afhandeling, Dienst, Koppeling, Voorstel
from omkijken.platform.posts.models import Aanbod, Activiteit, Bericht, Gesprek, Hulpvraag
from omkijken.platform.system import services as system


class KoppelingError(RuleBroken):
    """A rule about voorstellen or koppelingen was broken."""


def side_of(voorstel: Voorstel, user: User | Any) -> str | None:
    """'vrijwilliger', 'hulpvrager' or None. Who posted a vraag for someone answers for them."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.id == voorstel.vrijwilliger_id:
        return "vrijwilliger"
    if user.id in (voorstel.hulpvraag.auteur_id, voorstel.hulpvraag.namens_id):
        return "hulpvrager"
    return None


def may_see(voorstel: Voorstel, user: User | Any) -> bool:
    return side_of(voorstel, user) is not None or coordinates(user, voorstel.dienst_id)


def _log(vraag: Hulpvraag, by: User | None, soort: str, tekst: str, now: datetime) -> None:
    db.session.add(Afhandeling(hulpvraag_id=vraag.id, coordinator_id=by.id if by else None, soort=soort,
                               tekst=(tekst or "").strip()[:2000], created_at=now))


def _rematch(vraag: Hulpvraag, now: datetime) -> None:
    system.enqueue(system.MATCH_POST, {"post_id": vraag.id}, now=now)


def accept(voorstel: Voorstel, *, by: User, now: datetime) -> Koppeling | None:
    """Say yes. Returns the koppeling when this was the second yes."""
    side = side_of(voorstel, by)
    if side is None:
        raise KoppelingError("", _l("Dit voorstel is niet voor jou."))
    if not lifecycle.voorstel_may(voorstel.status, "akkoord"):
        raise KoppelingError("", _l("Op dit voorstel kun je niet meer antwoorden."))
    if side == "vrijwilliger":
        voorstel.vrijwilliger_akkoord_at = voorstel.vrijwilliger_akkoord_at or now
    else:
        voorstel.vraag_akkoord_at = voorstel.vraag_akkoord_at or now
        if by.id == voorstel.hulpvraag.namens_id and voorstel.coordinator_id is None:
            voorstel.coordinator_id = by.id
    voorstel.updated_at = now
    koppeling = start(voorstel, now=now) if voorstel.vraag_akkoord_at and voorstel.vrijwilliger_akkoord_at else None
    db.session.flush()
    return koppeling


def decline(voorstel: Voorstel, *, by: User, now: datetime, reden: str = "") -> None:
    """Say no: the pair is excluded for good and the vraag goes back to the worker."""
    side = side_of(voorstel, by)
    if side is None:
        raise KoppelingError("", _l("Dit voorstel is niet voor jou."))
    if not lifecycle.voorstel_may(voorstel.status, "afwijzen"):
        raise KoppelingError("", _l("Op dit voorstel kun je niet meer antwoorden."))
    _close_declined(voorstel, door=side, reden=reden, now=now)
    db.session.flush()


def _close_declined(voorstel: Voorstel, *, door: str, reden: str, now: datetime) -> None:
    # A voorstel that waited for a coordinator was never shown to the resident: nothing to call off.
    told = voorstel.status != "te_bevestigen"
    voorstel.status, voorstel.afgewezen_door = lifecycle.voorstel_after("afwijzen"), door
    voorstel.afwijs_reden = (reden or "").strip()[:2000]
    voorstel.updated_at = now
    if told:
        notify.voorstel_afgewezen(voorstel, now=now)
    if voorstel.hulpvraag.status == "open":
        _rematch(voorstel.hulpvraag, now)


def start(voorstel: Voorstel, *, now: datetime) -> Koppeling:
    """Both said yes: the koppeling begins. Its kind follows the vraag (one day, or up to an end date),
    else its dienst (``diensten.soort_voor``); it counts as
    self-service only when no coordinator confirmed, matched, answered or registered the vraag."""
    vraag = voorstel.hulpvraag
    dienst = voorstel.dienst or dienst_for(vraag)
    koppeling = Koppeling(
        voorstel=voorstel, hulpvraag=vraag, hulpvrager_id=vraag.auteur_id, vrijwilliger_id=voorstel.vrijwilliger_id,
        dienst=dienst, soort=soort_voor(vraag, dienst), status=lifecycle.KOPPELING_BEGIN,
        zelf_gevonden=voorstel.coordinator_id is None and vraag.namens_id is None,
        started_at=now,
    )
    db.session.add(koppeling)
    voorstel.status, voorstel.updated_at = lifecycle.voorstel_after("koppelen"), now
    vraag.status, vraag.updated_at = "gekoppeld", now
    for other in db.session.scalars(
        select(Voorstel).where(Voorstel.hulpvraag_id == vraag.id, Voorstel.id != voorstel.id, Voorstel.status.in_(LIVE))
    ):
        other.status, other.updated_at = lifecycle.voorstel_after("vervallen"), now
    db.session.flush()
    nazorg.plan(koppeling)
    notify.koppeling_gestart(koppeling, now=now)
    return koppeling


def _own_open_aanbod(user: User) -> Aanbod | None:
    return db.session.scalar(
        select(Aanbod).where(Aanbod.auteur_id == user.id, Aanbod.status == "open").order_by(Aanbod.id)
    )


def _proposal_by_hand(vraag: Hulpvraag, aanbod: Aanbod | None, *, now: datetime):
    """Score and reasons for a pair people chose themselves. The hard rules do not stop it:
    people may know better than the engine (the score is then None)."""
    if aanbod is None:
        return None, ()
    request = pipeline.as_request(vraag, dienst_for(vraag))
    offer = pipeline.as_offer(aanbod, waiting=0, active=0)
    return matching.score(request, offer, now=now), matching.reasons(request, offer, now=now)


def offer_help(vraag: Hulpvraag, *, by: User, tekst: str, now: datetime) -> Voorstel:
    """A volunteer says "ik help" on a vraag: a voorstel the volunteer already accepted."""
    if by.id == vraag.auteur_id:
        raise KoppelingError("tekst", _l("Dit is je eigen hulpvraag."))
    if vraag.status != "open" or vraag.verborgen:
        raise KoppelingError("", _l("Deze hulpvraag heeft al hulp, of is gesloten."))
    voorstel = _by_hand(vraag, by, _own_open_aanbod(by), bron="vrijwilliger", now=now,
                        vrijwilliger_akkoord_at=now)
    _message(voorstel, by, tekst, now)
    db.session.flush()
    return voorstel


def ask_volunteer(aanbod: Aanbod, vraag: Hulpvraag, *, by: User, tekst: str, now: datetime) -> Voorstel:
    """A resident asks a volunteer for help with one of their own vragen."""
    if vraag.auteur_id != by.id:
        raise KoppelingError("hulpvraag", _l("Kies een hulpvraag van jezelf."))
    if vraag.status != "open":
        raise KoppelingError("hulpvraag", _l("Deze hulpvraag heeft al hulp, of is gesloten."))
    if aanbod.auteur_id == by.id:
        raise KoppelingError("hulpvraag", _l("Dit is je eigen aanbod."))
    voorstel = _by_hand(vraag, aanbod.auteur, aanbod, bron="hulpvrager", now=now, vraag_akkoord_at=now)
    _message(voorstel, by, tekst, now)
    db.session.flush()
    return voorstel


def _by_hand(vraag: Hulpvraag, vrijwilliger: User, aanbod: Aanbod | None, *, bron: str, now: datetime,
             coordinator_id: int | None = None, **answers: datetime) -> Voorstel:
    existing = _voorstel_of_pair(vraag, vrijwilliger)
    if existing is None:
        voorstel = _new_by_hand(vraag, vrijwilliger, aanbod, bron=bron, now=now,
                                coordinator_id=coordinator_id, **answers)
        if voorstel is not None:
            return voorstel
        # The engine proposed this very pair between the look-up and the insert (its worker
        # runs beside the web): answer that voorstel, as if it had been there all along.
        existing = _voorstel_of_pair(vraag, vrijwilliger)
    if not lifecycle.may_propose_again(existing.status):
        raise KoppelingError("", _l("Dit voorstel is al eens afgewezen. We stellen het niet opnieuw voor."))
    for name, value in answers.items():
        if getattr(existing, name) is None:
            setattr(existing, name, value)
    opened = False
    if coordinator_id is not None:
        existing.coordinator_id = coordinator_id
        if lifecycle.voorstel_may(existing.status, "met_de_hand"):
            existing.status = lifecycle.voorstel_after("met_de_hand")  # the coordinator's own choice needs no confirmation
            opened = True
    existing.updated_at = now
    if lifecycle.voorstel_may(existing.status, "koppelen") and existing.vraag_akkoord_at and existing.vrijwilliger_akkoord_at:
        start(existing, now=now)
    elif opened:
        # Nobody was asked about it yet (it waited for a coordinator, or it had lapsed): ask now,
        # as a new voorstel does.
        notify.voorstel_open(existing, now=now)
    return existing


def _voorstel_of_pair(vraag: Hulpvraag, vrijwilliger: User) -> Voorstel | None:
    return db.session.scalar(select(Voorstel).filter_by(hulpvraag_id=vraag.id, vrijwilliger_id=vrijwilliger.id))


def _new_by_hand(vraag: Hulpvraag, vrijwilliger: User, aanbod: Aanbod | None, *, bron: str, now: datetime,
                 coordinator_id: int | None, **answers: datetime) -> Voorstel | None:
    """A new voorstel for the pair, or None when the pair already has one: the unique key, not
    the look-up before it, decides, so a race with the matching worker is no error."""
    score, reasons = _proposal_by_hand(vraag, aanbod, now=now)
    dienst = dienst_for(vraag)
    mediated = bool(dienst and dienst.bemiddeld) and coordinator_id is None
    new_id = pipeline.insert_voorstel({
        "hulpvraag_id": vraag.id, "vrijwilliger_id": vrijwilliger.id,
        "aanbod_id": aanbod.id if aanbod else None, "dienst_id": dienst.id if dienst else None,
        "bron": bron, "status": lifecycle.voorstel_begin(mediated=mediated), "score": score,
        "redenen": [r.as_dict() for r in reasons], "coordinator_id": coordinator_id, "afwijs_reden": "",
        "created_at": now, "updated_at": now, **answers,
    })
    if new_id is None:
        return None
    voorstel = db.session.get(Voorstel, new_id)
    if voorstel.status == "open":
        if voorstel.vraag_akkoord_at and voorstel.vrijwilliger_akkoord_at:
            start(voorstel, now=now)
        else:
            notify.voorstel_open(voorstel, now=now)
    return voorstel


def gesprek_of(voorstel: Voorstel, *, now: datetime) -> Gesprek:
    """The conversation of the two: the same one as when the volunteer taps 'reageer' on the
    vraag, so nothing said before is lost. Email and phone are never shown in it."""
    gesprek = db.session.scalar(
        select(Gesprek).filter_by(post_id=voorstel.hulpvraag_id, deelnemer_id=voorstel.vrijwilliger_id)
    )
    if gesprek is None:
        gesprek = Gesprek(post_id=voorstel.hulpvraag_id, deelnemer_id=voorstel.vrijwilliger_id, created_at=now)
        db.session.add(gesprek)
        db.session.flush()
    return gesprek


def _message(voorstel: Voorstel, by: User, tekst: str, now: datetime) -> None:
    tekst = (tekst or "").strip()
    if tekst:
        gesprek = gesprek_of(voorstel, now=now)
        gesprek.berichten.append(Bericht(afzender=by, tekst=tekst[:5000], created_at=now))


# --- coordinators ----------------------------------------------------------------------------


def _require_coordinator(by: User, dienst_id: int | None) -> None:
    if not coordinates(by, dienst_id):
        raise KoppelingError("", _l("Alleen een coördinator van deze dienst kan dit doen."))


def confirm(voorstel: Voorstel, *, by: User, now: datetime) -> None:
    """A mediated dienst: the coordinator lets the two see the voorstel."""
    _require_coordinator(by, voorstel.dienst_id)
    if not lifecycle.voorstel_may(voorstel.status, "bevestigen"):
        raise KoppelingError("", _l("Dit voorstel wacht niet op een coördinator."))
    voorstel.status, voorstel.coordinator_id, voorstel.updated_at = lifecycle.voorstel_after("bevestigen"), by.id, now
    _log(voorstel.hulpvraag, by, "bevestigd", voorstel.vrijwilliger.naam, now)
    if voorstel.vraag_akkoord_at and voorstel.vrijwilliger_akkoord_at:
        start(voorstel, now=now)
    else:
        notify.voorstel_open(voorstel, now=now)
    db.session.flush()


def reject(voorstel: Voorstel, *, by: User, reden: str, now: datetime) -> None:
    """A mediated dienst: the coordinator does not pass this pair on; the worker looks further."""
    _require_coordinator(by, voorstel.dienst_id)
    if not lifecycle.voorstel_may(voorstel.status, "bevestigen"):
        raise KoppelingError("", _l("Dit voorstel wacht niet op een coördinator."))
    _log(voorstel.hulpvraag, by, "afgekeurd", reden, now)
    voorstel.coordinator_id = by.id
    _close_declined(voorstel, door="coordinator", reden=reden, now=now)
    db.session.flush()


def match_by_hand(vraag: Hulpvraag, aanbod: Aanbod, *, by: User, now: datetime,
                  beiden_akkoord: bool = False, tekst: str = "") -> Voorstel:
    """The coordinator pairs a vraag with a volunteer. When both already said yes on the phone,
    the koppeling starts at once. Either way the koppeling is not self-service."""
    _require_coordinator(by, dienst_id_for(vraag))
    if vraag.status != "open":
        raise KoppelingError("aanbod_id", _l("Deze hulpvraag heeft al hulp, of is gesloten."))
    if aanbod.auteur_id == vraag.auteur_id:
        raise KoppelingError("aanbod_id", _l("Iemand kan zichzelf niet helpen."))
    answers = {"vraag_akkoord_at": now, "vrijwilliger_akkoord_at": now} if beiden_akkoord else {}
    for waiting in db.session.scalars(
        select(Voorstel).where(Voorstel.hulpvraag_id == vraag.id, Voorstel.status.in_(LIVE),
                               Voorstel.vrijwilliger_id != aanbod.auteur_id)
    ):
        waiting.status, waiting.updated_at = lifecycle.voorstel_after("vervallen"), now
    db.session.flush()  # before a lapsed one of this volunteer opens again: one waiting voorstel per vraag
    voorstel = _by_hand(vraag, aanbod.auteur, aanbod, bron="coordinator", now=now, coordinator_id=by.id, **answers)
    _log(vraag, by, "met_de_hand", tekst or aanbod.auteur.naam, now)
    db.session.flush()
    return voorstel


def note(vraag: Hulpvraag, *, by: User, tekst: str, now: datetime, gebeld: bool = False) -> None:
    """'Ik heb gebeld' or a note: the vraag is handled, and the queue shows who did what."""
    _require_coordinator(by, dienst_id_for(vraag))
    if not (tekst or "").strip():
        raise KoppelingError("tekst", _l("Schrijf kort wat er is gebeurd."))
    _log(vraag, by, "gebeld" if gebeld else "notitie", tekst, now)
    db.session.flush()


def refer(vraag: Hulpvraag, *, by: User, naar: str, now: datetime) -> None:
    """Send the resident to a place that fits better (wijkteam, huisarts ...): the vraag closes
    as referred, which counts as handled (every vraag is handled or referred)."""
    _require_coordinator(by, dienst_id_for(vraag))
    if vraag.status != "open":
        raise KoppelingError("naar", _l("Deze hulpvraag heeft al hulp, of is gesloten."))
    if not (naar or "").strip():
        raise KoppelingError("naar", _l("Schrijf waar je de persoon naartoe stuurt."))
    _log(vraag, by, "doorverwezen", naar, now)
    vraag.status, vraag.sluit_reden, vraag.updated_at = "gesloten", "doorverwezen", now
    pipeline.expire(vraag, now=now)
    db.session.flush()


def move_to_dienst(vraag: Hulpvraag, dienst: Dienst, *, by: User, now: datetime) -> None:
    """A coordinator hands a vraag to another dienst (a lonely resident belongs with Blink, a
    letter from the tax office with the Formulierenbrigade). Waiting voorstellen lapse, because
    the new dienst may need a VOG or a coordinator's eye, and the worker looks again."""
    _require_coordinator(by, dienst_id_for(vraag))
    if vraag.status != "open":
        raise KoppelingError("dienst_id", _l("Deze hulpvraag heeft al hulp, of is gesloten."))
    if dienst.id == dienst_id_for(vraag):
        raise KoppelingError("dienst_id", _l("De hulpvraag hoort al bij deze dienst."))
    vraag.dienst_id, vraag.updated_at = dienst.id, now
    for waiting in db.session.scalars(
        select(Voorstel).where(Voorstel.hulpvraag_id == vraag.id, Voorstel.status.in_(LIVE))
    ):
        waiting.status, waiting.updated_at = lifecycle.voorstel_after("vervallen"), now
    _log(vraag, by, "andere_dienst", dienst.naam, now)
    _rematch(vraag, now)
    db.session.flush()


def link_collectief(vragen: list[Hulpvraag], activiteit: Activiteit, *, by: User, now: datetime) -> int:
    """Link similar vragen to one collective activity ("collectief, tenzij"). An opbouwwerker
    only links vragen of their own wijken; a coordinator or the beheerder any."""
    own = wijk_ids(by, "collectief_koppelen")
    if own is not None:
        if not own or any(v.wijk_id not in own for v in vragen):
            raise KoppelingError("", _l("Je mag alleen hulpvragen in je eigen wijken koppelen."))
    if activiteit.status != "open" or activiteit.verborgen:
        raise KoppelingError("activiteit_id", _l("Deze activiteit gaat niet meer door. Kies een andere."))
    if any(v.status != "open" or v.verborgen or v.collectief_id is not None for v in vragen):
        raise KoppelingError("vraag_ids", _l("Een van deze hulpvragen heeft al hulp, is gesloten of is al gekoppeld."))
    for vraag in vragen:
        vraag.collectief_id = activiteit.id
        _log(vraag, by, "collectief", activiteit.titel, now)
    db.session.flush()
    return len(vragen)


# --- what a person sees ----------------------------------------------------------------------


def voorstellen_van(user: User) -> list[Voorstel]:
    """Voorstellen that wait for this person, or that this person waits for. The person's own
    hulpvragen are a subquery rather than a join, so each side of the OR uses its index instead
    of PostgreSQL reading every post."""
    eigen_vragen = select(Hulpvraag.id).where(or_(Hulpvraag.auteur_id == user.id, Hulpvraag.namens_id == user.id))
    stmt = (
        select(Voorstel)
        .where(Voorstel.status == "open")
        .where(or_(Voorstel.vrijwilliger_id == user.id, Voorstel.hulpvraag_id.in_(eigen_vragen)))
        .order_by(Voorstel.created_at.desc())
    )
    return list(db.session.scalars(stmt))


def koppelingen_van(user: User) -> list[Koppeling]:
    stmt = (
        select(Koppeling)
        .where(or_(Koppeling.vrijwilliger_id == user.id, Koppeling.hulpvrager_id == user.id))
        .order_by(Koppeling.started_at.desc())
    )
    return list(db.session.scalars(stmt))


def may_see_koppeling(koppeling: Koppeling, user: User | Any) -> bool:
    """The two people, and the coordinators of its dienst: they see the exact addresses."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id in (koppeling.hulpvrager_id, koppeling.vrijwilliger_id, koppeling.hulpvraag.namens_id):
        return True
    return coordinates(user, koppeling.dienst_id)
