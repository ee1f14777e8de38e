"""The filter of the dashboard and the map: a GET form, so a chosen view can be bookmarked and
shared, and the CSV links carry the same choice. No CSRF token: it changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Mapping

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from omkijken.platform.formfields import sensible_date
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.insights.feiten import Periode, standaard_periode
from omkijken.platform.insights.kaart import KPIS

#: A longer period makes the page slow and says little more.
MAX_DAGEN = 5 * 366


class DatumField(DateField):
    """A date field with a Dutch message when a browser without a date picker sends text."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Schrijf de datum als jjjj-mm-dd, bijvoorbeeld 2025-03-01."))) from error


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    van = DatumField(_l("Van"), validators=[Optional(), sensible_date],
                    description=_l("De eerste dag. Leeg: twaalf maanden terug."))
    tot = DatumField(_l("Tot en met"), validators=[Optional(), sensible_date],
                     description=_l("De laatste dag. Leeg: vandaag."))
    gemeente = SelectField(_l("Gemeente"), validators=[Optional()], choices=[], validate_choice=False)

    def validate_tot(self, field: DatumField) -> None:
        if self.van.data and field.data:
            if field.data < self.van.data:
                raise ValidationError(_l("Deze datum ligt voor de eerste dag. Kies een latere datum."))
            if (field.data - self.van.data).days > MAX_DAGEN:
                raise ValidationError(_l("Kies een periode van hoogstens vijf jaar."))


class KaartForm(FilterForm):
    kpi = SelectField(_l("Wat wil je zien?"), choices=[(code, k.label) for code, k in KPIS.items()],
                      default="duurzaam", validators=[Optional()], validate_choice=False)


def valid_periode(form: FilterForm, *, now: datetime) -> Periode | None:
    """The chosen period, or None when the filter is wrong (the form holds the Dutch message)."""
    periode = periode_of(form, now=now)
    return None if form.errors else periode


def filter_form(args: Mapping[str, str], gemeenten: Mapping[str, str], *, kaart: bool = False) -> FilterForm:
    form = (KaartForm if kaart else FilterForm)(formdata=args)
    form.gemeente.choices = [("", _l("Oss en Oosterhout"))] + list(gemeenten.items())
    if not form.gemeente.data:
        form.gemeente.data = ""
    if kaart and form.kpi.data not in KPIS:
        form.kpi.data = "duurzaam"
    return form


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(12), timezone.utc)


def periode_of(form: FilterForm, *, now: datetime) -> Periode:
    """The chosen period; what is empty or wrong falls back to the last twelve months (and the
    form says what was wrong: ``form.errors``)."""
    valid = form.validate()
    tot = form.tot.data if valid and form.tot.data else standaard_periode(now).tot
    van = form.van.data if valid and form.van.data else standaard_periode(_end_of(tot)).van
    if tot < van:  # only "van" given, and after today
        tot = van
    if (tot - van).days > MAX_DAGEN:  # only "van" given, long ago: the period runs to today
        form.van.errors = [*form.van.errors, _l("Kies een periode van hoogstens vijf jaar.")]
        tot = standaard_periode(now).tot
        van = standaard_periode(_end_of(tot)).van
    if not form.van.data:
        form.van.data = van
    if not form.tot.data:
        form.tot.data = tot
    # Empty is the form's own choice "all gemeenten" (what its select sends); an unknown code shows
    # all as well, but says so, and keeps the dates that were right.
    gemeente = form.gemeente.data or None
    if gemeente is not None and gemeente not in dict(form.gemeente.choices):
        form.gemeente.errors = [*form.gemeente.errors, _l("Deze gemeente kennen we niet. We laten alle gemeenten zien.")]
        form.gemeente.data = ""
        gemeente = None
    return Periode(van=van, tot=tot, gemeente=gemeente)
