"""The coordinator's pages: the queue, a vraag with its candidates, and collective suggestions.

Thin: what may be done and what it does live in ``koppelingen.services`` and ``koppelingen.wachtrij``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.koppelingen import services, vocabulary, wachtrij
from omkijken.platform.koppelingen.coordinatie_forms import (
    AfkeurForm,
    BevestigForm,
    CollectiefForm,
    DienstForm,
    DoorverwijsForm,
    KoppelForm,
    NotitieForm,
)
from omkijken.platform.koppelingen.diensten import all_diensten, coordinates, dienst_for, dienst_id_for
from omkijken.platform.koppelingen.models import Dienst, Voorstel
from omkijken.platform.posts import vocabulary as posts_vocabulary
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag

bp = Blueprint("coordinatie", __name__)

KANDIDATEN = 10
# How many activiteiten the "koppel aan een activiteit" list offers, nearest first.
ACTIVITEITEN = 20


# --- the queue ----------------------------------------------------------------------------------


def _render_queue(*, afkeur_form: AfkeurForm | None = None, afkeur_voor: int | None = None, status: int = 200):
    now = utcnow()
    queue = wachtrij.wachtrij(current_user, now=now)
    return render_template(
        "koppelingen/coordinatie_wachtrij.html",
        queue=queue,
        leeftijd={v.id: wachtrij.age_days(v, now=now) for v in queue.wachtend},
        dienst={v.id: dienst_for(v) for v in queue.wachtend},
        categorieen=posts_vocabulary.CATEGORIEEN,
        dagen=current_app.config["WACHT_DAGEN_COORDINATOR"],
        bevestig_form=BevestigForm(formdata=None),
        afkeur_form=afkeur_form,
        afkeur_voor=afkeur_voor,
        lege_afkeur_form=AfkeurForm(formdata=None),
    ), status


@bp.get("/coordinatie")
@capability_required("coordineren")
def overzicht():
    return _render_queue()


def _own_voorstel(voorstel_id: int) -> Voorstel:
    voorstel = db.session.get(Voorstel, voorstel_id)
    if voorstel is None:
        abort(404)
    if not coordinates(current_user, voorstel.dienst_id):
        abort(403)
    return voorstel


@bp.post("/coordinatie/voorstellen/<int:voorstel_id>/bevestigen")
@capability_required("coordineren")
def bevestigen(voorstel_id: int):
    voorstel = _own_voorstel(voorstel_id)
    if BevestigForm().validate_on_submit():
        try:
            services.confirm(voorstel, by=current_user, now=utcnow())
        except RuleBroken as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            flash(_("Bevestigd. %(naam)s en de hulpvrager zien het voorstel nu.", naam=voorstel.vrijwilliger.naam),
                  "success")
    return redirect(url_for("coordinatie.overzicht"))


@bp.post("/coordinatie/voorstellen/<int:voorstel_id>/afkeuren")
@capability_required("coordineren")
def afkeuren(voorstel_id: int):
    voorstel = _own_voorstel(voorstel_id)
    form = AfkeurForm()
    if not form.validate_on_submit():
        return _render_queue(afkeur_form=form, afkeur_voor=voorstel.id, status=422)
    try:
        services.reject(voorstel, by=current_user, reden=form.reden.data or "", now=utcnow())
    except RuleBroken as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        flash(_("Afgekeurd. We zoeken een andere vrijwilliger."), "success")
    return redirect(url_for("coordinatie.overzicht"))


# --- one vraag ------------------------------------------------------------------------------------


def _own_vraag(vraag_id: int) -> Hulpvraag:
    vraag = db.session.get(Hulpvraag, vraag_id)
    if vraag is None:
        abort(404)
    if not coordinates(current_user, dienst_id_for(vraag)):
        abort(403)
    return vraag


def _dienst_form(vraag: Hulpvraag, formdata: bool = True) -> DienstForm:
    form = DienstForm() if formdata else DienstForm(formdata=None)
    current = dienst_for(vraag)
    form.dienst_id.choices = [(d.id, d.label) for d in all_diensten() if current is None or d.id != current.id]
    return form


def _render_vraag(vraag: Hulpvraag, *, koppel_form: KoppelForm | None = None,
                  notitie_form: NotitieForm | None = None, doorverwijs_form: DoorverwijsForm | None = None,
                  dienst_form: DienstForm | None = None, status: int = 200):
    now = utcnow()
    kandidaten = wachtrij.candidates_for(vraag, now=now, k=KANDIDATEN) if vraag.status == "open" else []
    shown = {aanbod.id for aanbod, _proposal in kandidaten}
    koppel_fout = None
    if koppel_form is not None and koppel_form.errors and koppel_form.aanbod_id.data not in shown:
        # The volunteer is not in the list (any more): say it at the top.
        koppel_fout = [m for messages in koppel_form.errors.values() for m in messages] + koppel_form.form_errors
    return render_template(
        "koppelingen/coordinatie_vraag.html",
        vraag=vraag,
        dienst=dienst_for(vraag),
        leeftijd=wachtrij.age_days(vraag, now=now),
        afhandelingen=wachtrij.afhandelingen_van(vraag),
        kandidaten=kandidaten,
        vocab=posts_vocabulary,
        afhandeling_soorten=vocabulary.AFHANDELING_SOORTEN,
        koppel_form=koppel_form,
        koppel_fout=koppel_fout,
        lege_koppel_form=KoppelForm(formdata=None),
        notitie_form=notitie_form or NotitieForm(formdata=None),
        doorverwijs_form=doorverwijs_form or DoorverwijsForm(formdata=None),
        dienst_form=dienst_form or _dienst_form(vraag, formdata=False),
    ), status


@bp.get("/coordinatie/vragen/<int:vraag_id>")
@capability_required("coordineren")
def vraag(vraag_id: int):
    return _render_vraag(_own_vraag(vraag_id))


@bp.post("/coordinatie/vragen/<int:vraag_id>/koppelen")
@capability_required("coordineren")
def koppelen(vraag_id: int):
    hulpvraag = _own_vraag(vraag_id)
    form = KoppelForm()
    if form.validate_on_submit():
        aanbod = db.session.get(Aanbod, form.aanbod_id.data)
        try:
            if aanbod is None:
                raise services.KoppelingError("aanbod_id", _("Deze vrijwilliger bestaat niet meer."))
            voorstel = services.match_by_hand(hulpvraag, aanbod, by=current_user, now=utcnow(),
                                              beiden_akkoord=bool(form.beiden_akkoord.data),
                                              tekst=form.tekst.data or "")
        except RuleBroken as error:
            show_error(form, error)
        else:
            if voorstel.status == "gekoppeld":
                flash(_("Gekoppeld: %(naam)s helpt bij “%(titel)s”.", naam=aanbod.auteur.naam,
                        titel=hulpvraag.titel), "success")
            elif voorstel.status == "open":
                flash(_("Voorgesteld. %(naam)s en de hulpvrager krijgen bericht en kunnen ja of nee zeggen.",
                        naam=aanbod.auteur.naam), "success")
            else:
                flash(_("Let op: het voorstel aan %(naam)s staat op “%(status)s”.", naam=aanbod.auteur.naam,
                        status=vocabulary.VOORSTEL_STATUSSEN.get(voorstel.status, voorstel.status)), "warning")
            return redirect(url_for("coordinatie.overzicht"))
    return _render_vraag(hulpvraag, koppel_form=form, status=422)


@bp.post("/coordinatie/vragen/<int:vraag_id>/dienst")
@capability_required("coordineren")
def andere_dienst(vraag_id: int):
    hulpvraag = _own_vraag(vraag_id)
    form = _dienst_form(hulpvraag)
    if form.validate_on_submit():
        dienst = db.session.get(Dienst, form.dienst_id.data)
        try:
            services.move_to_dienst(hulpvraag, dienst, by=current_user, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("De hulpvraag hoort nu bij %(dienst)s. We zoeken opnieuw een vrijwilliger.", dienst=dienst.label),
                  "success")
            if coordinates(current_user, dienst.id):
                return redirect(url_for("coordinatie.vraag", vraag_id=hulpvraag.id))
            return redirect(url_for("coordinatie.overzicht"))
    return _render_vraag(hulpvraag, dienst_form=form, status=422)


@bp.post("/coordinatie/vragen/<int:vraag_id>/notitie")
@capability_required("coordineren")
def notitie(vraag_id: int):
    hulpvraag = _own_vraag(vraag_id)
    form = NotitieForm()
    if form.validate_on_submit():
        try:
            services.note(hulpvraag, by=current_user, tekst=form.tekst.data or "", now=utcnow(),
                          gebeld=request.form.get("soort", "gebeld") == "gebeld")
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Bewaard. De hulpvraag staat niet meer bij het wachten."), "success")
            return redirect(url_for("coordinatie.vraag", vraag_id=hulpvraag.id))
    return _render_vraag(hulpvraag, notitie_form=form, status=422)


@bp.post("/coordinatie/vragen/<int:vraag_id>/doorverwijzen")
@capability_required("coordineren")
def doorverwijzen(vraag_id: int):
    hulpvraag = _own_vraag(vraag_id)
    form = DoorverwijsForm()
    if form.validate_on_submit():
        try:
            services.refer(hulpvraag, by=current_user, naar=form.naar.data or "", now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Doorverwezen. De hulpvraag is gesloten."), "success")
            return redirect(url_for("coordinatie.overzicht"))
    return _render_vraag(hulpvraag, doorverwijs_form=form, status=422)


# --- collective ---------------------------------------------------------------------------------


def _activiteit_choices(activiteiten: list[Activiteit]) -> list[tuple[int, str]]:
    return [(a.id, a.titel) for a in activiteiten]


def _render_collectief(*, failed: CollectiefForm | None = None, status: int = 200):
    now = utcnow()
    wijk_ids = wachtrij.collective_scope(current_user)
    suggesties = wachtrij.collective_suggestions(wijk_ids=wijk_ids)
    rows: list[dict[str, Any]] = []
    failed_ids = set(failed.vraag_ids.data or []) if failed is not None else set()
    for suggestie in suggesties:
        ids = {v.id for v in suggestie.vragen}
        activiteiten = wachtrij.upcoming_activiteiten(now=now, near=(suggestie.cluster.lat, suggestie.cluster.lon),
                                                      limit=ACTIVITEITEN)
        if failed is not None and failed_ids & ids:
            form = failed
        else:
            form = CollectiefForm(formdata=None, vraag_ids=sorted(ids))
        form.vraag_ids.choices = [(v.id, v.titel) for v in suggestie.vragen]
        form.activiteit_id.choices = _activiteit_choices(activiteiten)
        rows.append({"suggestie": suggestie, "form": form, "activiteiten": activiteiten})
    # A failed form that belongs to no suggestion any more: its messages go on top.
    los = failed if failed is not None and not any(r["form"] is failed for r in rows) else None
    return render_template(
        "koppelingen/coordinatie_collectief.html",
        rows=rows,
        los=los,
        categorieen=posts_vocabulary.CATEGORIEEN,
    ), status


@bp.get("/coordinatie/collectief")
@capability_required("collectief_koppelen")
def collectief():
    return _render_collectief()


@bp.post("/coordinatie/collectief/koppelen")
@capability_required("collectief_koppelen")
def collectief_koppelen():
    now = utcnow()
    form = CollectiefForm()
    form.activiteit_id.choices = _activiteit_choices(wachtrij.upcoming_activiteiten(now=now))
    if not form.validate_on_submit():
        return _render_collectief(failed=form, status=422)
    wijk_ids = wachtrij.collective_scope(current_user)
    vragen = list(db.session.scalars(select(Hulpvraag).where(Hulpvraag.id.in_(form.vraag_ids.data))))
    if len(vragen) != len(set(form.vraag_ids.data)):
        abort(404)
    if not all(wachtrij.in_scope(v, wijk_ids) for v in vragen):
        abort(403)
    if not all(wachtrij.linkable(v) for v in vragen):
        form.vraag_ids.errors = [*form.vraag_ids.errors,
                                 _("Een van deze hulpvragen heeft al hulp, is gesloten of is al gekoppeld.")]
        return _render_collectief(failed=form, status=422)
    activiteit = db.session.get(Activiteit, form.activiteit_id.data)
    try:
        aantal = services.link_collectief(vragen, activiteit, by=current_user, now=now)
    except RuleBroken as error:
        show_error(form, error)
        return _render_collectief(failed=form, status=422)
    flash(ngettext("%(num)s hulpvraag is gekoppeld aan “%(titel)s”.",
                   "%(num)s hulpvragen zijn gekoppeld aan “%(titel)s”.", aantal, titel=activiteit.titel), "success")
    return redirect(url_for("coordinatie.collectief"))
