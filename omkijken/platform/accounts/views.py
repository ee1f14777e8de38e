"""Registration, login, profile and the role screen of the beheerder. Thin: rules live in services."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user, user_logged_in, user_logged_out

from omkijken.platform.accounts import passwords, services, welkom
from omkijken.platform.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RegisterForm,
    RolesForm,
    WelkomForm,
)
from omkijken.platform.accounts.models import ROLES, User
from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.areas import maps
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Wijk
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db, limiter
from omkijken.platform.i18n import gettext as _
from omkijken.platform.links import LinkInvalid
from omkijken.platform.security import safe_redirect_target
from omkijken.platform.system import security_log

bp = Blueprint("accounts", __name__)



@user_logged_in.connect
def _logged_in(_app, user, **_extra) -> None:
    """Every way in (password, welcome link, new password) is a login in the security log."""
    security_log.event("login", user_id=user.id)


@user_logged_out.connect
def _logged_out(_app, user, **_extra) -> None:
    security_log.event("logout", user_id=getattr(user, "id", None))


def _geocoder():
    return current_app.extensions["omkijken.geocoder"]


def _home_input(form) -> services.HomeInput:
    def number(value: str | None) -> float | None:
        return float(value) if value not in (None, "") else None

    return services.HomeInput(
        postcode=form.postcode.data or "",
        huisnummer=form.huisnummer.data or "",
        lat=number(form.lat.data),
        lon=number(form.lon.data),
    )


def _safe_next(target: str | None) -> str:
    return safe_redirect_target(target, url_for("core.home"))


def _picked_point(form) -> tuple[float, float] | None:
    try:
        return float(form.lat.data), float(form.lon.data)
    except (TypeError, ValueError):
        return None


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = RegisterForm()
    map_error = None
    if form.validate_on_submit():
        try:
            services.register(
                naam=form.naam.data,
                email=form.email.data,
                password=form.password.data,
                home=_home_input(form),
                vrijwilliger=form.vrijwilliger.data,
                geocoder=_geocoder(),
                now=utcnow(),
            )
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            # The same answer whether the address was new or already had an account (see services.register).
            session["login_email"] = services.normalise_email(form.email.data)
            return redirect(url_for("accounts.kijk_in_je_mail"))
    picker = maps.point_picker(current_app.config, home=_picked_point(form))
    return render_template("accounts/register.html", form=form, picker=picker, map_error=map_error)


@bp.get("/registreren/kijk-in-je-mail")
def kijk_in_je_mail():
    """After registering: look in your mail, or log in now. The same page for a new address and
    for one that already had an account (that mail says so), so it tells nobody which it was."""
    return render_template("accounts/kijk_in_je_mail.html", email=session.get("login_email"))


@bp.route("/welkom/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def welkom_link(token: str):
    """The link in the welcome mail. Opening it changes nothing (mail programs open links to check
    them); the button confirms the address, logs in and goes to the next step."""
    try:
        user = welkom.user_for_token(token)
    except LinkInvalid as invalid:
        return render_template("accounts/welkom_link_ongeldig.html", expired=invalid.expired), 404
    form = WelkomForm()
    if form.validate_on_submit():
        try:
            user = welkom.confirm(token, now=utcnow())
        except LinkInvalid as invalid:
            return render_template("accounts/welkom_link_ongeldig.html", expired=invalid.expired), 404
        login_user(user)
        flash(_("Je e-mailadres klopt. Je bent ingelogd."), "success")
        return redirect(url_for("posts.eerste_stap"))
    return render_template("accounts/welkom.html", form=form, user=user)


def _typed_email() -> str:
    """The account a login tries, as typed (an unknown address counts the same, so the limit tells
    nobody which addresses have an account)."""
    return "inloggen:" + (request.form.get("email") or "").strip().casefold()


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"], methods=["POST"], key_func=_typed_email,
               scope="inloggen-account", deduct_when=lambda response: response.status_code == 422,
               error_message=lambda: _("Er is te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres. "
                                       "Wacht een kwartier en probeer het dan opnieuw. Of kies een nieuw wachtwoord."))
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET" and not form.email.data:
        form.email.data = session.pop("login_email", None)
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("Je bent ingelogd."), "success")
            return redirect(_safe_next(request.args.get("next")))
        security_log.event("login_mislukt", email=form.email.data)
        form.form_errors.append(
            _("Het e-mailadres of het wachtwoord klopt niet. Probeer het nog eens.")
        )
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


@bp.post("/uitloggen")
def logout():
    logout_user()
    flash(_("Je bent uitgelogd. Tot ziens!"), "success")
    response = redirect(url_for("core.home"))
    # A shared phone: the service worker's copies of this person's pages go too (static/js/app.js
    # empties them before the form is sent; this covers a browser where that script did not run).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/profiel", methods=["GET", "POST"])
@login_required
def profile():
    user: User = current_user
    form = ProfileForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.lat.data = form.lon.data = ""
        form.vrijwilliger.data = "vrijwilliger" in user.role_names
    map_error = None
    if form.validate_on_submit():
        try:
            services.update_profile(
                user,
                naam=form.naam.data,
                home=_home_input(form),
                taal=form.taal.data,
                geocoder=_geocoder(),
                vrijwilliger=form.vrijwilliger.data,
                voorstellen_per_mail=form.voorstellen_per_mail.data,
                samen_doen_per_mail=form.samen_doen_per_mail.data,
                now=utcnow(),
            )
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            flash(_("Je gegevens zijn bewaard."), "success")
            return redirect(url_for("accounts.profile"))
    home = services.home_latlon(user)
    outline = areas.area_outline_geojson(Wijk, user.wijk_id) if user.wijk_id else None
    area_map = maps.area_map(current_app.config, outline=outline, label=_("Je huis"), home=home)
    picker = maps.point_picker(current_app.config, home=_picked_point(form) or home)
    return render_template(
        "accounts/profile.html", form=form, user=user, area_map=area_map, picker=picker, map_error=map_error
    )


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_WACHTWOORD"], methods=["POST"])
def wachtwoord_vergeten():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        passwords.request_reset(form.email.data, now=utcnow())
        security_log.event("wachtwoord_link_gevraagd", email=form.email.data)
        flash(_("Heeft dit e-mailadres een account? Dan krijg je binnen een paar minuten een mail met een link. "
                "Met die link kies je een nieuw wachtwoord."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/wachtwoord_vergeten.html", form=form), 200 if not form.errors else 422


@bp.route("/wachtwoord-vergeten/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_WACHTWOORD"], methods=["POST"])
def wachtwoord_nieuw(token: str):
    try:
        passwords.user_for_token(token)
    except LinkInvalid as invalid:
        return render_template("accounts/wachtwoord_link_ongeldig.html", expired=invalid.expired), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = passwords.reset_password(token, form.password.data)
        security_log.event("wachtwoord_opnieuw_gekozen", user_id=user.id)
        login_user(user)
        flash(_("Je nieuwe wachtwoord is bewaard. Je bent ingelogd. Op andere apparaten ben je uitgelogd."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/wachtwoord_nieuw.html", form=form), 200 if not form.errors else 422


@bp.route("/profiel/wachtwoord", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def wachtwoord_wijzigen():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            passwords.change_own_password(current_user, current=form.huidig.data, new_password=form.password.data)
        except RuleBroken as error:
            show_error(form, error)
        else:
            security_log.event("wachtwoord_gewijzigd", user_id=current_user.id)
            login_user(current_user._get_current_object())
            flash(_("Je nieuwe wachtwoord is bewaard. Op andere apparaten ben je uitgelogd."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/wachtwoord_wijzigen.html", form=form), 200 if not form.errors else 422


@bp.get("/beheer/gebruikers")
@capability_required("beheren")
def admin_users():
    query = request.args.get("q", "")
    return render_template("accounts/admin_users.html", users=services.search_users(query), query=query, roles=ROLES)


@bp.route("/beheer/gebruikers/<int:user_id>", methods=["GET", "POST"])
@capability_required("beheren")
def admin_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm()
    form.wijken.choices = [(w.id, w.volledige_naam) for w in areas.all_wijken()]
    form.vangnet.choices = [(g.id, g.naam) for g in areas.gemeenten()]
    if request.method == "GET":
        form.roles.data = sorted(user.role_names)
        form.wijken.data = sorted({g.wijk_id for g in user.roles if g.wijk_id})
        form.vangnet.data = services.vangnet_of(user)
    if form.validate_on_submit():
        try:
            services.set_roles(
                user, roles=form.roles.data, wijk_ids=form.wijken.data, by=current_user, now=utcnow()
            )
            services.set_vangnet(user, gemeente_ids=form.vangnet.data or [], now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("De rollen van %(naam)s zijn bewaard.", naam=user.naam), "success")
            return redirect(url_for("accounts.admin_users"))
    return render_template("accounts/admin_user.html", form=form, user=user)
