"""Placing, editing and reading one post; 'reageer' and conversations; reporting.

Thin: the rules live in ``posts.services``. What is left here is turning form fields into model
values (and back, for editing) and choosing the place a post is shown at.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, with_polymorphic

from omkijken.platform.accounts.permissions import may
from omkijken.platform.areas import maps
from omkijken.platform.areas import services as areas
from omkijken.platform.clock import local, utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts import formdata, ongelezen, services, structured_data, vocabulary
from omkijken.platform.posts.forms import (
    FORMS,
    MELD_REDENEN,
    AntwoordForm,
    MeldForm,
    ReageerForm,
    StatusForm,
)
from omkijken.platform.posts.models import Activiteit, Gesprek, Post

bp = Blueprint("posts", __name__)

# Kinds that only some roles may place; everyone else sees a page that says why.
CAPABILITY_FOR = {"aanbod": "aanbieden", "vacature": "vacatures_plaatsen"}
# One B1 sentence per kind, for the "Wat wil je plaatsen?" page.
UITLEG = {
    "hulpvraag": _l("Je zoekt hulp. Bijvoorbeeld bij boodschappen, vervoer of de tuin."),
    "aanbod": _l("Je wilt als vrijwilliger iets voor een ander doen."),
    "vacature": _l("Je organisatie zoekt een vrijwilliger."),
    "initiatief": _l("Je hebt een plan voor je buurt en zoekt mensen, ruimte of geld."),
    "ontmoetingsplek": _l("Je kent een plek waar mensen elkaar kunnen ontmoeten."),
    "activiteit": _l("Je organiseert iets waar iedereen aan mee kan doen."),
}
KOPPEN = {
    "hulpvraag": _l("Vraag om hulp"),
    "aanbod": _l("Bied je hulp aan"),
    "vacature": _l("Plaats een vacature"),
    "initiatief": _l("Plaats je initiatief"),
    "ontmoetingsplek": _l("Plaats een ontmoetingsplek"),
    "activiteit": _l("Plaats een activiteit"),
}


# --- who may place what -----------------------------------------------------------------------


def _may_place(soort: str, user: Any) -> bool:
    capability = CAPABILITY_FOR.get(soort)
    return capability is None or may(user, capability)


# --- pages -------------------------------------------------------------------------------------


@bp.get("/plaatsen")
@login_required
def nieuw():
    soorten = [(soort, label, UITLEG[soort], _may_place(soort, current_user))
               for soort, label in vocabulary.SOORTEN.items()]
    return render_template("posts/nieuw.html", soorten=soorten)


def _picker(form, post: Post | None = None):
    picked = None
    if hasattr(form, "lat"):
        try:
            picked = float(form.lat.data), float(form.lon.data)
        except (TypeError, ValueError):
            picked = None
    return maps.point_picker(current_app.config, home=picked)


def _render_form(soort: str, form, *, post: Post | None = None, map_error: str | None = None, status: int = 200):
    picker = _picker(form, post) if hasattr(form, "lat") else None
    max_prijs = current_app.config.get("ACTIVITEIT_MAX_PRIJS", 5)
    return render_template(
        "posts/formulier.html",
        soort=soort,
        kop=_("%(soort)s veranderen", soort=vocabulary.SOORTEN[soort]) if post else KOPPEN[soort],
        form=form,
        post=post,
        picker=picker,
        map_error=map_error,
        vocab=vocabulary,
        max_prijs=f"{Decimal(str(max_prijs)):.2f}".replace(".", ","),
        heeft_huis=current_user.home is not None,
    ), status


@bp.route("/plaatsen/<soort>", methods=["GET", "POST"])
@login_required
def plaatsen(soort: str):
    if soort not in FORMS:
        abort(404)
    if not _may_place(soort, current_user):
        return render_template("posts/geen_rol.html", soort=soort, soort_label=vocabulary.SOORTEN[soort]), 403
    form = formdata.make_form(soort)
    map_error = None
    if form.validate_on_submit():
        try:
            auteur, namens = formdata.author_and_on_behalf(form)
            where, op_huisadres = formdata.place_from_form(soort, form, auteur, None)
            post = formdata.MODELS[soort](**formdata.values(soort, form))
            services.create(post, auteur=auteur, now=utcnow(), where=where, op_huisadres=op_huisadres,
                            namens=namens)
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            if soort == "hulpvraag" and namens is None:
                # What happens next is on the page, right under the title (koppelingen/_wat_nu.html).
                flash(_("Je hulpvraag staat op het prikbord. Hieronder lees je wat er nu gebeurt."), "success")
            else:
                flash(_("Je bericht staat op het prikbord. Dank je!"), "success")
            return redirect(url_for("posts.detail", post_id=post.id))
    return _render_form(soort, form, map_error=map_error, status=422 if request.method == "POST" else 200)


# A post page shows the soort's own fields and the author: one query instead of four. The wijk
# comes from the kept list (areas.wijk_info).
_ANY_POST = with_polymorphic(Post, "*")


def _visible(post_id: int) -> Post:
    """A post as its reader may see it: hidden or closed ones only for who may edit them."""
    post = db.session.scalar(select(_ANY_POST).where(_ANY_POST.id == post_id).options(joinedload(_ANY_POST.auteur)))
    if post is None or not (post.is_public or services.can_edit(current_user, post)):
        abort(404)
    return post


def _detail_map(post: Post):
    return maps.point_map(current_app.config, services.public_point(post), zoom=15,
                          circle_m=400 if post.op_huisadres else None)


def _render_detail(post: Post, *, reageer_form=None, meld_form=None, status: int = 200):
    gesprek = None
    mag_bewerken = services.can_edit(current_user, post)
    # The forms only for who sees them: most readers are visitors, and each form costs a CSRF token.
    if current_user.is_authenticated:
        gesprek = db.session.scalar(select(Gesprek).filter_by(post_id=post.id, deelnemer_id=current_user.id))
        reageer_form = reageer_form or ReageerForm(formdata=None)
        meld_form = meld_form or MeldForm(formdata=None)
    return render_template(
        "posts/detail.html",
        post=post,
        soort_label=vocabulary.SOORTEN.get(post.soort, post.soort),
        vocab=vocabulary,
        detail_map=_detail_map(post),
        json_ld=structured_data.event(post) if isinstance(post, Activiteit) else None,
        start=local(getattr(post, "start", None)),
        eind=local(getattr(post, "eind", None)),
        mag_bewerken=mag_bewerken,
        gesprek=gesprek,
        reageer_form=reageer_form,
        meld_form=meld_form,
        status_form=StatusForm(formdata=None) if mag_bewerken else None,
        wijk=areas.wijk_info(post.wijk_id) if post.wijk_id else None,
        wijk_namen=_wijk_namen(post),
    ), status


def _wijk_namen(post: Post) -> list[str]:
    ids = getattr(post, "wijk_ids", None) or []
    if not ids:  # most posts: no need to load every wijk
        return []
    return [w.volledige_naam for w in areas.all_wijken() if w.id in ids]


@bp.get("/prikbord/<int:post_id>")
def detail(post_id: int):
    return _render_detail(_visible(post_id))


@bp.route("/prikbord/<int:post_id>/bewerken", methods=["GET", "POST"])
@login_required
def bewerken(post_id: int):
    post = _visible(post_id)
    if not services.can_edit(current_user, post):
        abort(403)
    soort = post.soort
    form = formdata.make_form(soort, post)
    if request.method == "GET":
        formdata.fill(soort, form, post)
    map_error = None
    if form.validate_on_submit():
        try:
            where, op_huisadres = formdata.place_from_form(soort, form, post.auteur, post)
            services.update(post, by=current_user, values=formdata.values(soort, form), now=utcnow(),
                            where=where, op_huisadres=op_huisadres)
        except RuleBroken as error:
            map_error = show_error(form, error)
        else:
            flash(_("Je wijzigingen zijn bewaard."), "success")
            return redirect(url_for("posts.detail", post_id=post.id))
    return _render_form(soort, form, post=post, map_error=map_error,
                        status=422 if request.method == "POST" else 200)


@bp.post("/prikbord/<int:post_id>/status")
@login_required
def status(post_id: int):
    post = _visible(post_id)
    if not services.can_edit(current_user, post):
        abort(403)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.set_status(post, by=current_user, status=form.status.data or "", now=utcnow(),
                                reden=form.reden.data or None)
        except RuleBroken as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            messages = {"open": _("Je bericht staat weer open."), "gepauzeerd": _("Je bericht is gepauzeerd."),
                        "gesloten": _("Je bericht is gesloten. Dank je dat je het liet weten.")}
            flash(messages[post.status], "success")
    return redirect(url_for("posts.detail", post_id=post.id))


@bp.post("/prikbord/<int:post_id>/reageer")
@login_required
def reageer(post_id: int):
    post = _visible(post_id)
    form = ReageerForm()
    if form.validate_on_submit():
        try:
            gesprek = services.respond(post, by=current_user, tekst=form.tekst.data, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Je bericht is verstuurd."), "success")
            return redirect(url_for("posts.gesprek", gesprek_id=gesprek.id))
    return _render_detail(post, reageer_form=form, status=422)


@bp.post("/prikbord/<int:post_id>/melden")
@login_required
def melden(post_id: int):
    post = _visible(post_id)
    form = MeldForm()
    if not form.validate_on_submit():
        return _render_detail(post, meld_form=form, status=422)
    reden = str(MELD_REDENEN[form.reden.data])
    if form.toelichting.data:
        reden = f"{reden}: {form.toelichting.data}"
    services.report(post, by=current_user, reden=reden, now=utcnow())
    flash(_("Dank je. Een opbouwwerker kijkt ernaar."), "success")
    if post.is_public or services.can_edit(current_user, post):
        return redirect(url_for("posts.detail", post_id=post.id))
    return redirect(url_for("core.home"))


@bp.get("/gesprekken")
@login_required
def gesprekken():
    return render_template("posts/gesprekken.html", gesprekken=services.conversations_of(current_user),
                           ongelezen=ongelezen.unread_gesprek_ids(current_user))


@bp.route("/gesprekken/<int:gesprek_id>", methods=["GET", "POST"])
@login_required
def gesprek(gesprek_id: int):
    gesprek = db.session.get(Gesprek, gesprek_id) or abort(404)
    if current_user.id not in (gesprek.deelnemer_id, gesprek.post.auteur_id):
        abort(403)
    form = AntwoordForm()
    if form.validate_on_submit():
        try:
            services.reply(gesprek, by=current_user, tekst=form.tekst.data, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Je bericht is verstuurd."), "success")
            return redirect(url_for("posts.gesprek", gesprek_id=gesprek.id, _anchor="antwoord"))
    ander = gesprek.post.auteur if current_user.id == gesprek.deelnemer_id else gesprek.deelnemer
    if not form.errors:
        ongelezen.mark_read(gesprek, current_user)
    return render_template("posts/gesprek.html", gesprek=gesprek, ander=ander, form=form,
                           soort_label=vocabulary.SOORTEN.get(gesprek.post.soort, "")), (
        422 if form.errors else 200)


@bp.get("/eerste-stap")
@login_required
def eerste_stap():
    """Where a new account goes after its first login (the link in the welcome mail, or "Of log nu
    in" after registering): a volunteer to her aanbod, where she says what she can do and when;
    everyone else to the home page, with "Stel je vraag" and "Kijk op het prikbord"."""
    if services.next_step_is_aanbod(current_user):
        flash(_("Zeg hier wat je kunt doen en wanneer je tijd hebt. Dan zoeken wij iemand in je buurt die "
                "daar hulp bij nodig heeft."), "info")
        return redirect(url_for("posts.plaatsen", soort="aanbod"))
    flash(_("Welkom bij Omkijken! Stel je vraag, of kijk op het prikbord wat er in je buurt gebeurt."), "info")
    return redirect(url_for("core.home"))


@bp.get("/mijn-berichten")
@login_required
def mijn():
    posts = db.session.scalars(
        select(Post)
        .where(or_(Post.auteur_id == current_user.id, Post.namens_id == current_user.id))
        .order_by(Post.created_at.desc(), Post.id.desc())
    ).all()
    return render_template("posts/mijn.html", posts=posts, vocab=vocabulary)
