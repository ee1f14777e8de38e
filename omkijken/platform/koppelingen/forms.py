"""Forms of voorstellen and koppelingen. Only the shape is checked here; rules are in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.validators import InputRequired, Length, Optional

from omkijken.platform.formfields import ContactWarning, TextAreaField, strip
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen.nazorg import ANTWOORDEN, DOORGAAN, STOP_REDENEN
from omkijken.platform.koppelingen.welzijn import ANTWOORDEN as STELLING_ANTWOORDEN
from omkijken.platform.koppelingen.welzijn import STELLINGEN

# Why someone says no to a voorstel: each side chooses from its own reasons. The volunteer's are
# about the volunteer ("Ik heb nu geen tijd"); the resident who asked for help has other ones.
NEE_REDENEN = {
    "geen_tijd": _l("Ik heb nu geen tijd"),
    "te_ver": _l("Het is te ver weg"),
    "past_niet": _l("Het past niet bij wat ik kan"),
    "anders": _l("Iets anders"),
}
NEE_REDENEN_HULPVRAGER = {
    "iemand_anders": _l("Ik wil liever iemand anders"),
    "komt_niet_uit": _l("Het komt nu niet goed uit"),
    "anders": _l("Iets anders"),
}


def nee_redenen(kant: str | None) -> dict:
    return NEE_REDENEN if kant == "vrijwilliger" else NEE_REDENEN_HULPVRAGER


class IkHelpForm(ContactWarning, FlaskForm):
    tekst = TextAreaField(
        _l("Een bericht erbij (mag leeg blijven)"),
        filters=[strip],
        validators=[Optional(), Length(max=5000, message=_l("Dit is te lang."))],
        description=_l("Stel jezelf kort voor. Zeg wanneer je kunt."),
    )


class VraagHulpForm(ContactWarning, FlaskForm):
    hulpvraag = RadioField(_l("Bij welke hulpvraag?"), coerce=int,
                           validators=[InputRequired(_l("Kies een van je hulpvragen."))])
    tekst = TextAreaField(
        _l("Een bericht erbij (mag leeg blijven)"),
        filters=[strip],
        validators=[Optional(), Length(max=5000, message=_l("Dit is te lang."))],
    )


class NeeForm(FlaskForm):
    reden = RadioField(_l("Waarom niet? (mag leeg blijven)"), validators=[Optional()])

    def __init__(self, *args, kant: str | None = "vrijwilliger", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reden.choices = list(nee_redenen(kant).items())


class AntwoordForm(FlaskForm):
    """The one button behind a link in an email; the token in the URL says who and what."""


class CheckinForm(FlaskForm):
    """"Hoe gaat het?": one required choice; the rest may stay empty."""

    antwoord = RadioField(_l("Hoe gaat het?"), validators=[InputRequired(_l("Kies hoe het gaat."))],
                          invalid_choice_message=_l("Kies hoe het gaat."))
    stop_reden = RadioField(_l("Waarom zijn jullie gestopt?"), validators=[Optional()],
                            invalid_choice_message=_l("Kies waarom jullie gestopt zijn."))
    doorgaan = RadioField(_l("Gaan jullie door met elkaar?"), validators=[Optional()], choices=list(DOORGAAN.items()),
                          description=_l("Gaan jullie door, dan vragen we het over een half jaar weer."),
                          invalid_choice_message=_l("Zeg of jullie doorgaan."))
    cijfer = RadioField(_l("Welk cijfer geef je? (mag leeg blijven)"), validators=[Optional()],
                        choices=[(str(n), str(n)) for n in range(1, 11)],
                        description=_l("1 is heel slecht, 10 is heel goed."),
                        invalid_choice_message=_l("Geef een cijfer van 1 tot en met 10."))
    opmerking = TextAreaField(
        _l("Wil je nog iets zeggen? (mag leeg blijven)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000, message=_l("Dit is te lang: hooguit 2000 tekens."))],
    )
    # Shown to the hulpvrager herself only (``welzijn.asks_in_checkin``).
    welzijn = RadioField(_l("En hoe gaat het met jou? (mag leeg blijven)"), validators=[Optional()],
                         choices=[(str(n), str(n)) for n in range(0, 11)],
                         description=_l("0 is heel slecht, 10 is heel goed. Niemand leest dit apart: "
                                        "het telt alleen mee in cijfers over veel mensen samen."),
                         invalid_choice_message=_l("Kies een cijfer van 0 tot en met 10."))

    def __init__(self, *args, coordinator: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.antwoord.choices = list(ANTWOORDEN.items()) + ([("geen_contact", _l("Ik heb niemand bereikt"))] if coordinator else [])
        self.stop_reden.choices = list(STOP_REDENEN.items())


def _stelling(nummer: int) -> RadioField:
    return RadioField(STELLINGEN[nummer], validators=[Optional()], choices=list(STELLING_ANTWOORDEN.items()),
                      invalid_choice_message=_l("Kies ja, min of meer of nee."))


class WelzijnForm(FlaskForm):
    """"Hoe gaat het met je?" and, for a maatje, six statements: everything may stay empty."""

    cijfer = RadioField(_l("Hoe gaat het met je?"), validators=[Optional()],
                        choices=[(str(n), str(n)) for n in range(0, 11)],
                        description=_l("0 is heel slecht, 10 is heel goed."),
                        invalid_choice_message=_l("Kies een cijfer van 0 tot en met 10."))
    stelling_1 = _stelling(1)
    stelling_2 = _stelling(2)
    stelling_3 = _stelling(3)
    stelling_4 = _stelling(4)
    stelling_5 = _stelling(5)
    stelling_6 = _stelling(6)

    def stellingen(self) -> dict[int, str | None]:
        return {i: getattr(self, f"stelling_{i}").data or None for i in range(1, 7)}

    def stelling_velden(self, volgorde: tuple[int, ...]) -> list:
        return [getattr(self, f"stelling_{i}") for i in volgorde]


class AfhandelForm(FlaskForm):
    notitie = TextAreaField(
        _l("Wat heb je gedaan?"),
        filters=[strip],
        validators=[InputRequired(_l("Schrijf kort wat je hebt gedaan.")),
                    Length(max=2000, message=_l("Dit is te lang: hooguit 2000 tekens."))],
    )
    heropen = BooleanField(_l("Zoek een nieuwe vrijwilliger voor deze hulpvraag"))
