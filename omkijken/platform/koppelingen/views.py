"""Voorstellen and koppelingen for the two people involved: the list, yes and no (also by a link
from an email), "ik help" on a vraag, "vraag om hulp" on an aanbod, and the koppeling page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from geoalchemy2.shape import to_shape
from sqlalchemy import select

from omkijken.platform.accounts.models import User
from omkijken.platform.areas import maps
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import csrf, db, limiter, per_account
from omkijken.platform.i18n import gettext as _
from omkijken.platform.koppelingen import (
    lifecycle,
    links,
    nazorg,
    notify,
    redenen,
    services,
    vocabulary,
    wachten,
    wachtrij,
    welzijn,
)
from omkijken.platform.koppelingen.diensten import coordinates
from omkijken.platform.koppelingen.forms import AntwoordForm, IkHelpForm, NeeForm, VraagHulpForm, nee_redenen
from omkijken.platform.koppelingen.models import Koppeling, Voorstel
from omkijken.platform.links import LinkInvalid
from omkijken.platform.mail_uit import stop_page
from omkijken.platform.posts import vocabulary as post_vocabulary
from omkijken.platform.posts.models import Aanbod, Hulpvraag

bp = Blueprint("koppelingen", __name__)
# A voorstel's reasons are stored as codes (old rows as Dutch sentences): shown in the reader's language.
bp.add_app_template_filter(redenen.tekst, "reden")
# ... and only those meant for the side that reads them.
bp.add_app_template_filter(redenen.voor, "redenen_voor")


@bp.app_template_global()
def hulpvraag_stand(vraag: Hulpvraag) -> wachten.Stand | None:
    """Where the logged-in author's own open hulpvraag stands (koppelingen/_wat_nu.html); None for
    anyone else: what a vraag waits for is hers to know."""
    if not current_user.is_authenticated or current_user.id != vraag.auteur_id:
        return None
    return wachten.stand(vraag, now=utcnow())


@bp.app_template_global()
def voorstellen_voor_mij() -> list[Voorstel]:
    """The voorstellen that wait for the logged-in person's yes or no (the home page)."""
    if not current_user.is_authenticated:
        return []
    return [v for v in services.voorstellen_van(current_user) if wachten.waits_for_answer(v, current_user)]


def _voorstel(voorstel_id: int) -> Voorstel:
    voorstel = db.session.get(Voorstel, voorstel_id)
    if voorstel is None or not services.may_see(voorstel, current_user):
        abort(404)
    return voorstel


def _after_answer(voorstel: Voorstel, koppeling: Koppeling | None, said_yes: bool):
    if koppeling is not None:
        flash(_("Jullie zijn gekoppeld! Hieronder staat hoe jullie elkaar vinden."), "success")
        return redirect(url_for("koppelingen.koppeling", koppeling_id=koppeling.id))
    if said_yes:
        flash(_("Dank je! We wachten nu op het antwoord van de ander."), "success")
    else:
        flash(_("Dank je voor je antwoord. We zoeken iemand anders."), "success")
    return redirect(url_for("koppelingen.overzicht"))


@bp.get("/voorstellen")
@login_required
def overzicht():
    voorstellen = services.voorstellen_van(current_user)
    return render_template(
        "koppelingen/voorstellen.html",
        te_beantwoorden=[v for v in voorstellen if _waits_for_me(v)],
        wacht_op_ander=[v for v in voorstellen if not _waits_for_me(v)],
        koppelingen=services.koppelingen_van(current_user),
        checkins=nazorg.open_checkins(current_user),
        activiteiten=wachtrij.idle_volunteer_activities(current_user, now=utcnow()),
        zoekend=wachten.still_searching(current_user),
        nee_forms={kant: NeeForm(formdata=None, kant=kant) for kant in ("vrijwilliger", "hulpvrager")},
        side_of=services.side_of, vocab=vocabulary, post_vocab=post_vocabulary,
    )


def _waits_for_me(voorstel: Voorstel) -> bool:
    return wachten.waits_for_answer(voorstel, current_user)


@bp.post("/voorstellen/<int:voorstel_id>/ja")
@login_required
def ja(voorstel_id: int):
    voorstel = _voorstel(voorstel_id)
    if not AntwoordForm().validate_on_submit():
        abort(400)
    try:
        koppeling = services.accept(voorstel, by=current_user, now=utcnow())
    except RuleBroken as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("koppelingen.overzicht"))
    return _after_answer(voorstel, koppeling, True)


@bp.post("/voorstellen/<int:voorstel_id>/nee")
@login_required
def nee(voorstel_id: int):
    voorstel = _voorstel(voorstel_id)
    kant = services.side_of(voorstel, current_user)
    form = NeeForm(kant=kant)
    if not form.validate_on_submit():
        abort(400)
    try:
        services.decline(voorstel, by=current_user, now=utcnow(),
                         reden=str(nee_redenen(kant).get(form.reden.data, "")))
    except RuleBroken as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("koppelingen.overzicht"))
    return _after_answer(voorstel, None, False)


@bp.route("/voorstellen/antwoord/<token>", methods=["GET", "POST"])
def antwoord(token: str):
    """The link from the email: no login needed for this one answer."""
    try:
        answer = links.read(token)
    except LinkInvalid as error:
        return render_template("koppelingen/antwoord.html", fout="verlopen" if error.expired else "ongeldig"), 410
    voorstel = db.session.get(Voorstel, answer.voorstel_id)
    person = db.session.get(User, answer.user_id)
    if voorstel is None or person is None or services.side_of(voorstel, person) is None:
        return render_template("koppelingen/antwoord.html", fout="ongeldig"), 410
    form = AntwoordForm()
    if form.validate_on_submit():
        try:
            if answer.answer == "ja":
                koppeling = services.accept(voorstel, by=person, now=utcnow())
            else:
                services.decline(voorstel, by=person, now=utcnow())
                koppeling = None
        except RuleBroken as error:
            db.session.rollback()
            return render_template("koppelingen/antwoord.html", fout="beantwoord", melding=error.message), 409
        return render_template("koppelingen/antwoord.html", klaar=True, answer=answer.answer,
                               koppeling=koppeling, voorstel=voorstel)
    if voorstel.status not in lifecycle.LIVE:
        return render_template("koppelingen/antwoord.html", fout="beantwoord"), 409
    return render_template("koppelingen/antwoord.html", form=form, answer=answer.answer, voorstel=voorstel,
                           kant=services.side_of(voorstel, person))


def _profiel_mail_uit(user_id: int | None, stop, *, klaar: str, vraag: str):
    """The stop page of a mail a person switches on again on her profile."""
    return stop_page(db.session.get(User, user_id) if user_id is not None else None, stop,
                     ongeldig=_("De link is niet compleet. Log in en zet de mail uit op je profiel."),
                     klaar=klaar, vraag=vraag)


@bp.route("/voorstellen/mail-uit/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; a mail app's one-tap POST carries no form token
def voorstellen_mail_uit(token: str):
    """The link in the mail 'Iemand bij jou in de buurt zoekt hulp'. A mail app's one-tap
    unsubscribe POSTs here (RFC 8058); a person who taps the link sees one button first."""
    return _profiel_mail_uit(
        links.read_voorstellen_uit(token), notify.voorstellen_uit,
        klaar=_("Je krijgt geen mail meer als iemand bij jou in de buurt hulp zoekt. Je ziet de vragen nog wel bij "
                "Voorstellen. Je kunt de mail weer aanzetten op je profiel."),
        vraag=_("Geen mail meer als iemand bij jou in de buurt hulp zoekt?"))


@bp.route("/voorstellen/samen-doen/mail-uit/<token>", methods=["GET", "POST"])
@csrf.exempt
def samen_doen_mail_uit(token: str):
    """The link in the mail 'Samen iets doen bij jou in de buurt', as voorstellen_mail_uit."""
    return _profiel_mail_uit(
        links.read_samen_doen_uit(token), notify.samen_doen_uit,
        klaar=_("Je krijgt geen mail meer met activiteiten in de buurt. Je ziet ze nog wel bij Voorstellen. Je kunt "
                "de mail weer aanzetten op je profiel."),
        vraag=_("Geen mail meer met activiteiten in de buurt?"))


@bp.get("/voorstellen/<int:voorstel_id>/gesprek")
@login_required
def gesprek(voorstel_id: int):
    voorstel = _voorstel(voorstel_id)
    if services.side_of(voorstel, current_user) is None:
        abort(403)
    gesprek = services.gesprek_of(voorstel, now=utcnow())
    return redirect(url_for("posts.gesprek", gesprek_id=gesprek.id))


@bp.get("/koppelingen/<int:koppeling_id>")
@login_required
def koppeling(koppeling_id: int):
    koppeling = db.session.get(Koppeling, koppeling_id)
    if koppeling is None or not services.may_see_koppeling(koppeling, current_user):
        abort(404)
    mine = [c for c in nazorg.open_checkins(current_user) if c.koppeling_id == koppeling.id]
    # The answers are for the coordinator only: people answer more freely when the other does not read along.
    history = nazorg.history(koppeling) if coordinates(current_user, koppeling.dienst_id) else []
    return render_template("koppelingen/koppeling.html", koppeling=koppeling, vocab=vocabulary,
                           post_vocab=post_vocabulary, adres=_adres, checkin=mine[0] if mine else None,
                           history=history, antwoorden=nazorg.ANTWOORDEN, redenen=nazorg.STOP_REDENEN,
                           plek_map=_home_map(koppeling.hulpvrager),
                           welzijn_moment=welzijn.moment_due(koppeling, current_user, now=utcnow()))


def _adres(user: User) -> str:
    """The street address, as the two people of a koppeling see each other: the one stored when the
    home was set, else postcode and number (homes set before addresses were stored). A home only
    picked on the map, with no address found, is shown on the map; coordinates mean nothing to
    people."""
    if user.adres:
        return user.adres
    if user.postcode and user.huisnummer:
        return f"{user.postcode} {user.huisnummer}"
    if user.home is not None:
        return _("Adres niet bekend. Kijk op de kaart waar het is.")
    return ""


def _home_map(user: User) -> maps.MapParts | None:
    """A small map with the exact home of the person helped: the page is for the two of them
    (and the coordinator), like the address (``services.may_see_koppeling``)."""
    if user.home is None:
        return None
    shape = to_shape(user.home)
    return maps.point_map(current_app.config, (shape.y, shape.x), zoom=16)


@bp.post("/prikbord/<int:post_id>/ik-help")
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_IK_HELP"], key_func=per_account,
               error_message=lambda: _("Je hebt vandaag al vaak hulp aangeboden. Morgen kan het weer."))
def ik_help(post_id: int):
    vraag = db.session.get(Hulpvraag, post_id)
    if vraag is None or not vraag.is_public:
        abort(404)
    form = IkHelpForm()
    if form.validate_on_submit():
        try:
            voorstel = services.offer_help(vraag, by=current_user, tekst=form.tekst.data, now=utcnow())
        except RuleBroken as error:
            db.session.rollback()
            flash(error.message, "warning")
            return redirect(url_for("posts.detail", post_id=vraag.id))
        if voorstel.status == "te_bevestigen":
            flash(_("Dank je! Een coördinator kijkt mee. Daarna hoor je van ons."), "success")
        else:
            flash(_("Dank je! %(naam)s krijgt je aanbod en laat weten of het goed is.", naam=vraag.auteur.naam),
                  "success")
        return redirect(url_for("koppelingen.overzicht"))
    if form.contact_warned:  # a phone number or e-mail address: asked once, on a page of its own
        return render_template("koppelingen/ik_help.html", vraag=vraag, form=form), 422
    flash(_("Er ging iets mis met je bericht. Probeer het nog eens."), "warning")
    return redirect(url_for("posts.detail", post_id=vraag.id))


@bp.route("/prikbord/<int:post_id>/vraag-hulp", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_VRAAG_HULP"], key_func=per_account, methods=["POST"],
               # A form sent back to be put right (422) is no question asked.
               deduct_when=lambda response: response.status_code != 422,
               error_message=lambda: _("Je hebt vandaag al vaak om hulp gevraagd. Morgen kan het weer."))
def vraag_hulp(post_id: int):
    aanbod = db.session.get(Aanbod, post_id)
    if aanbod is None or not aanbod.is_public:
        abort(404)
    eigen = db.session.scalars(
        select(Hulpvraag).where(Hulpvraag.auteur_id == current_user.id, Hulpvraag.status == "open")
        .order_by(Hulpvraag.created_at.desc())
    ).all()
    form = VraagHulpForm()
    form.hulpvraag.choices = [(v.id, v.titel) for v in eigen]
    if eigen and form.validate_on_submit():
        vraag = next(v for v in eigen if v.id == form.hulpvraag.data)
        try:
            voorstel = services.ask_volunteer(aanbod, vraag, by=current_user, tekst=form.tekst.data, now=utcnow())
        except RuleBroken as error:
            show_error(form, error)
        else:
            if voorstel.status == "gekoppeld":
                koppeling = db.session.scalar(select(Koppeling).filter_by(voorstel_id=voorstel.id))
                return _after_answer(voorstel, koppeling, True)
            flash(_("Dank je! %(naam)s krijgt je vraag en laat weten of het goed is.", naam=aanbod.auteur.naam),
                  "success")
            return redirect(url_for("koppelingen.overzicht"))
    return render_template("koppelingen/vraag_hulp.html", aanbod=aanbod, form=form, eigen=eigen,
                           post_vocab=post_vocabulary), (422 if form.errors else 200)
