"""Coverage drawn from its table: which countries report which stage in which year."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from thbstats.publish.chartdata.coverage import STATUS, coverage_data, coverage_grid  # noqa: F401
from thbstats.publish.charts.base import (
    STAGE_COLOURS,
    STAGE_LABELS,
    Chart,
    finish,
    house_style,
    legend_above,
    meta,
    new_figure,
    no_data,
)
from thbstats.vocabulary import JUSTICE_STAGES


def coverage_figure(table: pd.DataFrame) -> Figure:
    """A grid per stage (rows: countries, columns: years); counts per year for large groups.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import coverage_data
    >>> fig = coverage_figure(coverage_data(thb.load(), "OSCE", 2018, 2022))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 4)
    """
    d = meta(table).draw
    stages, years = d["stages"], d["years"]
    n = table["geo"].nunique()
    with house_style():
        fig = new_figure(9.0, max(4.5, 0.19 * n + 3.0) if n <= 70 else 5.6)
        if n > 70:
            counts = table[table["status"] > 0].groupby(["stage", "year"])["geo"].nunique()
            _counts(fig.add_subplot(), counts, stages, years, n)
        else:
            _grid(fig, table, stages, years)
        if table["status"].eq(0).all():
            no_data(fig.axes[-1], d["empty"])
    finish(fig, table)
    return fig


def draw_coverage(table: pd.DataFrame) -> Chart:
    """The chart of a ``coverage_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import coverage_data
    >>> chart = draw_coverage(coverage_data(thb.load(), "OSCE", 2018, 2022))
    >>> chart.id, chart.drawn
    ('coverage-osce-2018-2022', False)
    """
    return Chart.of(table, coverage_figure)


def coverage_chart(
    df: pd.DataFrame,
    group="OSCE",
    start: int = 2003,
    end: int = 2022,
    *,
    stages: Iterable[str] = JUSTICE_STAGES,
    source: str = "UNODC",
) -> Chart:
    """A grid per stage (rows: countries, columns: years); counts per year for large groups.

    >>> import thbstats as thb
    >>> chart = coverage_chart(thb.load(), "OSCE", 2018, 2022)
    >>> print(chart.id, chart.title, sep="\\n")
    coverage-osce-2018-2022
    Who reports what: OSCE participating States, 2018-2022
    """
    return draw_coverage(coverage_data(df, group, start, end, stages=stages, source=source))


def _grid(fig, data: pd.DataFrame, stages: list[str], years: list[int]) -> None:
    h = fig.get_size_inches()[1]
    gs = fig.add_gridspec(2, len(stages), height_ratios=[0.45, max(h - 3.5, 1.0)])
    key = fig.add_subplot(gs[0, :])  # a row of its own for the legend: no panel is squeezed
    key.axis("off")
    key.legend(
        handles=[Patch(color=c, label=lab) for lab, c in STATUS.values()],
        loc="center left",
        ncols=3,
        fontsize=10.5,
    )
    axes = [fig.add_subplot(gs[1, 0])]
    axes += [fig.add_subplot(gs[1, i], sharey=axes[0]) for i in range(1, len(stages))]
    cmap = ListedColormap([STATUS[k][1] for k in sorted(STATUS)])
    order = data.drop_duplicates("geo").sort_values("name", ascending=False)
    for ax, st in zip(axes, stages, strict=True):
        m = data[data["stage"] == st].pivot(index="geo", columns="year", values="status")
        m = m.reindex(order["geo"])
        ax.pcolormesh(m.values, cmap=cmap, vmin=0, vmax=2, edgecolors="white", linewidth=0.5)
        ax.set_title(STAGE_LABELS.get(st, st), fontsize=12, loc="left")
        step = 5 if len(years) > 10 else 1
        ticks = [i for i, y in enumerate(years) if (y - years[0]) % step == 0]
        ax.set_xticks([i + 0.5 for i in ticks], [str(years[i]) for i in ticks], fontsize=10)
        ax.grid(False)
        ax.tick_params(length=0)
    axes[0].set_yticks([i + 0.5 for i in range(len(order))], order["name"], fontsize=10)
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)


def _counts(ax, counts: pd.Series, stages: list[str], years: list[int], n: int) -> None:
    for st in stages:
        s = counts.get(st, pd.Series(dtype=float)).reindex(years).fillna(0)
        ax.plot(years, s.values, marker="o", color=STAGE_COLOURS[st], label=STAGE_LABELS[st])
    ax.set_ylabel(f"Countries with a figure (of {n})")
    ax.set_ylim(0, n)
    ax.set_xticks(years[::2], [str(y) for y in years[::2]])
    legend_above(ax, ncols=len(stages))
