"""The dark figure, like for like, drawn from its table (``chartdata.dark_figure``): paired bars
on a log scale, the estimate (with its interval where published) above the identified count."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from thbstats.publish.chartdata.dark_figure import dark_figure_data
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    THOUSANDS,
    Chart,
    finish,
    house_style,
    new_figure,
    no_data,
)


def dark_figure_figure(table: pd.DataFrame) -> Figure:
    """The paired bars of a ``dark_figure_data`` table.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata.dark_figure import dark_figure_data
    >>> fig = dark_figure_figure(dark_figure_data(thb.load(), geo="GBR"))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    rows = table.iloc[::-1]
    with house_style():
        fig = new_figure(8.0, 0.55 * len(rows) + 6.4)
        ax = fig.add_subplot()
        if rows.empty:
            no_data(ax, "No published multiple systems estimate transcribed")
        else:
            _bars(ax, rows)
    finish(fig, table)
    return fig


def _bars(ax, rows: pd.DataFrame) -> None:
    y = list(range(len(rows)))
    for shift, col, stage, label in (
        (0.2, "estimate", "estimated", "estimated victims a year (MSE)"),
        (-0.2, "identified", "identified", "identified victims a year (UNODC)"),
    ):
        ax.barh(
            [v + shift for v in y],
            rows[col],
            height=0.38,
            color=STAGE_COLOURS.get(stage, "#7f7f7f"),
            label=label,
        )
    has = rows["estimate_low"].notna()
    rng = rows[has]
    ax.errorbar(
        rng["estimate"],
        [y[i] + 0.2 for i, ok in enumerate(has) if ok],
        xerr=[
            (rng["estimate"] - rng["estimate_low"]).tolist(),
            (rng["estimate_high"] - rng["estimate"]).tolist(),
        ],
        **RANGE_STYLE,
    )
    for v, r in zip(y, rows.itertuples(), strict=True):
        top = r.estimate_high if pd.notna(r.estimate_high) else r.estimate
        text = f"{r.estimate_label} ({r.ratio:.1f}x identified)"
        ax.text(top * 1.15, v + 0.2, text, va="center", fontsize=9.5)
        ax.text(r.identified * 1.15, v - 0.2, f"{r.identified:,.0f}", va="center", fontsize=9.5)
    ax.set_xscale("log")
    ax.set_xlim(10, rows["estimate_high"].fillna(rows["estimate"]).max() * 90)
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.set_yticks(y, rows["label"].tolist())
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=9.5, frameon=False)


def draw_dark_figure(table: pd.DataFrame) -> Chart:
    """The chart of a ``dark_figure_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata.dark_figure import dark_figure_data
    >>> chart = draw_dark_figure(dark_figure_data(thb.load(), geo="GBR"))
    >>> chart.id, chart.drawn
    ('dark-figure-gbr', False)
    """
    return Chart.of(table, dark_figure_figure)


def dark_figure_chart(df: pd.DataFrame | None = None, *, geo: str | None = None) -> Chart:
    """Paired bars (log scale): estimated and identified victims a year, per published estimate.

    >>> import thbstats as thb
    >>> chart = dark_figure_chart(thb.load(), geo="GBR")
    >>> print(chart.id, "|", chart.data[["years", "estimate_label", "identified"]].to_string(index=False))
    dark-figure-gbr |  years estimate_label  identified
      2013  10,000-13,000       816.0
    """
    return draw_dark_figure(dark_figure_data(df, geo=geo))
