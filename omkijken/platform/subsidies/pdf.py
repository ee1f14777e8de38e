"""The decision letter as an archival record: PDF/A-2a (tagged, Unicode, fonts embedded, sRGB output
intent, XMP metadata), rendered once by WeasyPrint from ``templates/subsidies/besluit_brief.html``
when the gemeente decides, and kept under ``<instance>/besluiten/`` with its SHA-256 on the aanvraag.
A download sends those stored bytes, so every copy is the same record (issue 27, item 2).

Why WeasyPrint and not reportlab (used before): open-source reportlab writes neither PDF/A nor a
structure tree (both are in its paid edition only); WeasyPrint writes PDF/A-2a, which is PDF/A-2b plus
tags and Unicode text, from an HTML template: the headings, paragraphs and list of the template
become the tags, and Jinja escapes what people typed, so a title with HTML in it is printed as text.
It needs Debian's Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``) and a font (``fonts-dejavu-core``).
PDF/UA is not claimed (checked with WeasyPrint 70): ``pdf_variant`` takes one variant, and
``pdf/ua-1`` writes the same tag tree as ``pdf/a-2a`` but ``pdfuaid:part`` instead of the PDF/A
identification and without the output intent, so the letter would stop being PDF/A. Adding
``pdfuaid`` through ``xmp_metadata`` puts a second ``rdf:RDF`` in the XMP packet that readers (pikepdf)
do not see, and PDF/A-2 wants an extension schema for that property; nor can PDF/UA's checks (the
Matterhorn Protocol) be run here without veraPDF or PAC. What PDF/UA builds on is tested instead:
tags for all content, headings in order, Lang, DisplayDocTitle (tests/integration/test_besluitbrief.py).

Written in the aanvrager's language, also when the gemeente downloads it: it is their letter.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from omkijken.platform import formatting
from omkijken.platform.formatting import format_cents
from omkijken.platform.i18n import gettext as _
from omkijken.platform.subsidies.models import Subsidieaanvraag

FOLDER = "besluiten"
PDF_VARIANT = "pdf/a-2a"


class BriefKwijt(RuntimeError):
    """The stored letter is missing or its bytes no longer match the hash kept with the aanvraag."""


def gemeente_naam(aanvraag: Subsidieaanvraag) -> str:
    if aanvraag.regeling is not None:
        return aanvraag.regeling.gemeente.naam
    return aanvraag.wijk.gemeente.naam if aanvraag.wijk else ""


def besluit_in_woorden(aanvraag: Subsidieaanvraag, besluit: str) -> str:
    """The decision in one plain sentence (``besluit``: the decision itself, whatever came after)."""
    bedrag = format_cents(aanvraag.toegekend_cents or 0)
    if besluit == "afgewezen":
        return _("De gemeente geeft je geen subsidie voor dit initiatief.")
    if besluit == "deels_toegekend":
        return _("De gemeente geeft je een deel van wat je vroeg: %(bedrag)s van de %(gevraagd)s.",
                 bedrag=bedrag, gevraagd=format_cents(aanvraag.gevraagd_cents))
    if (aanvraag.toegekend_cents or 0) != aanvraag.gevraagd_cents:
        return _("De gemeente geeft je subsidie: %(bedrag)s. Je vroeg %(gevraagd)s.",
                 bedrag=bedrag, gevraagd=format_cents(aanvraag.gevraagd_cents))
    return _("De gemeente geeft je de subsidie die je vroeg: %(bedrag)s.", bedrag=bedrag)


def taal_of(aanvraag: Subsidieaanvraag) -> str:
    return aanvraag.aanvrager.taal if aanvraag.aanvrager else "nl"


def besluit_letter(aanvraag: Subsidieaanvraag, besluit: str) -> bytes:
    """The letter about ``aanvraag`` (decided; ``besluit`` is what was decided) as PDF/A bytes."""
    from weasyprint import HTML  # Pango loads on first use, not when the app starts

    taal = taal_of(aanvraag)
    with force_locale(taal):
        gemeente = gemeente_naam(aanvraag)
        afzender = _("Gemeente %(naam)s", naam=gemeente)
        html = render_template(
            "subsidies/besluit_brief.html", aanvraag=aanvraag, besluit=besluit, taal=taal, afzender=afzender,
            titel=_("Besluit subsidieaanvraag %(id)s", id=aanvraag.id),
            onderwerp=_("Besluit over je subsidieaanvraag"),
            datum=formatting.datum(aanvraag.besloten_at, "long") if aanvraag.besloten_at else "",
            aanvrager=aanvraag.aanvrager.naam if aanvraag.aanvrager else _("de aanvrager"),
            wijk=(" " + _("in %(wijk)s", wijk=aanvraag.wijk.naam)) if aanvraag.wijk else "",
            in_woorden=besluit_in_woorden(aanvraag, besluit), euro=format_cents)
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def folder() -> Path:
    path = Path(current_app.instance_path) / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def store(aanvraag: Subsidieaanvraag, besluit: str) -> None:
    """Render the letter and keep it once: the file under a random name, its name and SHA-256 on
    the aanvraag. Written under a temporary name first, so a failed write leaves no half letter.
    The caller flushes and commits."""
    body = besluit_letter(aanvraag, besluit)
    naam = secrets.token_hex(16)
    target = folder() / naam
    partial = target.with_name(f".{naam}.deel")
    try:
        with open(partial, "xb") as out:
            os.chmod(partial, 0o600)
            out.write(body)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    aanvraag.besluit_bestand = naam
    aanvraag.besluit_sha256 = hashlib.sha256(body).hexdigest()


def read(aanvraag: Subsidieaanvraag) -> bytes:
    """The stored letter's bytes, checked against the hash kept with the aanvraag."""
    try:
        body = (folder() / aanvraag.besluit_bestand).read_bytes()
    except OSError as error:
        raise BriefKwijt(f"besluitbrief van aanvraag {aanvraag.id} is weg") from error
    if hashlib.sha256(body).hexdigest() != aanvraag.besluit_sha256:
        raise BriefKwijt(f"besluitbrief van aanvraag {aanvraag.id} klopt niet met zijn hash")
    return body
