"""The privacy pages: the privacy statement, all of one's data (page and download), and erasing
one's own account. Thin: the rules live in ``privacy``."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from omkijken.platform.accounts import privacy, privacy_export, services
from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.system import security_log

bp = Blueprint("privacy", __name__)


class EraseForm(FlaskForm):
    password = PasswordField(
        _l("Je wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in. Zo weten we dat jij het bent."))])
    zeker = BooleanField(
        _l("Ja, ik wil mijn account echt verwijderen."),
        validators=[DataRequired(_l("Zet een vinkje als je het echt wilt."))])


class EraseForOtherForm(FlaskForm):
    password = PasswordField(
        _l("Jouw eigen wachtwoord"), validators=[DataRequired(_l("Vul je eigen wachtwoord in."))])
    zeker = BooleanField(
        _l("De inwoner heeft zelf gevraagd om het account te verwijderen."),
        validators=[DataRequired(_l("Zet een vinkje als de inwoner hier zelf om vroeg."))])


@bp.get("/privacy")
def statement():
    return render_template("accounts/privacy.html", bewaar_maanden=current_app.config["HULPVRAAG_BEWAAR_MAANDEN"])


@bp.get("/mijn-gegevens")
@login_required
def mijn_gegevens():
    secties = privacy_export.readable(privacy_export.export(current_user))
    return render_template("accounts/mijn_gegevens.html", secties=secties)


@bp.get("/mijn-gegevens.json")
@login_required
def download():
    now = utcnow()
    security_log.event("gegevens_gedownload", user_id=current_user.id)
    return Response(
        privacy_export.export_json(current_user, now=now), mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="omkijken-mijn-gegevens-{now:%Y-%m-%d}.json"'})


@bp.route("/account-verwijderen", methods=["GET", "POST"])
@login_required
def verwijderen():
    user: User = current_user
    form = EraseForm()
    blocked = None
    try:
        privacy.may_erase(user)
    except RuleBroken as error:
        blocked = error.message
    if blocked is None and form.validate_on_submit():
        try:
            privacy.check_password(user, form.password.data)
            privacy.erase(user, now=utcnow(), mail_folder=Path(current_app.config["MAIL_FOLDER"]))
        except RuleBroken as error:
            show_error(form, error)
        else:
            security_log.event("account_gewist", user_id=user.id, by=user.id)
            logout_user()
            flash(_("Je account is verwijderd. Dank je wel voor je hulp in de buurt."), "success")
            return redirect(url_for("core.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/verwijderen.html", form=form, blocked=blocked,
                           bewaar_maanden=current_app.config["HULPVRAAG_BEWAAR_MAANDEN"]), status


@bp.route("/beheer/gebruikers/<int:user_id>/verwijderen", methods=["GET", "POST"])
@capability_required("beheren")
def beheer_verwijderen(user_id: int):
    """"Digitaal als het kan, nooit alleen digitaal": a resident who phoned is erased by the
    beheerder, who confirms with their own password."""
    user = db.session.get(User, user_id)
    if user is None or user.verwijderd_at is not None:
        abort(404)
    if user.id == current_user.id:
        return redirect(url_for("privacy.verwijderen"))
    form = EraseForOtherForm()
    blocked = None
    try:
        privacy.may_erase(user)
    except RuleBroken as error:
        blocked = error.message
    if blocked is None and form.validate_on_submit():
        try:
            privacy.check_password(current_user, form.password.data)
            privacy.erase(user, now=utcnow(), mail_folder=Path(current_app.config["MAIL_FOLDER"]))
            services.record_account_change(user, "gewist", by=current_user, now=utcnow(), details={})
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Het account is verwijderd."), "success")
            return redirect(url_for("accounts.admin_users"))
    return render_template("accounts/beheer_verwijderen.html", form=form, user=user, blocked=blocked), (
        422 if form.errors else 200)
