"""Forms of the aanvrager's side. Only the shape of the input is checked here (an amount that is
no amount, a number that is no number); what is allowed and what is missing is the services'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from omkijken.platform.formatting import format_cents
from omkijken.platform.formfields import StringField, TextAreaField, one_line, optional_id, strip
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.subsidies import money
from omkijken.platform.subsidies.services import KORT_MAX, REGELS_MAX, TEKST_MAX, TITEL_MAX
from omkijken.platform.subsidies.vocabulary import AMOUNT_ERRORS, BIJLAGE_LABELS, SOORT_UITLEG

# Empty rows under the filled budget lines, for a phone without JavaScript.
EMPTY_ROWS = 3


def amount_error(code: str) -> str:
    return str(AMOUNT_ERRORS.get(code, AMOUNT_ERRORS["ongeldig"]))


def cents_or_none(text: str | None) -> int | None:
    """An optional amount: empty is None; a bad one raises BadAmount."""
    if not (text or "").strip():
        return None
    return money.parse_cents(text or "")


def money_text(cents: int | None) -> str:
    """Whole cents as the aanvrager would type them: 1250,50 (empty for nothing)."""
    if not cents:
        return ""
    return format_cents(cents).removeprefix("€ ")


def _max(limit: int) -> Length:
    return Length(max=limit, message=_l("Maak dit korter: hooguit %(max)s tekens.", max=limit))


def _amount(form: FlaskForm, field: StringField) -> None:
    try:
        cents_or_none(field.data)
    except money.BadAmount as bad:
        raise ValidationError(amount_error(bad.code)) from None


def _whole_number(form: FlaskForm, field: StringField) -> None:
    text = (field.data or "").strip()
    if text and not (text.isdigit() and len(text) <= 7):
        raise ValidationError(_l("Vul een heel getal in, bijvoorbeeld 25."))


def whole_number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text else None


@dataclass
class Regel:
    """One row of the begroting as typed: text, amount and what is wrong with them."""

    nummer: int
    wat: str = ""
    bedrag: str = ""
    fout_wat: str = ""
    fout_bedrag: str = ""

    @property
    def leeg(self) -> bool:
        return not self.wat.strip() and not self.bedrag.strip()

    @property
    def fout(self) -> bool:
        return bool(self.fout_wat or self.fout_bedrag)


def read_lines(formdata: Mapping[str, Any]) -> tuple[list[Regel], list[tuple[str, int]]]:
    """The rows as typed (with an error per row) and, when there is none, the lines in cents.
    A row left empty is skipped; rows are named ``regel-<n>-wat`` and ``regel-<n>-bedrag``."""
    numbers = sorted({int(key.split("-")[1]) for key in formdata
                      if key.startswith("regel-") and key.count("-") == 2 and key.split("-")[1].isdigit()})
    rows: list[Regel] = []
    lines: list[tuple[str, int]] = []
    for number in numbers[:REGELS_MAX + EMPTY_ROWS + 10]:
        row = Regel(len(rows) + 1, one_line(formdata.get(f"regel-{number}-wat") or ""),
                    one_line(formdata.get(f"regel-{number}-bedrag") or ""))
        if row.leeg:
            continue
        if not row.wat:
            row.fout_wat = str(_l("Schrijf waar dit bedrag voor is."))
        elif len(row.wat) > KORT_MAX:
            row.fout_wat = str(_l("Maak dit korter: hooguit %(max)s tekens.", max=KORT_MAX))
        cents = None
        try:
            cents = money.parse_cents(row.bedrag)
            if cents == 0:
                row.fout_bedrag = str(_l("Het bedrag moet meer dan € 0 zijn."))
        except money.BadAmount as bad:
            row.fout_bedrag = amount_error(bad.code) if bad.code != "leeg" else str(_l("Vul het bedrag in."))
        rows.append(row)
        if not row.fout and cents is not None:
            lines.append((row.wat, cents))
    return rows, lines


def rows_with_room(rows: list[Regel]) -> list[Regel]:
    """The filled rows plus a few empty ones to type in."""
    room = max(0, min(EMPTY_ROWS, REGELS_MAX - len(rows)))
    return rows + [Regel(len(rows) + i + 1) for i in range(room)]


class AanvraagForm(FlaskForm):
    titel = StringField(_l("Naam van je plan"), filters=[strip],
                        description=_l("Kort, bijvoorbeeld: Koffieochtend in de Ruwaard"),
                        validators=[Optional(), Length(max=TITEL_MAX, message=_l(
                            "Maak de naam korter: hooguit %(max)s tekens.", max=TITEL_MAX))])
    soort = RadioField(_l("Wat voor initiatief is het?"), choices=list(SOORT_UITLEG.items()),
                       validators=[Optional()], validate_choice=False)
    wat = TextAreaField(_l("Wat wil je doen?"), filters=[strip],
                        description=_l("Vertel in een paar zinnen wat je gaat doen."),
                        validators=[Optional(), _max(TEKST_MAX)])
    voor_wie = TextAreaField(_l("Voor wie is het?"), filters=[strip],
                             description=_l("Bijvoorbeeld: ouderen in de straat, kinderen van de basisschool."),
                             validators=[Optional(), _max(TEKST_MAX)])
    wijk_id = SelectField(_l("In welke wijk?"), coerce=optional_id, validators=[Optional()], validate_choice=False)
    plek = StringField(_l("Op welke plek? (niet verplicht)"), filters=[strip],
                       description=_l("Bijvoorbeeld: het buurthuis, of het grasveld bij de school."),
                       validators=[Optional(), _max(KORT_MAX)])
    wanneer = StringField(_l("Wanneer?"), filters=[strip],
                          description=_l("Een datum, of bijvoorbeeld: elke dinsdagochtend van maart tot juni."),
                          validators=[Optional(), _max(KORT_MAX)])
    deelnemers = StringField(_l("Hoeveel mensen doen ongeveer mee?"), filters=[strip],
                             render_kw={"inputmode": "numeric", "autocomplete": "off"},
                             validators=[Optional(), _whole_number])
    eigen_bijdrage_cents = StringField(_l("Eigen geld, in euro (niet verplicht)"), filters=[strip],
                                       description=_l("Wat jullie zelf betalen, bijvoorbeeld 50 of 12,50."),
                                       render_kw={"inputmode": "decimal", "autocomplete": "off"},
                                       validators=[Optional(), _amount])
    sponsor_bijdrage_cents = StringField(_l("Geld van sponsors, in euro (niet verplicht)"), filters=[strip],
                                         description=_l("Bijvoorbeeld van een winkel of een fonds."),
                                         render_kw={"inputmode": "decimal", "autocomplete": "off"},
                                         validators=[Optional(), _amount])
    uren_vrijwilligers = StringField(_l("Uren die vrijwilligers helpen (niet verplicht)"), filters=[strip],
                                     description=_l("Alle uren bij elkaar opgeteld, ongeveer."),
                                     render_kw={"inputmode": "numeric", "autocomplete": "off"},
                                     validators=[Optional(), _whole_number])
    bijdragen = TextAreaField(_l("Wie helpt er nog meer mee? (niet verplicht)"), filters=[strip],
                              description=_l("Bijvoorbeeld: de bakker geeft koek, de school leent stoelen."),
                              validators=[Optional(), _max(TEKST_MAX)])
    regeling_id = RadioField(_l("Uit welke regeling vraag je subsidie?"), coerce=optional_id,
                             validators=[Optional()], validate_choice=False)

    def changes(self) -> dict[str, Any]:
        """What to hand to ``services.edit``, in cents and whole numbers (wijk before regeling)."""
        changes: dict[str, Any] = {
            "titel": self.titel.data or "", "soort": self.soort.data or None, "wat": self.wat.data or "",
            "voor_wie": self.voor_wie.data or "",
        }
        if self.wijk_id.data is not None:
            changes["wijk_id"] = self.wijk_id.data
        changes |= {
            "plek": self.plek.data or "", "wanneer": self.wanneer.data or "",
            "deelnemers": whole_number(self.deelnemers.data),
            "eigen_bijdrage_cents": cents_or_none(self.eigen_bijdrage_cents.data) or 0,
            "sponsor_bijdrage_cents": cents_or_none(self.sponsor_bijdrage_cents.data) or 0,
            "uren_vrijwilligers": whole_number(self.uren_vrijwilligers.data) or 0,
            "bijdragen": self.bijdragen.data or "",
            "regeling_id": self.regeling_id.data or None,
        }
        return changes

    def fill(self, aanvraag: Any) -> None:
        """Show what is saved (on GET)."""
        for name in ("titel", "wat", "voor_wie", "plek", "wanneer", "bijdragen"):
            getattr(self, name).data = getattr(aanvraag, name)
        self.soort.data = aanvraag.soort
        self.wijk_id.data = aanvraag.wijk_id
        self.regeling_id.data = aanvraag.regeling_id
        self.deelnemers.data = str(aanvraag.deelnemers) if aanvraag.deelnemers is not None else ""
        self.uren_vrijwilligers.data = str(aanvraag.uren_vrijwilligers) if aanvraag.uren_vrijwilligers else ""
        self.eigen_bijdrage_cents.data = money_text(aanvraag.eigen_bijdrage_cents)
        self.sponsor_bijdrage_cents.data = money_text(aanvraag.sponsor_bijdrage_cents)


class AntwoordForm(FlaskForm):
    tekst = TextAreaField(_l("Je antwoord"), filters=[strip],
                          validators=[DataRequired(_l("Schrijf eerst je antwoord.")),
                                      Length(max=TEKST_MAX, message=_l("Maak je antwoord korter."))])


class BijlageForm(FlaskForm):
    soort = RadioField(_l("Wat voor bestand is het?"), choices=[(k, BIJLAGE_LABELS[k]) for k in ("offerte", "foto")],
                       default="offerte", validators=[InputRequired(_l("Kies wat voor bestand het is."))])
    bestand = FileField(_l("Kies het bestand"), description=_l("Een PDF, een JPEG-foto of een PNG-plaatje, tot 10 MB."),
                        validators=[FileRequired(_l("Kies eerst een bestand."))])


class IntrekkenForm(FlaskForm):
    reden = TextAreaField(_l("Waarom trek je de aanvraag in? (niet verplicht)"), filters=[strip],
                          validators=[Optional(), _max(TEKST_MAX)])


class VerantwoordingForm(FlaskForm):
    bereikt = TextAreaField(_l("Wat heeft het opgeleverd?"), filters=[strip],
                            description=_l("Wat is er gebeurd? Hoeveel mensen kwamen er?"),
                            validators=[Optional(), _max(TEKST_MAX)])
    bijdragen_van_wie = TextAreaField(_l("Wie heeft wat bijgedragen?"), filters=[strip],
                                      description=_l("Buren, vrijwilligers, winkels, de school: wie deed of gaf wat?"),
                                      validators=[Optional(), _max(TEKST_MAX)])
    deelnemers_vonden = TextAreaField(_l("Wat vonden de deelnemers ervan?"), filters=[strip],
                                      description=_l("Wat zeiden ze? Een paar woorden is genoeg."),
                                      validators=[Optional(), _max(TEKST_MAX)])
    werkelijke_kosten_cents = StringField(_l("Wat heeft het echt gekost, in euro?"), filters=[strip],
                                          description=_l("Alles bij elkaar, bijvoorbeeld 530 of 529,95."),
                                          render_kw={"inputmode": "decimal", "autocomplete": "off"},
                                          validators=[Optional(), _amount])
    foto = FileField(_l("Een foto van de activiteit (niet verplicht)"),
                     description=_l("Een JPEG-foto of een PNG-plaatje, tot 10 MB."))

    def changes(self) -> dict[str, Any]:
        return {"bereikt": self.bereikt.data or "", "bijdragen_van_wie": self.bijdragen_van_wie.data or "",
                "deelnemers_vonden": self.deelnemers_vonden.data or "",
                "werkelijke_kosten_cents": cents_or_none(self.werkelijke_kosten_cents.data)}

    def fill(self, aanvraag: Any) -> None:
        for name in ("bereikt", "bijdragen_van_wie", "deelnemers_vonden"):
            getattr(self, name).data = getattr(aanvraag, name)
        kosten = aanvraag.werkelijke_kosten_cents
        self.werkelijke_kosten_cents.data = "0" if kosten == 0 else money_text(kosten)
