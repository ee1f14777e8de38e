"""Nazorg pages: answer a check-in (in the app, or from the link in the email without logging
in), and the coordinator's list of rondes to call and answers to follow up.

Thin: the rules are in ``koppelingen.nazorg``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from omkijken.matching import effect
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.koppelingen import lifecycle, links, nazorg, vocabulary, welzijn
from omkijken.platform.koppelingen.diensten import coordinates
from omkijken.platform.koppelingen.forms import AfhandelForm, CheckinForm, WelzijnForm
from omkijken.platform.koppelingen.models import Checkin, Koppeling
from omkijken.platform.links import LinkInvalid

bp = Blueprint("nazorg", __name__)



def _given(form: CheckinForm) -> nazorg.Answer:
    return nazorg.Answer(antwoord=form.antwoord.data, cijfer=int(form.cijfer.data) if form.cijfer.data else None,
                         opmerking=form.opmerking.data or "", stop_reden=form.stop_reden.data or None,
                         doorgaan={"ja": True, "nee": False}.get(form.doorgaan.data or ""))


def _submit(form: CheckinForm, checkin: Checkin, *, by: User, via: str) -> bool:
    """Validate and store; on a broken rule the message lands at its field and the rest stays."""
    if not form.validate_on_submit():
        return False
    try:
        now = utcnow()
        nazorg.answer(checkin, _given(form), by=by, via=via, now=now)
        welzijn.record_checkin(checkin, by=by, cijfer=int(form.welzijn.data) if form.welzijn.data else None, now=now)
    except RuleBroken as error:
        db.session.rollback()
        show_error(form, error)
        return False
    return True


def _page(checkin: Checkin, form: CheckinForm, *, by: User, **context):
    status = 422 if form.errors else 200
    return render_template("koppelingen/checkin.html", checkin=checkin, form=form, vocab=vocabulary,
                           ander=_other(checkin), vraag_welzijn=welzijn.asks_in_checkin(checkin, by),
                           doorgaan=nazorg.asks_doorgaan(checkin), **context), status


def _other(checkin: Checkin) -> User:
    koppeling = checkin.koppeling
    return koppeling.vrijwilliger if checkin.kant == "hulpvrager" else koppeling.hulpvrager


@bp.route("/checkins/<int:checkin_id>", methods=["GET", "POST"])
@login_required
def checkin(checkin_id: int):
    checkin = db.session.get(Checkin, checkin_id)
    if checkin is None or not nazorg.may_answer(checkin, current_user):
        abort(404)
    if not lifecycle.checkin_may(checkin.status, "beantwoorden"):
        return render_template("koppelingen/checkin.html", checkin=checkin, klaar=True, ander=_other(checkin)), 409
    form = CheckinForm()
    if _submit(form, checkin, by=current_user, via="app"):
        flash(_("Dank je voor je antwoord!"), "success")
        return redirect(url_for("koppelingen.koppeling", koppeling_id=checkin.koppeling_id))
    return _page(checkin, form, by=current_user)


@bp.route("/checkins/antwoord/<token>", methods=["GET", "POST"])
def antwoord(token: str):
    """The link from the email. The answer of the link is chosen already; one tap sends it,
    with a cijfer and a comment if the person likes."""
    try:
        link = links.read_checkin(token)
    except LinkInvalid as error:
        return render_template("koppelingen/checkin.html", fout="verlopen" if error.expired else "ongeldig"), 410
    checkin = db.session.get(Checkin, link.checkin_id)
    person = db.session.get(User, link.user_id)
    if checkin is None or person is None or person.id != checkin.user_id:
        return render_template("koppelingen/checkin.html", fout="ongeldig"), 410
    if not lifecycle.checkin_may(checkin.status, "beantwoorden"):
        return render_template("koppelingen/checkin.html", checkin=checkin, klaar=True, ander=_other(checkin)), 409
    form = CheckinForm(data={"antwoord": link.answer})
    if _submit(form, checkin, by=person, via="link"):
        return render_template("koppelingen/checkin.html", checkin=checkin, bedankt=True, ander=_other(checkin),
                               welzijn_moment=welzijn.moment_due(checkin.koppeling, person, now=utcnow()))
    return _page(checkin, form, by=person, via_link=True)


# --- how the hulpvrager is doing -------------------------------------------------------------


@bp.route("/koppelingen/<int:koppeling_id>/hoe-gaat-het", methods=["GET", "POST"])
@login_required
def hoe_gaat_het(koppeling_id: int):
    """Her own short page: "Hoe gaat het met je?" at the start, and a maatje's six statements at
    start, six months and end. Only the hulpvrager herself sees it; for anyone else it does not exist."""
    koppeling = db.session.get(Koppeling, koppeling_id)
    if koppeling is None or not welzijn.is_self(koppeling, current_user):
        abort(404)
    now = utcnow()
    moment = welzijn.moment_due(koppeling, current_user, now=now)
    if moment is None:
        return render_template("koppelingen/hoe_gaat_het.html", koppeling=koppeling, klaar=True)
    form = WelzijnForm()
    if form.validate_on_submit():
        try:
            welzijn.record(koppeling, by=current_user, cijfer=int(form.cijfer.data) if form.cijfer.data else None,
                           stellingen=form.stellingen(), now=now)
        except RuleBroken as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("Dank je voor je antwoord!"), "success")
            return redirect(url_for("koppelingen.koppeling", koppeling_id=koppeling.id))
    return render_template("koppelingen/hoe_gaat_het.html", koppeling=koppeling, form=form, moment=moment,
                           met_cijfer=welzijn.asks_cijfer(moment), met_stellingen=welzijn.asks_scale(koppeling),
                           stellingen=form.stelling_velden(effect.VOLGORDE)), 422 if form.errors else 200


# --- the coordinator -------------------------------------------------------------------------


def _coordinated(checkin_id: int) -> Checkin:
    checkin = db.session.get(Checkin, checkin_id)
    if checkin is None:
        abort(404)
    if not coordinates(current_user, checkin.koppeling.dienst_id):
        abort(403)
    return checkin


def _render_list(*, forms: dict[int, object] | None = None, status: int = 200):
    return render_template(
        "koppelingen/coordinatie_nazorg.html",
        te_bellen=nazorg.te_bellen(current_user), aandacht=nazorg.aandacht(current_user),
        forms=forms or {}, leeg_checkin=CheckinForm(formdata=None, coordinator=True),
        leeg_afhandel=AfhandelForm(formdata=None), vocab=vocabulary,
        antwoorden=nazorg.ANTWOORDEN, redenen=nazorg.STOP_REDENEN, other=_other, doorgaan=nazorg.asks_doorgaan,
    ), status


@bp.get("/coordinatie/nazorg")
@capability_required("coordineren")
def lijst():
    return _render_list()


@bp.post("/coordinatie/nazorg/<int:checkin_id>/vastleggen")
@capability_required("coordineren")
def vastleggen(checkin_id: int):
    """The coordinator called and writes down the answer for the person."""
    checkin = _coordinated(checkin_id)
    form = CheckinForm(coordinator=True)
    if _submit(form, checkin, by=current_user, via="coordinator"):
        flash(_("Het antwoord van %(naam)s is opgeslagen.", naam=checkin.user.naam), "success")
        return redirect(url_for("nazorg.lijst"))
    return _render_list(forms={checkin.id: form}, status=422)


@bp.post("/coordinatie/nazorg/<int:checkin_id>/afgehandeld")
@capability_required("coordineren")
def afgehandeld(checkin_id: int):
    checkin = _coordinated(checkin_id)
    form = AfhandelForm()
    if form.validate_on_submit():
        try:
            nazorg.handle(checkin, by=current_user, notitie=form.notitie.data, heropen=form.heropen.data,
                          now=utcnow())
        except RuleBroken as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("Afgehandeld. Dank je!"), "success")
            return redirect(url_for("nazorg.lijst"))
    return _render_list(forms={checkin.id: form}, status=422)
