"""Answers ``areas.signals.wijken_in_use`` for the wijkagenda: a wijk nobody lives in (an industrial
estate) stays in public lists while a punt of its wijkagenda is public."""

from __future__ import annotations

from sqlalchemy import select

from omkijken.platform.areas.signals import wijken_in_use
from omkijken.platform.extensions import db
from omkijken.platform.wijkagenda.models import Agendapunt


@wijken_in_use.connect
def _with_punten(wijk_ids: frozenset[int], **_: object) -> set[int]:
    return set(db.session.scalars(select(Agendapunt.wijk_id).distinct().where(
        Agendapunt.wijk_id.in_(wijk_ids), Agendapunt.moderatie == "goedgekeurd")))
