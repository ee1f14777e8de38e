"""The sociale agenda / wijkplan: the opbouwwerker groups chosen punten of the wijkagenda into
themes, with who does what, a short text and a date, and publishes it for the wijk to read.

A wijk has one sociale agenda that grows over time; publishing shows the current version to
everyone. Putting a punt on it moves the punt to "op de sociale agenda" through the moderation
service, so that move is in the audit log like every other decision.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import NotAllowed, may_moderate
from omkijken.platform.areas.models import Wijk
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.system import audit
from omkijken.platform.wijkagenda import besluiten, services, vocabulary
from omkijken.platform.wijkagenda.models import Agendapunt, Agendathema, SocialeAgenda

audit.register_labels("sociale_agenda", vocabulary.BESLUITEN)


def _allowed(by: User, wijk_id: int) -> None:
    if not may_moderate(by, wijk_id):
        raise NotAllowed()


def of(wijk: Wijk) -> SocialeAgenda | None:
    return db.session.scalar(select(SocialeAgenda).where(SocialeAgenda.wijk_id == wijk.id)
                             .order_by(SocialeAgenda.id.desc()).limit(1))


def published(wijk: Wijk) -> SocialeAgenda | None:
    agenda = of(wijk)
    return agenda if agenda is not None and agenda.gepubliceerd_at is not None else None


def start(wijk: Wijk, *, by: User, now: datetime) -> SocialeAgenda:
    _allowed(by, wijk.id)
    agenda = of(wijk)
    if agenda is None:
        agenda = SocialeAgenda(wijk_id=wijk.id, titel=str(_l("Sociale agenda %(wijk)s", wijk=wijk.naam)),
                               inleiding="", datum=now.date(), gemaakt_door_id=by.id, created_at=now,
                               updated_at=now)
        db.session.add(agenda)
        db.session.flush()
    return agenda


def _text(value: str, field: str, *, most: int, needed: bool = False) -> str:
    value = (value or "").strip()
    if needed and not value:
        raise RuleBroken(field, _l("Vul dit in."))
    if len(value) > most:
        raise RuleBroken(field, _l("Maak dit korter: hooguit %(max)s tekens.", max=most))
    return value


def save(agenda: SocialeAgenda, *, by: User, titel: str, inleiding: str, datum: date, now: datetime) -> None:
    _allowed(by, agenda.wijk_id)
    agenda.titel = _text(titel, "titel", most=160, needed=True)
    agenda.inleiding = _text(inleiding, "inleiding", most=4000)
    agenda.datum = datum
    agenda.updated_at = now
    db.session.flush()


def save_thema(agenda: SocialeAgenda, *, by: User, titel: str, tekst: str, wie: str, datum: date | None,
               thema: Agendathema | None = None, now: datetime) -> Agendathema:
    """Add a theme, or change ``thema``."""
    _allowed(by, agenda.wijk_id)
    if thema is None:
        last = db.session.scalar(select(func.max(Agendathema.volgorde)).where(Agendathema.agenda_id == agenda.id))
        thema = Agendathema(agenda_id=agenda.id, volgorde=(last if last is not None else -1) + 1)
        db.session.add(thema)
    elif thema.agenda_id != agenda.id:
        raise besluiten.NotFound(thema.id)
    thema.titel = _text(titel, "titel", most=120, needed=True)
    thema.tekst = _text(tekst, "tekst", most=2000)
    thema.wie = _text(wie, "wie", most=300)
    thema.datum = datum
    agenda.updated_at = now
    db.session.flush()
    return thema


def remove_thema(thema: Agendathema, *, by: User, now: datetime) -> None:
    """The punten of a removed theme go back to "besproken"."""
    agenda = thema.agenda
    _allowed(by, agenda.wijk_id)
    for punt in list(thema.punten):
        place(punt, None, by=by, now=now)
    db.session.delete(thema)
    agenda.updated_at = now
    db.session.flush()


def place(punt: Agendapunt, thema: Agendathema | None, *, by: User, now: datetime) -> None:
    """Put a punt under a theme (or take it off the agenda with ``None``)."""
    _allowed(by, punt.wijk_id)
    if thema is not None and thema.agenda.wijk_id != punt.wijk_id:
        raise RuleBroken("thema", _l("Dit thema hoort bij een andere wijk."))
    if not punt.is_public:
        raise RuleBroken("thema", _l("Alleen punten op de wijkagenda kunnen op de sociale agenda."))
    if thema is not None and punt.status in ("nieuw", "besproken", "niet_opgepakt"):
        if punt.status == "niet_opgepakt":
            besluiten.decide_punt(punt, "besproken", by=by, now=now)
        besluiten.decide_punt(punt, "sociale_agenda", by=by, now=now)
    elif thema is None and punt.status == "sociale_agenda":
        besluiten.decide_punt(punt, "besproken", by=by, now=now)
    punt.thema_id = thema.id if thema is not None else None
    db.session.flush()


def publish(agenda: SocialeAgenda, *, by: User, now: datetime) -> None:
    _allowed(by, agenda.wijk_id)
    if not agenda.themas:
        raise RuleBroken("", _l("Maak eerst minstens één thema."))
    agenda.gepubliceerd_at = agenda.updated_at = now
    audit.record(by=by, onderwerp="sociale_agenda", onderwerp_id=agenda.id, wijk_id=agenda.wijk_id,
                 besluit="publiceren", details={"titel": agenda.titel, "themas": len(agenda.themas)}, now=now)
    db.session.flush()


def candidates(wijk: Wijk) -> list[Agendapunt]:
    """Approved punten that could go on the agenda, the most supported first."""
    lines = services.wijkagenda(wijk, None)
    return [line.punt for line in lines if line.punt.status not in ("gerealiseerd",)]
