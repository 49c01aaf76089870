"""The impunity funnel drawn from its table: estimated -> identified -> prosecuted -> convicted,
horizontal bars on a log scale; a stage without data is a written note, never a bar."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.transforms as mtransforms
import pandas as pd
from matplotlib.figure import Figure

from thbstats.publish.chartdata.funnel import funnel_data
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    Chart,
    finish,
    house_style,
    log_ticks,
    meta,
    new_figure,
    pt,
)
from thbstats.vocabulary import FUNNEL_STAGES

BAR = 0.38  # bar height; the labels sit in the band above each bar, never on it
BAR_Y = -0.2  # bar centre below the stage's tick


def funnel_figure(table: pd.DataFrame) -> Figure:
    """The funnel of a ``funnel_data`` table.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import funnel_data
    >>> fig = funnel_figure(funnel_data(thb.load(), "ALB", 2018))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    year = meta(table).draw["year"]
    with house_style():
        fig = new_figure(9.0, 6.2)
        _draw(fig.add_subplot(), table, year)
    finish(fig, table)
    return fig


def draw_funnel(table: pd.DataFrame) -> Chart:
    """The chart of a ``funnel_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import funnel_data
    >>> chart = draw_funnel(funnel_data(thb.load(), "ALB", 2018))
    >>> chart.id, chart.drawn
    ('funnel-alb-2018', False)
    """
    return Chart.of(table, funnel_figure)


def funnel_chart(
    df: pd.DataFrame,
    geo: str | Iterable[str] = "WORLD",
    year: int = 2016,
    stages: Iterable[str] = FUNNEL_STAGES,
    *,
    source: str | None = None,
    mode: str = "balanced",
) -> Chart:
    """Horizontal log-scale funnel for ``geo`` in ``year`` (the estimate nearest that year).

    >>> import thbstats as thb
    >>> chart = funnel_chart(thb.load(), "ALB", 2018)
    >>> print(chart.id, chart.title, sep="\\n")
    funnel-alb-2018
    The impunity gap: Albania, 2018
    """
    return draw_funnel(funnel_data(df, geo, year, stages, source=source, mode=mode))


def _draw(ax, data: pd.DataFrame, year: int) -> None:
    n = len(data)
    ys = list(range(n))[::-1]
    vmax = data["value_max"].max() if data["value"].notna().any() else 10
    ax.set_xscale("log")
    ax.set_xlim(1, max(vmax, 10) * 4)
    ax.set_ylim(-0.65, n - 0.35)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    for y, r in zip(ys, data.itertuples(), strict=True):
        if pd.isna(r.value):  # a note where the bar would be: no bar, so never the longest
            ax.text(1.3, y + BAR_Y, f"No data for this stage ({r.stage}, {year})", va="center",
                    fontsize=pt(11), color="#555555", style="italic")  # fmt: skip
            continue
        colour = STAGE_COLOURS.get(r.stage, "#888888")
        ax.barh(y + BAR_Y, r.value, left=1, height=BAR, color=colour, alpha=0.35,
                edgecolor=colour)  # fmt: skip
        if r.value_min != r.value_max:
            lo, hi = r.value - r.value_min, r.value_max - r.value
            ax.errorbar(r.value, y + BAR_Y, xerr=[[lo], [hi]], **RANGE_STYLE)
        top = y + BAR_Y + BAR / 2 + 0.03
        ax.text(1.3, top, f"{r.publication}, {r.period}", va="bottom", fontsize=pt(10),
                color="#333333")  # fmt: skip
        ax.annotate(r.value_label, (1.3, top), xytext=(0, pt(12)), textcoords="offset points",
                    va="bottom", fontsize=pt(13), weight="bold", color="#111111")  # fmt: skip
    ax.set_yticks(ys, list(data["stage_label"]))
    ax.tick_params(axis="y", length=0)
    log_ticks(ax, max(vmax, 10) * 4)
    ax.set_xlabel("Persons (log scale)")
    trans = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)
    have = [i for i in range(n) if pd.notna(data["value"].iloc[i]) and data["value"].iloc[i] > 0]
    for i, j in zip(have, have[1:], strict=False):
        ax.text(1.02, (ys[i] + ys[j]) / 2 + BAR_Y, "↓ " + data["ratio_label"].iloc[j],
                transform=trans, va="center", ha="left", fontsize=pt(10.5), color="#222222",
                linespacing=1.1)  # fmt: skip
