"""Bijlagen of a subsidieaanvraag: a quote, a photo, the accountability.

What a file is, is read from its first bytes, not from its name or the browser's word: a program
renamed to ``offerte.pdf`` is refused. Only PDF, JPEG and PNG are taken (three fixed signatures,
so no library is needed for it), up to ``SUBSIDIE_MAX_BIJLAGE_BYTES`` (10 MB). Files are kept under
``<instance>/bijlagen/`` with a random name, outside ``static/``, so the web server never serves
one by itself; a view sends one only after ``may_see``.

A file is named after what its bytes show (issue 19): a PDF sent as ``begroting.hta`` is shown and
downloaded as ``begroting.pdf``, since Windows runs an .hta from the download folder. A PDF that
would run something when opened (JavaScript, a launch action) is refused: an offerte needs none.
"""

from __future__ import annotations

import os
import re
import secrets
import zlib
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from flask import current_app

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import may, may_moderate
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.subsidies.models import BIJLAGE_SOORTEN, Bijlage, Subsidieaanvraag

MAX_BYTES = 10 * 1024 * 1024
FOLDER = "bijlagen"
_CHUNK = 64 * 1024
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
_ALSO = {"image/jpeg": (".jpeg", ".jpe")}
# PDF names of actions that run something when the file is opened or clicked. Names may be written
# with #xx escapes (/J#61vaScript), and may sit in compressed object streams: both are undone first.
_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|RichMedia|XFA|EmbeddedFile|SubmitForm|ImportData)(?![A-Za-z0-9])")
_ESCAPED = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)


class BijlageError(RuleBroken):
    """A file that is refused; the message says what to send instead."""


def _runs_something(data: bytes) -> bool:
    """Whether a PDF names an action that runs code, in its own text or in a compressed stream."""
    parts = [data]
    for stream in _STREAM.findall(data):
        try:
            parts.append(zlib.decompressobj().decompress(stream, 20 * MAX_BYTES))
        except zlib.error:
            continue
    return any(_ACTIVE.search(_ESCAPED.sub(lambda m: bytes([int(m.group(1), 16)]), part)) for part in parts)


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file show, or None when it is none we take."""
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    return None


def max_bytes() -> int:
    return int(current_app.config.get("SUBSIDIE_MAX_BIJLAGE_BYTES", MAX_BYTES))


def folder() -> Path:
    path = Path(current_app.instance_path) / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(bijlage: Bijlage) -> Path:
    return folder() / bijlage.opslag_naam


def _display_name(bestandsnaam: str, mime: str) -> str:
    """The name to show and to download as: without a folder (browsers on Windows send one) or
    control characters, and with the extension of what the file is, whatever it was called."""
    name = bestandsnaam.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    stem, dot, given = name.rpartition(".")
    if not dot:
        stem = name
    if dot and f".{given.lower()}" in (EXTENSIONS[mime], *_ALSO.get(mime, ())):
        extension = f".{given}"
    else:
        extension = EXTENSIONS[mime]
    return (stem.strip()[: 200 - len(extension)] or "bijlage") + extension


def download_name(bijlage: Bijlage) -> str:
    """Also for rows stored before files were named after their type."""
    return _display_name(bijlage.bestandsnaam, bijlage.mime)


def store(aanvraag: Subsidieaanvraag, stream: IO[bytes], *, bestandsnaam: str, soort: str, by: User,
          now: datetime) -> Bijlage:
    """Check and keep one file; the Bijlage is added to the session, the caller commits.

    The file is read in parts and given up as soon as it is too large, so a huge upload never
    fills the disk or the memory. It is written under a temporary name and renamed once it has
    passed, so a refused file leaves nothing behind.
    """
    if not may_add(by, aanvraag):
        raise BijlageError("bestand", _l("Je kunt bij deze aanvraag geen bestand toevoegen."))
    if soort not in BIJLAGE_SOORTEN:
        raise BijlageError("soort", _l("Kies wat voor bestand het is."))
    limit = max_bytes()
    opslag_naam = secrets.token_hex(16)
    target = folder() / opslag_naam
    partial = target.with_name(f".{opslag_naam}.deel")
    size, mime = 0, None
    try:
        with open(partial, "xb") as out:
            os.chmod(partial, 0o600)
            head = stream.read(_CHUNK)
            mime = sniff(head)
            if mime is None:
                raise BijlageError("bestand", _l("Dit soort bestand kunnen we niet gebruiken. "
                                                 "Stuur een PDF, een JPEG-foto of een PNG-plaatje."))
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise BijlageError("bestand", _l("Dit bestand is te groot. Het mag hooguit %(mb)s MB zijn.",
                                                     mb=limit // (1024 * 1024)))
                out.write(chunk)
                chunk = stream.read(_CHUNK)
        if mime == "application/pdf" and _runs_something(partial.read_bytes()):
            raise BijlageError("bestand", _l("Deze PDF heeft een ingebouwd programma (zoals JavaScript). Dat nemen we "
                                             "niet aan. Bewaar hem opnieuw als PDF, of print hem naar PDF, en stuur "
                                             "die."))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    bijlage = Bijlage(aanvraag=aanvraag, soort=soort, bestandsnaam=_display_name(bestandsnaam, mime), mime=mime,
                      grootte=size, opslag_naam=opslag_naam, created_at=now)
    db.session.add(bijlage)
    return bijlage


def may_add(user: User | Any, aanvraag: Subsidieaanvraag) -> bool:
    """The aanvrager adds the quote, photos and accountability; the gemeente may add a file a
    resident handed in on paper ("digitaal als het kan", never digital only)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.id == aanvraag.aanvrager_id or may(user, "namens_gemeente")


def may_see(user: User | Any, bijlage: Bijlage) -> bool:
    """The aanvrager always; once it is sent in, also the gemeente and whoever moderates the
    aanvraag's wijk (its opbouwwerker, who advises, and the beheerder). A draft is the
    aanvrager's own until they send it."""
    if not getattr(user, "is_authenticated", False):
        return False
    aanvraag = bijlage.aanvraag
    if user.id == aanvraag.aanvrager_id:
        return True
    if aanvraag.status == "concept":
        return False
    return may(user, "namens_gemeente") or may_moderate(user, aanvraag.wijk_id)
