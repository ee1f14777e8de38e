"""The privacy rules (AVG): what a person can take with them, what erasing an account does, and how
long a closed hulpvraag keeps its text.

Erasing keeps the ``users`` row as an empty shell (no name, email, password or home) instead of
deleting it. Many tables point at users with ``ON DELETE CASCADE`` (koppelingen, check-ins,
hulpvragen): a real delete would take the koppelingen and their outcomes with it and change every
KPI after the fact. The shell keeps those links while nothing in it, or in the rows that stay, says
who the person was.

The export is made by walking the metadata: every column that refers to ``users.id`` is read, so a
new table is exported without anyone remembering to. :data:`ERASE_RULES` says, for the same
columns, what erasing does; ``tests/integration/test_privacy.py`` fails when a column has no rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any, Iterable

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from geoalchemy2 import Geometry
from geoalchemy2.elements import WKBElement, WKTElement
from geoalchemy2.shape import to_shape
from sqlalchemy import Column, String, Table, cast, delete, func, or_, select, update
from werkzeug.security import check_password_hash

from omkijken.platform.accounts.models import RoleGrant, User, new_login_token
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import (Afhandeling, Checkin, Koppeling, Voorstel,
                                                  dienst_coordinatoren)
from omkijken.platform.koppelingen.vocabulary import LIVE
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
#: Closed this many months ago, a hulpvraag loses its text and exact place (config: HULPVRAAG_BEWAAR_MAANDEN).
STANDAARD_BEWAAR_MAANDEN = 12


class PrivacyError(RuleBroken):
    """An account cannot be erased like this."""


# --- what erasing does per column that refers to a person -------------------------------------

#: Every column that refers to ``users.id``, and what erasing the person does with it. The rows
#: stay linked to the empty shell unless said otherwise: the link alone no longer tells anyone who.
ERASE_RULES: dict[tuple[str, str], str] = {
    ("role_grants", "user_id"): "deleted: the shell has no roles",
    ("role_grants", "granted_by_id"): "kept: who granted a role to someone else",
    ("dienst_coordinatoren", "user_id"): "deleted: no longer coordinates a dienst",
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

#: Tables read with the rows of another table in the export: the kind-specific columns of a post,
#: the conversations about one's posts and their messages, the lines and files of an aanvraag.
EXPORT_CHILDREN: dict[str, tuple[str, ...]] = {
    "posts": ("hulpvragen", "aanbod", "vacatures", "initiatieven", "ontmoetingsplekken", "activiteiten",
              "gesprekken"),
    "hulpvragen": ("voorstellen", "afhandelingen"),
    "gesprekken": ("berichten",),
    "subsidieaanvragen": ("begrotingsregels", "subsidiebijlagen", "subsidieberichten"),
}
#: Never in an export: secrets, storage names, and the copies of a point in metres.
EXPORT_HIDDEN = {("users", "password_hash"), ("users", "login_token"), ("subsidiebijlagen", "opslag_naam")}

SECTION_LABELS = {
    "users": _l("Je account"),
    "role_grants": _l("Je rollen"),
    "dienst_coordinatoren": _l("Diensten waarvan je coördinator bent"),
    "posts": _l("Wat je op het prikbord zette"),
    "meldingen": _l("Berichten die je meldde"),
    "gesprekken": _l("Je gesprekken"),
    "berichten": _l("Berichten in je gesprekken"),
    "voorstellen": _l("Voorstellen"),
    "koppelingen": _l("Je koppelingen"),
    "checkins": _l("Je antwoorden op 'Hoe gaat het?'"),
    "afhandelingen": _l("Wat een coördinator deed"),
    "agendapunten": _l("Je punten op de wijkagenda"),
    "agendasteun": _l("Punten die je steunt"),
    "agendapuntvolgers": _l("Punten die je volgt of waar je wilt meehelpen"),
    "agendareacties": _l("Je reacties op de wijkagenda"),
    "sociale_agendas": _l("Sociale agenda's die je maakte"),
    "wijkvolgers": _l("Wijken die je volgt"),
    "audit_log": _l("Je besluiten als moderator"),
    "subsidieaanvragen": _l("Je subsidieaanvragen"),
    "begrotingsregels": _l("Begroting van je subsidieaanvragen"),
    "subsidiebijlagen": _l("Bijlagen bij je subsidieaanvragen"),
    "subsidieberichten": _l("Berichten over je subsidieaanvragen"),
    "outbox_messages": _l("E-mails aan jou"),
}


def user_references(metadata=None) -> list[tuple[Table, Column]]:
    """Every (table, column) with a foreign key to ``users.id``, in a stable order."""
    metadata = metadata if metadata is not None else db.metadata
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "users" and fk.column.name == "id" for fk in column.foreign_keys):
                found.append((table, column))
    return found


# --- export ------------------------------------------------------------------------------------


def _value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, Geometry) or isinstance(value, (WKBElement, WKTElement)):
        shape = to_shape(value)
        return {"lat": round(shape.y, 6), "lon": round(shape.x, 6)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def _shown(table: Table) -> list[Column]:
    return [c for c in table.columns
            if (table.name, c.name) not in EXPORT_HIDDEN and not c.name.endswith("_rd")]


def _rows(table: Table, where) -> list[dict[str, Any]]:
    columns = _shown(table)
    result = db.session.execute(select(*columns).where(where))
    return [{c.name: _value(c, v) for c, v in zip(columns, row)} for row in result]


def _key(table: Table, row: dict[str, Any]) -> tuple:
    return tuple(row.get(c.name) for c in table.primary_key.columns)


def _parent_fk(child: Table, parent: Table) -> Column | None:
    for column in child.columns:
        if any(fk.column.table is parent for fk in column.foreign_keys):
            return column
    return None


def _is_subtype(child: Table, parent: Table) -> bool:
    """Joined-table inheritance: the child's primary key is the parent's (hulpvragen.id -> posts.id)."""
    pk = list(child.primary_key.columns)
    return len(pk) == 1 and any(fk.column.table is parent for fk in pk[0].foreign_keys)


def export(user: User) -> dict[str, Any]:
    """Every row that refers to this person, per table, ready for JSON.

    Rows of :data:`EXPORT_CHILDREN` come along with their parent: a hulpvraag's own columns are
    merged into its post, the voorstellen and the coordinator's notes of a hulpvraag and the messages
    of a conversation follow it. Outbox rows are mails to the
    person's address (they hold no user id)."""
    tables = db.metadata.tables
    sections: dict[str, dict[tuple, dict[str, Any]]] = {}

    def add(table: Table, rows: Iterable[dict[str, Any]]) -> None:
        section = sections.setdefault(table.name, {})
        for row in rows:
            section.setdefault(_key(table, row), row)

    users = tables["users"]
    add(users, _rows(users, users.c.id == user.id))
    for table, column in user_references():
        add(table, _rows(table, column == user.id))
    for parent_name in EXPORT_CHILDREN:
        parent = tables[parent_name]
        if parent_name == "hulpvragen":
            ids = [row["id"] for row in sections.get("posts", {}).values() if row["soort"] == "hulpvraag"]
        else:
            ids = [row["id"] for row in sections.get(parent_name, {}).values()]
        if not ids:
            continue
        for child_name in EXPORT_CHILDREN[parent_name]:
            child = tables[child_name]
            fk = _parent_fk(child, parent)
            rows = _rows(child, fk.in_(ids))
            if _is_subtype(child, parent):
                by_id = {row[fk.name]: row for row in rows}
                for row in sections[parent_name].values():
                    extra = by_id.get(row["id"])
                    if extra:
                        row.update({k: v for k, v in extra.items() if k != fk.name})
            else:
                add(child, rows)
    mails = [{"created_at": m.created_at.isoformat(), "subject": m.payload.get("subject", ""),
              "body": m.payload.get("body", "")} for m in _mails_to(user.email)]
    data: dict[str, Any] = {name: list(rows.values()) for name, rows in sections.items() if rows}
    if mails:
        data["outbox_messages"] = mails
    return data


def export_json(user: User, *, now: datetime) -> str:
    return json.dumps({"gemaakt_op": now.isoformat(), "gegevens": export(user)}, ensure_ascii=False, indent=2,
                      sort_keys=False)


@dataclass(frozen=True)
class Sectie:
    naam: str
    label: str
    rijen: list[dict[str, Any]] = field(default_factory=list)


#: Everyday words for the column names that are not Dutch already (the page; the file keeps the names).
COLUMN_LABELS = {
    "id": _l("nummer"), "created_at": _l("gemaakt op"), "updated_at": _l("veranderd op"),
    "sent_at": _l("verstuurd op"), "due_at": _l("gepland op"), "answered_at": _l("beantwoord op"),
    "reminded_at": _l("herinnerd op"), "escalated_at": _l("naar de coördinator op"),
    "granted_at": _l("gekregen op"), "consent_at": _l("toestemming gegeven op"), "started_at": _l("begonnen op"),
    "ended_at": _l("gestopt op"), "home": _l("plek van je huis"), "email": _l("e-mailadres"),
    "role": _l("rol"), "subject": _l("onderwerp"), "body": _l("tekst"),
}


def column_label(name: str) -> str:
    if name in COLUMN_LABELS:
        return str(COLUMN_LABELS[name])
    return name.removesuffix("_id").removesuffix("_at").replace("_", " ")


def readable(data: dict[str, Any]) -> list[Sectie]:
    """The export as sections with Dutch headings and column names, for the page."""
    order = list(SECTION_LABELS)
    names = sorted(data, key=lambda n: (order.index(n) if n in order else len(order), n))
    return [Sectie(n, str(SECTION_LABELS.get(n, n.replace("_", " "))),
                   [{column_label(k): v for k, v in row.items()} for row in data[n]]) for n in names]


def _mails_to(email: str) -> list[OutboxMessage]:
    """Outbox rows of mails to this address: the JSON is searched as text, then checked exactly."""
    rows = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.task == system.SEND_EMAIL, cast(OutboxMessage.payload, String).contains(email)
    ).order_by(OutboxMessage.id))
    return [row for row in rows if (row.payload or {}).get("to") == email]


# --- erase -------------------------------------------------------------------------------------


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
    if not check_password_hash(user.password_hash, password or ""):
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

    nazorg._end(koppeling, "anders", now=now)
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


def _forget_mail(user: User, mail_folder: Path | None) -> int:
    """Mails to the person (sent or waiting: a waiting one is simply never sent), mails already
    sent to others that name them (the outbox keeps sent rows only as history), and the files of
    the file outbox."""
    count = 0
    for row in _mails_to(user.email):
        db.session.delete(row)
        count += 1
    for row in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.task == system.SEND_EMAIL, OutboxMessage.done_at.is_not(None),
            cast(OutboxMessage.payload, String).contains(user.naam))):
        db.session.delete(row)
        count += 1
    if mail_folder is not None and mail_folder.exists():
        for path in mail_folder.glob("*.eml"):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if str(message["To"]).strip().lower() == user.email:
                path.unlink(missing_ok=True)
                count += 1
    return count


def erase(user: User, *, now: datetime, mail_folder: Path | None = None) -> Erasure:
    """Erase this person's account (AVG art. 17) and commit. See :data:`ERASE_RULES`."""
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
    user.buurt_id = None
    user.verwijderd_at = now
    db.session.commit()
    return result


# --- retention ---------------------------------------------------------------------------------


def bewaar_grens(now: datetime, maanden: int) -> datetime:
    """``now`` minus whole months, as 30-day months: a day more or less does not matter here."""
    return now - timedelta(days=30 * maanden)


def te_wissen_vragen(*, now: datetime, maanden: int) -> list[int]:
    """Hulpvragen closed before the limit that still have their text: closed ('gesloten', the
    moment is its last change), or 'gekoppeld' whose koppelingen all ended before the limit."""
    grens = bewaar_grens(now, maanden)
    gesloten = select(Hulpvraag.id).where(
        Hulpvraag.geanonimiseerd_at.is_(None), Hulpvraag.status == "gesloten", Hulpvraag.updated_at < grens)
    laatste = (select(Koppeling.hulpvraag_id).group_by(Koppeling.hulpvraag_id)
               .having(func.count(Koppeling.ended_at) == func.count(Koppeling.id))
               .having(func.max(Koppeling.ended_at) < grens))
    gekoppeld = select(Hulpvraag.id).where(
        Hulpvraag.geanonimiseerd_at.is_(None), Hulpvraag.status == "gekoppeld", Hulpvraag.id.in_(laatste))
    return sorted(set(db.session.scalars(gesloten)) | set(db.session.scalars(gekoppeld)))


def wis_oude_hulpvragen(*, now: datetime, maanden: int = STANDAARD_BEWAAR_MAANDEN) -> int:
    """The daily retention sweep. Each vraag is claimed with one conditional UPDATE before it is
    wiped, so two sweeps at once (or one that runs twice) wipe each vraag once; returns how many
    this sweep wiped."""
    wiped = 0
    for vraag_id in te_wissen_vragen(now=now, maanden=maanden):
        claimed = db.session.execute(
            update(Post).where(Post.id == vraag_id, Post.geanonimiseerd_at.is_(None))
            .values(geanonimiseerd_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        vraag = db.session.get(Hulpvraag, vraag_id, populate_existing=True)
        wipe_post(vraag, now=now)
        db.session.commit()
        wiped += 1
    return wiped
