"""Divergence (stages indexed to a base year) and long-run trends (levels, with coverage), drawn
from their tables. Legends sit above the plot; the x axis ends at the last year with data."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from thbstats.publish.chartdata.common import slug as _slug  # noqa: F401  (older imports)
from thbstats.publish.chartdata.lines import divergence_data, trends_data
from thbstats.publish.charts.base import (
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    Chart,
    end_labels,
    finish,
    house_style,
    is_range,
    legend_above,
    meta,
    new_figure,
    no_data,
    pt,
    range_errors,
)
from thbstats.vocabulary import JUSTICE_STAGES


def _label_room(fig, labels: list[str], span: float, size: float = 10.5) -> float:
    """Years to add right of the last one so that end labels of this length fit in the axes."""
    chars = max((len(line) for t in labels for line in t.split("\n")), default=0)
    frac = min(0.6, (chars * pt(size) * 0.6 / 72 + 0.2) / (fig.get_size_inches()[0] - 1.3))
    return frac * span / (1 - frac)


def _year_axis(ax, first: int, last: int, right: float) -> None:
    """Year ticks from ``first`` to ``last`` (the last year with data): the axis line ends there;
    the space right of it holds the end labels."""
    ax.set_xlim(first - 0.5, right)
    ticks = MaxNLocator(integer=True, nbins=8).tick_values(first, last)
    ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if first <= t <= last]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}"))
    ax.spines["bottom"].set_bounds(first - 0.5, last + 0.3)


def _line_with_band(ax, d: pd.DataFrame, col: str, colour: str, **kw) -> None:
    """A line of ``col`` with a shaded band where it is a range; diamonds with whiskers mark the
    years whose figure holds "<5" cells."""
    ax.plot(d.index, d[col], marker="o", color=colour, **kw)
    lo, hi = d[f"{col}_min"].astype(float), d[f"{col}_max"].astype(float)
    rng = is_range(d).reindex(d.index, fill_value=False)  # the year holds "<5" cells
    if rng.any():
        ax.fill_between(d.index, lo.where(d[col].notna()), hi.where(d[col].notna()),
                        color=colour, alpha=0.18, lw=0, zorder=1.5)  # fmt: skip
        ax.errorbar(d.index[rng], d[col][rng], yerr=range_errors(d[rng], col), fmt="D", ms=6,
                    color=colour, mec="white", ecolor=colour, capsize=3, zorder=3)  # fmt: skip


def _ends(t: pd.DataFrame, col: str) -> list[tuple]:
    return [(r.year, getattr(r, col), r.end_label, STAGE_COLOURS[r.stage])
            for r in t[t["end_label"] != ""].itertuples()]  # fmt: skip


def divergence_figure(table: pd.DataFrame) -> Figure:
    """The divergence chart of a ``divergence_data`` table.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import divergence_data
    >>> fig = divergence_figure(divergence_data(thb.load(), "TIP:EUR", 2015, 2018))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    m, d = meta(table), meta(table).draw
    p = m.params
    start, end, base = p["start"], p["end"], d["base"]
    years = list(range(start, end + 1))
    plotted = table[table["index"].notna()]
    with house_style():
        fig = new_figure(9.0, 6.0)
        ax = fig.add_subplot()
        for st in d["stages"]:
            s = plotted[plotted["stage"] == st].set_index("year").reindex(years)
            _line_with_band(ax, s, "index", STAGE_COLOURS[st])
        ax.axhline(100, color="#777777", lw=1, ls=":")
        ends = _ends(plotted, "index")
        last = int(plotted["year"].max()) if len(plotted) else end
        room = _label_room(fig, [e[2] for e in ends], last - start + 0.3)
        _year_axis(ax, start, last, last + max(1.6, 0.45 * (last - start), room))
        ax.set_ylabel(f"Index ({base} = 100)")
        ax.set_xlabel("Data year")
        ax.yaxis.set_major_formatter(THOUSANDS)
        if plotted.empty:
            no_data(ax, d["empty"])
        elif d["missing"]:
            ax.set_title(f"No data for {', '.join(d['missing'])} in {base} or later",
                         fontsize=pt(11), color="#555555", style="italic", weight="normal")  # fmt: skip
    finish(fig, table)
    end_labels(ax, ends)
    return fig


def draw_divergence(table: pd.DataFrame) -> Chart:
    """The chart of a ``divergence_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import divergence_data
    >>> chart = draw_divergence(divergence_data(thb.load(), "TIP:EUR", 2015, 2018))
    >>> chart.id, chart.drawn
    ('divergence-tip-eur-2015-2018', False)
    """
    return Chart.of(table, divergence_figure)


def divergence_chart(
    df: pd.DataFrame,
    geo="TIP:EUR",
    start: int = 2015,
    end: int = 2018,
    *,
    base_year: int | None = None,
    stages: Iterable[str] = JUSTICE_STAGES,
    source: str | None = None,
    mode: str = "balanced",
) -> Chart:
    """Each stage as an index (base year = 100), so rising victims and falling prosecutions part.

    >>> import thbstats as thb
    >>> chart = divergence_chart(thb.load(), "TIP:EUR", 2015, 2018)
    >>> print(chart.id, chart.title, sep="\\n")
    divergence-tip-eur-2015-2018
    Victims identified against prosecutions and convictions: Europe (TIP Report region),...
    """
    return draw_divergence(divergence_data(df, geo, start, end, base_year=base_year,
                                           stages=stages, source=source, mode=mode))  # fmt: skip


def trends_figure(table: pd.DataFrame) -> Figure:
    """The long-run trends chart of a ``trends_data`` table.

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import trends_data
    >>> fig = trends_figure(trends_data(thb.load(), "ALB", 2015, 2022))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    m, d = meta(table), meta(table).draw
    start, end = m.params["start"], m.params["end"]
    years = list(range(start, end + 1))
    plotted = table[table["value"].notna()]
    with house_style():
        fig = new_figure(9.0, 6.6 if d["aggregate"] else 5.8)
        axes = (fig.subplots(2, 1, sharex=True, height_ratios=[3, 1]) if d["aggregate"]
                else [fig.add_subplot()])  # fmt: skip
        ax = axes[0]
        for st in d["stages"]:
            s = table[table["stage"] == st].set_index("year").reindex(years)
            if s["value"].notna().sum() == 0:
                continue
            sec = s["flag"].fillna("").str.contains("secondary_source")
            c = STAGE_COLOURS[st]
            _line_with_band(ax, s, "value", c, label=STAGE_LABELS[st])
            ax.plot(s.index[sec], s["value"][sec], ls="none", marker="o", mfc="white", mec=c)
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylabel("Persons per year")
        ax.set_ylim(bottom=0)
        if plotted.empty:
            no_data(ax, d["empty"])
        else:
            legend_above(ax, ncols=len(d["stages"]))
        if d["aggregate"]:
            _coverage_panel(axes[1], table, d["stages"])
        last = int(plotted["year"].max()) if len(plotted) else end
        ends = _ends(plotted, "value")
        room = _label_room(fig, [e[2] for e in ends], last - start + 0.5)
        _year_axis(axes[-1], start, last, last + max(0.08 * (last - start) + 1.2, room))
        if d["aggregate"]:
            axes[0].spines["bottom"].set_bounds(start - 0.5, last + 0.3)
        axes[-1].set_xlabel("Data year")
    finish(fig, table)
    end_labels(ax, ends)
    return fig


def draw_trends(table: pd.DataFrame) -> Chart:
    """The chart of a ``trends_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import trends_data
    >>> chart = draw_trends(trends_data(thb.load(), "ALB", 2015, 2022))
    >>> chart.id, chart.drawn
    ('trends-alb-2015-2022', False)
    """
    return Chart.of(table, trends_figure)


def trends_chart(
    df: pd.DataFrame,
    geo="WORLD",
    start: int = 2003,
    end: int = 2022,
    *,
    stages: Iterable[str] = JUSTICE_STAGES,
    source: str | None = None,
    mode: str = "all",
) -> Chart:
    """Long-run levels of each stage; hollow markers are figures seen only in secondary sources.

    For a sum of countries a lower panel shows how many countries report each year.

    >>> import thbstats as thb
    >>> chart = trends_chart(thb.load(), "ALB", 2015, 2022)
    >>> print(chart.id, chart.title, sep="\\n")
    trends-alb-2015-2022
    Long-run trends: Albania, 2015-2022
    """
    return draw_trends(trends_data(df, geo, start, end, stages=stages, source=source, mode=mode))


def _coverage_panel(ax, t: pd.DataFrame, stages: list[str]) -> None:
    width = 0.8 / len(stages)
    for i, st in enumerate(stages):
        d = t[t["stage"] == st]
        ax.bar(
            d["year"] + (i - (len(stages) - 1) / 2) * width,
            d["n_countries"].astype(float),
            width=width,
            color=STAGE_COLOURS[st],
        )
    size = t["group_size"].iloc[0]
    ax.set_ylabel(f"Countries\n(of {size})", fontsize=pt(10.5))
    ax.yaxis.set_major_formatter(THOUSANDS)
