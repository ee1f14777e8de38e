"""Forms of the coordinator's pages. Only the shape of the input is checked here; the rules
(who may, what is required for a referral or a note) live in ``koppelingen.services``."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from omkijken.platform.formfields import StringField, TextAreaField, database_id, strip
from omkijken.platform.i18n import lazy_gettext as _l

TE_LANG = _l("Dit is te lang.")


def _int_or_zero(value: Any) -> int:
    """A number from the form; 0 (never a real id) when it is not one."""
    return database_id(value) or 0


class ChoiceField(SelectField):
    """A select whose choices are set by the view, with a B1 message when the choice is not offered."""

    def __init__(self, *args: Any, message: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("coerce", _int_or_zero)
        super().__init__(*args, **kwargs)
        self.message = message

    def pre_validate(self, form: Any) -> None:
        if self.data not in {value for value, _label in (self.choices or [])} or not self.data:
            raise ValidationError(self.message or _l("Kies iets uit de lijst."))


class IdsField(SelectMultipleField):
    """Checkboxes of ids; which ids are allowed is for the view and the services to say."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", _int_or_zero)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [i for i in (self.coerce(v) for v in valuelist) if i]


class BevestigForm(FlaskForm):
    """Only the CSRF token."""


class AfkeurForm(FlaskForm):
    reden = TextAreaField(_l("Waarom niet? (niet verplicht)"), filters=[strip],
                          validators=[Optional(), Length(max=2000, message=TE_LANG)])


class KoppelForm(FlaskForm):
    aanbod_id = HiddenField(filters=[_int_or_zero])
    beiden_akkoord = BooleanField(_l("Beiden zeiden al ja aan de telefoon"))
    tekst = TextAreaField(_l("Notitie (niet verplicht)"), filters=[strip],
                          validators=[Optional(), Length(max=2000, message=TE_LANG)])

    def validate_aanbod_id(self, field: HiddenField) -> None:
        if not field.data:
            raise ValidationError(_l("Kies een vrijwilliger."))


class NotitieForm(FlaskForm):
    tekst = TextAreaField(_l("Wat is er gebeurd?"), filters=[strip],
                          description=_l("Bijvoorbeeld: Gebeld met mevrouw. Ze heeft nu geen hulp meer nodig."),
                          validators=[Length(max=2000, message=TE_LANG)])


class DoorverwijsForm(FlaskForm):
    naar = StringField(_l("Naar wie stuur je de persoon?"), filters=[strip],
                       description=_l("Bijvoorbeeld: het wijkteam, de huisarts of de thuiszorg."),
                       validators=[Length(max=200, message=_l("Maak het korter: hooguit 200 tekens."))])


class DienstForm(FlaskForm):
    dienst_id = ChoiceField(_l("Welke dienst past beter?"), message=_l("Kies een dienst uit de lijst."))


class CollectiefForm(FlaskForm):
    vraag_ids = IdsField(_l("Hulpvragen"))
    activiteit_id = ChoiceField(_l("Activiteit"), message=_l("Kies een activiteit uit de lijst."))

    def validate_vraag_ids(self, field: IdsField) -> None:
        if not field.data:
            raise ValidationError(_l("Kies minstens één hulpvraag."))
