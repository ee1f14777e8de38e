"""The home page, the language switch, the health check and the demo mailbox."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from omkijken.platform import clock
from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.extensions import db
from omkijken.platform.security import safe_redirect_target
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import stored_mail

bp = Blueprint("core", __name__)

LANGUAGES = {"nl": "Nederlands", "en": "English"}


@bp.get("/")
def home():
    return render_template("core/home.html")


@bp.post("/taal")
def set_language():
    code = request.form.get("taal", "nl")
    if code in LANGUAGES:
        session["taal"] = code
        if current_user.is_authenticated:
            current_user.taal = code
    return redirect(safe_redirect_target(request.form.get("next"), url_for("core.home")))


@bp.get("/health")
def health():
    """For load balancers and the beheerder: is the database there, and has a worker checked in?"""
    db.session.execute(text("SELECT 1"))
    now = clock.utcnow()
    seen = system.last_heartbeat()
    stale = system.worker_is_stale(now=now, stale_after=current_app.config["WORKER_STALE_AFTER_SECONDS"], seen=seen)
    return jsonify(
        database="ok",
        worker_last_seen=seen.isoformat() if seen else None,
        worker="ok" if not stale else "stale",
    )


@bp.get("/beheer/mail")
@capability_required("beheren")
def demo_mail():
    return render_template("system/mail.html", mails=stored_mail(current_app.config))


# Pages of one person, of the staff or of a form: nothing a search engine should keep. They ask for a
# login anyway; saying so saves the crawler the redirects. The public pages are in the sitemap.
ROBOTS_DISALLOW = ("/account-verwijderen", "/api/", "/beheer", "/checkins", "/coordinatie", "/eerste-stap",
                   "/gesprekken", "/inloggen", "/inzicht", "/koppelingen", "/mijn-berichten", "/mijn-gegevens",
                   "/moderatie", "/plaatsen", "/profiel", "/registreren", "/subsidies", "/taal", "/uitloggen",
                   "/voor-jou", "/voorstellen", "/wachtwoord", "/welkom")


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "",
             f"Sitemap: {url_for('prikbord.sitemap', _external=True)}", ""]
    response = Response("\n".join(lines), mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


SECURITY_TXT_DAYS = 180  # RFC 9116 2.5.5: Expires less than a year ahead; made fresh on every request


@bp.get("/.well-known/security.txt")
def security_txt():
    contact = current_app.config.get("SECURITY_CONTACT")
    if not contact:
        abort(404)
    expires = (clock.utcnow() + timedelta(days=SECURITY_TXT_DAYS)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {url_for('core.security_txt', _external=True)}",
        "",
    ]
    response = Response("\n".join(lines), mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
