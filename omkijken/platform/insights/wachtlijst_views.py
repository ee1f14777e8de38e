"""The kept waiting-list reports: the list of months, one report as tables, and the same as CSV.

The figures are read from the stored report, never recomputed from today's data, so what the
gemeente reads for March is what the list looked like at the end of March. Only the table per
category is added up again from the report's own rows per wijk, so that a report kept before
issue 22 shows the same sum as a new one.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, current_app, render_template

from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.formatting import datum
from omkijken.platform.insights import wachtlijst
from omkijken.platform.insights.export import as_csv, getal
from omkijken.platform.insights.models import Wachtlijstrapport
from omkijken.platform.posts.vocabulary import CATEGORIEEN

bp = Blueprint("wachtlijst", __name__, url_prefix="/inzicht/wachtlijst")


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        abort(404)


def _report(text: str) -> Wachtlijstrapport:
    rapport = wachtlijst.by_month(_month(text))
    if rapport is None:
        abort(404)
    return rapport


def categorie_label(code: str) -> str:
    return str(CATEGORIEEN.get(code, code))


def maand_label(maand: date) -> str:
    return datum(maand, "MMMM yyyy")


def _context(rapport: Wachtlijstrapport | None) -> dict:
    data = None
    if rapport is not None:
        data = dict(rapport.data, tekort_per_categorie=wachtlijst.tekort_per_categorie(rapport.data.get("wijken", [])))
    return {"rapport": rapport, "data": data, "categorie": categorie_label,
            "maand_label": maand_label, "getal": getal}


@bp.get("")
@capability_required("inzicht")
def overzicht():
    rapporten = wachtlijst.all_reports()
    return render_template("insights/wachtlijst.html", rapporten=rapporten,
                           **_context(rapporten[0] if rapporten else None))


@bp.get("/<maand>")
@capability_required("inzicht")
def rapport(maand: str):
    return render_template("insights/wachtlijst_rapport.html", **_context(_report(maand)))


@bp.get("/<maand>.csv")
@capability_required("inzicht")
def csv_bestand(maand: str):
    rapport = _report(maand)
    header, rows = wachtlijst.csv_rows(rapport.data, categorie_label)
    filename = f"omkijken-wachtlijst-{rapport.maand.strftime('%Y-%m')}.csv"
    return current_app.response_class(
        as_csv(header, rows), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )
