"""Translations are looked up once per request (i18n.py); a switch of language still counts."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from omkijken.platform.i18n import gettext as _
from omkijken.platform.i18n import lazy_gettext as _l


def test_a_mail_in_english_during_a_dutch_page_and_dutch_again_after_it(app):
    knop = _l("Inloggen")
    with app.test_request_context("/"):
        assert _("Inloggen") == "Inloggen"
        with force_locale("en"):
            assert _("Inloggen") == "Log in"
            assert str(knop) == "Log in"
            assert render_template_string("{{ _('Inloggen') }}") == "Log in"
        assert _("Inloggen") == "Inloggen"
        assert render_template_string("{{ _('Inloggen') }}") == "Inloggen"
        assert _("%(naam)s", naam="Truus") == "Truus"
