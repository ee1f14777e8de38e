"""Server-side SVG charts of the dashboard, drawn with matplotlib.

Why SVG from the server: the charts work without JavaScript, scale to any phone without blurring,
and keep their text as text. Each chart is a ``matplotlib.figure.Figure`` of its own (never pyplot:
its global state is not thread-safe under gunicorn threads). The figures are 4 inches wide, so at
a 320 px phone the 11 pt labels show at about 11 px; every row has its label *above* its bar,
so long Dutch names need no room beside the chart.

Every chart has a ``<title>`` and ``role="img"``; the page puts a figcaption and the data table
beside it. Element ids are prefixed with the chart's id, so several charts can sit inline in one
page; the dashed target line gets the id ``<chart>-doellijn``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import matplotlib
from markupsafe import Markup, escape
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Text stays text (smaller, searchable, read by the browser's font); ids are stable between runs.
# Set once at import: nothing else in the process draws with other settings.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "omkijken"

WIDTH_IN = 4.0
ROW_IN = 0.62
KM_PLOT_IN, KM_BOTTOM_IN = 2.3, 0.95  # the plot; the ticks and axis name under it, then the legend
BAR_TOP_IN, BAR_BOTTOM_IN, SIDE_IN = 0.36, 0.62, 0.22  # room for "doel 85%", the ticks and axis name, "100%"
FONT = 12
INK = "#1b1b1b"
BAR = "#4f83b0"  # light enough for the black interval line on it, 4:1 against white
SECOND = "#b35900"
TARGET = "#8a1c1c"
GRID = "#d0d7de"
LABEL_GROUND = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}
MAX_LABEL = 30
CHAR_PT, BOLD_CHAR_PT = 0.6 * FONT, 0.7 * FONT  # generous average widths of a DejaVu Sans character


@dataclass(frozen=True)
class Balk:
    """One row of a bar chart; ``waarde`` in the chart's unit (percent or days)."""

    label: str
    waarde: float
    laag: float | None = None
    hoog: float | None = None
    tekst: str = ""


def _short(label: str, beside: str) -> str:
    """Cut a label so it ends before the bold figure on its right (the table has the full name)."""
    room = int((WIDTH_IN * 72 - 24 - len(beside) * BOLD_CHAR_PT) / CHAR_PT)
    room = max(min(room, MAX_LABEL), 8)
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def _style(ax, *, xmax: float) -> None:
    ax.set_xlim(0, xmax)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(INK)
    ax.tick_params(axis="both", labelsize=FONT, colors=INK)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _target(ax, doel: float, tekst: str, *, vertical: bool) -> None:
    if vertical:
        ax.axvline(doel, color=TARGET, linestyle=(0, (5, 3)), linewidth=2, gid="doellijn", zorder=5)
        ax.annotate(tekst, xy=(doel, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=FONT, color=TARGET,
                    fontweight="bold")
    else:
        ax.axhline(doel, color=TARGET, linestyle=(0, (5, 3)), linewidth=2, gid="doellijn", zorder=5)


def balken(rijen: Sequence[Balk], *, chart_id: str, titel: str, as_tekst: str, xmax: float,
           doel: float | None = None, doel_tekst: str = "", procent: bool = True) -> Markup:
    """Horizontal bars with Wilson error bars (when given) and a dashed target line.

    Rows without a value belong in the table only ("nog niets besloten"); the caller leaves
    them out. Returns an empty Markup when no row is left, so the page can say so instead.
    A dashboard draws the same charts again and again until the data change: drawn ones are
    remembered (everything that goes in is immutable, so the arguments are the key).
    """
    if not rijen:
        return Markup("")
    return _balken(tuple(rijen), chart_id, titel, as_tekst, xmax, doel, doel_tekst, procent)


@lru_cache(maxsize=256)
def _balken(rijen: tuple[Balk, ...], chart_id: str, titel: str, as_tekst: str, xmax: float,
            doel: float | None, doel_tekst: str, procent: bool) -> Markup:
    height = ROW_IN * len(rijen) + BAR_TOP_IN + BAR_BOTTOM_IN
    fig = Figure(figsize=(WIDTH_IN, height))
    # Fixed margins instead of constrained layout: it would draw every chart twice.
    fig.subplots_adjust(left=SIDE_IN / WIDTH_IN, right=1 - SIDE_IN / WIDTH_IN, top=1 - BAR_TOP_IN / height,
                        bottom=BAR_BOTTOM_IN / height)
    ax = fig.add_subplot()
    ys = list(range(len(rijen)))
    values = [r.waarde for r in rijen]
    ax.barh(ys, values, height=0.42, color=BAR, zorder=2)
    errors = [(i, r) for i, r in enumerate(rijen) if r.laag is not None and r.hoog is not None]
    if errors:
        ax.errorbar([r.waarde for _i, r in errors], [i for i, _r in errors],
                    xerr=[[r.waarde - r.laag for _i, r in errors], [r.hoog - r.waarde for _i, r in errors]],
                    fmt="none", ecolor=INK, elinewidth=1.5, capsize=4, zorder=3)
    for i, rij in enumerate(rijen):
        # On a white ground above the target line, which would otherwise cross the words.
        ax.text(0, i - 0.3, _short(rij.label, rij.tekst), ha="left", va="bottom", fontsize=FONT, color=INK, zorder=6,
                bbox=LABEL_GROUND)
        if rij.tekst:
            ax.text(xmax, i - 0.3, rij.tekst, ha="right", va="bottom", fontsize=FONT, color=INK, fontweight="bold",
                    zorder=6, bbox=LABEL_GROUND)
    ax.set_ylim(len(rijen) - 0.5, -0.9)
    ax.set_yticks([])
    _style(ax, xmax=xmax)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    if procent:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
    ax.set_xlabel(as_tekst, fontsize=FONT, color=INK)
    if doel is not None:
        _target(ax, doel, doel_tekst, vertical=True)
    return _svg(fig, chart_id, titel)


def overleving(lijnen: Sequence[tuple[str, Sequence[tuple[float, float]]]], *, chart_id: str, titel: str,
               x_tekst: str, y_tekst: str, horizon: int, doel: float | None = None,
               doel_tekst: str = "") -> Markup:
    """Kaplan-Meier step curves in percent to the horizon, with the dashed target line if there is one.

    The first line is drawn solid and blue, the second thicker and orange with markers, so they
    differ without colour too; the legend sits under the chart.
    """
    kept = tuple((naam, tuple(punten)) for naam, punten in lijnen if punten)
    if not kept:
        return Markup("")
    return _overleving(kept, chart_id, titel, x_tekst, y_tekst, horizon, doel, doel_tekst)


@lru_cache(maxsize=64)
def _overleving(lijnen: tuple[tuple[str, tuple[tuple[float, float], ...]], ...], chart_id: str, titel: str,
                x_tekst: str, y_tekst: str, horizon: int, doel: float | None, doel_tekst: str) -> Markup:
    height = KM_PLOT_IN + 0.4 + KM_BOTTOM_IN + 0.25 * len(lijnen)
    fig = Figure(figsize=(WIDTH_IN, height))
    fig.subplots_adjust(left=0.62 / WIDTH_IN, right=1 - SIDE_IN / WIDTH_IN, top=1 - 0.4 / height,
                        bottom=(KM_BOTTOM_IN + 0.25 * len(lijnen)) / height)
    ax = fig.add_subplot()
    styles = [dict(color=BAR, linewidth=2), dict(color=SECOND, linewidth=2.5, marker="o", markersize=4)]
    for (naam, punten), style in zip(lijnen, styles):
        xs = [x for x, _y in punten]
        ys = [y * 100 for _x, y in punten]
        ax.step(xs, ys, where="post", label=naam, zorder=3, **style)
    if doel is not None:
        _target(ax, doel, doel_tekst, vertical=False)
        ax.plot([], [], color=TARGET, linestyle=(0, (5, 3)), linewidth=2, label=doel_tekst)
    ax.set_ylim(0, 102)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
    _style(ax, xmax=horizon)
    ax.spines["left"].set_visible(True)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_xticks([0, 30, 60, horizon])
    ax.set_xlabel(x_tekst, fontsize=FONT, color=INK)
    ax.set_title(y_tekst, loc="left", fontsize=FONT, color=INK, pad=8)  # above the axis: no sideways text
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=1, fontsize=FONT, frameon=False)
    return _svg(fig, chart_id, titel)


_ROOT = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_IDS = re.compile(r'(\bid="|url\(#|href="#)')


def _svg(fig: Figure, chart_id: str, titel: str) -> Markup:
    """The figure as inline SVG: no XML prolog or RDF metadata, no fixed size (CSS scales it),
    a ``<title>`` that names it, and ids that cannot clash with another chart on the page."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)
    text = _IDS.sub(lambda m: m.group(1) + chart_id + "-", text)
    root = _ROOT.search(text)
    assert root is not None
    tag = _SIZE.sub("", root.group(0))[:-1]
    title_id = f"{chart_id}-titel"
    opening = (f'{tag} id="{chart_id}" class="grafiek" role="img" aria-labelledby="{title_id}" '
               f'focusable="false"><title id="{title_id}">{escape(titel)}</title>')
    return Markup(text[: root.start()] + opening + text[root.end():])
