"""The KPI dashboard, its CSV downloads and the map per wijk, for gemeente, coordinators and beheer.

Thin: the figures come from ``insights.kpi`` (the same function the API uses), the pictures from
``insights.charts`` and ``insights.kaart``. This module only picks words and arranges them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request
from markupsafe import Markup

from omkijken.matching.durability import judge
from omkijken.platform.accounts.permissions import capability_required
from omkijken.platform.clock import utcnow
from omkijken.platform.i18n import gettext as _
from omkijken.platform.insights import charts, effect, export, kaart, kpi
from omkijken.platform.insights.feiten import Periode, load
from omkijken.platform.insights.forms import filter_form, periode_of
from omkijken.platform.insights.kpi import Aandeel, Dashboard, Groep

bp = Blueprint("insights", __name__, url_prefix="/inzicht")



def procent(value: float | None) -> str:
    """Whole percents, half up: 0.835 is 84%, never the banker's 83%."""
    return "–" if value is None else f"{math.floor(value * 100 + 0.5):d}%"


def interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return f"{math.floor(low * 100 + 0.5):d}–{math.floor(high * 100 + 0.5):d}%"


def verschil(value: float | None) -> str:
    """A change with its sign and one decimal, the Dutch way: "+1,2", "-0,5"."""
    return "–" if value is None else f"{value:+.1f}".replace(".", ",").replace("-", "−")


def verschil_interval(change) -> str:
    if change is None or change.ci_low is None:
        return "–"
    return _("%(laag)s tot %(hoog)s", laag=verschil(change.ci_low), hoog=verschil(change.ci_high))


def dagen(value: float | None) -> str:
    return "–" if value is None else export.getal(value)


def op_dag(curve: Sequence[tuple[float, float]], day: float) -> float | None:
    """Survival on ``day`` from a step curve: the last step at or before it."""
    found = None
    for x, y in curve:
        if x <= day:
            found = y
    return found


@dataclass(frozen=True)
class Sectie:
    """One part of the page: heading, chart, caption, table and CSV link."""

    id: str
    kop: str
    uitleg: str
    grafiek: Markup
    onderschrift: str
    soort: str  # which table macro: duurzaam, aandeel, tevredenheid, wachttijd, overleving
    rijen: Any
    csv: str
    doel: float | None = None


def oordeel(code: str | None) -> str:
    """A verdict of ``durability.judge`` in words; empty without a target."""
    return str(kpi.OORDELEN[code]) if code else ""


def _duurzaam_balken(groepen: Sequence[Groep], chart_id: str, titel: str, as_tekst: str) -> Markup:
    """No target line: a target belongs to one dienst, not to a chart of many groups."""
    rijen = [charts.Balk(g.label, g.duurzaam.rate * 100, g.duurzaam.ci_low * 100, g.duurzaam.ci_high * 100,
                         _("%(pct)s (%(k)s van %(n)s)", pct=procent(g.duurzaam.rate), k=g.duurzaam.successes,
                           n=g.duurzaam.decided))
             for g in groepen if g.duurzaam.rate is not None]
    return charts.balken(rijen, chart_id=chart_id, titel=titel, as_tekst=as_tekst, xmax=100)


def zin(groep: Groep, woord: str | None = None) -> str:
    """"Blink: 83% duurzaam (interval 44-97%). Doel 85%: onzeker.": the chart in one sentence; the
    target only for a group that has one."""
    d = groep.duurzaam
    if d.rate is None:
        return _("%(naam)s: nog niets besloten.", naam=groep.label)
    text = _("%(naam)s: %(pct)s %(woord)s (interval %(interval)s).", naam=groep.label, pct=procent(d.rate),
             woord=woord or _("duurzaam"), interval=interval(d.ci_low, d.ci_high))
    if groep.doel is not None:
        text += " " + _("Doel %(doel)s: %(oordeel)s.", doel=procent(groep.doel), oordeel=oordeel(groep.oordeel))
    return text


def _duurzaam_sectie(id_: str, kop: str, uitleg: str, groepen: list[Groep], *, geholpen: bool = False) -> Sectie:
    """A durability section; with ``geholpen`` the same for the eenmalig koppelingen (no targets)."""
    if geholpen:
        groepen = [Groep(g.code, g.label, g.geholpen) for g in groepen if g.geholpen and g.geholpen.total]
    woord = _("geholpen") if geholpen else None
    beslist = [g for g in groepen if g.duurzaam.rate is not None]
    onderschrift = " ".join(zin(g, woord) for g in beslist) if len(beslist) <= 6 else _(
        "%(n)s groepen in de grafiek. De tabel hieronder heeft alle cijfers.", n=len(beslist))
    grafiek = _duurzaam_balken(groepen, f"grafiek-{id_}", kop, _("Geholpen") if geholpen else _("Duurzaam"))
    return Sectie(id_, kop, uitleg, grafiek, onderschrift, "geholpen" if geholpen else "duurzaam", groepen,
                  f"duurzaam-{id_}")


def _aandeel_sectie(id_: str, kop: str, uitleg: str, rijen: list[Aandeel], doel: float | None, csv: str) -> Sectie:
    balken = [charts.Balk(r.label, r.aandeel.rate * 100, r.aandeel.ci_low * 100, r.aandeel.ci_high * 100,
                          _("%(pct)s (%(k)s van %(n)s)", pct=procent(r.aandeel.rate), k=r.aandeel.numerator,
                            n=r.aandeel.denominator))
              for r in rijen if r.aandeel.rate is not None]
    doel_tekst = _("doel %(pct)s", pct=procent(doel)) if doel is not None else ""
    grafiek = charts.balken(balken, chart_id=f"grafiek-{id_}", titel=kop, as_tekst=_("Aandeel"), xmax=100,
                            doel=None if doel is None else doel * 100, doel_tekst=doel_tekst)
    totaal = rijen[0].aandeel
    onderschrift = _("Totaal: %(pct)s (interval %(interval)s, %(k)s van %(n)s).", pct=procent(totaal.rate),
                     interval=interval(totaal.ci_low, totaal.ci_high), k=totaal.numerator, n=totaal.denominator)
    if doel is not None:
        onderschrift += " " + _("Doel %(doel)s: %(oordeel)s.", doel=procent(doel),
                                oordeel=oordeel(judge(totaal, doel)))
    return Sectie(id_, kop, uitleg, grafiek, onderschrift, "aandeel", rijen, csv, doel)


def secties(board: Dashboard) -> list[Sectie]:
    """The page from top to bottom."""
    per_dienst = [Groep(kpi.ALLE, _("Alle diensten"), board.totaal, board.geholpen), *board.per_dienst]
    result = [
        _duurzaam_sectie("dienst", _("Duurzaam per dienst"), _(
            "Een koppeling is duurzaam als ze na een vaste tijd nog loopt: een tijdje na 91 dagen, een maatje "
            "na een half jaar (elke dienst kan dat aanpassen). Of ze stopte eerder omdat het doel bereikt was. "
            "Alleen wat de hulpvrager zegt telt. Verhuisd, overleden, opgenomen of doorverwezen telt niet mee. "
            "Eenmalige hulp staat apart bij Geholpen. Het zwarte streepje is het interval: daar ligt het echte "
            "cijfer bijna zeker binnen."), per_dienst),
        _duurzaam_sectie("geholpen", _("Geholpen bij eenmalige hulp"), _(
            "Eén klus of rit: de hulpvrager zei een week later dat de hulp er was."), per_dienst, geholpen=True),
    ]
    lijnen = [(_("Alle koppelingen"), board.overleving), (_("Blink"), board.overleving_blink)]
    blink_doel = board.blink.doel if board.blink else None
    km = charts.overleving(lijnen, chart_id="grafiek-overleving", titel=_("Hoeveel koppelingen lopen nog"),
                           x_tekst=_("Dagen na de start"), y_tekst=_("Loopt nog"), horizon=board.horizon_dagen,
                           doel=None if blink_doel is None else blink_doel * 100,
                           doel_tekst=_("Doel Blink %(pct)s", pct=procent(blink_doel)) if blink_doel else "")
    km_tekst = _("Na %(dagen)s dagen loopt naar schatting %(alle)s van alle koppelingen nog, en %(blink)s bij "
                 "Blink.", dagen=board.horizon_dagen,
                 alle=procent(op_dag(board.overleving, board.horizon_dagen)),
                 blink=procent(op_dag(board.overleving_blink, board.horizon_dagen))) if board.overleving else _(
        "Geen koppelingen in deze periode.")
    result.append(Sectie("overleving", _("Hoeveel koppelingen lopen nog"), _(
        "Ook koppelingen die nog niet zo lang lopen tellen hier mee, zolang ze lopen (Kaplan-Meier). "
        "Eenmalige hulp telt niet mee."),
        km, km_tekst, "overleving", [(naam, [op_dag(curve, d) for d in (30, 60, board.horizon_dagen)])
                                     for naam, curve in lijnen], "overleving"))
    result += [
        _duurzaam_sectie("wijk", _("Duurzaam per wijk"), _("De wijk van de hulpvraag."), board.per_wijk),
        _duurzaam_sectie("onderwerp", _("Duurzaam per onderwerp"), _("Het onderwerp van de hulpvraag."),
                         board.per_onderwerp),
        _duurzaam_sectie("soort", _("Duurzaam per soort koppeling"), _(
            "Eenmalig: één klus of rit. Een tijdje: een reeks met een einddatum. Maatje: ongeveer een jaar."),
            board.per_soort),
        _duurzaam_sectie("maand", _("Duurzaam per startmaand"), _(
            "Koppelingen van de laatste maanden lopen vaak nog: die tellen pas mee als hun tijd om is."),
            board.per_maand),
    ]
    tevreden = [charts.Balk(t.label, t.score, tekst=_("%(score)s (%(n)s cijfers)", score=export.getal(t.score, 0),
                                                       n=t.aantal)) for t in board.tevredenheid if t.score is not None]
    totaal = board.tevredenheid[0]
    result.append(Sectie("tevredenheid", _("Tevredenheid"), _(
        "Het gemiddelde cijfer (1 tot 10) uit de vragen 'Hoe gaat het?', keer 10. De 85 van de sociale "
        "teams is een norm voor professionals, niet voor vrijwilligers: daarom staat hier geen doel."),
        charts.balken(tevreden, chart_id="grafiek-tevredenheid", titel=_("Tevredenheid per dienst"),
                      as_tekst=_("Cijfer × 10"), xmax=100, procent=False),
        _("Alle diensten: %(score)s uit %(n)s cijfers.", score=export.getal(totaal.score, 0) or "–",
          n=totaal.aantal), "tevredenheid", board.tevredenheid, "tevredenheid"))
    result.append(_aandeel_sectie("zelf-gevonden", _("Zelf gevonden"), _(
        "Koppelingen zonder hulp van een coördinator. Het doel is 79% of meer. Gehaald als het hele "
        "interval erboven ligt, niet gehaald als het eronder ligt, anders onzeker."), board.zelf_gevonden,
        kpi.ZELF_GEVONDEN_DOEL, "zelf-gevonden"))
    wacht = [charts.Balk(w.label, w.mediaan, tekst=_("%(d)s dagen (%(n)s)", d=dagen(w.mediaan), n=w.aantal))
             for w in board.wachttijd if w.mediaan is not None]
    xmax = max([w.p90 or 0 for w in board.wachttijd] + [7.0])
    alle = board.wachttijd[0]
    result.append(Sectie("wachttijd", _("Wachttijd"), _(
        "Dagen van het plaatsen van een hulpvraag tot de koppeling of tot de doorverwijzing. De mediaan: "
        "de helft wachtte korter. P90: 9 van de 10 wachtten niet langer."),
        charts.balken(wacht, chart_id="grafiek-wachttijd", titel=_("Wachttijd per onderwerp (mediaan)"),
                      as_tekst=_("Dagen (mediaan)"), xmax=math.ceil(xmax * 1.1), procent=False),
        _("Alle onderwerpen: mediaan %(m)s dagen, p90 %(p)s dagen, %(n)s vragen.", m=dagen(alle.mediaan),
          p=dagen(alle.p90), n=alle.aantal), "wachttijd", board.wachttijd, "wachttijd"))
    result.append(_aandeel_sectie("plaatsing", _("Plaatsing van vrijwilligers"), _(
        "Vrijwilligers die langer dan 30 dagen meedoen, en in de laatste 90 dagen een koppeling hadden. "
        "Groepsactiviteiten tellen nog niet mee: daar houden we niet bij wie er helpt."), board.plaatsing,
        None, "plaatsing"))
    result.append(_aandeel_sectie("collectief", _("Gekoppeld aan een groepsactiviteit"), _(
        "Hulpvragen die aan een groepsactiviteit zijn gekoppeld. Het doel is 40%."), board.collectief,
        kpi.COLLECTIEF_DOEL, "collectief"))
    return result


def _choice(kaart_form: bool = False) -> tuple[Any, Periode, datetime]:
    """The filter, its period (the last twelve months when the filter is wrong) and now."""
    now = utcnow()
    form = filter_form(request.args, kaart.gemeente_namen(), kaart=kaart_form)
    return form, periode_of(form, now=now), now


def _status(form) -> int:
    """A wrong filter still shows the page (with the last twelve months) and says what is wrong."""
    return 422 if form.errors else 200


def _query(periode: Periode) -> str:
    values = {"van": periode.van.isoformat(), "tot": periode.tot.isoformat()}
    if periode.gemeente:
        values["gemeente"] = periode.gemeente
    return urlencode(values)


@bp.get("")
@capability_required("inzicht")
def dashboard():
    form, periode, now = _choice()
    board = kpi.dashboard(periode, now=now)
    return render_template("insights/dashboard.html", form=form, board=board, secties=secties(board),
                           query=_query(periode), procent=procent, interval=interval, oordeel=oordeel, judge=judge,
                           dagen=dagen, getal=export.getal, effect=effect.per_dienst(periode),
                           min_mensen=effect.MIN_MENSEN, verschil=verschil,
                           verschil_interval=verschil_interval), _status(form)


@bp.get("/<naam>.csv")
@capability_required("inzicht")
def csv_bestand(naam: str):
    if naam not in export.TABELLEN:
        abort(404)
    form, periode, now = _choice()
    if form.errors:
        # A file named for a choice we could not follow would mislead: say what is wrong instead.
        messages = " ".join([str(m) for m in [*form.van.errors, *form.tot.errors]]
                            + ([_("Deze gemeente kennen we niet. Kies een gemeente op de pagina Cijfers.")]
                               if form.gemeente.errors else []))
        return current_app.response_class(messages, status=400, mimetype="text/plain")
    header, rows = export.TABELLEN[naam](kpi.dashboard(periode, now=now))
    filename = f"omkijken-{naam}-{periode.van.isoformat()}-{periode.tot.isoformat()}.csv"
    return current_app.response_class(
        export.as_csv(header, rows), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


@bp.get("/kaart")
@capability_required("inzicht")
def kaart_pagina():
    form, periode, now = _choice(kaart_form=True)
    code = form.kpi.data
    waarden = kaart.per_wijk(load(periode, now=now), code)
    teksten = {w.wijk_id: waarde_tekst(code, w) for w in waarden if w.waarde is not None}
    fmap = kaart.kaart(current_app.config, code, waarden, tekst=teksten, geen=_("geen gegevens"))
    return render_template("insights/kaart.html", form=form, kpi=kaart.KPIS[code], code=code, waarden=waarden,
                           teksten=teksten, kaart=fmap, legenda=kaart.legenda(code), query=_query(periode),
                           grijs=kaart.GEEN_GEGEVENS), _status(form)


def waarde_tekst(code: str, w: kaart.WijkWaarde) -> str:
    if code in ("duurzaam", "zelf_gevonden"):
        return _("%(pct)s (van %(n)s)", pct=procent(w.waarde / 100), n=w.aantal)
    if code == "tevredenheid":
        return _("%(score)s (%(n)s cijfers)", score=export.getal(w.waarde, 0), n=w.aantal)
    if code == "wachttijd":
        return _("%(d)s dagen (%(n)s vragen)", d=dagen(w.waarde), n=w.aantal)
    return str(w.aantal)
