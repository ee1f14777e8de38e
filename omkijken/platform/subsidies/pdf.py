"""The decision letter as a PDF (reportlab's platypus, A4): the gemeente, the date, to whom, about
which initiatief, what was asked, the decision in words, the amount, the reason, what happens next
(payment and the three questions of the accountability) and the contact person.

Written in the aanvrager's language, also when the gemeente downloads it: it is their letter.
The standard Helvetica fonts carry € (WinAnsi encoding), so no font files are needed. Everything
the people typed is escaped: reportlab's Paragraph reads a little markup.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from flask_babel import force_locale
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from omkijken.platform import formatting
from omkijken.platform.formatting import format_cents
from omkijken.platform.i18n import gettext as _
from omkijken.platform.subsidies.models import Subsidieaanvraag


def _text(value: str) -> str:
    """User text, safe for Paragraph markup, with its line breaks kept."""
    return escape(value or "").replace("\n", "<br/>")


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


def besluit_letter(aanvraag: Subsidieaanvraag, besluit: str) -> bytes:
    """The letter about ``aanvraag`` (decided; ``besluit`` is what was decided) as PDF bytes."""
    taal = aanvraag.aanvrager.taal if aanvraag.aanvrager else "nl"
    with force_locale(taal):
        return _build(aanvraag, besluit)


def _build(aanvraag: Subsidieaanvraag, besluit: str) -> bytes:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("brief", parent=styles["BodyText"], fontName="Helvetica", fontSize=11, leading=15,
                          spaceAfter=6)
    kop = ParagraphStyle("kop", parent=styles["Heading2"], fontName="Helvetica-Bold", fontSize=13, spaceBefore=10,
                         spaceAfter=4)
    titel = ParagraphStyle("titel", parent=styles["Title"], fontName="Helvetica-Bold", fontSize=16, alignment=0)
    klein = ParagraphStyle("klein", parent=body, fontSize=9, leading=12, textColor="#444444")

    gemeente = gemeente_naam(aanvraag)
    datum = formatting.datum(aanvraag.besloten_at, "long") if aanvraag.besloten_at else ""
    aanvrager = aanvraag.aanvrager.naam if aanvraag.aanvrager else _("de aanvrager")
    p = lambda text, style=body: Paragraph(text, style)  # noqa: E731

    story = [
        p(_text(_("Gemeente %(naam)s", naam=gemeente)), titel),
        p(_text(datum)),
        p(_text(_("Aan: %(naam)s", naam=aanvrager))),
        p(_text(_("Kenmerk: subsidieaanvraag %(id)s", id=aanvraag.id)), klein),
        Spacer(1, 4 * mm),
        p(_text(_("Besluit over je subsidieaanvraag")), kop),
        p(_text(_("Beste %(naam)s,", naam=aanvrager))),
        p(_text(_("Je vroeg subsidie aan voor je initiatief \"%(titel)s\"%(wijk)s. Hier lees je wat de gemeente "
                  "besloten heeft.", titel=aanvraag.titel,
                  wijk=(" " + _("in %(wijk)s", wijk=aanvraag.wijk.naam)) if aanvraag.wijk else ""))),
        p(_text(_("Wat je vroeg")), kop),
        p(_text(_("Je begroting is %(totaal)s. Van de gemeente vroeg je %(gevraagd)s.",
                  totaal=format_cents(aanvraag.totaal_cents), gevraagd=format_cents(aanvraag.gevraagd_cents)))),
    ]
    if aanvraag.regeling is not None:
        story.append(p(_text(_("Regeling: %(naam)s (%(jaar)s).", naam=aanvraag.regeling.naam,
                                jaar=aanvraag.regeling.jaar))))
    story += [
        p(_text(_("Het besluit")), kop),
        p("<b>%s</b>" % _text(besluit_in_woorden(aanvraag, besluit))),
    ]
    if besluit != "afgewezen":
        story.append(p(_text(_("Toegekend bedrag: %(bedrag)s", bedrag=format_cents(aanvraag.toegekend_cents or 0)))))
    story += [p(_text(_("Waarom")), kop), p(_text(aanvraag.reden))]

    story.append(p(_text(_("Wat gebeurt er nu?")), kop))
    if besluit == "afgewezen":
        story.append(p(_text(_("Je krijgt geen geld van deze regeling. Heb je vragen over dit besluit? "
                               "Neem dan contact op met je contactpersoon. Misschien kan het initiatief "
                               "op een andere manier toch door."))))
    else:
        story.append(p(_text(_("De gemeente maakt het bedrag over. Je contactpersoon laat je weten wanneer."))))
        story.append(p(_text(_("Als je initiatief klaar is, vraagt de gemeente je te vertellen hoe het ging. "
                               "Dat zijn drie vragen:"))))
        vragen = [_("Wat heeft het opgeleverd?"), _("Wie heeft wat bijgedragen?"),
                  _("Wat vonden de deelnemers ervan?")]
        story.append(ListFlowable([ListItem(p(_text(v)), leftIndent=12) for v in vragen], bulletType="1",
                                  leftIndent=14, bulletFontName="Helvetica"))
        story.append(p(_text(_("We vragen ook wat het echt heeft gekost. Bewaar daarom je bonnetjes."))))
    story.append(p(_text(_("Ben je het niet eens met dit besluit? Dan kun je binnen 6 weken bezwaar maken bij de "
                           "gemeente. Neem eerst contact op met je contactpersoon: vaak lossen we het samen op.")),
                   klein))

    story.append(p(_text(_("Je contactpersoon")), kop))
    if aanvraag.contactpersoon is not None:
        story.append(p(_text(f"{aanvraag.contactpersoon.naam}, {aanvraag.contactpersoon.email}")))
    else:
        story.append(p(_text(_("Gemeente %(naam)s", naam=gemeente))))
    story += [Spacer(1, 6 * mm), p(_text(_("Met vriendelijke groet,"))),
              p(_text(_("Gemeente %(naam)s", naam=gemeente)))]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=_("Besluit subsidieaanvraag %(id)s", id=aanvraag.id),
                            author=_("Gemeente %(naam)s", naam=gemeente), lang=taal_of(aanvraag))
    doc.build(story)
    return buffer.getvalue()


def taal_of(aanvraag: Subsidieaanvraag) -> str:
    return aanvraag.aanvrager.taal if aanvraag.aanvrager else "nl"
