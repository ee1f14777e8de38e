"""Forms of the gemeente's side. Only the shape of the input is checked here (an amount that is no
amount); whether a step, a reason or an amount is allowed is for ``services``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from omkijken.platform.formfields import StringField, TextAreaField, strip
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.subsidies import money
from omkijken.platform.subsidies.models import BESLISTERMIJN_DAGEN, SOORTEN
from omkijken.platform.subsidies.vocabulary import AMOUNT_ERRORS, SOORT_LABELS

# Audit entries that are no status: notes beside the lifecycle.
BESLUIT_LABELS = {
    "toegekend": _l("Toekennen: het hele bedrag of een ander bedrag"),
    "deels_toegekend": _l("Deels toekennen: minder dan gevraagd"),
    "afgewezen": _l("Afwijzen"),
}


def amount(form: FlaskForm, field: StringField) -> None:
    """A Dutch amount, or nothing (the service says whether one was needed)."""
    if not (field.data or "").strip():
        field.cents = None
        return
    try:
        field.cents = money.parse_cents(field.data)
    except money.BadAmount as bad:
        raise ValidationError(AMOUNT_ERRORS.get(bad.code, AMOUNT_ERRORS["ongeldig"])) from None


class AmountField(StringField):
    """Text typed the Dutch way; after validation ``cents`` holds the amount (or None)."""

    cents: int | None = None


class TekstForm(FlaskForm):
    """One text: a question, a request for advice, the advice, a note. The label is set per use."""

    reden = TextAreaField(_l("Tekst"), filters=[strip], render_kw={"rows": 3})


class BesluitForm(FlaskForm):
    besluit = RadioField(_l("Wat besluit je?"), choices=list(BESLUIT_LABELS.items()),
                         validators=[InputRequired(_l("Kies wat je besluit."))])
    bedrag = AmountField(_l("Bedrag dat je toekent"), validators=[amount],
                         description=_l("Niet nodig bij afwijzen. Schrijf het zo: 1.250,50."),
                         render_kw={"inputmode": "decimal", "autocomplete": "off"})
    reden = TextAreaField(_l("Waarom? De aanvrager leest dit in de brief."), filters=[strip],
                          render_kw={"rows": 4})


class BetalingForm(FlaskForm):
    bedrag = AmountField(_l("Bedrag dat is betaald"), validators=[amount],
                         description=_l("Schrijf het zo: 1.250,50. Betaal je in delen, leg dan elk deel vast."),
                         render_kw={"inputmode": "decimal", "autocomplete": "off"})


class BeslistermijnForm(FlaskForm):
    dagen = IntegerField(_l("Beslistermijn in dagen"), default=BESLISTERMIJN_DAGEN,
                         validators=[InputRequired(_l("Vul een aantal dagen in.")),
                                     NumberRange(1, 365, _l("Kies een termijn van 1 tot 365 dagen."))],
                         description=_l("Geldt voor aanvragen die vanaf nu binnenkomen. 4 weken is 28 dagen."),
                         render_kw={"inputmode": "numeric"})


class ChecksField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RegelingForm(FlaskForm):
    naam = StringField(_l("Naam van de regeling"), filters=[strip],
                       validators=[InputRequired(_l("Geef de regeling een naam."))])
    gemeente_id = SelectField(_l("Gemeente"), coerce=int)
    jaar = IntegerField(_l("Jaar"), validators=[InputRequired(_l("Vul een jaar in.")),
                                               NumberRange(2000, 2100, _l("Vul een jaar in, zoals 2026."))],
                        render_kw={"inputmode": "numeric"})
    budget = AmountField(_l("Budget voor het hele jaar"), validators=[amount],
                         description=_l("Schrijf het zo: 25.000 of 25.000,00."), render_kw={"inputmode": "decimal"})
    maximum = AmountField(_l("Hoogste bedrag per aanvraag"), validators=[amount],
                          render_kw={"inputmode": "decimal"})
    soorten = ChecksField(_l("Voor welke soorten initiatieven?"), choices=list(SOORT_LABELS.items()))
    beslistermijn_dagen = IntegerField(_l("Beslistermijn in dagen"), default=BESLISTERMIJN_DAGEN,
                                       validators=[InputRequired(_l("Vul een aantal dagen in.")),
                                                   NumberRange(1, 365, _l("Kies een termijn van 1 tot 365 dagen."))],
                                       description=_l("4 weken is 28 dagen."), render_kw={"inputmode": "numeric"})

    def validate_soorten(self, field: ChecksField) -> None:
        if not field.data or set(field.data) - set(SOORTEN):
            raise ValidationError(_l("Kies voor welke soorten initiatieven de regeling is."))
