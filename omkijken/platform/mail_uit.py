"""The page behind a bulk mail's stop link (RFC 8058), one for every kind of bulk mail.

A person who taps the link sees one button, so a mail scanner that opens links changes nothing; a
mail app's one-tap unsubscribe POSTs, without a form token: the signed link is the proof. Stopping
twice is fine.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from flask import render_template, request
from flask.typing import ResponseReturnValue

from omkijken.platform.i18n import gettext as _

T = TypeVar("T")


def stop_page(found: T | None, stop: Callable[[T], None], *, ongeldig: str, klaar: str,
              vraag: str) -> ResponseReturnValue:
    """``found`` is what the link names (None when the link was changed); ``stop`` switches its mail off."""
    if found is None:
        return render_template("mail_uit.html", ongeldig=ongeldig), 400
    if request.method == "POST":
        stop(found)
        return render_template("mail_uit.html", klaar=klaar)
    return render_template("mail_uit.html", vraag=vraag, knop=_("Zet deze mail uit"))
