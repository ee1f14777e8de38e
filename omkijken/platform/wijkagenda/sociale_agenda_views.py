"""The sociale agenda of a wijk: a page residents read and print, and the opbouwwerker's editor."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from omkijken.platform.accounts.permissions import may_moderate
from omkijken.platform.areas.models import Gebied, Wijk
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.formfields import database_id
from omkijken.platform.i18n import gettext as _
from omkijken.platform.wijkagenda import services, sociale_agenda, vocabulary, wijkfoto
from omkijken.platform.wijkagenda.forms import AgendaForm, ThemaForm
from omkijken.platform.wijkagenda.models import Agendapunt, Agendathema
from omkijken.platform.wijkagenda.views import wijk_or_404

bp = Blueprint("sociale_agenda", __name__)


@bp.get("/wijkagenda/gebied/<int:gebied_id>/sociale-agenda")
def gebied(gebied_id: int):
    """The published sociale agenda of every wijk of a gebied on one page: a gemeente that draws up
    its sociale agenda per gebied reads and prints it here."""
    found = db.session.get(Gebied, gebied_id) or abort(404)
    wijken = sorted((db.session.get(Wijk, wijk_id) for wijk_id in found.wijk_ids), key=lambda w: w.code)
    delen = [(wijk, sociale_agenda.published(wijk)) for wijk in wijken]
    steun = services.steun_counts([p.id for _, a in delen if a for t in a.themas for p in t.punten])
    return render_template("wijkagenda/sociale_agenda_gebied.html", gebied=found, delen=delen, steun=steun,
                           vocab=vocabulary)


@bp.get("/wijkagenda/<code>/sociale-agenda")
def lezen(code: str):
    wijk = wijk_or_404(code)
    moderator = may_moderate(current_user, wijk.id)
    agenda = sociale_agenda.of(wijk) if moderator else sociale_agenda.published(wijk)
    steun = {}
    if agenda is not None:
        steun = services.steun_counts([p.id for t in agenda.themas for p in t.punten])
    return render_template("wijkagenda/sociale_agenda.html", wijk=wijk, agenda=agenda, moderator=moderator,
                           foto=wijkfoto.of(wijk, now=utcnow()), steun=steun, vocab=vocabulary,
                           volger=services.follows(current_user, wijk))


def _editor(wijk, *, agenda_form=None, thema_forms=None, nieuw_form=None, status=200):
    agenda = sociale_agenda.of(wijk)
    thema_forms = thema_forms or {}
    punten = sociale_agenda.candidates(wijk)
    forms = {t.id: thema_forms.get(t.id) or ThemaForm(obj=t, prefix=f"t{t.id}") for t in agenda.themas}
    return render_template(
        "wijkagenda/sociale_agenda_bewerken.html", wijk=wijk, agenda=agenda,
        agenda_form=agenda_form or AgendaForm(obj=agenda), thema_forms=forms,
        nieuw_form=nieuw_form or ThemaForm(prefix="nieuw"), punten=punten,
        steun=services.steun_counts([p.id for p in punten]), vocab=vocabulary,
    ), status


def _moderator_of(code: str):
    wijk = wijk_or_404(code)
    if not may_moderate(current_user, wijk.id):
        abort(403)
    return wijk


@bp.get("/wijkagenda/<code>/sociale-agenda/bewerken")
@login_required
def bewerken(code: str):
    wijk = _moderator_of(code)
    sociale_agenda.start(wijk, by=current_user, now=utcnow())
    return _editor(wijk)


@bp.post("/wijkagenda/<code>/sociale-agenda/bewerken")
@login_required
def bewaren(code: str):
    wijk = _moderator_of(code)
    agenda = sociale_agenda.start(wijk, by=current_user, now=utcnow())
    form = AgendaForm()
    if form.validate_on_submit():
        try:
            sociale_agenda.save(agenda, by=current_user, titel=form.titel.data, inleiding=form.inleiding.data or "",
                                datum=form.datum.data, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Bewaard."), "success")
            return redirect(url_for("sociale_agenda.bewerken", code=code))
    return _editor(wijk, agenda_form=form, status=422)


@bp.post("/wijkagenda/<code>/sociale-agenda/thema")
@bp.post("/wijkagenda/<code>/sociale-agenda/thema/<int:thema_id>")
@login_required
def thema(code: str, thema_id: int | None = None):
    wijk = _moderator_of(code)
    agenda = sociale_agenda.start(wijk, by=current_user, now=utcnow())
    bestaand = db.session.get(Agendathema, thema_id) if thema_id else None
    if thema_id and (bestaand is None or bestaand.agenda_id != agenda.id):
        abort(404)
    if bestaand is not None and request.form.get("actie") == "weg":
        sociale_agenda.remove_thema(bestaand, by=current_user, now=utcnow())
        flash(_("Het thema is weg. De punten staan weer op de wijkagenda als 'besproken'."), "info")
        return redirect(url_for("sociale_agenda.bewerken", code=code))
    form = ThemaForm(prefix=f"t{thema_id}" if thema_id else "nieuw")
    if form.validate_on_submit():
        try:
            sociale_agenda.save_thema(agenda, by=current_user, titel=form.titel.data, tekst=form.tekst.data or "",
                                      wie=form.wie.data or "", datum=form.datum.data, thema=bestaand, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Het thema is bewaard."), "success")
            return redirect(url_for("sociale_agenda.bewerken", code=code))
    if bestaand is not None:
        return _editor(wijk, thema_forms={bestaand.id: form}, status=422)
    return _editor(wijk, nieuw_form=form, status=422)


@bp.post("/wijkagenda/<code>/sociale-agenda/plaatsen")
@login_required
def plaatsen(code: str):
    wijk = _moderator_of(code)
    agenda = sociale_agenda.start(wijk, by=current_user, now=utcnow())
    punt = db.session.get(Agendapunt, database_id(request.form.get("punt_id")) or 0)
    if punt is None or punt.wijk_id != wijk.id:
        abort(404)
    thema_id = database_id(request.form.get("thema_id"))
    thema = next((t for t in agenda.themas if t.id == thema_id), None)
    try:
        sociale_agenda.place(punt, thema, by=current_user, now=utcnow())
    except RuleBroken as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        flash(_("Bewaard: %(punt)s.", punt=punt.titel), "success")
    return redirect(url_for("sociale_agenda.bewerken", code=code) + f"#punt-{punt.id}")


@bp.post("/wijkagenda/<code>/sociale-agenda/publiceren")
@login_required
def publiceren(code: str):
    wijk = _moderator_of(code)
    agenda = sociale_agenda.start(wijk, by=current_user, now=utcnow())
    try:
        sociale_agenda.publish(agenda, by=current_user, now=utcnow())
    except RuleBroken as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("sociale_agenda.bewerken", code=code))
    flash(_("De sociale agenda staat online. Iedereen in de wijk kan hem lezen."), "success")
    return redirect(url_for("sociale_agenda.lezen", code=code))
