"""Small pieces every form uses: trimming input, and checking a point picked on the map."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def coordinate(form: FlaskForm, field: HiddenField) -> None:
    if field.data in (None, ""):
        return
    try:
        float(field.data)
    except ValueError as error:
        raise ValidationError(_l("Dit punt ligt niet op de kaart. Tik nog eens op de plek.")) from error
