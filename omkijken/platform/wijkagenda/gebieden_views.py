"""The beheerder's page of gebieden and woonwijken: how each gemeente groups its wijken for the
wijkagenda and the sociale agenda, and which wijken nobody lives in.

Here, beside the wijkagenda that works per gebied, because areas (where gebieden are kept) sits
below accounts and so cannot check a capability. Thin: the rules are in ``areas.gebieden``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.areas import gebieden
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Gebied, Gemeente
from omkijken.platform.errors import RuleBroken, show_error
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.wijkagenda.forms import GebiedForm, WoonwijkenForm

bp = Blueprint("gebieden", __name__, url_prefix="/beheer/gebieden")


def _gemeente_or_404(code: str) -> Gemeente:
    return db.session.scalar(select(Gemeente).filter_by(code=(code or "").upper())) or abort(404)


def _woonwijken_form(gemeente: Gemeente, *, posted: bool = False) -> WoonwijkenForm:
    """The gemeente's woonwijken as sent (``posted``), or as they are now."""
    form = WoonwijkenForm(prefix=gemeente.code) if posted else WoonwijkenForm(prefix=gemeente.code, formdata=None)
    form.geen_woonwijk.choices = [(w.id, w.naam) for w in gemeente.wijken]
    if not posted:
        form.geen_woonwijk.data = [w.id for w in gemeente.wijken if not w.woonwijk]
    return form


def _overview(forms: dict[int, WoonwijkenForm] | None = None, status: int = 200):
    forms = forms or {}
    rows = [(g, gebieden.of_gemeente(g.id), forms.get(g.id) or _woonwijken_form(g)) for g in areas.gemeenten()]
    return render_template("wijkagenda/beheer_gebieden.html", gemeenten=rows), status


@bp.get("")
@capability_required("gebieden_beheren")
def overzicht():
    return _overview()


@bp.post("/woonwijken/<code>")
@capability_required("gebieden_beheren")
def woonwijken(code: str):
    gemeente = _gemeente_or_404(code)
    form = _woonwijken_form(gemeente, posted=True)
    if not form.validate_on_submit():
        return _overview({gemeente.id: form}, status=422)
    gebieden.set_woonwijken(gemeente.id, form.geen_woonwijk.data or [])
    flash(_("Bewaard: de woonwijken van %(gemeente)s.", gemeente=gemeente.naam), "success")
    return redirect(url_for("gebieden.overzicht"))


def _with_choices(form: GebiedForm, gemeente: Gemeente) -> GebiedForm:
    form.wijken.choices = [(w.id, w.naam) for w in gemeente.wijken]
    form.buurten.choices = [(b.id, f"{b.naam} ({w.naam})") for w in gemeente.wijken for b in w.buurten]
    return form


def _edit(form: GebiedForm, gemeente: Gemeente, gebied: Gebied | None):
    if form.validate_on_submit():
        try:
            saved = gebieden.save(gemeente_id=gemeente.id, naam=form.naam.data, wijk_ids=form.wijken.data or [],
                                  buurt_ids=form.buurten.data or [], gebied=gebied)
        except RuleBroken as error:
            show_error(form, error)
        else:
            flash(_("Het gebied %(naam)s is bewaard.", naam=saved.naam), "success")
            return redirect(url_for("gebieden.overzicht"))
    status = 422 if request.method == "POST" else 200
    return render_template("wijkagenda/beheer_gebied.html", form=form, gemeente=gemeente, gebied=gebied), status


@bp.route("/nieuw/<code>", methods=["GET", "POST"])
@capability_required("gebieden_beheren")
def nieuw(code: str):
    gemeente = _gemeente_or_404(code)
    return _edit(_with_choices(GebiedForm(), gemeente), gemeente, None)


@bp.route("/<int:gebied_id>", methods=["GET", "POST"])
@capability_required("gebieden_beheren")
def bewerken(gebied_id: int):
    gebied = db.session.get(Gebied, gebied_id) or abort(404)
    form = _with_choices(GebiedForm(obj=None), gebied.gemeente)
    if request.method == "GET":
        form.naam.data = gebied.naam
        form.wijken.data = [w.id for w in gebied.wijken]
        form.buurten.data = [b.id for b in gebied.buurten]
    return _edit(form, gebied.gemeente, gebied)


@bp.post("/<int:gebied_id>/weg")
@capability_required("gebieden_beheren")
def weg(gebied_id: int):
    gebied = db.session.get(Gebied, gebied_id) or abort(404)
    naam = gebied.naam
    gebieden.remove(gebied)
    flash(_("Het gebied %(naam)s is weg. De wijken blijven.", naam=naam), "info")
    return redirect(url_for("gebieden.overzicht"))

