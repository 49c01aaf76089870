"""Attrition compared, drawn from its table: convictions per 100 identified victims by area."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.figure import Figure

from thbstats.publish.chartdata.attrition import attrition_data
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    THOUSANDS,
    Chart,
    finish,
    house_style,
    meta,
    new_figure,
    no_data,
    range_errors,
)


def attrition_figure(table: pd.DataFrame) -> Figure:
    """Horizontal bars of the ratio, largest first, of an ``attrition_data`` table.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import attrition_data
    >>> fig = attrition_figure(attrition_data(thb.load(), ["ALB", "DEU"], 2015, 2018))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    d = meta(table).draw
    have = table[table["rank"].notna()].sort_values("rank")
    with house_style():
        fig = new_figure(9.0, max(4.8, 0.32 * len(have) + 3.2))
        ax = fig.add_subplot()
        ys = range(len(have))[::-1]
        ax.barh(list(ys), have["value"], color=STAGE_COLOURS.get(d["numerator"]), height=0.7)
        rng = (have["low"] != have["high"]).to_numpy()
        if rng.any():
            err = have[rng].rename(columns={"low": "value_min", "high": "value_max"})
            y_rng = [y for y, r in zip(ys, rng, strict=True) if r]
            ax.errorbar(have["value"][rng], y_rng, xerr=range_errors(err), **RANGE_STYLE)
        for y, r in zip(ys, have.itertuples(), strict=True):
            ax.annotate(r.label, (r.high, y), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=10)  # fmt: skip
        ax.set_yticks(list(ys), have["name"], fontsize=10 if len(have) > 15 else 11)
        ax.set_xlabel(d["xlabel"])
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        x_top = have[["value", "high"]].max().max() if len(have) else float("nan")
        if x_top > 0:  # room on the right for the labels written after each whisker
            ax.set_xlim(0, x_top / 0.55)
        ax.xaxis.set_major_formatter(THOUSANDS)
        if have.empty:
            no_data(ax, d["empty"])
    finish(fig, table)
    return fig


def draw_attrition(table: pd.DataFrame) -> Chart:
    """The chart of an ``attrition_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import attrition_data
    >>> chart = draw_attrition(attrition_data(thb.load(), ["ALB", "DEU"], 2015, 2018))
    >>> chart.id, chart.drawn
    ('attrition-convicted-alb+deu-2015-2018', False)
    """
    return Chart.of(table, attrition_figure)


def attrition_chart(
    df: pd.DataFrame,
    geos: str | Iterable[str] = "OSCE",
    start: int = 2015,
    end: int = 2018,
    *,
    numerator: str = "convicted",
    denominator: str = "identified",
    source: str | None = None,
    top: int | None = None,
) -> Chart:
    """Horizontal bars of ``numerator`` per 100 ``denominator`` by region or country, sorted.

    ``geos``: a list of codes (e.g. TIP regions), or a group code whose member countries are
    compared. Countries or regions without both figures are listed as "no data".

    >>> import thbstats as thb
    >>> chart = attrition_chart(thb.load(), ["ALB", "DEU"], 2015, 2018)
    >>> print(chart.id, chart.title, sep="\\n")
    attrition-convicted-alb+deu-2015-2018
    Convicted per 100 identified: 2 selected areas, 2015-2018
    """
    return draw_attrition(attrition_data(df, geos, start, end, numerator=numerator,
                                         denominator=denominator, source=source, top=top))  # fmt: skip
