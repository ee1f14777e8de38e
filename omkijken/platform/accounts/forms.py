"""Account forms. Messages are B1 Dutch and say how to put it right."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from omkijken.platform.accounts.models import ROLES
from omkijken.platform.formfields import StringField, coordinate, strip
from omkijken.platform.i18n import lazy_gettext as _l


def _new_password(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(min=8, max=200, message=_l("Kies een wachtwoord van minstens 8 tekens.")),
        ],
        render_kw={"autocomplete": "new-password"},
        description=_l("Minstens 8 tekens. Een zin van een paar woorden is goed te onthouden."),
    )


def _email() -> EmailField:
    return EmailField(
        _l("E-mailadres"),
        filters=[strip],
        validators=[
            DataRequired(_l("Vul je e-mailadres in.")),
            Email(_l("Dit e-mailadres klopt niet. Kijk of er een @ in staat."), check_deliverability=False),
            Length(max=254, message=_l("Dit e-mailadres is te lang.")),
        ],
        render_kw={"autocomplete": "email"},
    )


def _again() -> PasswordField:
    return PasswordField(
        _l("Nieuw wachtwoord nog een keer"),
        validators=[
            DataRequired(_l("Typ je nieuwe wachtwoord nog een keer.")),
            EqualTo("password", message=_l("De twee wachtwoorden zijn niet hetzelfde. Typ ze nog een keer.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class HomeFields:
    postcode = StringField(
        _l("Postcode"),
        filters=[strip],
        validators=[Optional(), Length(max=8, message=_l("Een postcode is 4 cijfers en 2 letters."))],
        render_kw={"autocomplete": "postal-code", "inputmode": "text", "autocapitalize": "characters"},
        description=_l("Bijvoorbeeld 5341 AB."),
    )
    huisnummer = StringField(
        _l("Huisnummer"),
        filters=[strip],
        validators=[Optional(), Length(max=10, message=_l("Dit huisnummer is te lang."))],
        render_kw={"autocomplete": "address-line2", "inputmode": "text"},
        description=_l("Met letter of toevoeging als je die hebt, bijvoorbeeld 12a."),
    )
    lat = HiddenField(validators=[coordinate])
    lon = HiddenField(validators=[coordinate])


class RegisterForm(HomeFields, FlaskForm):
    naam = StringField(
        _l("Je naam"),
        filters=[strip],
        validators=[DataRequired(_l("Vul je naam in.")), Length(max=120, message=_l("Deze naam is te lang."))],
        render_kw={"autocomplete": "name"},
        description=_l("Je voornaam is genoeg. Anderen zien deze naam."),
    )
    email = _email()
    password = _new_password(_l("Wachtwoord"))
    vrijwilliger = BooleanField(_l("Ik wil ook iets voor een ander doen, als vrijwilliger."))
    consent = BooleanField(
        _l("Ik heb gelezen wat Omkijken met mijn gegevens doet, en ik vind het goed."),
        validators=[InputRequired(_l("Zet een vinkje als je het goed vindt. Anders kunnen we geen account maken."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        filters=[strip],
        validators=[DataRequired(_l("Vul je e-mailadres in."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul je wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat"))


class ProfileForm(HomeFields, FlaskForm):
    naam = StringField(
        _l("Je naam"),
        filters=[strip],
        validators=[DataRequired(_l("Vul je naam in.")), Length(max=120, message=_l("Deze naam is te lang."))],
        render_kw={"autocomplete": "name"},
    )
    vrijwilliger = BooleanField(_l("Ik wil ook iets voor een ander doen, als vrijwilliger."))
    voorstellen_per_mail = BooleanField(
        _l("Stuur mij een mail als iemand bij mij in de buurt hulp zoekt die bij mij past."),
        description=_l("Staat dit uit? Dan zie je deze vragen alleen bij Voorstellen."),
    )
    samen_doen_per_mail = BooleanField(
        _l("Stuur mij een mail met activiteiten in de buurt als er een maand geen hulpvraag bij mij past."),
        description=_l("Staat dit uit? Dan zie je deze activiteiten alleen bij Voorstellen."),
    )
    taal = SelectField(_l("Taal"), choices=[("nl", "Nederlands"), ("en", "English")])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Rollen"), choices=list(ROLES.items()))
    wijken = MultiCheckboxField(
        _l("Wijken van de opbouwwerker"),
        coerce=int,
        description=_l("Alleen nodig als iemand opbouwwerker is."),
    )
    vangnet = MultiCheckboxField(
        _l("Vangnet voor het nakijken"),
        coerce=int,
        description=_l("In wijken zonder opbouwwerker kijkt deze persoon meldingen en nieuwe berichten na. "
                       "Alleen voor iemand van de gemeente of een opbouwwerker."),
    )


class ForgotPasswordForm(FlaskForm):
    email = _email()


class NewPasswordForm(FlaskForm):
    password = _new_password(_l("Nieuw wachtwoord"))
    again = _again()


class ChangePasswordForm(FlaskForm):
    huidig = PasswordField(
        _l("Je huidige wachtwoord"),
        validators=[DataRequired(_l("Vul je huidige wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password(_l("Nieuw wachtwoord"))
    again = _again()


class WelkomForm(FlaskForm):
    """The one button behind the link in the welcome mail: the token in the URL says who."""
