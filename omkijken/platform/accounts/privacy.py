"""Erasing an account (AVG art. 17) without changing the figures.

Erasing keeps the ``users`` row as an empty shell (no name, email, password or home) instead of
deleting it. Many tables point at users with ``ON DELETE CASCADE`` (koppelingen, check-ins,
hulpvragen): a real delete would take the koppelingen and their outcomes with it and change every
KPI after the fact. The shell keeps those links while nothing in it, or in the rows that stay, says
who the person was. :data:`ERASE_RULES` says, per column that refers to a person, what happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import delete, func, or_, select, update

from omkijken.platform.accounts import privacy_export
from omkijken.platform.accounts.models import RoleGrant, User, Vangnet, new_login_token
from omkijken.platform.accounts.password_hash import password_matches
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen.lifecycle import LIVE
from omkijken.platform.koppelingen.models import Afhandeling, Checkin, Koppeling, Voorstel, dienst_coordinatoren
from omkijken.platform.posts.models import Aanbod, Bericht, Gesprek, Hulpvraag, Melding, Post
from omkijken.platform.subsidies.models import Subsidieaanvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import Email
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.wijkagenda.models import Puntvolger, Reactie, Wijkvolger

VERWIJDERD_NAAM = "Verwijderd account"
VERWIJDERD_BERICHT = "Dit bericht is verwijderd."
VERWIJDERDE_REACTIE = "Deze reactie is verwijderd."
#: A hash no password matches: werkzeug cannot even parse it.
NO_PASSWORD = "!verwijderd"


class PrivacyError(RuleBroken):
    """An account cannot be erased like this."""


# --- what erasing does per column that refers to a person -------------------------------------

#: Every column that refers to ``users.id``, and what erasing the person does with it. The rows
#: stay linked to the empty shell unless said otherwise: the link alone no longer tells anyone who.
ERASE_RULES: dict[tuple[str, str], str] = {
    ("role_grants", "user_id"): "deleted: the shell has no roles",
    ("role_grants", "granted_by_id"): "kept: who granted a role to someone else",
    ("dienst_coordinatoren", "user_id"): "deleted: no longer coordinates a dienst",
    ("moderatie_vangnet", "user_id"): "deleted: no longer the fallback moderator of a gemeente",
    ("posts", "auteur_id"): "open posts closed (a hulpvraag is withdrawn), texts and exact place wiped",
    ("posts", "namens_id"): "kept: the coordinator who registered a vraag (self-service KPI)",
    ("meldingen", "melder_id"): "reason wiped; the report still counts",
    ("gesprekken", "deelnemer_id"): "kept; their own messages wiped",
    ("berichten", "afzender_id"): "text replaced by 'Dit bericht is verwijderd.'",
    ("voorstellen", "vrijwilliger_id"): "waiting ones lapse; reason wiped",
    ("voorstellen", "coordinator_id"): "kept: a coordinator's work",
    ("koppelingen", "hulpvrager_id"): "a running one ends (reason 'anders'), the other person and coordinators hear",
    ("koppelingen", "vrijwilliger_id"): "a running one ends (reason 'anders'), the other person and coordinators hear",
    ("checkins", "user_id"): "answer and cijfer kept for the figures, remark and note wiped",
    ("checkins", "beantwoord_door_id"): "kept: who recorded an answer",
    ("checkins", "afgehandeld_door_id"): "kept: a coordinator's work",
    ("afhandelingen", "coordinator_id"): "kept: a coordinator's work",
    ("agendapunten", "auteur_id"): "kept without the name: a punt is about public space and others support it",
    ("agendasteun", "user_id"): "kept, so the number of supporters stays",
    ("agendapuntvolgers", "user_id"): "deleted: no more digest, no more 'ik wil meehelpen'",
    ("agendareacties", "auteur_id"): "text replaced by 'Deze reactie is verwijderd.'",
    ("sociale_agendas", "gemaakt_door_id"): "kept: an opbouwwerker's work",
    ("wijkvolgers", "user_id"): "deleted: no more digest",
    ("audit_log", "actor_id"): "kept with actor_naam: moderation decisions stay accountable (append-only)",
    ("subsidieaanvragen", "aanvrager_id"): "concepts deleted; sent ones kept for the gemeente's books, "
                                           "aanvrager set to NULL (the subsidy code then mails nobody)",
    ("subsidieaanvragen", "contactpersoon_id"): "kept: the gemeente's officer",
    ("subsidieberichten", "afzender_id"): "kept: part of the subsidy file the gemeente must keep",
}



@dataclass
class Erasure:
    posts: int = 0
    ingetrokken: int = 0
    koppelingen_gestopt: int = 0
    concepten: int = 0
    mails: int = 0


def may_erase(user: User) -> None:
    """Raise when this account may not go: the last beheerder would leave nobody to run the site."""
    if user.verwijderd_at is not None:
        raise PrivacyError("", _l("Dit account is al verwijderd."))
    if any(g.role == "beheerder" for g in user.roles):
        others = db.session.scalar(
            select(func.count(func.distinct(RoleGrant.user_id))).join(User, RoleGrant.user_id == User.id).where(
                RoleGrant.role == "beheerder", RoleGrant.user_id != user.id, User.verwijderd_at.is_(None)))
        if not others:
            raise PrivacyError("", _l("Je bent de laatste beheerder. Maak eerst iemand anders beheerder. "
                                      "Daarna kun je je account verwijderen."))


def check_password(user: User, password: str) -> None:
    if not password_matches(user.password_hash, password):
        raise PrivacyError("password", _l("Dit wachtwoord klopt niet. Probeer het nog eens."))


def wipe_post(post: Post, *, now: datetime) -> None:
    """Text and exact place go; kind, category, wijk, dates, status and links stay (the figures)."""
    post.titel = post.soort.capitalize()  # stored Dutch, like the rest of the data: "Hulpvraag", "Aanbod"
    post.beschrijving = ""
    post.moderatie_reden = ""
    post.locatie, post.locatie_rd = post.toon_locatie, post.toon_locatie_rd
    for attribute in ("wil", "kan_zelf", "nodig", "uren", "plaats", "adres", "losgelaten_reden"):
        if hasattr(post, attribute) and getattr(post, attribute) is not None:
            setattr(post, attribute, "")
    if isinstance(post, Hulpvraag):
        post.voorkeur_taal = post.voorkeur_geslacht = None
    post.geanonimiseerd_at = now
    _wipe_around_post(post.id)


def _wipe_around_post(post_id: int) -> None:
    """What others wrote about this post that could tell who asked: the conversation, reports,
    what the coordinator noted, the reasons of voorstellen and the remarks of check-ins."""
    gesprek_ids = select(Gesprek.id).where(Gesprek.post_id == post_id).scalar_subquery()
    db.session.execute(update(Bericht).where(Bericht.gesprek_id.in_(gesprek_ids))
                       .values(tekst=VERWIJDERD_BERICHT).execution_options(synchronize_session=False))
    db.session.execute(update(Melding).where(Melding.post_id == post_id).values(reden="")
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Afhandeling).where(Afhandeling.hulpvraag_id == post_id).values(tekst="")
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Voorstel).where(Voorstel.hulpvraag_id == post_id).values(afwijs_reden="")
                       .execution_options(synchronize_session=False))
    koppeling_ids = select(Koppeling.id).where(Koppeling.hulpvraag_id == post_id).scalar_subquery()
    db.session.execute(update(Checkin).where(Checkin.koppeling_id.in_(koppeling_ids))
                       .values(opmerking="", notitie="").execution_options(synchronize_session=False))


def _stop_koppeling(koppeling: Koppeling, user: User, *, now: datetime) -> None:
    """The platform can no longer follow a koppeling one of the two left: it stops ('anders', the
    only reason ``matching.durability`` knows that fits), the coordinator's log says why, and the
    other person and the dienst's coordinators get a mail."""
    from omkijken.platform.koppelingen import nazorg

    nazorg.end(koppeling, "anders", now=now)
    db.session.add(Afhandeling(hulpvraag_id=koppeling.hulpvraag_id, soort="notitie", created_at=now,
                               tekst="Gestopt: een van de twee heeft het account verwijderd."))
    other = koppeling.vrijwilliger if koppeling.hulpvrager_id == user.id else koppeling.hulpvrager
    receivers = [(other, "accounts/email/koppeling_gestopt.txt")]
    if koppeling.dienst is not None:
        receivers += [(c, "accounts/email/koppeling_gestopt_coordinator.txt") for c in koppeling.dienst.coordinatoren
                      if c.id != user.id and c.verwijderd_at is None]
    for receiver, template in receivers:
        if receiver.verwijderd_at is not None:
            continue
        with force_locale(receiver.taal):
            email = Email(receiver.email, str(_l("Een koppeling is gestopt")),
                          render_template(template, user=receiver, koppeling=koppeling))
        system.enqueue(system.SEND_EMAIL, email.as_payload(), now=now)


def _naming(naam: str) -> re.Pattern[str]:
    """The name as a whole word: erasing "Ann" leaves a mail about Anna alone."""
    return re.compile(rf"(?<!\w){re.escape(naam)}(?!\w)")


def _forget_mail(user: User, mail_folder: Path | None) -> int:
    """Mails to the person (sent or waiting: a waiting one is simply never sent), mails already
    sent to others that name them (the outbox keeps sent rows only as history), and the files of
    the file outbox to them or naming them."""
    count = 0
    for row in privacy_export.mails_to(user.email):
        db.session.delete(row)
        count += 1
    named = _naming(user.naam)
    for row in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.task == system.SEND_EMAIL, OutboxMessage.done_at.is_not(None),
            system.payload_may_hold(user.naam))):
        payload = row.payload or {}
        if named.search(f"{payload.get('subject', '')}\n{payload.get('body', '')}"):
            db.session.delete(row)
            count += 1
    if mail_folder is not None and mail_folder.exists():
        for path in mail_folder.glob("*.eml"):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",))
            text = f"{message['Subject']}\n{body.get_content() if body else ''}"
            if str(message["To"]).strip().lower() == user.email or named.search(text):
                path.unlink(missing_ok=True)
                count += 1
    return count


def erase(user: User, *, now: datetime, mail_folder: Path | None = None) -> Erasure:
    """Erase this person's account (AVG art. 17); the request commits. See :data:`ERASE_RULES`."""
    from omkijken.platform.subsidies import attachments

    may_erase(user)
    result = Erasure()
    uid = user.id

    for post in db.session.scalars(select(Post).where(Post.auteur_id == uid)):
        if post.status in ("open", "gepauzeerd"):
            post.status, post.sluit_reden, post.updated_at = "gesloten", "niet_meer_nodig", now
            result.ingetrokken += 1
        if isinstance(post, Aanbod):
            post.volgt_per_mail = False
        wipe_post(post, now=now)
        result.posts += 1

    vragen = select(Hulpvraag.id).where(Hulpvraag.auteur_id == uid).scalar_subquery()
    db.session.execute(update(Voorstel).where(
        or_(Voorstel.vrijwilliger_id == uid, Voorstel.hulpvraag_id.in_(vragen)), Voorstel.status.in_(LIVE)
    ).values(status="vervallen", updated_at=now).execution_options(synchronize_session=False))
    db.session.execute(update(Voorstel).where(Voorstel.vrijwilliger_id == uid).values(afwijs_reden="")
                       .execution_options(synchronize_session=False))

    for koppeling in db.session.scalars(select(Koppeling).where(
            or_(Koppeling.hulpvrager_id == uid, Koppeling.vrijwilliger_id == uid), Koppeling.status == "actief")):
        _stop_koppeling(koppeling, user, now=now)
        result.koppelingen_gestopt += 1
    db.session.execute(update(Checkin).where(Checkin.user_id == uid).values(opmerking="", notitie="")
                       .execution_options(synchronize_session=False))

    db.session.execute(update(Bericht).where(Bericht.afzender_id == uid).values(tekst=VERWIJDERD_BERICHT)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Melding).where(Melding.melder_id == uid).values(reden="")
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Reactie).where(Reactie.auteur_id == uid).values(tekst=VERWIJDERDE_REACTIE)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Puntvolger).where(Puntvolger.user_id == uid))
    db.session.execute(delete(Wijkvolger).where(Wijkvolger.user_id == uid))
    db.session.execute(delete(dienst_coordinatoren).where(dienst_coordinatoren.c.user_id == uid))
    db.session.execute(delete(Vangnet).where(Vangnet.user_id == uid))

    for aanvraag in db.session.scalars(select(Subsidieaanvraag).where(
            Subsidieaanvraag.aanvrager_id == uid, Subsidieaanvraag.status == "concept")):
        for bijlage in aanvraag.bijlagen:
            attachments.path_of(bijlage).unlink(missing_ok=True)
        db.session.delete(aanvraag)
        result.concepten += 1
    db.session.execute(update(Subsidieaanvraag).where(Subsidieaanvraag.aanvrager_id == uid)
                       .values(aanvrager_id=None).execution_options(synchronize_session=False))

    result.mails = _forget_mail(user, mail_folder)
    user.roles.clear()
    user.naam = VERWIJDERD_NAAM
    user.email = f"verwijderd-{uid}@omkijken.invalid"
    user.password_hash = NO_PASSWORD
    user.login_token = new_login_token()
    user.postcode = user.huisnummer = None
    user.home = user.home_rd = None
    user.wijk_id = user.buurt_id = None
    user.verwijderd_at = now
    db.session.flush()
    return result

