"""What erasing a person does to the wijkagenda: reactions wiped, no more following.
See ``accounts.privacy.ERASE_RULES``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.signals import user_erasing
from omkijken.platform.extensions import db
from omkijken.platform.wijkagenda.models import Puntvolger, Reactie, Wijkvolger

VERWIJDERDE_REACTIE = "Deze reactie is verwijderd."


@user_erasing.connect
def erase_from_wijkagenda(user: User, **_: Any) -> None:
    uid = user.id
    db.session.execute(update(Reactie).where(Reactie.auteur_id == uid).values(tekst=VERWIJDERDE_REACTIE)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Puntvolger).where(Puntvolger.user_id == uid))
    db.session.execute(delete(Wijkvolger).where(Wijkvolger.user_id == uid))
