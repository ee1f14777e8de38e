"""'Voor jou': new hulpvragen that fit a volunteer's aanbod, and the digest switch."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from omkijken.platform.areas import services as areas
from omkijken.platform.extensions import csrf, db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.mail_uit import stop_page
from omkijken.platform.posts import volgen
from omkijken.platform.posts.models import Aanbod
from omkijken.platform.posts.vocabulary import CATEGORIEEN

bp = Blueprint("volgen", __name__)


@bp.get("/voor-jou")
@login_required
def voor_jou():
    lijsten = [(aanbod, volgen.vragen_voor(aanbod)) for aanbod in volgen.aanbod_van(current_user)]
    wijknamen = areas.wijk_names()
    return render_template("volgen/voor_jou.html", lijsten=lijsten, categorieen=CATEGORIEEN, wijknamen=wijknamen,
                           wijken_van=lambda aanbod: [wijknamen[i] for i in aanbod.wijk_ids if i in wijknamen])


@bp.post("/voor-jou/<int:aanbod_id>/mail")
@login_required
def mail(aanbod_id: int):
    aanbod = db.session.get(Aanbod, aanbod_id) or abort(404)
    if aanbod.auteur_id != current_user.id:
        abort(403)
    aan = request.form.get("aan") == "1"
    volgen.zet_mail(aanbod, by=current_user, aan=aan)
    flash(_("Je krijgt deze mail nu elke dag als er iets nieuws is.") if aan else _("De mail staat uit."), "success")
    return redirect(url_for("volgen.voor_jou"))


@bp.route("/voor-jou/mail-uit/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; a mail app's one-tap POST carries no form token
def mail_uit(token: str):
    """The link in the daily mail of new hulpvragen. A mail app's one-tap unsubscribe POSTs here
    (RFC 8058); a person who taps the link sees one button, so a mail scanner changes nothing."""
    aanbod_id = volgen.read_unsubscribe(token)
    return stop_page(
        db.session.get(Aanbod, aanbod_id) if aanbod_id is not None else None, volgen.mail_uit,
        ongeldig=_("De link is niet compleet. Log in en zet de mail uit op de pagina Voor jou."),
        klaar=_("Je krijgt geen mail meer over nieuwe hulpvragen. Je kunt hem altijd weer aanzetten op de pagina "
                "Voor jou."),
        vraag=_("Geen mail meer over nieuwe hulpvragen?"))
