"""The home page, the language switch, the health check and the demo mailbox."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
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
