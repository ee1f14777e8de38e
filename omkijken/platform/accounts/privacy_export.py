"""What a person can take with them (AVG art. 15 and 20): every row that refers to them.

The export is made by walking the metadata: every column that refers to ``users.id`` is read, so a
new table is exported without anyone remembering to (``privacy.ERASE_RULES`` must then say what
erasing does with it; ``tests/integration/test_privacy.py`` fails until it does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from geoalchemy2 import Geometry
from geoalchemy2.elements import WKBElement, WKTElement
from geoalchemy2.shape import to_shape
from sqlalchemy import Column, Table, select

from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage

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
EXPORT_HIDDEN = {("users", "password_hash"), ("users", "login_token"), ("subsidiebijlagen", "opslag_naam"),
                 ("subsidieaanvragen", "besluit_bestand"), ("subsidieaanvragen", "besluit_sha256")}

SECTION_LABELS = {
    "users": _l("Je account"),
    "role_grants": _l("Je rollen"),
    "dienst_coordinatoren": _l("Diensten waarvan je coördinator bent"),
    "posts": _l("Wat je op het prikbord zette"),
    "meldingen": _l("Berichten die je meldde"),
    "gesprekken": _l("Je gesprekken"),
    "berichten": _l("Berichten in je gesprekken"),
    "gesprekstanden": _l("Tot waar je je gesprekken las"),
    "voorstellen": _l("Voorstellen"),
    "koppelingen": _l("Je koppelingen"),
    "checkins": _l("Je antwoorden op 'Hoe gaat het?'"),
    "welzijn_metingen": _l("Hoe het met je ging, zoals je het ons vertelde"),
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
              "body": m.payload.get("body", "")} for m in mails_to(user.email)]
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


def mails_to(email: str) -> list[OutboxMessage]:
    """Outbox rows of mails to this address: the JSON is searched as text, then checked exactly."""
    rows = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.task == system.SEND_EMAIL, system.payload_may_hold(email)
    ).order_by(OutboxMessage.id))
    return [row for row in rows if (row.payload or {}).get("to") == email]

