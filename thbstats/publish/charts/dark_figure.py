"""The dark figure, like for like, drawn from its table (``chartdata.dark_figure``): paired bars
on a log scale, the estimate (with its interval where published) above the identified count, and
between them, where a country's list table is registered, thbstats' own estimate with its interval."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from thbstats.numbers import number
from thbstats.publish.chartdata.dark_figure import dark_figure_data
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    Chart,
    finish,
    house_style,
    log_ticks,
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
        per_row = 0.85 if rows["computed"].notna().any() else 0.55
        fig = new_figure(8.0, per_row * len(rows) + 6.4)
        ax = fig.add_subplot()
        if rows.empty:
            no_data(ax, "No published multiple systems estimate transcribed")
        else:
            _bars(ax, rows)
    finish(fig, table)
    return fig


COMPUTED_STYLE = {"color": "white", "edgecolor": "#555555", "hatch": "///", "linewidth": 0.8}


def _bars(ax, rows: pd.DataFrame) -> None:
    y = list(range(len(rows)))
    own = rows["computed"].notna()
    step = 0.27 if own.any() else 0.2
    height = 0.25 if own.any() else 0.38
    for shift, col, stage, label in (
        (step, "estimate", "estimated", "estimated victims a year (MSE, as published)"),
        (-step, "identified", "identified", "identified victims a year (UNODC)"),
    ):
        ax.barh(
            [v + shift for v in y],
            rows[col],
            height=height,
            color=STAGE_COLOURS.get(stage, "#7f7f7f"),
            label=label,
        )
    _interval(ax, rows, "estimate", [v + step for v in y])
    if own.any():
        pos = [v for v, ok in zip(y, own, strict=True) if ok]
        ax.barh(pos, rows.loc[own, "computed"], height=height, label=OWN_LABEL, **COMPUTED_STYLE)
        _interval(ax, rows, "computed", y)
    for v, r in zip(y, rows.itertuples(), strict=True):
        top = r.estimate_high if pd.notna(r.estimate_high) else r.estimate
        text = f"{r.estimate_label} ({r.ratio:.1f}x identified)"
        ax.text(top * 1.15, v + step, text, va="center", fontsize=9.5)
        ax.text(r.identified * 1.15, v - step, f"{number(r.identified)}", va="center", fontsize=9.5)
        if pd.notna(r.computed):
            text = f"{number(r.computed)} ({number(r.computed_low)}-{number(r.computed_high)}), "
            listed = r.computed_observed / r.computed_n_years  # people on the lists, a year
            text += f"{number(listed)} listed"
            ax.text(r.computed_high * 1.15, v, text, **SMALL)
    highest = pd.concat([rows["estimate_high"].fillna(rows["estimate"]), rows["computed_high"]])
    ax.set_xscale("log")
    room = 400 if own.any() else 90  # the labels right of the bars
    ax.set_xlim(10, highest.max() * room)
    log_ticks(ax, highest.max() * room)
    ax.set_yticks(y, rows["label"].tolist())
    ax.grid(axis="y", visible=False)
    ncol = 1 if own.any() else 2
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, fontsize=9.5, frameon=False)


SMALL = {"va": "center", "fontsize": 9.5}
OWN_LABEL = "computed by thbstats from the country's list table (95% BCa interval)"


def _interval(ax, rows: pd.DataFrame, col: str, ys: list[float]) -> None:
    has = rows[f"{col}_low"].notna()
    if not has.any():
        return
    rng = rows[has]
    ax.errorbar(
        rng[col],
        [y for y, ok in zip(ys, has, strict=True) if ok],
        xerr=[(rng[col] - rng[f"{col}_low"]).tolist(), (rng[f"{col}_high"] - rng[col]).tolist()],
        **RANGE_STYLE,
    )


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
