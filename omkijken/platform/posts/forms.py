"""Forms of the prikbord, one per kind of post. Messages are B1 Dutch and say how to put it right.

Only the shape of the input is checked here; the rules live in ``posts.services``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from omkijken.platform.accounts.forms import MultiCheckboxField
from omkijken.platform.formfields import ContactWarning, StringField, TextAreaField, coordinate, sensible_date, strip
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts.vocabulary import (
    CATEGORIEEN,
    DAGEN,
    HERHALINGEN,
    INITIATIEF_VRAAGT,
    PLEK_SOORTEN,
    SLOTS,
    SLUIT_REDENEN,
    TALEN,
)


class EuroField(DecimalField):
    """An amount in euro; accepts '2,50', '2.50' and '€ 2,50'. A text input, since a number
    input empties itself when someone types a Dutch comma."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist:
            text = (valuelist[0] or "").replace("€", "").replace(",", ".").strip()
            if not text:
                self.data = None
                return
            try:
                self.data = Decimal(text)
            except (InvalidOperation, ValueError) as error:
                self.data = None
                raise ValueError(_l("Vul een bedrag in zoals 2,50.")) from error


def _categorie_choices(empty: bool = True) -> list[tuple[str, str]]:
    choices = list(CATEGORIEEN.items())
    return [("", _l("Kies een onderwerp")), *choices] if empty else choices


TITEL = dict(
    filters=[strip],
    validators=[DataRequired(_l("Geef je bericht een korte titel.")),
                Length(max=120, message=_l("Maak de titel korter: hooguit 120 tekens."))],
)
LONG_TEXT = dict(filters=[strip], validators=[Optional(), Length(max=5000, message=_l("Dit is te lang."))])
CATEGORIE = dict(
    choices=_categorie_choices(),
    validators=[DataRequired(_l("Kies een onderwerp."))],
)


class PlaceFields:
    """A place: postcode and huisnummer, or a point tapped on the map (static/js/pick-point.js)."""

    postcode = StringField(
        _l("Postcode"),
        filters=[strip],
        validators=[Optional(), Length(max=8, message=_l("Een postcode is 4 cijfers en 2 letters."))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
        description=_l("Bijvoorbeeld 5341 AB."),
    )
    huisnummer = StringField(
        _l("Huisnummer"),
        filters=[strip],
        validators=[Optional(), Length(max=10, message=_l("Dit huisnummer is te lang."))],
        render_kw={"autocomplete": "off"},
    )
    lat = HiddenField(validators=[coordinate])
    lon = HiddenField(validators=[coordinate])


class NamensField:
    """Only shown to a coordinator: the view removes it for everyone else."""

    namens_email = EmailField(
        _l("Plaatsen voor (e-mailadres van de inwoner)"),
        filters=[strip],
        validators=[Optional(), Email(_l("Dit e-mailadres klopt niet. Kijk of er een @ in staat."),
                                      check_deliverability=False)],
        description=_l("Niet verplicht. Vul dit alleen in als je dit plaatst voor iemand die je belde."),
    )


class HulpvraagForm(NamensField, PlaceFields, FlaskForm):
    titel = StringField(_l("Waar gaat je vraag over, in een paar woorden?"),
                        description=_l("Bijvoorbeeld: Hulp bij boodschappen op dinsdag."), **TITEL)
    wil = TextAreaField(_l("Wat wil je?"), description=_l("Wat is je doel? Wat wil je dat er anders is?"),
                        **LONG_TEXT)
    kan_zelf = TextAreaField(_l("Wat kun je zelf?"),
                             description=_l("Wat lukt je zelf, of met hulp van mensen om je heen?"), **LONG_TEXT)
    nodig = TextAreaField(_l("Wat heb je nodig?"),
                          description=_l("Welke hulp zoek je? Hoe vaak, en hoe lang?"), **LONG_TEXT)
    categorie = RadioField(_l("Onderwerp"), choices=_categorie_choices(empty=False),
                           validators=[InputRequired(_l("Kies een onderwerp."))])
    dagdelen = MultiCheckboxField(_l("Wanneer kan het?"), choices=[(s, s) for s in SLOTS], validate_choice=True)
    datum = DateField(_l("Of op één dag"), validators=[Optional(), sensible_date],
                      description=_l("Niet verplicht. Vul een datum in als het op één dag moet."))
    waar = RadioField(
        _l("Waar is de hulp nodig?"),
        choices=[("thuis", _l("Bij mij thuis")), ("anders", _l("Ergens anders"))],
        default="thuis",
        validators=[InputRequired(_l("Kies waar de hulp nodig is."))],
    )
    periode_tot = DateField(_l("Tot wanneer is de hulp nodig?"), validators=[Optional(), sensible_date],
                            description=_l("Niet verplicht. Heb je vaker hulp nodig, bijvoorbeeld elke week? Vul dan in tot wanneer."))
    voorkeur_taal = SelectField(_l("Taal van de helper"), choices=[("", _l("Maakt niet uit")), *TALEN.items()],
                                validators=[Optional()])
    voorkeur_geslacht = SelectField(
        _l("Liever een vrouw of een man?"),
        choices=[("", _l("Maakt niet uit")), ("vrouw", _l("Liever een vrouw")), ("man", _l("Liever een man"))],
        validators=[Optional()],
    )

    def validate_periode_tot(self, field):
        if field.data and self.datum.data and field.data < self.datum.data:
            raise ValidationError(_l("Deze datum ligt voor de dag van de hulp. Kies een latere datum."))


class AanbodForm(NamensField, FlaskForm):
    beschrijving = TextAreaField(
        _l("Ik kan voor een ander doen"),
        filters=[strip],
        validators=[DataRequired(_l("Schrijf in een paar zinnen wat je wilt doen.")),
                    Length(max=5000, message=_l("Dit is te lang."))],
        description=_l("Bijvoorbeeld: Ik help graag met boodschappen, of ik ga graag wandelen."),
    )
    categorieen = MultiCheckboxField(_l("Waarmee wil je helpen?"), choices=_categorie_choices(empty=False),
                                     validators=[DataRequired(_l("Kies minstens één onderwerp."))])
    dagdelen = MultiCheckboxField(_l("Wanneer kun je?"), choices=[(s, s) for s in SLOTS])
    gebied = RadioField(
        _l("Waar wil je helpen?"),
        choices=[("afstand", _l("Dicht bij mijn huis")), ("wijken", _l("In wijken die ik kies"))],
        default="afstand",
        validators=[InputRequired(_l("Kies waar je wilt helpen."))],
    )
    radius_m = SelectField(
        _l("Hoe ver van je huis?"),
        choices=[(1000, _l("1 km")), (2000, _l("2 km")), (3000, _l("3 km")), (5000, _l("5 km")), (10000, _l("10 km"))],
        coerce=int,
        default=2000,
    )
    wijk_ids = MultiCheckboxField(_l("Welke wijken?"), coerce=int)
    talen = MultiCheckboxField(_l("Welke talen spreek je?"), choices=list(TALEN.items()))
    capaciteit = SelectField(
        _l("Hoeveel mensen wil je tegelijk helpen?"), choices=[(n, str(n)) for n in range(1, 6)], coerce=int,
        default=1,
    )
    heeft_vog = BooleanField(_l("Ik heb een VOG (Verklaring Omtrent het Gedrag)."))

    def validate_wijk_ids(self, field):
        if self.gebied.data == "wijken" and not field.data:
            raise ValidationError(_l("Kies minstens één wijk."))


class VacatureForm(NamensField, PlaceFields, FlaskForm):
    titel = StringField(_l("Titel van de vacature"), description=_l("Bijvoorbeeld: Chauffeur voor de buurtbus."),
                        **TITEL)
    beschrijving = TextAreaField(_l("Wat gaat de vrijwilliger doen?"), **LONG_TEXT)
    categorie = SelectField(_l("Onderwerp"), **CATEGORIE)
    uren = StringField(_l("Hoeveel tijd kost het?"), filters=[strip],
                       validators=[Optional(), Length(max=120, message=_l("Dit is te lang."))],
                       description=_l("Bijvoorbeeld: 2 uur per week."))
    plaats = StringField(_l("Plaats"), filters=[strip],
                         validators=[Optional(), Length(max=160, message=_l("Dit is te lang."))],
                         description=_l("Bijvoorbeeld: Buurthuis De Ruwaard, Oss."))


class InitiatiefForm(NamensField, PlaceFields, FlaskForm):
    titel = StringField(_l("Naam van je initiatief"), description=_l("Bijvoorbeeld: Moestuin in de Ruwaard."),
                        **TITEL)
    beschrijving = TextAreaField(_l("Wat is je plan?"), **LONG_TEXT)
    categorie = SelectField(_l("Onderwerp"), **CATEGORIE)
    vraagt = MultiCheckboxField(_l("Waar zoek je hulp bij?"), choices=list(INITIATIEF_VRAAGT.items()),
                                description=_l("Niet verplicht. Kies wat je zoekt."))
    waar = RadioField(
        _l("Waar is het?"),
        choices=[("thuis", _l("Bij mij thuis of in mijn buurt")), ("plek", _l("Op een openbare plek"))],
        default="thuis",
        validators=[InputRequired(_l("Kies waar het is."))],
        description=_l("Bij je huis laten we de plek nooit precies zien."),
    )


_TIJDEN = re.compile(r"^\d{1,2}[:.]\d{2}\s*-\s*\d{1,2}[:.]\d{2}(\s*(,|en)\s*\d{1,2}[:.]\d{2}\s*-\s*\d{1,2}[:.]\d{2})*$")


def _opening_hours(form, field):
    if field.data and not _TIJDEN.match(field.data):
        raise ValidationError(_l("Schrijf de tijden zoals 9:00-17:00. Laat leeg als het dicht is."))


class OntmoetingsplekForm(NamensField, PlaceFields, FlaskForm):
    titel = StringField(_l("Naam van de plek"), description=_l("Bijvoorbeeld: Koffiecorner in de bibliotheek."),
                        **TITEL)
    beschrijving = TextAreaField(_l("Wat kun je er doen?"), **LONG_TEXT)
    plek_soort = RadioField(_l("Soort plek"), choices=list(PLEK_SOORTEN.items()), default="publiek",
                            validators=[InputRequired(_l("Kies binnen of buiten."))])
    adres = StringField(_l("Adres"), filters=[strip],
                        validators=[Optional(), Length(max=160, message=_l("Dit is te lang."))],
                        description=_l("Straat en huisnummer, of een korte beschrijving van de plek."))
    open_ma = StringField(DAGEN["ma"], filters=[strip], validators=[Optional(), _opening_hours])
    open_di = StringField(DAGEN["di"], filters=[strip], validators=[Optional(), _opening_hours])
    open_wo = StringField(DAGEN["wo"], filters=[strip], validators=[Optional(), _opening_hours])
    open_do = StringField(DAGEN["do"], filters=[strip], validators=[Optional(), _opening_hours])
    open_vr = StringField(DAGEN["vr"], filters=[strip], validators=[Optional(), _opening_hours])
    open_za = StringField(DAGEN["za"], filters=[strip], validators=[Optional(), _opening_hours])
    open_zo = StringField(DAGEN["zo"], filters=[strip], validators=[Optional(), _opening_hours])


class ActiviteitForm(NamensField, PlaceFields, FlaskForm):
    titel = StringField(_l("Naam van de activiteit"), description=_l("Bijvoorbeeld: Wandelgroep op dinsdag."),
                        **TITEL)
    beschrijving = TextAreaField(_l("Wat gaan jullie doen?"), **LONG_TEXT)
    categorie = SelectField(_l("Onderwerp"), **CATEGORIE)
    datum = DateField(_l("Datum"), validators=[InputRequired(_l("Vul de datum in.")), sensible_date])
    begintijd = TimeField(_l("Begint om"), validators=[InputRequired(_l("Vul in hoe laat het begint."))])
    eindtijd = TimeField(_l("Eindigt om"), validators=[Optional()], description=_l("Niet verplicht."))
    herhaling = SelectField(_l("Hoe vaak?"), choices=list(HERHALINGEN.items()), validators=[Optional()])
    herhaling_tot = DateField(_l("Herhalen tot en met"), validators=[Optional(), sensible_date],
                              description=_l("Niet verplicht. Alleen als het vaker is."))
    plek_id = SelectField(_l("Op welke ontmoetingsplek?"), coerce=int, validators=[Optional()])
    initiatief_id = SelectField(_l("Hoort het bij een initiatief van jou?"), coerce=int, validators=[Optional()])
    prijs = EuroField(_l("Wat kost meedoen? (in euro)"), places=2,
                      validators=[Optional(), NumberRange(min=0, message=_l("Een prijs kan niet lager zijn dan 0."))],
                      render_kw={"inputmode": "decimal"},
                      description=_l("Niet verplicht. Laat leeg als het gratis is."))
    regels_gelezen = BooleanField(
        _l("Ik heb de regels gelezen. Mijn activiteit past erbinnen."),
        validators=[InputRequired(_l("Zet een vinkje als je activiteit binnen de regels past."))],
    )

    def validate_prijs(self, field):
        most = Decimal(str(current_app.config.get("ACTIVITEIT_MAX_PRIJS", 5)))
        if field.data is not None and field.data > most:
            raise ValidationError(
                _l("Deze prijs is te hoog. Een activiteit kost hooguit %(bedrag)s euro.",
                   bedrag=f"{most:.2f}".replace(".", ","))
            )

    def validate_eindtijd(self, field):
        if field.data and self.begintijd.data and field.data <= self.begintijd.data:
            raise ValidationError(_l("De eindtijd moet na de begintijd zijn."))

    def validate_herhaling_tot(self, field):
        if field.data and self.datum.data and field.data < self.datum.data:
            raise ValidationError(_l("Deze datum ligt voor de eerste keer. Kies een latere datum."))


FORMS = {
    "hulpvraag": HulpvraagForm,
    "aanbod": AanbodForm,
    "vacature": VacatureForm,
    "initiatief": InitiatiefForm,
    "ontmoetingsplek": OntmoetingsplekForm,
    "activiteit": ActiviteitForm,
}


class StatusForm(FlaskForm):
    status = HiddenField()
    reden = RadioField(_l("Waarom sluit je het?"), choices=list(SLUIT_REDENEN.items()), validators=[Optional()])


class ReageerForm(ContactWarning, FlaskForm):
    tekst = TextAreaField(
        _l("Je bericht"),
        filters=[strip],
        validators=[DataRequired(_l("Schrijf een bericht.")), Length(max=5000, message=_l("Dit is te lang."))],
        description=_l("Stel jezelf kort voor. Zeg waarom je reageert."),
    )


class AntwoordForm(ContactWarning, FlaskForm):
    tekst = TextAreaField(
        _l("Je antwoord"),
        filters=[strip],
        validators=[DataRequired(_l("Schrijf een bericht.")), Length(max=5000, message=_l("Dit is te lang."))],
    )


MELD_REDENEN = {
    "reclame": _l("Het is reclame of verkoop"),
    "kwetsend": _l("Het is kwetsend of niet aardig"),
    "regels": _l("Het past niet bij de regels (geloof, politiek, feest)"),
    "nep": _l("Het lijkt nep of oplichting"),
    "anders": _l("Iets anders"),
}


class MeldForm(FlaskForm):
    # A select always sends one of its options: no "required" in the HTML, where the first option
    # would have to be an empty one (the Nu HTML Checker); the server still refuses none. Its own id:
    # the post's page also holds the closing form's "reden".
    reden = SelectField(_l("Wat is er mis?"), choices=list(MELD_REDENEN.items()), id="meld-reden",
                        validators=[DataRequired(_l("Kies wat er mis is."))], render_kw={"required": False})
    toelichting = TextAreaField(_l("Wil je er iets over zeggen?"), filters=[strip],
                                validators=[Optional(), Length(max=2000, message=_l("Dit is te lang."))],
                                description=_l("Niet verplicht."))

