"""The dashboard's SVG charts and the small pure helpers around the KPI figures."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from omkijken.platform.insights import charts
from omkijken.platform.insights.feiten import Periode, standaard_periode
from omkijken.platform.insights.kpi import percentile
from omkijken.platform.insights.views import interval, op_dag, procent

RIJEN = [charts.Balk("Alle diensten", 71.4, 35.9, 91.8, "71% (5 van 7)"),
         charts.Balk("Blink", 83.3, 43.6, 97.0, "83% (5 van 6)")]


def bars(chart_id: str = "grafiek-dienst") -> str:
    return str(charts.balken(RIJEN, chart_id=chart_id, titel="Duurzaam per dienst", as_tekst="Duurzaam",
                             xmax=100, doel=85, doel_tekst="doel 85%"))


def test_a_bar_chart_is_inline_svg_that_names_itself_and_scales():
    svg = bars()

    assert svg.startswith("<svg") and "<?xml" not in svg and "<metadata>" not in svg
    root = re.match(r"<svg[^>]*>", svg).group(0)
    assert 'role="img"' in root and 'aria-labelledby="grafiek-dienst-titel"' in root and "viewBox" in root
    assert " width=" not in root and " height=" not in root
    assert '<title id="grafiek-dienst-titel">Duurzaam per dienst</title>' in svg
    assert ">Blink</text>" in svg and ">83% (5 van 6)</text>" in svg and ">doel 85%</text>" in svg


def test_the_target_line_is_dashed_and_every_id_belongs_to_its_chart():
    svg = bars()

    line = re.search(r'<g id="grafiek-dienst-doellijn">(.*?)</g>', svg, re.S)
    assert line and "stroke-dasharray" in line.group(1)
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("grafiek-dienst") for i in ids)
    assert all(ref.startswith("grafiek-dienst-") for ref in re.findall(r"url\(#([^)]+)\)", svg))


def test_two_charts_on_one_page_share_no_id():
    first, second = bars("a"), bars("b")

    assert not set(re.findall(r'\bid="([^"]+)"', first)) & set(re.findall(r'\bid="([^"]+)"', second))


def test_no_rows_no_chart_and_long_labels_are_cut_before_the_figure():
    assert charts.balken([], chart_id="x", titel="x", as_tekst="x", xmax=100) == ""
    assert charts.overleving([("Alle", [])], chart_id="x", titel="x", x_tekst="x", y_tekst="x", horizon=91,
                             doel=85, doel_tekst="x") == ""
    short = charts._short("Administratie en formulieren", "100% (12 van 12)")
    assert short.endswith("…") and len(short) < len("Administratie en formulieren")
    assert charts._short("Blink", "83% (5 van 6)") == "Blink"


def test_the_survival_chart_has_both_curves_and_the_target():
    svg = str(charts.overleving([("Alle koppelingen", [(0.0, 1.0), (20.0, 0.8), (91.0, 0.8)]),
                                 ("Blink", [(0.0, 1.0), (91.0, 1.0)])], chart_id="km", titel="Loopt nog",
                                x_tekst="Dagen na de start", y_tekst="Loopt nog", horizon=91, doel=85,
                                doel_tekst="Doel 85%"))

    assert 'id="km-doellijn"' in svg
    assert ">Alle koppelingen</text>" in svg and ">Blink</text>" in svg and ">Doel 85%</text>" in svg
    assert ">91</text>" in svg


def test_percent_rounds_half_up_and_intervals_read_as_a_range():
    assert procent(0.835) == "84%" and procent(5 / 6) == "83%" and procent(None) == "–"
    assert interval(0.4365, 0.9699) == "44–97%" and interval(None, 0.5) == "–"


def test_nearest_rank_percentile_and_the_step_curve_lookup():
    assert percentile([], 0.9) is None
    assert percentile([1.0, 2.0, 3.0], 0.9) == 3.0
    assert percentile([float(d) for d in range(1, 11)], 0.9) == 9.0
    curve = [(0.0, 1.0), (20.0, 0.8), (91.0, 0.8)]
    assert (op_dag(curve, 19.9), op_dag(curve, 20), op_dag(curve, 91)) == (1.0, 0.8, 0.8)


def test_the_default_period_is_twelve_start_months_in_oss_time():
    # 23:30 UTC on 31 January is already 1 February in Oss.
    periode = standaard_periode(datetime(2026, 1, 31, 23, 30, tzinfo=timezone.utc))

    assert (periode.van, periode.tot) == (date(2025, 3, 1), date(2026, 2, 1))
    assert len(periode.maanden()) == 12 and periode.maanden()[0] == "2025-03"
    summer = Periode(van=date(2026, 7, 1), tot=date(2026, 7, 31))
    assert summer.start == datetime(2026, 6, 30, 22, 0, tzinfo=timezone.utc)
    assert summer.end == datetime(2026, 7, 31, 22, 0, tzinfo=timezone.utc)
