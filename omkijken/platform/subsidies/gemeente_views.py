"""The gemeente's side: the intake queue, one aanvraag with its completeness check, questions,
advice, the decision, accountability; regelingen and their pots; the figures and the exports.

Thin: every status step is ``services.move``; a refused step comes back as a RuleBroken, shown by
its field with ``errors.show_error`` and answered 422 with what was typed still there.

Who sees what: the intake officer (role gemeente) and the beheerder every aanvraag that was sent
in (the beheerder reads, the lifecycle gives them no step); the opbouwwerker of the aanvraag's wijk
(the adviseur) only once the gemeente asked their advice. Anyone else gets 404, so an aanvraag's
existence is not given away.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import NotAllowed, capability_required, may
from omkijken.platform.areas.models import Gemeente
from omkijken.platform.clock import local, utcnow
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.formatting import format_cents
from omkijken.platform.i18n import gettext as _
from omkijken.platform.subsidies import cijfers, export, gemeente_services, lifecycle, opvolging, services, volledigheid
from omkijken.platform.subsidies.gemeente_forms import (
    BeslistermijnForm,
    BesluitForm,
    BetalingForm,
    RegelingForm,
    TekstForm,
)
from omkijken.platform.subsidies.models import Regeling, Subsidieaanvraag
from omkijken.platform.subsidies.vocabulary import NOTITIE_LABELS, SOORT_LABELS, STATUS_LABELS
from omkijken.platform.system import audit

bp = Blueprint("subsidies_gemeente", __name__)

# action -> the status it moves to (None: no status step)
ACTIES = {
    "oppakken": "in_behandeling", "vraag": "vragen_gesteld", "advies": "advies_gevraagd",
    "advies_geven": "in_behandeling", "verder": "in_behandeling", "besluit": None,
    "verantwoording": "verantwoording_gevraagd", "afsluiten": "afgesloten", "wijkraad": None, "termijn": None,
    "betaling": None,
}
TEKST_ACTIES = ("vraag", "advies", "advies_geven", "verder", "wijkraad")
NA_BESLUIT = lifecycle.BESLUITEN | {"verantwoording_gevraagd", "verantwoord", "afgesloten"}


def _labels() -> dict[str, str]:
    return {
        "vraag": _("Je vraag aan de aanvrager. De aanvrager leest dit en antwoordt op de eigen pagina."),
        "advies": _("Waarover wil je advies van de opbouwwerker?"),
        "advies_geven": _("Je advies aan de gemeente"),
        "verder": _("Waarom ga je verder zonder antwoord of advies?"),
        "wijkraad": _("Wat adviseert de wijk- of dorpsraad?"),
    }


# ---- who may see one aanvraag --------------------------------------------------------------------

class Blik:
    """How ``current_user`` looks at one aanvraag."""

    def __init__(self, aanvraag: Subsidieaanvraag) -> None:
        rollen = services.roles_of(current_user, aanvraag)
        self.officer = "gemeente" in rollen
        self.beheerder = may(current_user, "beheren") and "aanvrager" not in rollen
        self.adviseur = "adviseur" in rollen and (aanvraag.status == "advies_gevraagd"
                                                  or cijfers.advice_was_asked(aanvraag))
        self.volgende = services.next_statuses(aanvraag, current_user)

    @property
    def mag_zien(self) -> bool:
        return self.officer or self.beheerder or self.adviseur


def _aanvraag_or_404(aanvraag_id: int) -> tuple[Subsidieaanvraag, Blik]:
    aanvraag = db.session.get(Subsidieaanvraag, aanvraag_id)
    if aanvraag is None or aanvraag.status == "concept":
        abort(404)
    blik = Blik(aanvraag)
    if not blik.mag_zien:
        abort(404)
    return aanvraag, blik


def _bijlage_url(bijlage_id: int) -> str:
    try:
        return url_for("subsidies.bijlage", bijlage_id=bijlage_id)
    except Exception:  # the aanvrager's blueprint not there: the same address by hand
        return f"/subsidies/bijlagen/{bijlage_id}"


def _euro_input(cents: int) -> str:
    """An amount as the officer types it: "600,00"."""
    return format_cents(cents).removeprefix("€ ")


# ---- the queue ----------------------------------------------------------------------------------

@bp.get("/subsidies/gemeente")
@capability_required("subsidies_inzien")
def wachtrij():
    queue = cijfers.wachtrij(current_user, now=utcnow())
    officer = may(current_user, "subsidies_behandelen")
    return render_template("subsidies/gemeente_wachtrij.html", queue=queue, officer=officer,
                           statussen=STATUS_LABELS, soorten=SOORT_LABELS, euro=format_cents)


# ---- one aanvraag -------------------------------------------------------------------------------

def _forms(aanvraag: Subsidieaanvraag, override: dict | None = None) -> dict:
    labels = _labels()
    forms: dict = {}
    for naam in TEKST_ACTIES:
        form = (override or {}).get(naam) or TekstForm(prefix=naam, formdata=None)
        form.reden.label.text = labels[naam]
        forms[naam] = form
    forms["besluit"] = (override or {}).get("besluit") or BesluitForm(
        prefix="besluit", formdata=None, data={"bedrag": _euro_input(aanvraag.gevraagd_cents)})
    forms["betaling"] = (override or {}).get("betaling") or BetalingForm(
        prefix="betaling", formdata=None,
        data={"bedrag": _euro_input((aanvraag.toegekend_cents or 0) - aanvraag.betaald_cents)})
    termijn = aanvraag.regeling.beslistermijn_dagen if aanvraag.regeling else None
    forms["termijn"] = (override or {}).get("termijn") or BeslistermijnForm(
        prefix="termijn", formdata=None, data={"dagen": termijn} if termijn else None)
    return forms


def render_aanvraag(aanvraag: Subsidieaanvraag, blik: Blik, *, override: dict | None = None, status: int = 200):
    check = volledigheid.completeness(aanvraag)
    historie = list(reversed(audit.entries(onderwerp=services.ONDERWERP, onderwerp_id=aanvraag.id)))
    adviseurs = _adviseurs(aanvraag)
    today = local(utcnow()).date()
    dagen = (aanvraag.beslis_voor - today).days if aanvraag.beslis_voor else None
    return render_template(
        "subsidies/gemeente_aanvraag.html", aanvraag=aanvraag, blik=blik, check=check, historie=historie,
        adviseurs=adviseurs, forms=_forms(aanvraag, override), statussen=STATUS_LABELS, soorten=SOORT_LABELS,
        notities=NOTITIE_LABELS, euro=format_cents, bijlage_url=_bijlage_url, dagen=dagen,
        heeft_besluit=aanvraag.status in NA_BESLUIT and aanvraag.besloten_at is not None,
        advies_open=aanvraag.status == "advies_gevraagd",
    ), status


def _adviseurs(aanvraag: Subsidieaanvraag) -> list[User]:
    """The opbouwwerkers of the aanvraag's wijk, named on the 'advies vragen' form."""
    return services.advisers(aanvraag)


@bp.get("/subsidies/gemeente/<int:aanvraag_id>")
@capability_required("subsidies_inzien")
def aanvraag(aanvraag_id: int):
    found, blik = _aanvraag_or_404(aanvraag_id)
    return render_aanvraag(found, blik)


@bp.post("/subsidies/gemeente/<int:aanvraag_id>/<actie>")
@capability_required("subsidies_inzien")
def actie(aanvraag_id: int, actie: str):
    if actie not in ACTIES:
        abort(404)
    found, blik = _aanvraag_or_404(aanvraag_id)
    now = utcnow()
    form = None
    try:
        if actie in TEKST_ACTIES:
            form = TekstForm(prefix=actie)
            form.reden.label.text = _labels()[actie]
            if not form.validate():
                return render_aanvraag(found, blik, override={actie: form}, status=422)
            if actie == "wijkraad":
                gemeente_services.note_wijkraad_advice(found, form.reden.data or "", by=current_user, now=now)
            else:
                services.move(found, ACTIES[actie], by=current_user, now=now, reden=form.reden.data or "")
        elif actie == "besluit":
            form = BesluitForm(prefix="besluit")
            if not form.validate():
                return render_aanvraag(found, blik, override={actie: form}, status=422)
            besluit = form.besluit.data
            bedrag = None if besluit == "afgewezen" else form.bedrag.cents
            services.move(found, besluit, by=current_user, now=now, reden=form.reden.data or "", bedrag_cents=bedrag)
        elif actie == "betaling":
            form = BetalingForm(prefix="betaling")
            if not form.validate():
                return render_aanvraag(found, blik, override={actie: form}, status=422)
            gemeente_services.record_payment(found, form.bedrag.cents, by=current_user, now=now)
        elif actie == "termijn":
            form = BeslistermijnForm(prefix="termijn")
            if found.regeling is None:
                abort(404)
            if not form.validate():
                return render_aanvraag(found, blik, override={actie: form}, status=422)
            gemeente_services.set_beslistermijn(found.regeling, form.dagen.data, by=current_user, now=now)
        else:
            services.move(found, ACTIES[actie], by=current_user, now=now)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except RuleBroken as error:
        db.session.rollback()
        found, blik = _aanvraag_or_404(aanvraag_id)
        if form is None:
            flash(error.message, "warning")
            return render_aanvraag(found, blik, status=422)
        if error.field not in form._fields:
            error = RuleBroken("", error.message)
        show_error(form, error)
        return render_aanvraag(found, blik, override={actie: form}, status=422)
    flash(_bewaard(actie, found), "success")
    if blik.adviseur and not blik.officer:
        return redirect(url_for(".wachtrij"))
    return redirect(url_for(".aanvraag", aanvraag_id=found.id))


def _bewaard(actie: str, aanvraag: Subsidieaanvraag) -> str:
    return {
        "oppakken": _("Je hebt de aanvraag opgepakt. Jij bent nu de contactpersoon."),
        "vraag": _("Je vraag is verstuurd. De aanvrager krijgt een mail."),
        "advies": _("Je hebt advies gevraagd aan de opbouwwerker."),
        "advies_geven": _("Dank je! Je advies is bewaard. De gemeente leest het."),
        "verder": _("De aanvraag is weer in behandeling."),
        "besluit": _("Je besluit is bewaard: %(besluit)s. De aanvrager krijgt een mail.",
                     besluit=STATUS_LABELS.get(aanvraag.status, aanvraag.status)),
        "verantwoording": _("Je hebt om de verantwoording gevraagd."),
        "afsluiten": _("De aanvraag is afgesloten."),
        "wijkraad": _("Het advies van de wijk- of dorpsraad is bewaard."),
        "termijn": _("De beslistermijn is bewaard. Die geldt voor nieuwe aanvragen."),
        "betaling": _("De betaling is vastgelegd."),
    }[actie]


# ---- the decision letter ------------------------------------------------------------------------

@bp.get("/subsidies/<int:aanvraag_id>/besluit.pdf")
def besluit_pdf(aanvraag_id: int):
    """For the aanvrager, the gemeente and the beheerder, once decided; 404 for everyone else."""
    found = db.session.get(Subsidieaanvraag, aanvraag_id)
    if found is None or not current_user.is_authenticated or found.besloten_at is None \
            or found.status not in NA_BESLUIT:
        abort(404)
    if not (current_user.id == found.aanvrager_id or may(current_user, "subsidies_behandelen")):
        abort(404)
    besluit = cijfers.besluiten([found.id]).get(found.id, found.status) if found.besluit_bestand is None else ""
    body = services.besluitbrief(found, besluit)
    return current_app.response_class(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="besluit-subsidieaanvraag-{found.id}.pdf"',
        "Cache-Control": "private, no-store"})


# ---- regelingen ---------------------------------------------------------------------------------

_REGELING_VELDEN = {"budget_cents": "budget", "max_per_aanvraag_cents": "maximum"}


def _regeling_form(regeling: Regeling | None = None, formdata: bool = True) -> RegelingForm:
    data = None
    if regeling is not None:
        data = {"naam": regeling.naam, "gemeente_id": regeling.gemeente_id, "jaar": regeling.jaar,
                "budget": _euro_input(regeling.budget_cents), "maximum": _euro_input(regeling.max_per_aanvraag_cents),
                "soorten": list(regeling.soorten), "beslistermijn_dagen": regeling.beslistermijn_dagen}
    else:
        data = {"jaar": local(utcnow()).year}
    form = RegelingForm(data=data) if formdata else RegelingForm(formdata=None, data=data)
    form.gemeente_id.choices = [(g.id, g.naam) for g in db.session.scalars(select(Gemeente).order_by(Gemeente.naam))]
    return form


def _render_regelingen(form: RegelingForm, bewerk: Regeling | None = None, status: int = 200):
    return render_template("subsidies/gemeente_regelingen.html", potten=cijfers.potten(), form=form, bewerk=bewerk,
                           soorten=SOORT_LABELS, euro=format_cents,
                           beheerder=may(current_user, "beheren")), status


def _save_regeling(form: RegelingForm, regeling: Regeling | None):
    if not form.validate():
        return None
    values = dict(naam=form.naam.data or "", budget_cents=form.budget.cents or 0,
                  max_per_aanvraag_cents=form.maximum.cents or 0, soorten=form.soorten.data,
                  beslistermijn_dagen=form.beslistermijn_dagen.data, by=current_user, now=utcnow())
    try:
        if regeling is None:
            gemeente = db.session.get(Gemeente, form.gemeente_id.data)
            if gemeente is None:
                abort(400)
            return gemeente_services.create_regeling(gemeente=gemeente, jaar=form.jaar.data, **values)
        return gemeente_services.update_regeling(regeling, **values)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except IntegrityError:
        db.session.rollback()
        form.naam.errors = [*form.naam.errors, _("Deze gemeente heeft dat jaar al een regeling met deze naam.")]
    except RuleBroken as error:
        show_error(form, RuleBroken(_REGELING_VELDEN.get(error.field, error.field), error.message))
    return None


@bp.route("/beheer/regelingen", methods=["GET", "POST"])
@capability_required("subsidies_behandelen")
def regelingen():
    if request.method == "GET":
        return _render_regelingen(_regeling_form(formdata=False))
    if not may(current_user, "beheren"):
        abort(403)
    form = _regeling_form()
    made = _save_regeling(form, None)
    if made is None:
        return _render_regelingen(form, status=422)
    flash(_("De regeling %(naam)s is gemaakt.", naam=made.naam), "success")
    return redirect(url_for(".regelingen"))


@bp.route("/beheer/regelingen/<int:regeling_id>", methods=["GET", "POST"])
@capability_required("beheren")
def regeling_bewerken(regeling_id: int):
    regeling = db.session.get(Regeling, regeling_id) or abort(404)
    if request.method == "GET":
        return _render_regelingen(_regeling_form(regeling, formdata=False), bewerk=regeling)
    form = _regeling_form(regeling)
    form.gemeente_id.data, form.jaar.data = regeling.gemeente_id, regeling.jaar  # these stay
    saved = _save_regeling(form, regeling)
    if saved is None:
        regeling = db.session.get(Regeling, regeling_id)
        return _render_regelingen(form, bewerk=regeling, status=422)
    flash(_("De regeling %(naam)s is bewaard.", naam=saved.naam), "success")
    return redirect(url_for(".regelingen"))


# ---- figures and exports ------------------------------------------------------------------------

@bp.get("/subsidies/cijfers")
@capability_required("subsidies_behandelen")
def cijfers_pagina():
    aanvragen = cijfers.ingediend()
    return render_template("subsidies/gemeente_cijfers.html", potten=cijfers.potten(),
                           tellingen=cijfers.tellingen(aanvragen), soorten=SOORT_LABELS, statussen=STATUS_LABELS,
                           euro=format_cents, bestaat_nog=opvolging.summary())


def _download(body: str | bytes, mimetype: str, extension: str):
    filename = f"subsidieaanvragen-{local(utcnow()).date().isoformat()}.{extension}"
    return current_app.response_class(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


@bp.get("/subsidies/export.csv")
@capability_required("subsidies_behandelen")
def export_csv():
    return _download(export.as_csv(cijfers.ingediend()), "text/csv", "csv")


@bp.get("/subsidies/export.xlsx")
@capability_required("subsidies_behandelen")
def export_xlsx():
    return _download(export.as_xlsx(cijfers.ingediend()),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
