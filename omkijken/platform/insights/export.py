"""The dashboard as JSON (``/api/v1/kpi``) and as CSV files, from the same :class:`kpi.Dashboard`.

CSV is written for Dutch spreadsheet users, who open it by double-clicking: ``;`` between
fields, a decimal comma, UTF-8 with a byte order mark (without it Excel reads "ë" wrongly).
Percentages have one decimal; an empty field means "no figure" (nothing decided yet).
JSON keeps the plain numbers (rates as fractions 0..1), for programs.
"""

from __future__ import annotations

from typing import Any, Callable

from omkijken.matching.durability import DurabilitySummary, Share, judge
from omkijken.platform import spreadsheets
from omkijken.platform.i18n import gettext as _
from omkijken.platform.insights import effect, kpi
from omkijken.platform.insights.kpi import Aandeel, Dashboard, Groep

Rows = list[list[Any]]


# --- JSON ----------------------------------------------------------------------------------------


def _duurzaam(summary: DurabilitySummary) -> dict[str, Any]:
    return {
        "gelukt": summary.successes, "niet_gelukt": summary.failures, "geen_antwoord": summary.unconfirmed,
        "nog_bezig": summary.pending, "telt_niet_mee": summary.neutral, "besloten": summary.decided,
        "totaal": summary.total, "aandeel": summary.rate, "interval_laag": summary.ci_low,
        "interval_hoog": summary.ci_high, "kaplan_meier": summary.km_at_horizon,
    }


def _groep(groep: Groep) -> dict[str, Any]:
    """A group's durability; ``doel`` and ``oordeel`` are null unless it is a dienst with a target."""
    return {"code": groep.code, "label": groep.label, **_duurzaam(groep.duurzaam), "doel": groep.doel,
            "oordeel": groep.oordeel}


def _geholpen(groep: Groep) -> dict[str, Any]:
    return {"code": groep.code, "label": groep.label, **_duurzaam(groep.geholpen)}


def _share(value: Share) -> dict[str, Any]:
    return {"teller": value.numerator, "noemer": value.denominator, "aandeel": value.rate,
            "interval_laag": value.ci_low, "interval_hoog": value.ci_high}


def _oordeel(value: Share, doel: float | None) -> str | None:
    return None if doel is None or value.rate is None else judge(value, doel)


def _aandelen(rows: list[Aandeel], doel: float | None) -> list[dict[str, Any]]:
    return [{"code": r.code, "label": r.label, **_share(r.aandeel), "oordeel": _oordeel(r.aandeel, doel)}
            for r in rows]


def as_json(board: Dashboard) -> dict[str, Any]:
    """The figures for the API; described by the ``Kpi`` schema in ``api.openapi``."""
    return {
        "periode": {"van": board.periode.van.isoformat(), "tot": board.periode.tot.isoformat(),
                    "gemeente": board.periode.gemeente},
        "berekend_op": board.now.isoformat(),
        "horizon_dagen": board.horizon_dagen,
        # Durability targets are per dienst, in ``duurzaam.per_dienst``.
        "doelen": {"zelf_gevonden": kpi.ZELF_GEVONDEN_DOEL, "collectief": kpi.COLLECTIEF_DOEL},
        "duurzaam": {
            "totaal": _duurzaam(board.totaal),
            "per_dienst": [_groep(g) for g in board.per_dienst],
            "per_wijk": [_groep(g) for g in board.per_wijk],
            "per_onderwerp": [_groep(g) for g in board.per_onderwerp],
            "per_soort": [_groep(g) for g in board.per_soort],
            "per_maand": [_groep(g) for g in board.per_maand],
        },
        "geholpen": {
            "totaal": _duurzaam(board.geholpen),
            "per_dienst": [_geholpen(g) for g in board.per_dienst],
        },
        "overleving": {"alle": [[d, s] for d, s in board.overleving],
                       "blink": [[d, s] for d, s in board.overleving_blink]},
        "tevredenheid": [{"code": t.code, "label": t.label, "score": t.score, "aantal": t.aantal}
                         for t in board.tevredenheid],
        "zelf_gevonden": _aandelen(board.zelf_gevonden, kpi.ZELF_GEVONDEN_DOEL),
        "wachttijd": [{"code": w.code, "label": w.label, "aantal": w.aantal, "mediaan_dagen": w.mediaan,
                       "p90_dagen": w.p90} for w in board.wachttijd],
        "plaatsing": _aandelen(board.plaatsing, None),
        "collectief": _aandelen(board.collectief, kpi.COLLECTIEF_DOEL),
    }


# --- CSV -----------------------------------------------------------------------------------------


def getal(value: float | None, decimals: int = 1) -> str:
    """A number the Dutch way: decimal comma, empty when there is none."""
    return "" if value is None else f"{value:.{decimals}f}".replace(".", ",")


def pct(value: float | None) -> str:
    return "" if value is None else getal(value * 100)


def _oordeel_tekst(code: str | None) -> str:
    return str(kpi.OORDELEN[code]) if code else ""


def _duurzaam_rows(groepen: list[Groep], *, geholpen: bool = False) -> tuple[list[str], Rows]:
    """Durability per group; the target and its verdict only in a table that has a dienst with one."""
    header = [_("code"), _("groep"), _("geholpen (%)") if geholpen else _("duurzaam (%)"), _("interval laag (%)"),
              _("interval hoog (%)"), _("gelukt"), _("niet gelukt"), _("waarvan geen antwoord"), _("nog bezig"),
              _("telt niet mee"), _("Kaplan-Meier (%)")]
    met_doel = any(g.doel is not None for g in groepen) and not geholpen
    if met_doel:
        header += [_("doel (%)"), _("oordeel")]
    rows = []
    for g in groepen:
        d = g.geholpen if geholpen else g.duurzaam
        row = [g.code, g.label, pct(d.rate), pct(d.ci_low), pct(d.ci_high), d.successes, d.failures,
               d.unconfirmed, d.pending, d.neutral, pct(d.km_at_horizon)]
        if met_doel:
            row += [pct(g.doel), _oordeel_tekst(g.oordeel)]
        rows.append(row)
    return header, rows


def _share_rows(rows: list[Aandeel], doel: float | None) -> tuple[list[str], Rows]:
    header = [_("code"), _("groep"), _("aandeel (%)"), _("interval laag (%)"), _("interval hoog (%)"),
              _("teller"), _("noemer")]
    if doel is not None:
        header.append(_("doel %(doel)s%%: oordeel", doel=round(doel * 100)))
    body = []
    for r in rows:
        s = r.aandeel
        row = [r.code, r.label, pct(s.rate), pct(s.ci_low), pct(s.ci_high), s.numerator, s.denominator]
        if doel is not None:
            row.append(_oordeel_tekst(_oordeel(s, doel)))
        body.append(row)
    return header, body


def _totaal(board: Dashboard) -> Groep:
    return Groep(kpi.ALLE, _("Alle diensten"), board.totaal, board.geholpen)


def _overleving(board: Dashboard) -> tuple[list[str], Rows]:
    rows = [["alle", getal(d), pct(s)] for d, s in board.overleving]
    rows += [["blink", getal(d), pct(s)] for d, s in board.overleving_blink]
    return [_("reeks"), _("dag"), _("loopt nog (%)")], rows


def _tevredenheid(board: Dashboard) -> tuple[list[str], Rows]:
    return ([_("code"), _("groep"), _("tevredenheid (cijfer x 10)"), _("aantal cijfers")],
            [[t.code, t.label, getal(t.score), t.aantal] for t in board.tevredenheid])


def _wachttijd(board: Dashboard) -> tuple[list[str], Rows]:
    return ([_("code"), _("onderwerp"), _("aantal vragen"), _("mediaan (dagen)"), _("p90 (dagen)")],
            [[w.code, w.label, w.aantal, getal(w.mediaan), getal(w.p90)] for w in board.wachttijd])


def _effect(board: Dashboard) -> tuple[list[str], Rows]:
    """Change from the start per dienst; empty where fewer than ``effect.MIN_MENSEN`` people answered."""
    header = [_("code"), _("dienst"), _("hoe gaat het: verschil"), _("interval laag"), _("interval hoog"),
              _("mensen"), _("eenzaamheid: verschil"), _("interval laag"), _("interval hoog"), _("mensen")]

    def cells(change) -> list[str]:
        return ["", "", ""] if change is None else [getal(change.mean, 2), getal(change.ci_low, 2),
                                                    getal(change.ci_high, 2)]

    return header, [[r.code, r.label, *cells(r.welzijn), r.n_welzijn, *cells(r.eenzaamheid), r.n_eenzaamheid]
                    for r in effect.per_dienst(board.periode)]


#: file name (without .csv) -> how to make its table
TABELLEN: dict[str, Callable[[Dashboard], tuple[list[str], Rows]]] = {
    "duurzaam-dienst": lambda b: _duurzaam_rows([_totaal(b), *b.per_dienst]),
    "duurzaam-geholpen": lambda b: _duurzaam_rows([g for g in [_totaal(b), *b.per_dienst] if g.geholpen.total],
                                                  geholpen=True),
    "duurzaam-wijk": lambda b: _duurzaam_rows(b.per_wijk),
    "duurzaam-onderwerp": lambda b: _duurzaam_rows(b.per_onderwerp),
    "duurzaam-soort": lambda b: _duurzaam_rows(b.per_soort),
    "duurzaam-maand": lambda b: _duurzaam_rows(b.per_maand),
    "overleving": _overleving,
    "tevredenheid": _tevredenheid,
    "zelf-gevonden": lambda b: _share_rows(b.zelf_gevonden, kpi.ZELF_GEVONDEN_DOEL),
    "wachttijd": _wachttijd,
    "plaatsing": lambda b: _share_rows(b.plaatsing, None),
    "collectief": lambda b: _share_rows(b.collectief, kpi.COLLECTIEF_DOEL),
    "effect": _effect,
}


def as_csv(header: list[str], rows: Rows) -> str:
    """One table as CSV text, BOM first, every cell neutralised (``platform.spreadsheets``)."""
    return spreadsheets.csv_text(header, rows)
