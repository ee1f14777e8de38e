"""The initiator's side of a subsidieaanvraag: apply from the initiatief, draft, submit, answer
questions, attachments, the decision letter, accountability.

Every page of an aanvraag is its aanvrager's only: anyone else gets a 404, so nobody learns an
aanvraag exists. The gemeente works in ``gemeente_views``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from omkijken.platform.accounts.permissions import NotAllowed
from omkijken.platform.areas import services as areas
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies import attachments, lifecycle, services
from omkijken.platform.subsidies.forms import (
    AanvraagForm,
    AntwoordForm,
    BijlageForm,
    IntrekkenForm,
    Regel,
    VerantwoordingForm,
    money_text,
    read_lines,
    rows_with_room,
)
from omkijken.platform.subsidies.models import Bijlage, Subsidieaanvraag
from omkijken.platform.subsidies.vocabulary import AANVRAGER_STATUS, BIJLAGE_LABELS, SOORT_UITLEG

bp = Blueprint("subsidies", __name__)

# A missing thing (volledigheid.Tekort.veld) -> the id of the field to jump to.
_ANKERS = {"wijk": "wijk_id", "regels": "regels"}


# ---- for every template: the status in words and the aanvrager's own aanvragen -------------------

@bp.app_template_filter("aanvraag_status")
def aanvraag_status(status: str) -> str:
    return str(AANVRAGER_STATUS.get(status, status))


@bp.app_template_global()
def mijn_subsidieaanvragen(initiatief_id: int | None = None) -> list[Subsidieaanvraag]:
    """The logged-in person's aanvragen, newest first; of one initiatief when asked."""
    if not current_user.is_authenticated:
        return []
    stmt = select(Subsidieaanvraag).where(Subsidieaanvraag.aanvrager_id == current_user.id)
    if initiatief_id is not None:
        stmt = stmt.where(Subsidieaanvraag.initiatief_id == initiatief_id)
    return list(db.session.scalars(stmt.order_by(Subsidieaanvraag.created_at.desc(), Subsidieaanvraag.id.desc())))


def aanvraag_or_404(aanvraag_id: int) -> Subsidieaanvraag:
    aanvraag = db.session.get(Subsidieaanvraag, aanvraag_id)
    if aanvraag is None or aanvraag.aanvrager_id != current_user.id:
        abort(404)
    return aanvraag


def _page(aanvraag: Subsidieaanvraag, anchor: str = "") -> Any:
    return redirect(url_for("subsidies.aanvraag", aanvraag_id=aanvraag.id) + anchor)


# ---- starting from the initiatief ----------------------------------------------------------------

@bp.route("/subsidies/nieuw/<int:initiatief_id>", methods=["GET", "POST"])
@login_required
def nieuw(initiatief_id: int):
    initiatief = db.session.get(Initiatief, initiatief_id)
    if initiatief is None:
        abort(404)
    if initiatief.auteur_id != current_user.id:
        abort(403)
    if request.method == "POST":  # CSRFProtect has checked the token
        try:
            aanvraag = services.create_draft(initiatief, by=current_user, now=utcnow())
        except NotAllowed:
            abort(403)
        return redirect(url_for("subsidies.bewerken", aanvraag_id=aanvraag.id))
    concepten = [a for a in mijn_subsidieaanvragen(initiatief.id) if a.status == "concept"]
    return render_template("subsidies/aanvraag_nieuw.html", initiatief=initiatief, concepten=concepten)


# ---- the form ------------------------------------------------------------------------------------

def _choices(form: AanvraagForm, aanvraag: Subsidieaanvraag) -> list:
    public = set(areas.public_wijken())
    wijken = [w for w in areas.all_wijken() if w in public or w.id == aanvraag.wijk_id]
    if aanvraag.wijk is not None:  # the wijken of the own gemeente; a regeling belongs to one gemeente
        wijken = [w for w in wijken if w.gemeente_id == aanvraag.wijk.gemeente_id] or wijken
    form.wijk_id.choices = [("", _("Kies een wijk"))] + [(str(w.id), w.volledige_naam) for w in wijken]
    regelingen = services.regelingen_voor(aanvraag, now=utcnow())
    form.regeling_id.choices = [(r.id, f"{r.naam} ({r.jaar})") for r in regelingen]
    return regelingen


def _saved_rows(aanvraag: Subsidieaanvraag) -> list[Regel]:
    return [Regel(i + 1, r.omschrijving, money_text(r.bedrag_cents)) for i, r in enumerate(aanvraag.regels)]


def _render_form(aanvraag: Subsidieaanvraag, form: AanvraagForm, regelingen: list, rows: list[Regel], *,
                 begroting_fouten: list[str] | None = None, tekorten: list | None = None, status: int = 200):
    fouten: list[tuple[str | None, str, str]] = []
    for name, f in form._fields.items():
        if name == "csrf_token":
            fouten.extend((None, "", str(e)) for e in f.errors)
            continue
        fouten.extend((f.id, str(f.label.text), str(e)) for e in f.errors)
    for row in rows:
        if row.fout_wat:
            fouten.append((f"regel-{row.nummer}-wat", _("Begroting, regel %(n)s", n=row.nummer), row.fout_wat))
        if row.fout_bedrag:
            fouten.append((f"regel-{row.nummer}-bedrag", _("Begroting, regel %(n)s", n=row.nummer), row.fout_bedrag))
    fouten.extend(("regels", _("Begroting"), m) for m in begroting_fouten or [])
    fouten.extend((None, "", str(m)) for m in form.form_errors)
    return render_template(
        "subsidies/aanvraag_formulier.html", aanvraag=aanvraag, form=form, regelingen=regelingen,
        rows=rows_with_room(rows), fouten=fouten, begroting_fouten=begroting_fouten or [], compleet_fout=bool(tekorten),
        soorten=SOORT_UITLEG,
    ), status


def _show(form: FlaskForm, error: RuleBroken, begroting_fouten: list[str], *, anchors: dict | None = None,
          roll_back: bool = True) -> None:
    """A rule's message by its field; the begroting's own go above its rows."""
    if error.field == "regels":
        if roll_back:
            db.session.rollback()
        begroting_fouten.append(str(error.message))
    elif anchors and error.field in anchors:
        show_error(form, RuleBroken(anchors[error.field], error.message), roll_back=roll_back)
    else:
        show_error(form, error, roll_back=roll_back)


@bp.route("/subsidies/<int:aanvraag_id>/bewerken", methods=["GET", "POST"])
@login_required
def bewerken(aanvraag_id: int):
    aanvraag = aanvraag_or_404(aanvraag_id)
    if aanvraag.status not in lifecycle.BEWERKBAAR:
        flash(_("Je aanvraag is verstuurd. Je kunt hem nu niet meer veranderen."), "info")
        return _page(aanvraag)
    form = AanvraagForm()
    regelingen = _choices(form, aanvraag)
    if request.method == "GET":
        form.fill(aanvraag)
        if form.regeling_id.data is None and len(regelingen) == 1:
            form.regeling_id.data = regelingen[0].id
        return _render_form(aanvraag, form, regelingen, _saved_rows(aanvraag))

    rows, lines = read_lines(request.form)
    actie = request.form.get("actie", "bewaren")
    if not form.validate_on_submit() or any(row.fout for row in rows):
        return _render_form(aanvraag, form, regelingen, rows, status=422)
    begroting_fouten: list[str] = []
    try:
        services.edit(aanvraag, by=current_user, now=utcnow(), **form.changes())
        services.set_lines(aanvraag, lines, by=current_user, now=utcnow())
    except RuleBroken as error:
        _show(form, error, begroting_fouten, anchors={"wijk": "wijk_id"})
        return _render_form(aanvraag, form, regelingen, rows, begroting_fouten=begroting_fouten, status=422)

    if actie == "indienen" and aanvraag.status == "concept":
        try:
            services.submit(aanvraag, by=current_user, now=utcnow())
        except services.Incomplete as incomplete:
            for tekort in incomplete.tekorten:
                if tekort.veld == "regels":
                    begroting_fouten.append(tekort.tekst)
                else:
                    getattr(form, _ANKERS.get(tekort.veld, tekort.veld)).errors.append(tekort.tekst)
            return _render_form(aanvraag, form, regelingen, rows, begroting_fouten=begroting_fouten,
                                tekorten=incomplete.tekorten, status=422)
        except RuleBroken as error:  # refused before it changed anything: the saved draft stays
            _show(form, error, begroting_fouten, roll_back=False)
            return _render_form(aanvraag, form, regelingen, rows, begroting_fouten=begroting_fouten, status=422)
        flash(_("Je aanvraag is verstuurd. Dank je!"), "success")
        return _page(aanvraag)
    if actie == "regel":
        flash(_("Bewaard. Je kunt nu meer regels invullen."), "success")
        return redirect(url_for("subsidies.bewerken", aanvraag_id=aanvraag.id) + "#begroting")
    if aanvraag.status == "vragen_gesteld":
        flash(_("Je wijzigingen zijn bewaard. Vergeet niet de vraag van de gemeente te beantwoorden."), "success")
        return _page(aanvraag, "#berichten")
    flash(_("Je concept is bewaard. Je kunt later verder gaan via Mijn berichten."), "success")
    return redirect(url_for("subsidies.bewerken", aanvraag_id=aanvraag.id))


# ---- the aanvrager's page ------------------------------------------------------------------------

def render_aanvraag(aanvraag: Subsidieaanvraag, *, antwoord_form: AntwoordForm | None = None,
                    bijlage_form: BijlageForm | None = None, verantwoording_form: VerantwoordingForm | None = None,
                    status: int = 200):
    if verantwoording_form is None:
        verantwoording_form = VerantwoordingForm(formdata=None)
        verantwoording_form.fill(aanvraag)
    volgende = services.next_statuses(aanvraag, current_user)
    return render_template(
        "subsidies/aanvraag_pagina.html", aanvraag=aanvraag, lifecycle=lifecycle,
        antwoord_form=antwoord_form or AntwoordForm(formdata=None),
        bijlage_form=bijlage_form or BijlageForm(formdata=None), verantwoording_form=verantwoording_form,
        mag_intrekken="ingetrokken" in volgende, mag_bijlage=aanvraag.status not in lifecycle.EINDE,
        soorten=SOORT_UITLEG, bijlage_labels=BIJLAGE_LABELS,
        besloten=aanvraag.besloten_at is not None and aanvraag.status not in lifecycle.OPEN,
    ), status


@bp.get("/subsidies/<int:aanvraag_id>")
@login_required
def aanvraag(aanvraag_id: int):
    return render_aanvraag(aanvraag_or_404(aanvraag_id))


@bp.post("/subsidies/<int:aanvraag_id>/antwoord")
@login_required
def antwoord(aanvraag_id: int):
    aanvraag = aanvraag_or_404(aanvraag_id)
    form = AntwoordForm()
    if form.validate_on_submit():
        try:
            services.move(aanvraag, "in_behandeling", by=current_user, now=utcnow(), reden=form.tekst.data)
        except RuleBroken as error:
            show_error(form, RuleBroken("tekst", error.message) if error.field == "reden" else error)
        else:
            flash(_("Je antwoord is verstuurd. De gemeente gaat verder met je aanvraag."), "success")
            return _page(aanvraag, "#berichten")
    return render_aanvraag(aanvraag, antwoord_form=form, status=422)


@bp.post("/subsidies/<int:aanvraag_id>/bijlagen")
@login_required
def bijlage_toevoegen(aanvraag_id: int):
    aanvraag = aanvraag_or_404(aanvraag_id)
    form = BijlageForm()
    if aanvraag.status in lifecycle.EINDE:
        flash(_("Bij deze aanvraag kun je geen bestanden meer toevoegen."), "warning")
        return _page(aanvraag)
    if form.validate_on_submit():
        upload = form.bestand.data
        try:
            attachments.store(aanvraag, upload.stream, bestandsnaam=upload.filename or "", soort=form.soort.data,
                              by=current_user, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Je bestand is toegevoegd."), "success")
            return _page(aanvraag, "#bijlagen")
    return render_aanvraag(aanvraag, bijlage_form=form, status=422)


@bp.route("/subsidies/<int:aanvraag_id>/intrekken", methods=["GET", "POST"])
@login_required
def intrekken(aanvraag_id: int):
    aanvraag = aanvraag_or_404(aanvraag_id)
    if "ingetrokken" not in services.next_statuses(aanvraag, current_user):
        flash(_("Je kunt deze aanvraag niet meer intrekken."), "warning")
        return _page(aanvraag)
    form = IntrekkenForm()
    if form.validate_on_submit():
        try:
            services.move(aanvraag, "ingetrokken", by=current_user, now=utcnow(), reden=form.reden.data or "")
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Je aanvraag is ingetrokken."), "info")
            return _page(aanvraag)
    status = 422 if request.method == "POST" else 200
    return render_template("subsidies/aanvraag_intrekken.html", aanvraag=aanvraag, form=form), status


@bp.post("/subsidies/<int:aanvraag_id>/verantwoording")
@login_required
def verantwoording(aanvraag_id: int):
    aanvraag = aanvraag_or_404(aanvraag_id)
    if aanvraag.status != "verantwoording_gevraagd":
        flash(_("De gemeente vraagt nu geen verantwoording."), "warning")
        return _page(aanvraag)
    form = VerantwoordingForm()
    saved = False
    if form.validate_on_submit():
        try:
            services.edit(aanvraag, by=current_user, now=utcnow(), **form.changes())
            saved = True  # from here on a refusal keeps the text: the person need not type it again
            if form.foto.data:
                try:
                    attachments.store(aanvraag, form.foto.data.stream, bestandsnaam=form.foto.data.filename or "",
                                      soort="verantwoording", by=current_user, now=utcnow())
                except attachments.BijlageError as error:
                    raise RuleBroken("foto", error.message) from None
            if request.form.get("actie") == "versturen":
                services.move(aanvraag, "verantwoord", by=current_user, now=utcnow())
        except services.Incomplete as incomplete:
            for tekort in incomplete.tekorten:
                getattr(form, tekort.veld).errors.append(tekort.tekst)
        except RuleBroken as error:
            show_error(form, error, roll_back=not saved)
        else:
            if aanvraag.status == "verantwoord":
                flash(_("Dank je voor je verhaal! De gemeente leest het en rondt je aanvraag af."), "success")
            else:
                flash(_("Bewaard. Je kunt later verder gaan."), "success")
            return _page(aanvraag, "#verantwoording")
    return render_aanvraag(aanvraag, verantwoording_form=form, status=422)


# ---- files ---------------------------------------------------------------------------------------

@bp.get("/subsidies/bijlagen/<int:bijlage_id>")
def bijlage(bijlage_id: int):
    """A stored file, to whoever may see it; to anyone else it does not exist."""
    found = db.session.get(Bijlage, bijlage_id)
    if found is None or not attachments.may_see(current_user, found):
        abort(404)
    path = attachments.path_of(found)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=found.mime, as_attachment=True,
                         download_name=attachments.download_name(found), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
