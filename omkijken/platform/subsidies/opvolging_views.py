"""The one-tap page behind the links of "bestaat het nog?": no login, one button.

The link's answer is chosen already; the page only asks to confirm it, because mail scanners open
links before people do. Thin: the rules are in ``subsidies.opvolging``.
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.forms import AntwoordForm
from omkijken.platform.links import LinkInvalid
from omkijken.platform.subsidies import opvolging
from omkijken.platform.subsidies.models import Subsidieaanvraag

bp = Blueprint("subsidies_opvolging", __name__)

PAGE = "subsidies/opvolging_bestaat_nog.html"


@bp.route("/subsidies/bestaat-nog/<token>", methods=["GET", "POST"])
def bestaat_nog(token: str):
    try:
        link = opvolging.read(token)
    except LinkInvalid as error:
        return render_template(PAGE, fout="verlopen" if error.expired else "ongeldig"), 410
    aanvraag = db.session.get(Subsidieaanvraag, link.aanvraag_id)
    if aanvraag is None or not opvolging.may_answer(aanvraag, link.user_id):
        return render_template(PAGE, fout="ongeldig"), 410
    if aanvraag.bestaat_nog is not None:
        return render_template(PAGE, aanvraag=aanvraag, klaar=True), 409
    form = AntwoordForm()
    if form.validate_on_submit():
        try:
            opvolging.answer(aanvraag, link.ja, now=utcnow())
        except opvolging.OpvolgingError:
            return render_template(PAGE, aanvraag=aanvraag, klaar=True), 409
        return render_template(PAGE, aanvraag=aanvraag, bedankt=True)
    ander = "nee" if link.ja else "ja"
    return render_template(PAGE, aanvraag=aanvraag, form=form, answer=link.answer,
                           ander_url=url_for(".bestaat_nog", token=opvolging.token(aanvraag.id, link.user_id, ander)))
