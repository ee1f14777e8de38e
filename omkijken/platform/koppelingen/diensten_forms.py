"""Forms of the beheerder's dienst pages. Only the shape of the input is checked here; the rules
(a valid and unique code, a category belongs to one dienst, only coordinators) live in
``koppelingen.diensten``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from omkijken.platform.formfields import StringField, TextAreaField, strip
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.koppelingen.coordinatie_forms import IdsField
from omkijken.platform.koppelingen.diensten import BESCHRIJVING_MAX, CODE_MAX, NAAM_MAX
from omkijken.platform.koppelingen.vocabulary import SOORTEN
from omkijken.platform.posts.vocabulary import CATEGORIEEN


def lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


class CodesField(SelectMultipleField):
    """Checkboxes of codes; which codes are allowed is for the services to say."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def _getal(label, description) -> StringField:
    """A short optional number as typed; ``koppelingen.diensten`` reads it and says what is wrong."""
    return StringField(label, filters=[strip], description=description,
                       validators=[Length(max=10, message=_l("Dit is te lang."))], render_kw={"inputmode": "numeric"})


class DienstForm(FlaskForm):
    naam = StringField(
        _l("Naam"),
        filters=[strip],
        description=_l("Zo zien inwoners en vrijwilligers de dienst. Bijvoorbeeld: Burenhulp."),
        validators=[DataRequired(_l("Vul een naam in.")),
                    Length(max=NAAM_MAX, message=_l("Maak de naam korter: hooguit 80 tekens."))],
        render_kw={"maxlength": NAAM_MAX},
    )
    beschrijving = TextAreaField(
        _l("Wat doet de dienst? (niet verplicht)"),
        filters=[strip],
        description=_l("Eén of twee korte zinnen."),
        validators=[Optional(), Length(max=BESCHRIJVING_MAX, message=_l("Dit is te lang."))],
    )
    soort_koppeling = RadioField(
        _l("Wat voor koppeling maakt deze dienst meestal?"),
        choices=list(SOORTEN.items()),
        validators=[InputRequired(_l("Kies wat voor koppeling deze dienst meestal maakt."))],
        invalid_choice_message=_l("Kies wat voor koppeling deze dienst meestal maakt."),
    )
    bemiddeld = BooleanField(
        _l("Een coördinator kijkt mee"),
        description=_l("Een coördinator bekijkt elk voorstel voordat de twee het zien."),
    )
    vog_nodig = BooleanField(
        _l("Vrijwilligers hebben een VOG nodig"),
        description=_l("Een VOG is een Verklaring Omtrent het Gedrag. De gemeente geeft die af."),
    )
    nazorg_dagen = StringField(
        _l("Na hoeveel dagen vragen we: hoe gaat het? (niet verplicht)"),
        filters=[strip],
        description=_l("Dagen na de start, met komma's ertussen. Bijvoorbeeld: 14, 42, 91. Leeg: eenmalig na 7 "
                       "dagen; een tijdje na 14 en 42 dagen en op de laatste dag; maatje na 14, 42, 91, 182 en "
                       "365 dagen."),
        validators=[Length(max=200, message=_l("Dit is te lang."))],
        render_kw={"inputmode": "numeric"},
    )
    duurzaam_doel = _getal(
        _l("Doel: hoeveel procent van de koppelingen is duurzaam? (niet verplicht)"),
        _l("Een heel getal, bijvoorbeeld 85. Laat het leeg als de dienst geen doel heeft. "
           "Alleen medewerkers zien het doel, inwoners niet."))
    horizon_periodiek = _getal(_l("Een tijdje: na hoeveel dagen is een koppeling duurzaam? (niet verplicht)"),
                               _l("Leeg: na 91 dagen."))
    horizon_maatje = _getal(_l("Maatje: na hoeveel dagen is een koppeling duurzaam? (niet verplicht)"),
                            _l("Leeg: na 182 dagen (een half jaar)."))
    categorieen = CodesField(
        _l("Welke hulpvragen gaan naar deze dienst?"),
        choices=list(CATEGORIEEN.items()),
        description=_l("Kies de onderwerpen. Een onderwerp kan maar bij één dienst horen. "
                       "Hulpvragen met een onderwerp zonder dienst gaan naar Burenhulp."),
    )
    coordinatoren = IdsField(
        _l("Coördinatoren"),
        description=_l("Je ziet hier iedereen met de rol coördinator. Een coördinator die bij geen enkele "
                       "dienst hoort, ziet de hulpvragen van alle diensten. Kies je iemand, dan ziet die "
                       "alleen de hulpvragen van de eigen diensten."),
    )


class NieuweDienstForm(DienstForm):
    code = StringField(
        _l("Code"),
        filters=[strip, lower],
        description=_l("Een korte naam voor de computer, bijvoorbeeld: boodschappen-maatje. "
                       "Alleen kleine letters, cijfers en streepjes (-), zonder spaties. "
                       "Je kunt de code later niet meer veranderen."),
        validators=[DataRequired(_l("Vul een code in.")),
                    Length(max=CODE_MAX, message=_l("Maak de code korter: hooguit 40 tekens."))],
        render_kw={"maxlength": CODE_MAX, "autocapitalize": "none", "spellcheck": "false"},
    )
