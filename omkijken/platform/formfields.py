"""Small pieces every form uses: trimming input, text fields without control characters, checking
a point picked on the map, reading an id, keeping a date within the years the site can count with.

Every form takes its text fields from here, not from wtforms (a test checks every form): a
``StringField`` holds one line, a ``TextAreaField`` lines. A carriage return in a title went into
the subject of a mail, which no mail server takes, so the worker tried it forever (issue 19).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from typing import Any

import wtforms
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError

from omkijken.platform.i18n import lazy_gettext as _l


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _is_control(ch: str) -> bool:
    """C0, DEL and C1 controls, and the Unicode line and paragraph separators."""
    return unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029"


def one_line(value: Any) -> Any:
    """Text for a single-line field: every run of control characters (line breaks, tabs, escape,
    bell, NUL ...) becomes one space; spaces around are trimmed."""
    if not isinstance(value, str):
        return value
    return re.sub(r"\s*(?:[\x00-\x1f\x7f-\x9f\u2028\u2029]\s*)+", " ", value).strip()


def lines(value: Any) -> Any:
    """Text for a multi-line field: line breaks become ``\\n`` (also CR alone, and the Unicode
    separators), tabs stay, other control characters go; trimmed."""
    if not isinstance(value, str):
        return value
    value = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", value)
    return "".join(ch for ch in value if ch in "\n\t" or not _is_control(ch)).strip()


class StringField(wtforms.StringField):
    """A single-line text field: control characters never get in (:func:`one_line`)."""

    def __init__(self, *args: Any, filters: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, filters=[one_line, *filters], **kwargs)


class TextAreaField(wtforms.TextAreaField):
    """A multi-line text field: line breaks and tabs, no other control characters (:func:`lines`)."""

    def __init__(self, *args: Any, filters: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, filters=[lines, *filters], **kwargs)


def coordinate(form: FlaskForm, field: HiddenField) -> None:
    if field.data in (None, ""):
        return
    try:
        value = float(field.data)
    except ValueError as error:
        raise ValidationError(_l("Dit punt ligt niet op de kaart. Tik nog eens op de plek.")) from error
    # float() also reads "nan" and "1e999": no map can draw those, and the database cannot store them.
    if not math.isfinite(value) or abs(value) > (90 if field.name.endswith("lat") else 180):
        raise ValidationError(_l("Dit punt ligt niet op de kaart. Tik nog eens op de plek."))


# Ids are INTEGER columns: PostgreSQL stops at 2**31 - 1, and a bigger number given to the database
# is an error (SQLite: OverflowError) instead of "not found".
MAX_ID = 2**31 - 1


def database_id(value: Any) -> int | None:
    """An id typed into a form or a URL; None when it cannot be the id of any row."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def optional_id(value: Any) -> int | None:
    """``coerce`` for a choice of a row that the view checks itself (``validate_choice=False``):
    a number past INTEGER is "nothing chosen", so the service says what to choose, instead of the
    database refusing it (SQLite: OverflowError; PostgreSQL: DataError)."""
    return database_id(value)


# Every date a person can type: a day after 9999-12-31 or a moment before 0001-01-01 in UTC does
# not exist (OverflowError), and nothing here plans or counts that far out.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def sensible_date(form: FlaskForm, field: Any) -> None:
    """A validator for every DateField."""
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Kies een datum tussen %(van)s en %(tot)s.", van=FIRST_DAY.year, tot=LAST_DAY.year))


# --- contact details in a message ------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 9 to 14 digits with spaces, dots, dashes or brackets between them, maybe after + or 00: 06-12345678,
# +31 6 1234 5678, 0031 (0)13 123 4567. Dates, times, amounts and postcodes have fewer digits.
_PHONE = re.compile(r"(?<![\w.,])(?:\+|00)?\d(?:\s?[\s().-]?\s?\d){8,13}(?![\w,])")
CONTACT_WARNING = _l("Je bericht heeft een telefoonnummer of e-mailadres. Deel dat alleen als je de ander "
                     "vertrouwt. Wil je het toch versturen? Zet dan een vinkje en verstuur het nog een keer.")


def has_contact_details(text: str | None) -> bool:
    """Whether a message holds what looks like a phone number or an e-mail address."""
    return bool(text) and bool(_EMAIL.search(text) or _PHONE.search(text))


class ContactWarning:
    """A form that sends a message (field ``tekst``) and asks once before a phone number or e-mail
    address goes out (issue 19): the writer ticks ``toch_versturen`` to send it anyway. Render it
    with ``contact_check(form)`` from _form.html, after the message field."""

    toch_versturen = wtforms.BooleanField(_l("Ja, verstuur het toch"))
    contact_warned = False

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[misc]
        if valid and not self.toch_versturen.data and has_contact_details(self.tekst.data):
            self.contact_warned = True
            self.tekst.errors = [*self.tekst.errors, CONTACT_WARNING]
            return False
        return valid
