"""Gap bars drawn from their table: identified against convicted per year, with period averages.

Drawn at the house width whatever the number of years (no more 17-inch strips): with many bars
the labels turn upright and get smaller, so the chart still reads at A4 text width.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import pandas as pd
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.text import Annotation

from thbstats.publish.chartdata.bars import gap_bars_data
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    WIDTH,
    Chart,
    finish,
    house_style,
    is_range,
    legend_above,
    meta,
    new_figure,
    no_data,
    range_errors,
)
from thbstats.vocabulary import GAP_STAGES


def gap_bars_figure(table: pd.DataFrame, width_in: float = WIDTH["text"]) -> Figure:
    """The gap bars of a ``gap_bars_data`` table, ``width_in`` inches wide (A4 text width; for a
    slide ``WIDTH["slide"]``).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import gap_bars_data
    >>> fig = gap_bars_figure(gap_bars_data(thb.load(), "ALB", 2015, 2018))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    d = meta(table).draw
    years, stages = d["years"], d["stages"]
    values = table.drop_duplicates(["stage", "year"])
    avgs = table.dropna(subset=["average"]).drop_duplicates(["stage", "start", "end"])
    with house_style():
        fig = new_figure(width_in, 5.0)
        ax = fig.add_subplot()
        width = 0.8 / len(stages)
        longest = max(map(len, values["label"]), default=0)
        n_bars = len(years) * len(stages)
        slot_pt = (width_in - 1.2) * 72 / (len(years) + 0.2) * width  # one bar's room
        small = longest * 9 * _k(fig) * 0.62 > slot_pt  # labels wider than their bar turn upright
        for i, st in enumerate(stages):
            s = values[values["stage"] == st].set_index("year").reindex(years)
            xs = [y + (i - (len(stages) - 1) / 2) * width for y in years]
            _stage_bars(ax, s, xs, st, width, small, n_bars)
            for a in avgs[avgs["stage"] == st].itertuples():
                ax.hlines(a.average, a.start - 0.45, a.end + 0.45, colors=STAGE_COLOURS[st],
                          ls="--", lw=1.6, zorder=0.9, label=a.average_label)  # fmt: skip
        step = 1 if len(years) <= 7 else 2
        ax.set_xticks(years[::step], [str(y) for y in years[::step]])
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylabel("Persons per year")
        ax.set_xlabel("Data year")
        _legend(fig, ax, d["n_periods"])
        ax.margins(y=0.12)
        if values["value"].isna().all():
            no_data(ax, d["empty"])
    finish(fig, table)
    _headroom(ax)
    return fig


def _headroom(ax) -> None:
    """Raise the top of the y axis until every bar label ends inside the plot (under the legend)."""
    labels = [t for t in ax.texts if isinstance(t, Annotation)]
    for _ in range(2):  # the layout moves a little when the limits change: check again
        ax.figure.draw_without_rendering()
        box = ax.get_window_extent()
        y0, y1 = ax.get_ylim()
        need = y1
        for t in labels:
            h = t.get_window_extent().height + 4
            v = t.xy[1]
            if box.height > h:
                need = max(need, y0 + (v - y0) * box.height / (box.height - h))
        if need <= y1:
            return
        ax.set_ylim(y0, need)


def draw_gap_bars(table: pd.DataFrame) -> Chart:
    """The chart of a ``gap_bars_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import gap_bars_data
    >>> chart = draw_gap_bars(gap_bars_data(thb.load(), "ALB", 2015, 2018))
    >>> chart.id, chart.drawn
    ('gap-alb-2015-2018', False)
    """
    return Chart.of(table, gap_bars_figure)


def gap_bars_chart(
    df: pd.DataFrame,
    geo="OSCE",
    start: int = 2015,
    end: int = 2018,
    *,
    stages: Iterable[str] = GAP_STAGES,
    periods: Iterable[tuple[int, int]] | None = None,
    source: str | None = None,
    mode: str = "balanced",
) -> Chart:
    """Bars per year for each stage, with each period's average per year drawn across it.

    >>> import thbstats as thb
    >>> chart = gap_bars_chart(thb.load(), "ALB", 2015, 2018)
    >>> print(chart.id, chart.title, sep="\\n")
    gap-alb-2015-2018
    The gap year by year: Albania, 2015-2018
    """
    return draw_gap_bars(gap_bars_data(df, geo, start, end, stages=stages, periods=periods,
                                       source=source, mode=mode))  # fmt: skip


def _k(fig) -> float:
    """Font factor: a figure wider than the A4 text width is read scaled down to it, so its
    words are set that much larger (the same look, and 7 pt or more, at any width)."""
    return max(1.0, fig.get_size_inches()[0] / WIDTH["text"])


def _legend(fig, ax, n_periods: int) -> None:
    """Legend above the bars, one entry per stage and period: its bar and dashed average side by
    side (labels wrapped to the figure's width)."""
    handles, labels = ax.get_legend_handles_labels()
    bars = {lab: h for h, lab in zip(handles, labels, strict=True) if isinstance(h, BarContainer)}
    entries = []
    for h, lab in zip(handles, labels, strict=True):
        if isinstance(h, BarContainer):
            continue
        stage = next((b for b in bars if lab.startswith(b + ",")), None)
        entries.append(((bars[stage], h) if stage else h, lab))
    shown = {lab.split(",")[0] for _h, lab in entries}
    entries += [(h, lab) for lab, h in bars.items() if lab not in shown]
    chars = int((fig.get_size_inches()[0] - 1.2) * 72 / (9.5 * _k(fig) * 0.53))
    ncols = 2 if n_periods > 1 and chars > 100 else 1
    legend_above(ax, handles=[h for h, _l in entries], ncols=ncols, fontsize=9.5 * _k(fig),
                 labels=[textwrap.fill(lab, chars // ncols) for _h, lab in entries],
                 handler_map={tuple: HandlerTuple(ndivide=None, pad=0.6)}, handlelength=3.2)  # fmt: skip


def _stage_bars(ax, d: pd.DataFrame, xs: list[float], st: str, width: float, small: bool,
                n_bars: int) -> None:  # fmt: skip
    """One stage's bars; a range ("<5" cells) gets a whisker and a "lo-hi" label."""
    ax.bar(xs, d["value"], width=width * 0.95, color=STAGE_COLOURS[st], label=STAGE_LABELS[st])
    rng = is_range(d).to_numpy()
    if rng.any():
        x = [v for v, r in zip(xs, rng, strict=True) if r]
        ax.errorbar(x, d["value"][rng], yerr=range_errors(d[rng]), **RANGE_STYLE)
    size = (9 if not small else 8) * _k(ax.figure)
    for x, r in zip(xs, d.itertuples(), strict=True):
        if pd.isna(r.value):
            ax.text(x, 0, "no data", rotation=90, ha="center", va="bottom", fontsize=size - 1,
                    color="#666666", style="italic")  # fmt: skip
            continue
        tx = ax.annotate(r.label, (x, r.value_max), xytext=(0, 2), textcoords="offset points",
                         ha="center", va="bottom", fontsize=size, rotation=90 if small else 0,
                         weight="bold" if r.value_min != r.value_max else "normal")  # fmt: skip
        tx.set_bbox({"fc": "white", "ec": "none", "pad": 0.5, "alpha": 0.85})
