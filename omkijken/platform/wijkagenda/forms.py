"""Forms of the wijkagenda. Only the shape of the input is checked here; the rules are in the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField
from wtforms.validators import InputRequired, Length, Optional

from omkijken.platform.accounts.forms import MultiCheckboxField
from omkijken.platform.formfields import ContactWarning, StringField, TextAreaField, coordinate, sensible_date, strip
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.wijkagenda.vocabulary import ONDERWERPEN, SOORTEN


class PuntForm(FlaskForm):
    soort = RadioField(_l("Wat wil je op de agenda zetten?"), choices=list(SOORTEN.items()),
                       validators=[InputRequired(_l("Kies wat voor punt het is."))])
    titel = StringField(_l("Waar gaat het over? In een paar woorden"), filters=[strip],
                        description=_l("Bijvoorbeeld: Meer bankjes in het park"),
                        validators=[InputRequired(_l("Schrijf in een paar woorden waar het over gaat.")),
                                    Length(max=120, message=_l("Maak de titel korter: hooguit 120 tekens."))])
    beschrijving = TextAreaField(_l("Vertel er iets meer over (niet verplicht)"), filters=[strip],
                                 description=_l("Wat zie je? Wat zou beter kunnen? Wie heeft er last of plezier van?"),
                                 validators=[Optional(), Length(max=2000, message=_l(
                                     "Maak je uitleg korter: hooguit 2000 tekens."))])
    onderwerp = RadioField(_l("Waar hoort het bij?"), choices=list(ONDERWERPEN.items()),
                           validators=[InputRequired(_l("Kies waar het over gaat."))])
    lat = HiddenField(validators=[coordinate])
    lon = HiddenField(validators=[coordinate])

    def plek(self) -> tuple[float, float] | None:
        try:
            return (float(self.lat.data), float(self.lon.data)) if self.lat.data and self.lon.data else None
        except ValueError:
            return None


class ReactieForm(ContactWarning, FlaskForm):
    tekst = TextAreaField(_l("Je reactie"), filters=[strip],
                          validators=[InputRequired(_l("Schrijf eerst je reactie.")),
                                      Length(max=2000, message=_l("Maak je reactie korter: hooguit 2000 tekens."))])


class AgendaForm(FlaskForm):
    titel = StringField(_l("Titel"), filters=[strip],
                        validators=[InputRequired(_l("Vul een titel in.")), Length(max=160)])
    inleiding = TextAreaField(_l("Inleiding (niet verplicht)"), filters=[strip],
                              validators=[Optional(), Length(max=4000)])
    datum = DateField(_l("Datum"), validators=[InputRequired(_l("Vul een datum in, bijvoorbeeld 1-3-2027.")),
                                               sensible_date])


class ThemaForm(FlaskForm):
    titel = StringField(_l("Thema"), filters=[strip],
                        validators=[InputRequired(_l("Geef het thema een naam.")), Length(max=120)])
    tekst = TextAreaField(_l("Wat gaan we doen? (kort)"), filters=[strip], validators=[Optional(), Length(max=2000)])
    wie = StringField(_l("Wie doet wat?"), filters=[strip], validators=[Optional(), Length(max=300)],
                      description=_l("Bijvoorbeeld: bewoners, gemeente, ONS welzijn"))
    datum = DateField(_l("Wanneer? (niet verplicht)"), validators=[Optional(), sensible_date])


class BesluitForm(FlaskForm):
    besluit = HiddenField()
    reden = TextAreaField(_l("Waarom?"), filters=[strip], validators=[Optional(), Length(max=2000)])
    samen_met = HiddenField()


class GebiedForm(FlaskForm):
    naam = StringField(_l("Naam van het gebied"), filters=[strip],
                       description=_l("Bijvoorbeeld: Oss-Noord"),
                       validators=[InputRequired(_l("Geef het gebied een naam.")),
                                   Length(max=120, message=_l("Maak de naam korter: hooguit 120 tekens."))])
    wijken = MultiCheckboxField(_l("Wijken in dit gebied"), coerce=int,
                                description=_l("Kies de wijken die bij dit gebied horen."))
    buurten = MultiCheckboxField(_l("Of alleen deze buurten"), coerce=int,
                                 description=_l("Hoort maar een deel van een wijk bij het gebied? Kies dan de buurten."))


class WoonwijkenForm(FlaskForm):
    geen_woonwijk = MultiCheckboxField(
        _l("Geen woonwijk"), coerce=int,
        description=_l("Hier woont (bijna) niemand, zoals op een industrieterrein. Deze wijken staan niet in "
                       "lijsten en filters, behalve als er iets geplaatst is."))
