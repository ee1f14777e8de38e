"""What a decision does to an agendapunt, with the rules of ``lifecycle``: the wijkagenda's part of
moderation. ``moderatie.services`` (the one queue, above this domain) applies it for a moderator's
decision; the sociale agenda uses :func:`decide_punt` to move a punt it places, so the wijkagenda
never imports the moderation domain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.system import audit
from omkijken.platform.system.models import AuditEntry
from omkijken.platform.wijkagenda import lifecycle
from omkijken.platform.wijkagenda import services as punten
from omkijken.platform.wijkagenda.models import Agendapunt

REFUSALS = {
    "reden_nodig": ("reden", _l("Schrijf kort waarom. De schrijver leest dit.")),
    "niet_nu": ("besluit", _l("Dit kan nu niet meer. Misschien besliste iemand anders net.")),
    "niet_goedgekeurd": ("besluit", _l("Keur het punt eerst goed.")),
    "onbekend": ("besluit", _l("Dit besluit bestaat niet.")),
}


class NotFound(Exception):
    pass


def apply_to_punt(punt: Agendapunt, besluit: str, *, reden: str = "", samen_met: int | None = None,
                  now: datetime) -> dict[str, Any]:
    """Move the punt as ``besluit`` says; returns the details for the audit log."""
    try:
        moderatie, status = lifecycle.after(punt.moderatie, punt.status, besluit, reden=reden)
    except lifecycle.Refused as refused:
        field_name, message = REFUSALS[refused.code]
        raise RuleBroken(field_name, message) from None
    details: dict[str, Any] = {"van": [punt.moderatie, punt.status], "naar": [moderatie, status]}
    if besluit == "samenvoegen":
        into = db.session.get(Agendapunt, samen_met) if samen_met else None
        if into is None:
            raise RuleBroken("samen_met", _l("Kies het punt dat blijft."))
        details |= punten.merge(punt, into)
    if besluit in ("wijziging_vragen", "weigeren"):
        punt.moderatie_reden = reden.strip()
    elif besluit == "goedkeuren":
        punt.moderatie_reden = ""
    if status != punt.status:
        punt.status_reden = reden.strip()
        if status in ("besproken", "niet_opgepakt"):
            punt.thema_id = None
    punt.moderatie, punt.status = moderatie, status
    punt.besloten_at = punt.updated_at = now
    return details


def decide_punt(punt: Agendapunt, besluit: str, *, by: User, now: datetime) -> AuditEntry:
    """A step the sociale agenda makes (``besproken``, ``sociale_agenda``), recorded like a
    moderator's decision; the caller has checked that ``by`` moderates the wijk. The author hears
    of neither step by mail."""
    details = apply_to_punt(punt, besluit, now=now)
    entry = audit.record(by=by, onderwerp="agendapunt", onderwerp_id=punt.id, wijk_id=punt.wijk_id,
                         besluit=besluit, details={"titel": punt.titel, **details}, now=now)
    db.session.flush()
    return entry


def merge_candidates(punt: Agendapunt) -> list[Agendapunt]:
    """Punten of the same wijk a duplicate could be merged into."""
    return list(db.session.scalars(
        select(Agendapunt).where(Agendapunt.wijk_id == punt.wijk_id, Agendapunt.id != punt.id,
                                 Agendapunt.moderatie.in_(("goedgekeurd", "ingediend")))
        .order_by(Agendapunt.moderatie.desc(), Agendapunt.titel)))
