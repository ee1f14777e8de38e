"""The wijkagenda for residents: read it without an account; add, support, react and help with one."""

from __future__ import annotations

from typing import Any

import folium
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import may_moderate
from omkijken.platform.areas import gebieden, maps
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Gebied, Wijk
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import csrf, db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.system import audit
from omkijken.platform.wijkagenda import digest, lifecycle, services, sociale_agenda, vocabulary
from omkijken.platform.wijkagenda.besluiten import merge_candidates
from omkijken.platform.wijkagenda.forms import BesluitForm, PuntForm, ReactieForm
from omkijken.platform.wijkagenda.models import Agendapunt

bp = Blueprint("wijkagenda", __name__)


def wijk_or_404(code: str) -> Wijk:
    return areas.wijk_by_code(code) or abort(404)


def punt_or_404(punt_id: int) -> Agendapunt:
    punt = db.session.get(Agendapunt, punt_id)
    if punt is None or not services.visible_to(current_user, punt):
        abort(404)
    return punt


@bp.get("/wijkagenda")
def kiezen():
    eigen = getattr(current_user, "wijk", None) if current_user.is_authenticated else None
    per_gemeente: dict[int, list[Gebied]] = {}
    for gebied in gebieden.all_gebieden():
        per_gemeente.setdefault(gebied.gemeente_id, []).append(gebied)
    return render_template("wijkagenda/kiezen.html", gemeenten=areas.public_per_gemeente(), eigen=eigen,
                           gebieden=per_gemeente)


def _status() -> str | None:
    status = request.args.get("status") or None
    return status if status in vocabulary.STATUSSEN else None


@bp.get("/wijkagenda/<code>")
def wijk(code: str):
    wijk = wijk_or_404(code)
    status = _status()
    return render_template(
        "wijkagenda/wijk.html", wijk=wijk, regels=services.wijkagenda(wijk, current_user, status=status),
        status=status, eigen=services.own_waiting(current_user, wijk), volger=services.follows(current_user, wijk),
        agenda=sociale_agenda.published(wijk), vocab=vocabulary, moderator=may_moderate(current_user, wijk.id),
        gebieden=gebieden.of_wijk(wijk.id),
    )


@bp.get("/wijkagenda/gebied/<int:gebied_id>")
def gebied(gebied_id: int):
    """The wijkagenda of a gebied: the punten of each of its wijken, with each wijk's sociale agenda,
    for a gemeente that draws up its sociale agenda per gebied."""
    found = db.session.get(Gebied, gebied_id) or abort(404)
    status = _status()
    wijken = [db.session.get(Wijk, wijk_id) for wijk_id in sorted(found.wijk_ids)]
    wijken.sort(key=lambda w: w.code)
    delen = [(w, services.wijkagenda(w, current_user, status=status), sociale_agenda.published(w)) for w in wijken]
    return render_template("wijkagenda/gebied.html", gebied=found, delen=delen, status=status, vocab=vocabulary)


def _picker(wijk: Wijk, form: PuntForm) -> maps.MapParts:
    picked = form.plek()
    fmap = maps.base_map(current_app.config, centre=picked or areas.representative_point(wijk), zoom=15)
    if picked:
        folium.Marker(list(picked)).add_to(fmap)
    return maps.parts(fmap)


def _render_form(wijk: Wijk, form: PuntForm, *, punt: Agendapunt | None = None, map_error: str | None = None,
                 status: int = 200):
    return render_template("wijkagenda/formulier.html", wijk=wijk, form=form, punt=punt, picker=_picker(wijk, form),
                           map_error=map_error), status


@bp.route("/wijkagenda/<code>/nieuw", methods=["GET", "POST"])
@login_required
def nieuw(code: str):
    wijk = wijk_or_404(code)
    form = PuntForm()
    map_error = None
    if form.validate_on_submit():
        try:
            punt = services.create(wijk=wijk, auteur=current_user, soort=form.soort.data, onderwerp=form.onderwerp.data,
                                   titel=form.titel.data, beschrijving=form.beschrijving.data or "",
                                   plek=form.plek(), now=utcnow())
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            flash(_("Dank je! De opbouwwerker kijkt er snel naar. Daarna staat je punt op de wijkagenda."), "success")
            return redirect(url_for("wijkagenda.punt", punt_id=punt.id))
    return _render_form(wijk, form, map_error=map_error, status=422 if request.method == "POST" else 200)


@bp.route("/wijkagenda/punt/<int:punt_id>/bewerken", methods=["GET", "POST"])
@login_required
def bewerken(punt_id: int):
    punt = punt_or_404(punt_id)
    if not services.can_edit(current_user, punt):
        abort(403)
    form = PuntForm(obj=punt)
    map_error = None
    if form.validate_on_submit():
        try:
            services.edit(punt, by=current_user, soort=form.soort.data, onderwerp=form.onderwerp.data,
                          titel=form.titel.data, beschrijving=form.beschrijving.data or "", plek=form.plek(),
                          now=utcnow())
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            flash(_("Bewaard. De opbouwwerker kijkt er opnieuw naar."), "success")
            return redirect(url_for("wijkagenda.punt", punt_id=punt.id))
    return _render_form(punt.wijk, form, punt=punt, map_error=map_error,
                        status=422 if request.method == "POST" else 200)


def _punt_map(punt: Agendapunt) -> maps.MapParts | None:
    if punt.plek is None:
        return None
    fmap = maps.base_map(current_app.config, centre=punt.plek, zoom=16)
    folium.Marker(list(punt.plek), tooltip=maps.tooltip(punt.titel)).add_to(fmap)
    return maps.parts(fmap)


def render_punt(punt: Agendapunt, *, reactie_form: ReactieForm | None = None, besluit_fout: dict | None = None,
                status: int = 200):
    moderator = may_moderate(current_user, punt.wijk_id)
    regel = services.regels([punt], current_user)[0]
    besluiten = audit.entries(onderwerp="agendapunt", onderwerp_id=punt.id)
    if not moderator and getattr(current_user, "id", None) != punt.auteur_id:
        besluiten = [b for b in besluiten if b.besluit in lifecycle.STATUSSEN or b.besluit == "goedkeuren"]
    return render_template(
        "wijkagenda/punt.html", punt=punt, regel=regel, kaart=_punt_map(punt), vocab=vocabulary,
        reactie_form=reactie_form or ReactieForm(), moderator=moderator, besluiten=besluiten,
        helpt=services.wants_to_help(current_user, punt),
        helpers=services.helpers(punt) if moderator else [],
        volgende=lifecycle.next_statuses(punt.moderatie, punt.status) if moderator else [],
        samen_met=(merge_candidates(punt)
                   if moderator and punt.moderatie in ("ingediend", "goedgekeurd") else []),
        besluit_form=BesluitForm(), besluit_fout=besluit_fout or {}, kan_bewerken=services.can_edit(current_user, punt),
    ), status


@bp.get("/wijkagenda/punt/<int:punt_id>")
def punt(punt_id: int):
    merged = db.session.get(Agendapunt, punt_id)
    if merged is not None and merged.moderatie == "samengevoegd" and merged.samengevoegd_in_id:
        # Old links (a mail, a poster) lead to the punt that stayed, for everyone.
        flash(_("Dit punt is samengevoegd met een punt dat hetzelfde vraagt. Je steun telt daar mee."), "info")
        return redirect(url_for("wijkagenda.punt", punt_id=merged.samengevoegd_in_id))
    return render_punt(punt_or_404(punt_id))


def _back_to(punt: Agendapunt) -> Any:
    target = request.form.get("terug")
    if target == "wijk":
        return redirect(url_for("wijkagenda.wijk", code=punt.wijk.code) + f"#punt-{punt.id}")
    return redirect(url_for("wijkagenda.punt", punt_id=punt.id))


@bp.post("/wijkagenda/punt/<int:punt_id>/steun")
@login_required
def steun(punt_id: int):
    punt = punt_or_404(punt_id)
    try:
        if request.form.get("actie") == "intrekken":
            services.withdraw_support(punt, by=current_user)
            flash(_("Je steun is ingetrokken."), "info")
        else:
            services.support(punt, by=current_user, now=utcnow())
            flash(_("Dank je voor je steun!"), "success")
    except RuleBroken as error:
        db.session.rollback()
        flash(error.message, "warning")
    return _back_to(punt)


@bp.post("/wijkagenda/punt/<int:punt_id>/meehelpen")
@login_required
def meehelpen(punt_id: int):
    punt = punt_or_404(punt_id)
    try:
        services.help_out(punt, by=current_user, now=utcnow())
    except RuleBroken as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        flash(_("Fijn dat je wilt meehelpen! De opbouwwerker neemt contact met je op als het zover is."), "success")
    return _back_to(punt)


@bp.post("/wijkagenda/punt/<int:punt_id>/reactie")
@login_required
def reactie(punt_id: int):
    punt = punt_or_404(punt_id)
    form = ReactieForm()
    if form.validate_on_submit():
        try:
            services.react(punt, by=current_user, tekst=form.tekst.data, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Je reactie staat erbij."), "success")
            return redirect(url_for("wijkagenda.punt", punt_id=punt.id) + "#reacties")
    return render_punt(punt, reactie_form=form, status=422)


@bp.post("/wijkagenda/<code>/volgen")
@login_required
def volgen(code: str):
    wijk = wijk_or_404(code)
    actie = request.form.get("actie")
    if actie == "stoppen":
        services.unfollow(wijk, by=current_user)
        flash(_("Je volgt %(wijk)s niet meer.", wijk=wijk.naam), "info")
    elif actie in ("mail_uit", "mail_aan"):
        services.set_digest(current_user, aan=actie == "mail_aan")
        flash(_("Je krijgt de wekelijkse mail weer.") if actie == "mail_aan" else
              _("Je krijgt geen wekelijkse mail meer."), "info")
    else:
        services.follow(wijk, by=current_user, now=utcnow())
        flash(_("Je volgt nu %(wijk)s. Je krijgt één keer per week een mail met het nieuws.", wijk=wijk.naam),
              "success")
    return redirect(url_for("wijkagenda.wijk", code=wijk.code))


@bp.route("/wijkagenda/mail-uit/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; a mail app's one-tap POST carries no form token
def mail_uit(token: str):
    """The link in the weekly mail. A mail app's one-tap unsubscribe POSTs here (RFC 8058);
    a person who taps the link sees one button, so a mail scanner that opens links changes nothing."""
    user_id = digest.read_unsubscribe(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        return render_template("wijkagenda/mail_uit.html", ongeldig=True, token=token), 400
    if request.method == "POST":
        services.set_digest(user, aan=False)
        return render_template("wijkagenda/mail_uit.html", klaar=True, token=token)
    return render_template("wijkagenda/mail_uit.html", token=token)
