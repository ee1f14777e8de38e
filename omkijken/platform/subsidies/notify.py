"""The aanvrager hears of every step that is not their own doing, by email (the app shows the same
status on the aanvraag's page). ``services.move`` calls ``tell_applicant`` inside its transaction,
so the mail goes out (through the outbox) exactly when the step is committed."""

from __future__ import annotations

from datetime import datetime

from omkijken.platform.accounts.models import User
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.subsidies.models import Subsidieaanvraag
from omkijken.platform.subsidies.vocabulary import AANVRAGER_STATUS
from omkijken.platform.system.mail import queue_mail

# The steps the aanvrager must hear of; "ingediend" is their own step, and the mail confirms it.
TELL = frozenset({"ingediend", "vragen_gesteld", "toegekend", "deels_toegekend", "afgewezen",
                  "verantwoording_gevraagd", "afgesloten"})
# Taken up by the gemeente: now there is a contact person with a name.
TAKEN_UP = ("ingediend", "in_behandeling")


def should_tell(van: str, naar: str) -> bool:
    return naar in TELL or (van, naar) == TAKEN_UP


def tell_applicant(aanvraag: Subsidieaanvraag, now: datetime, *, van: str, by: User) -> None:
    """Queue the mail about the step ``van`` -> ``aanvraag.status`` (call after the status is set)."""
    aanvrager = aanvraag.aanvrager
    if aanvrager is None or not should_tell(van, aanvraag.status):
        return
    if aanvraag.status != "ingediend" and by.id == aanvrager.id:
        return

    onderwerp = _l("Je subsidieaanvraag \"%(titel)s\": %(status)s", titel=aanvraag.titel,
                   status=AANVRAGER_STATUS.get(aanvraag.status, aanvraag.status))
    queue_mail(aanvrager, onderwerp, "subsidies/email/status.txt", now=now, aanvraag=aanvraag, van=van)
