"""Forms of voorstellen and koppelingen. Only the shape is checked here; rules are in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from omkijken.platform.formfields import strip

NEE_REDENEN = {
    "geen_tijd": _l("Ik heb nu geen tijd"),
    "te_ver": _l("Het is te ver weg"),
    "past_niet": _l("Het past niet bij wat ik kan"),
    "anders": _l("Iets anders"),
}


class IkHelpForm(FlaskForm):
    tekst = TextAreaField(
        _l("Een bericht erbij (mag leeg blijven)"),
        filters=[strip],
        validators=[Optional(), Length(max=5000, message=_l("Dit is te lang."))],
        description=_l("Stel jezelf kort voor. Zeg wanneer je kunt."),
    )


class VraagHulpForm(FlaskForm):
    hulpvraag = RadioField(_l("Bij welke hulpvraag?"), coerce=int,
                           validators=[InputRequired(_l("Kies een van je hulpvragen."))])
    tekst = TextAreaField(
        _l("Een bericht erbij (mag leeg blijven)"),
        filters=[strip],
        validators=[Optional(), Length(max=5000, message=_l("Dit is te lang."))],
    )


class NeeForm(FlaskForm):
    reden = RadioField(_l("Waarom niet? (mag leeg blijven)"), choices=list(NEE_REDENEN.items()),
                       validators=[Optional()])


class AntwoordForm(FlaskForm):
    """The one button behind a link in an email; the token in the URL says who and what."""
