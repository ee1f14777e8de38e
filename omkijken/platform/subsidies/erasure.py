"""What erasing a person does to subsidieaanvragen: concepts (and their attachments) go, sent ones
stay for the gemeente's books without the aanvrager. See ``accounts.privacy.ERASE_RULES``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.privacy import Erasure
from omkijken.platform.accounts.signals import user_erasing
from omkijken.platform.extensions import db
from omkijken.platform.subsidies import attachments
from omkijken.platform.subsidies.models import Subsidieaanvraag


@user_erasing.connect
def erase_aanvragen(user: User, *, result: Erasure, **_: Any) -> None:
    uid = user.id
    for aanvraag in db.session.scalars(select(Subsidieaanvraag).where(
            Subsidieaanvraag.aanvrager_id == uid, Subsidieaanvraag.status == "concept")):
        for bijlage in aanvraag.bijlagen:
            attachments.path_of(bijlage).unlink(missing_ok=True)
        db.session.delete(aanvraag)
        result.concepten += 1
    db.session.execute(update(Subsidieaanvraag).where(Subsidieaanvraag.aanvrager_id == uid)
                       .values(aanvrager_id=None).execution_options(synchronize_session=False))
