"""The opbouwwerker's one queue for the wijk (new agendapunten, reported posts, new activiteiten,
ontmoetingsplekken and initiatieven), the one decision endpoint, and the audit log."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from omkijken.platform.accounts.permissions import NotAllowed, capability_required, is_moderator, may, queue_wijk_ids
from omkijken.platform.clock import utcnow
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.formfields import database_id
from omkijken.platform.i18n import gettext as _
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts.vocabulary import SOORTEN as POST_SOORTEN
from omkijken.platform.system import audit
from omkijken.platform.wijkagenda import vocabulary
from omkijken.platform.wijkagenda.besluiten import merge_candidates
from omkijken.platform.wijkagenda.models import Agendapunt
from omkijken.platform.wijkagenda.views import render_punt

bp = Blueprint("moderatie", __name__)


def moderator_required(view):
    """Opbouwwerkers, the beheerder and the fallback moderators of a gemeente."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_moderator(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _render_queue(fout: dict | None = None, reden: str = "", status: int = 200):
    queue = moderatie.wachtrij(current_user)
    kandidaten = {p.id: merge_candidates(p) for p in queue.punten}
    return render_template("moderatie/wachtrij.html", queue=queue, kandidaten=kandidaten, vocab=vocabulary,
                           post_soorten=POST_SOORTEN, fout=fout or {}, reden=reden), status


@bp.get("/moderatie")
@moderator_required
def wachtrij():
    return _render_queue()


@bp.post("/moderatie/<onderwerp>/<int:onderwerp_id>")
@moderator_required
def besluit(onderwerp: str, onderwerp_id: int):
    samen_met = database_id(request.form.get("samen_met"))
    b = moderatie.Besluit(onderwerp, onderwerp_id, request.form.get("besluit", ""),
                          reden=request.form.get("reden", ""), samen_met=samen_met)
    try:
        moderatie.decide(b, by=current_user, now=utcnow())
    except moderatie.NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    except RuleBroken as error:
        db.session.rollback()
        fout = {(onderwerp, onderwerp_id): (error.field, error.message)}
        if request.form.get("terug") == "punt" and onderwerp == "agendapunt":
            punt = db.session.get(Agendapunt, onderwerp_id)
            return render_punt(punt, besluit_fout={"besluit": b.besluit, "bericht": error.message}, status=422)
        return _render_queue(fout=fout, reden=b.reden, status=422)
    flash(_("Je besluit is bewaard: %(besluit)s.", besluit=vocabulary.BESLUITEN.get(b.besluit, b.besluit)), "success")
    if request.form.get("terug") == "punt" and onderwerp == "agendapunt":
        punt = db.session.get(Agendapunt, onderwerp_id)
        target = punt.samengevoegd_in_id if punt.moderatie == "samengevoegd" else punt.id
        return redirect(url_for("wijkagenda.punt", punt_id=target))
    return redirect(url_for("moderatie.wachtrij"))


@bp.get("/moderatie/logboek")
@capability_required("logboek_lezen")
def logboek():
    """Who decided what, when and why. The gemeente and the beheerder read every wijk and also the
    subsidy steps; an opbouwwerker reads the moderation of the wijken whose queue they work."""
    wijk_kinds = (*moderatie.SOORTEN, "sociale_agenda")
    if may(current_user, "subsidies_behandelen"):
        entries = audit.entries(limit=500)
    else:
        entries = [e for e in audit.entries(wijk_ids=queue_wijk_ids(current_user), limit=500)
                   if e.onderwerp in wijk_kinds]
    return render_template("moderatie/logboek.html", entries=entries, labels=audit.labels())
