"""Emails about voorstellen and koppelingen, written through the outbox in the caller's transaction.

Mails are rendered in the worker too, where there is no request: links are built from SITE_URL.
"""

from __future__ import annotations

from datetime import datetime

from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen import links
from omkijken.platform.system.mail import queue_mail


def voorstel_open(voorstel, *, now: datetime) -> None:
    """Ask each side that has not said yes yet, with one-click links to say yes or no.

    The volunteer's mail is bulk (the matching sends it, to many volunteers over time, not in answer
    to something she did): it has a List-Id and a one-tap link that stops it, and a volunteer who
    stopped it finds the voorstel on /voorstellen only. The resident's mail answers her own vraag.
    """
    vraag = voorstel.hulpvraag
    vrijwilliger = voorstel.vrijwilliger
    if voorstel.vrijwilliger_akkoord_at is None and vrijwilliger.voorstellen_per_mail:
        uit = links.voorstellen_uit_url(voorstel.vrijwilliger_id)
        queue_mail(vrijwilliger, _l("Iemand bij jou in de buurt zoekt hulp"), "koppelingen/email/voorstel.txt",
              now=now, list_id="voorstellen", unsubscribe=uit, uit=uit, voorstel=voorstel, vraag=vraag,
              kant="vrijwilliger",
              ja=links.url(voorstel.id, voorstel.vrijwilliger_id, "ja"),
              nee=links.url(voorstel.id, voorstel.vrijwilliger_id, "nee"))
    if voorstel.vraag_akkoord_at is None:
        queue_mail(vraag.auteur, _l("We hebben iemand gevonden die je kan helpen"), "koppelingen/email/voorstel.txt",
              now=now, voorstel=voorstel, vraag=vraag, kant="hulpvrager",
              ja=links.url(voorstel.id, vraag.auteur_id, "ja"),
              nee=links.url(voorstel.id, vraag.auteur_id, "nee"))


def voorstellen_uit(user: User) -> None:
    """The one-tap link in a proposal mail: no more of them. Doing it twice changes nothing."""
    user.voorstellen_per_mail = False
    db.session.flush()


def koppeling_gestart(koppeling, *, now: datetime) -> None:
    for user in (koppeling.hulpvrager, koppeling.vrijwilliger):
        queue_mail(user, _l("Jullie zijn gekoppeld"), "koppelingen/email/gekoppeld.txt", now=now, koppeling=koppeling)


def voorstel_afgewezen(voorstel, *, now: datetime) -> None:
    """The resident hears that we look further; a volunteer is not told who said no."""
    if voorstel.afgewezen_door != "hulpvrager":
        queue_mail(voorstel.hulpvraag.auteur, _l("We zoeken verder voor je hulpvraag"), "koppelingen/email/afgewezen.txt",
              now=now, voorstel=voorstel, vraag=voorstel.hulpvraag)


def samen_doen(user: User, activiteiten, *, now: datetime) -> None:
    """Group activities for a volunteer the matching found nothing for. Bulk mail (a schedule sends
    it to every idle volunteer): a List-Id and a one-tap link that stops it. The caller skips a
    volunteer who stopped it; she still sees the activities on /voorstellen."""
    uit = links.samen_doen_uit_url(user.id)
    queue_mail(user, _l("Samen iets doen bij jou in de buurt"), "koppelingen/email/samen_doen.txt", now=now,
               list_id="samen-doen", unsubscribe=uit, uit=uit, activiteiten=activiteiten)


def samen_doen_uit(user: User) -> None:
    """The one-tap link in that mail: no more of it. Doing it twice changes nothing."""
    user.samen_doen_per_mail = False
    db.session.flush()


def checkin(checkin, *, now: datetime, herinnering: bool = False) -> None:
    """'Hoe gaat het?' with three one-tap answers. A reminder is the same question once more."""
    koppeling = checkin.koppeling
    ander = koppeling.vrijwilliger if checkin.kant == "hulpvrager" else koppeling.hulpvrager
    subject = _l("Nog even: hoe gaat het met %(naam)s?", naam=ander.naam) if herinnering else \
        _l("Hoe gaat het met %(naam)s?", naam=ander.naam)
    queue_mail(checkin.user, subject, "koppelingen/email/checkin.txt", now=now, checkin=checkin, ander=ander,
          koppeling=koppeling, herinnering=herinnering, checkin_id=checkin.id,
          **{answer: links.checkin_url(checkin.id, checkin.user_id, answer) for answer in links.CHECKIN_ANSWERS})


def te_bellen(user: User, count: int, *, now: datetime) -> None:
    """A coordinator hears that people did not answer their check-in, even after a reminder."""
    queue_mail(user, _l("Nazorg: %(count)s mensen om te bellen", count=count), "koppelingen/email/te_bellen.txt",
          now=now, count=count)


def lange_wacht(vraag, *, dagen: int, now: datetime) -> None:
    """A vraag waited ``dagen`` days without a voorstel: the resident hears it, and what she can do."""
    queue_mail(vraag.auteur, _l("Je hulpvraag wacht nog op een vrijwilliger"), "koppelingen/email/lange_wacht.txt",
               now=now, vraag=vraag, dagen=dagen)
