"""The moderation queue of reported posts, for the opbouwwerkers of the post's wijk.

The wijkagenda issue builds the full moderation screen; this is its first column.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from omkijken.platform.accounts.permissions import has_role, role_required, scoped_wijk_ids
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Post
from omkijken.platform.system.services import utcnow

bp = Blueprint("moderatie", __name__)


@bp.get("/moderatie")
@role_required("opbouwwerker", "beheerder")
def wachtrij():
    wijken = None if has_role(current_user, "beheerder") else scoped_wijk_ids(current_user, "opbouwwerker")
    meldingen = services.open_reports(wijken)
    per_post = [(post, list(items)) for post, items in groupby(meldingen, key=lambda m: m.post)]
    return render_template("moderatie/wachtrij.html", per_post=per_post)


@bp.post("/moderatie/<int:post_id>")
@role_required("opbouwwerker", "beheerder")
def besluit(post_id: int):
    post = db.session.get(Post, post_id) or abort(404)
    if not services.can_moderate(current_user, post):
        abort(403)
    zichtbaar = request.form.get("besluit") == "terugzetten"
    services.decide_reports(post, by=current_user, zichtbaar=zichtbaar, now=utcnow())
    flash(_("Het bericht staat weer online.") if zichtbaar else _("Het bericht blijft verborgen."), "success")
    return redirect(url_for("moderatie.wachtrij"))
