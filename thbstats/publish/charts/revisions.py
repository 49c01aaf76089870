"""Revisions between two releases drawn from their tables: the largest changes by country
(old -> new), and the share of figures changed by stage."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from thbstats.publish.chartdata.revisions import revisions_by_stage_data, revisions_data
from thbstats.publish.charts.base import (
    NO_DATA,
    STAGE_COLOURS,
    STAGE_LABELS,
    Chart,
    finish,
    house_style,
    legend_above,
    log_ticks,
    meta,
    new_figure,
    no_data,
)

OLD_COLOUR = "#999999"


def revisions_figure(table: pd.DataFrame) -> Figure:
    """Old and new totals of the countries revised most (largest at the top), on a log scale.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import revisions_data
    >>> fig = revisions_figure(revisions_data(thb.load(vintage="all"), "UNODC"))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    d = meta(table).draw
    t = table.iloc[::-1].reset_index(drop=True)
    with house_style():
        fig = new_figure(9.0, max(5.0, 0.42 * len(t) + 3.6))
        ax = fig.add_subplot()
        if t.empty:
            no_data(ax, d["empty"])
        else:
            _arrows(ax, t, STAGE_COLOURS.get(d["stage"], "#0072B2"))
    finish(fig, table)
    return fig


def revisions_chart(
    df: pd.DataFrame | None = None,
    source: str = "UNODC",
    old: str | None = None,
    new: str | None = None,
    *,
    stage: str = "identified",
    top: int = 12,
) -> Chart:
    """For the ``top`` countries whose headline ``stage`` figures changed most (net, in persons):
    the revised years' total as first published (grey) and as revised (coloured), on a log scale.

    >>> import thbstats as thb
    >>> chart = revisions_chart(thb.load(vintage="all"), "UNODC")
    >>> print(chart.id, chart.title, sep="\\n")
    revisions-unodc-identified-2023-05-30-2025-04-14
    Identified victims: largest revisions, UNODC release of 14 April 2025
    """
    return Chart.of(revisions_data(df, source, old, new, stage=stage, top=top), revisions_figure)


def _arrows(ax, t: pd.DataFrame, colour: str) -> None:
    ys = range(len(t))
    lo = max(1.0, min(t["old_revised"].min(), t["new_revised"].min()) / 2)
    hi = max(t["old_revised"].max(), t["new_revised"].max()) * 4
    shortest = (hi / lo) ** 0.06  # about half an inch: shorter arrows would be only their head
    for y, r in zip(ys, t.itertuples(), strict=True):
        if max(r.old_revised, r.new_revised) < shortest * min(r.old_revised, r.new_revised):
            continue
        ax.annotate(
            "",
            xy=(r.new_revised, y),
            xytext=(r.old_revised, y),
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "lw": 1.6,
                "shrinkA": 5,
                "shrinkB": 5,
            },
        )
    ax.scatter(t["new_revised"], ys, s=60, color=colour, zorder=3, label="as revised")
    ax.scatter(  # a ring on top: visible even where the revised dot covers it
        t["old_revised"],
        ys,
        s=60,
        facecolors="none",
        edgecolors=OLD_COLOUR,
        linewidths=2,
        zorder=4,
        label="as first published",
    )
    for y, r in zip(ys, t.itertuples(), strict=True):
        right = max(r.old_revised, r.new_revised)
        ax.annotate(
            f"{r.change:+,.0f}",
            (right, y),
            xytext=(10, 0),
            textcoords="offset points",
            va="center",
            fontsize=10.5,
            color="#333333",
        )
    ax.set_yticks(list(ys), [f"{r.geo_name} ({r.years_revised})" for r in t.itertuples()])
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    log_ticks(ax, hi)
    ax.set_xlabel("Persons, sum of the revised years")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.set_ylim(-0.7, len(t) - 0.3)
    handles, labels = ax.get_legend_handles_labels()
    legend_above(ax, handles=handles[::-1], labels=labels[::-1], ncols=2)


def revisions_by_stage_figure(table: pd.DataFrame) -> Figure:
    """Per stage, the share of figures changed: numbers, and changes to or from '<5'.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import revisions_by_stage_data
    >>> fig = revisions_by_stage_figure(revisions_by_stage_data(thb.load(vintage="all")))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    with house_style():
        fig = new_figure(9.0, 5.6)
        _stage_bars(fig.add_subplot(), table)
    finish(fig, table)
    return fig


def revisions_by_stage_chart(
    df: pd.DataFrame | None = None,
    source: str = "UNODC",
    old: str | None = None,
    new: str | None = None,
) -> Chart:
    """Per stage: the share of the figures in both releases that the newer one changed, split
    into changed numbers and changes to or from '<5'.

    >>> import thbstats as thb
    >>> chart = revisions_by_stage_chart(thb.load(vintage="all"), "UNODC")
    >>> print(chart.id, chart.title, sep="\\n")
    revisions-by-stage-unodc-2023-05-30-2025-04-14
    UNODC revisions: 1,969 of 35,104 figures changed between releases
    """
    return Chart.of(revisions_by_stage_data(df, source, old, new), revisions_by_stage_figure)


def _stage_bars(ax, s: pd.DataFrame) -> None:
    ys = list(range(len(s)))
    lt5 = s["changed_to_or_from_lt5"] / s["overlapping"] * 100
    num = (s["changed"] - s["changed_to_or_from_lt5"]) / s["overlapping"] * 100
    colours = [STAGE_COLOURS.get(st, "#0072B2") for st in s["stage"]]
    ax.barh(ys, num, color=colours, height=0.6)
    ax.barh(ys, lt5, left=num, color=colours, alpha=0.4, height=0.6, hatch="//", edgecolor="white")
    for y, r in zip(ys, s.itertuples(), strict=True):
        ax.annotate(
            f"{r.changed:,} of {r.overlapping:,} ({r.share_changed:.1%})",
            (r.share_changed * 100, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=10.5,
            color="#333333",
        )
    ax.set_yticks(ys, [STAGE_LABELS.get(st, st) for st in s["stage"]])
    ax.set_xlim(0, max(s["share_changed"].max() * 100 * 1.6, 1))
    ax.set_xlabel("Figures changed, % of those published in both releases")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    key = [
        Patch(facecolor=NO_DATA, label="a number changed"),
        Patch(facecolor=NO_DATA, alpha=0.4, hatch="//", edgecolor="white", label="to or from '<5'"),
    ]
    legend_above(ax, handles=key, ncols=2)
