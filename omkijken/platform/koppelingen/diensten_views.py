"""The beheerder's pages for diensten: what each does, and who coordinates it.

Thin: what may be stored lives in ``koppelingen.diensten``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.koppelingen import diensten
from omkijken.platform.koppelingen.diensten_forms import DienstForm, NieuweDienstForm
from omkijken.platform.koppelingen.models import Dienst
from omkijken.platform.koppelingen.vocabulary import SOORTEN
from omkijken.platform.posts.vocabulary import CATEGORIEEN

bp = Blueprint("diensten", __name__)


@bp.get("/beheer/diensten")
@capability_required("beheren")
def overzicht():
    return render_template(
        "koppelingen/beheer_diensten.html", diensten=diensten.all_diensten(), soorten=SOORTEN,
        categorieen=CATEGORIEEN,
    )


def _values(form: DienstForm) -> diensten.DienstValues:
    return diensten.DienstValues(
        naam=form.naam.data or "",
        beschrijving=form.beschrijving.data or "",
        soort_koppeling=form.soort_koppeling.data or "",
        bemiddeld=bool(form.bemiddeld.data),
        vog_nodig=bool(form.vog_nodig.data),
        categorieen=tuple(form.categorieen.data or ()),
        nazorg_dagen=form.nazorg_dagen.data or "",
        duurzaam_doel=form.duurzaam_doel.data or "",
        horizon_periodiek=form.horizon_periodiek.data or "",
        horizon_maatje=form.horizon_maatje.data or "",
    )


def _with_choices(form: DienstForm) -> DienstForm:
    form.coordinatoren.choices = [(user.id, user.naam) for user in diensten.coordinator_candidates()]
    return form


def _render(form: DienstForm, dienst: Dienst | None):
    status = 422 if form.errors else 200
    return render_template("koppelingen/beheer_dienst.html", form=form, dienst=dienst), status


@bp.route("/beheer/diensten/nieuw", methods=["GET", "POST"])
@capability_required("beheren")
def nieuw():
    form = _with_choices(NieuweDienstForm())
    if request.method == "GET":
        form.soort_koppeling.data = "eenmalig"
    if form.validate_on_submit():
        try:
            dienst = diensten.create(code=form.code.data, by=current_user, values=_values(form),
                                     coordinator_ids=form.coordinatoren.data)
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("De dienst %(naam)s is gemaakt.", naam=dienst.naam), "success")
            return redirect(url_for("diensten.overzicht"))
    return _render(form, None)


@bp.route("/beheer/diensten/<int:dienst_id>", methods=["GET", "POST"])
@capability_required("beheren")
def bewerken(dienst_id: int):
    dienst = db.session.get(Dienst, dienst_id) or abort(404)
    form = _with_choices(DienstForm(obj=dienst if request.method == "GET" else None))
    if request.method == "GET":
        form.coordinatoren.data = [user.id for user in dienst.coordinatoren]
        form.nazorg_dagen.data = diensten.days_text(dienst.nazorg_dagen)
        form.duurzaam_doel.data = diensten.target_text(dienst.duurzaam_doel)
        form.horizon_periodiek.data = str(dienst.horizon_periodiek)
        form.horizon_maatje.data = str(dienst.horizon_maatje)
    if form.validate_on_submit():
        try:
            diensten.save(dienst, by=current_user, values=_values(form), coordinator_ids=form.coordinatoren.data)
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("De dienst %(naam)s is bewaard.", naam=dienst.naam), "success")
            return redirect(url_for("diensten.overzicht"))
    return _render(form, dienst)
