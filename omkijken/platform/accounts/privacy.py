"""Erasing an account (AVG art. 17) without changing the figures.

Erasing keeps the ``users`` row as an empty shell (no name, email, password or home) instead of
deleting it. Many tables point at users with ``ON DELETE CASCADE`` (koppelingen, check-ins,
hulpvragen): a real delete would take the koppelingen and their outcomes with it and change every
KPI after the fact. The shell keeps those links while nothing in it, or in the rows that stay, says
who the person was. :data:`ERASE_RULES` says, per column that refers to a person, what happens.

Accounts sits below the domains whose rows refer to a person, so it does not touch them: ``erase``
sends ``accounts.signals.user_erasing`` and ``user_erased`` and each domain cleans its own rows in
its ``erasure`` module (posts, koppelingen, wijkagenda, subsidies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import delete, func, select

from omkijken.platform.accounts import privacy_export
from omkijken.platform.accounts.models import RoleGrant, User, Vangnet, new_login_token
from omkijken.platform.accounts.password_hash import password_matches
from omkijken.platform.accounts.signals import user_erased, user_erasing
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage

VERWIJDERD_NAAM = "Verwijderd account"
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
    ("gesprekstanden", "user_id"): "deleted: nothing left to read or to be mailed about",
    ("voorstellen", "vrijwilliger_id"): "waiting ones lapse; reason wiped",
    ("voorstellen", "coordinator_id"): "kept: a coordinator's work",
    ("koppelingen", "hulpvrager_id"): "a running one ends (reason 'anders'), the other person and coordinators hear",
    ("koppelingen", "vrijwilliger_id"): "a running one ends (reason 'anders'), the other person and coordinators hear",
    ("checkins", "user_id"): "answer and cijfer kept for the figures, remark and note wiped",
    ("checkins", "beantwoord_door_id"): "kept: who recorded an answer",
    ("checkins", "afgehandeld_door_id"): "kept: a coordinator's work",
    ("welzijn_metingen", "user_id"): "deleted: how she said she was doing is about her, not the koppeling",
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
    may_erase(user)
    result = Erasure()
    uid = user.id

    user_erasing.send(user, now=now, result=result)
    user_erased.send(user, now=now, result=result)
    db.session.execute(delete(Vangnet).where(Vangnet.user_id == uid))
    result.mails = _forget_mail(user, mail_folder)
    user.roles.clear()
    user.naam = VERWIJDERD_NAAM
    user.email = f"verwijderd-{uid}@omkijken.invalid"
    user.password_hash = NO_PASSWORD
    user.login_token = new_login_token()
    user.postcode = user.huisnummer = user.adres = None
    user.home = user.home_rd = None
    user.wijk_id = user.buurt_id = None
    user.verwijderd_at = now
    db.session.flush()
    return result

