"""The error a service raises when a rule is broken, and how a view shows it by the right field."""

from __future__ import annotations

from typing import Any

from omkijken.platform.extensions import db


class RuleBroken(ValueError):
    """``field`` names the form field the message belongs to ('' for the whole form)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def show_error(form: Any, error: RuleBroken, *, roll_back: bool = True) -> str | None:
    """Put a rule's message by its field. The map has no field, so its message is returned.

    The request's transaction is rolled back, so nothing of the refused change is committed;
    ``roll_back=False`` when the service refused before it changed anything and what the request
    saved before it must stay."""
    if roll_back:
        db.session.rollback()
    if error.field == "kaart":
        return error.message
    field = getattr(form, error.field, None)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
    return None
