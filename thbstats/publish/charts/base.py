"""What every chart drawing shares: the house style, the Chart result, header and footer marks.

A chart is its table first (``thbstats.publish.chartdata``: values, bounds, labels and words,
no matplotlib), then a drawing function that takes that table and builds a plain
``matplotlib.figure.Figure``: never pyplot, never a backend switch. A :class:`Chart` draws its
figure on first use, so an export that finds the chart unchanged never draws it.
"""

from __future__ import annotations

import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib.style
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from thbstats.analysis.metrics.ranges import number
from thbstats.publish.chartdata.common import (  # noqa: F401  (re-exported)
    caption,
    citation_keys,
    geo_title,
    meta,
)
from thbstats.publish.chartdata.notes import (  # noqa: F401  (re-exported)
    coverage_phrase,
    data_note,
    dominance_note,
    flagged_note,
    n_suppressed,
    suppressed_note,
)
from thbstats.publish.charts.chart import LITERAL_TEXT, Chart  # noqa: F401  (re-exported)
from thbstats.publish.charts.labels import end_labels  # noqa: F401  (re-exported)
from thbstats.publish.charts.sizes import WIDTH, placement, pt, scaled_rc  # noqa: F401
from thbstats.vocabulary import (  # noqa: F401  (re-exported for the chart modules)
    ESTIMATE_CONCEPTS,
    NO_DATA,
    STAGE_COLOURS,
    STAGE_LABELS,
)

STYLE = Path(__file__).with_name("thbstats.mplstyle")


@contextmanager
def house_style():
    """Apply the house style sheet inside a ``with`` block.

    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["axes.spines.top"]
    >>> with house_style():
    ...     inside = mpl.rcParams["axes.spines.top"]
    >>> inside, mpl.rcParams["axes.spines.top"] == before
    (False, True)
    """
    with matplotlib.style.context(STYLE):  # the scaled sizes are those of the style sheet
        with matplotlib.rc_context(scaled_rc(matplotlib.rcParams) | LITERAL_TEXT):
            yield


def thousands(x: float, _pos: Any = None) -> str:
    """12345.0 -> "12,345"; small non-integers keep one decimal (``ranges.number`` as an axis
    formatter)."""
    return number(x)


THOUSANDS = FuncFormatter(thousands)


def new_figure(width: float = 9.0, height: float = 5.6) -> Figure:
    """An empty figure in the house layout (constrained layout for the body).

    Built as a plain ``Figure``: pyplot never holds it, and the backend is never touched.

    >>> fig = new_figure(6.3, 4.0)
    >>> type(fig).__name__, fig.get_size_inches().tolist()
    ('Figure', [6.3, 4.0])
    """
    p = placement()  # a brief's chart: the size it is shown at
    return Figure(figsize=(p.width, p.height) if p else (width, height), layout="constrained")


def _wrap(text: str, width_in: float, size: float) -> str:
    chars = max(20, int(width_in * 72 / (size * 0.55)))
    return "\n".join(textwrap.fill(p, chars) for p in text.split("\n") if p)


MIN_BODY = 3.0  # inches of plot between the words above and below


def _height(text: str, size: float) -> float:
    return (text.count("\n") + 1) * size * 1.3 / 72


def finish(fig: Figure, table: pd.DataFrame) -> None:
    """Put the table's title and subtitle above the body, its note and source line below, and
    fit the body between (a chart drawn for a brief leaves them to the brief)."""
    if placement() is not None:
        return
    m = meta(table)
    title, subtitle, note, footer = m.title, m.subtitle, m.note, m.source
    w, h = fig.get_size_inches()
    head = [
        (_wrap(title, w - 0.3, 16), 16, "bold", "#111111"),
        (_wrap(subtitle, w - 0.3, 11.5), 11.5, "normal", "#444444"),
    ]
    foot = [
        (_wrap(note, w - 0.3, 10), 10, "normal", "#444444"),
        (_wrap(footer, w - 0.3, 10), 10, "normal", "#555555"),
    ]
    words = sum(_height(t, size) + 0.08 for t, size, _w, _c in head + foot if t) + 0.5
    if h - words < MIN_BODY:  # a narrow figure grows taller rather than squeezing its body
        h = words + MIN_BODY
        fig.set_size_inches(w, h)
    y = h - 0.15
    for text, size, weight, colour in head:
        fig.text(
            0.15 / w,
            y / h,
            text,
            ha="left",
            va="top",
            fontsize=size,
            weight=weight,
            color=colour,
            linespacing=1.25,
            parse_math=False,  # a $ in a title or citation prints as a dollar
        )
        y -= (text.count("\n") + 1) * size * 1.3 / 72 + 0.06
    top = y - 0.1
    y = 0.12
    for text, size, _weight, colour in reversed(foot):
        if not text:
            continue
        fig.text(
            0.15 / w,
            y / h,
            text,
            ha="left",
            va="bottom",
            fontsize=size,
            color=colour,
            linespacing=1.25,
            parse_math=False,  # a $ in a title or citation prints as a dollar
        )
        y += (text.count("\n") + 1) * size * 1.3 / 72 + 0.08
    bottom = y + 0.05
    side = 0.1 / w  # the body keeps a margin on both sides: no label runs off the edge
    fig.get_layout_engine().set(rect=(side, bottom / h, 1.0 - 2 * side, (top - bottom) / h))


def no_data(ax, message: str) -> None:
    """Write a visible "no data" message across an axis."""
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=pt(13),
        color=NO_DATA,
        style="italic",
        wrap=True,
        bbox={"boxstyle": "round,pad=0.6", "fc": "#f4f4f4", "ec": "#bbbbbb"},
    )


def log_ticks(ax, vmax: float) -> None:
    """Decade ticks on a log x axis, every other decade when there are many (no overlaps)."""
    import math

    from matplotlib.ticker import FixedLocator, NullLocator

    top = max(1, math.ceil(math.log10(max(vmax, 10))))
    step = 2 if top > 5 else 1
    ax.xaxis.set_major_locator(FixedLocator([10.0**k for k in range(0, top + 1, step)]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(THOUSANDS)


def legend_above(ax, **kw: Any) -> None:
    """A legend above the plotting area, where it cannot cover a data point."""
    kw = {"loc": "lower left", "bbox_to_anchor": (0, 1.01), "fontsize": pt(10.5)} | kw
    ax.legend(**kw)


def is_range(t: pd.DataFrame) -> pd.Series:
    """True where a plotted figure is a range (it holds "<5" cells)."""
    return t["value_min"].notna() & (t["value_min"] != t["value_max"])


def range_errors(t: pd.DataFrame, col: str = "value") -> list[list[float]]:
    """Distances from the central value down to ``<col>_min`` and up to ``<col>_max`` (errorbar)."""
    v = t[col].astype(float)
    lo, hi = t[f"{col}_min"].astype(float), t[f"{col}_max"].astype(float)
    return [(v - lo).fillna(0).tolist(), (hi - v).fillna(0).tolist()]


RANGE_STYLE = {"fmt": "none", "ecolor": "#222222", "elinewidth": 1.3, "capsize": 3.5, "zorder": 3}
