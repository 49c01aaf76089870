"""The impunity ratio of every participating State, ranked, drawn from its table
(``chartdata.ranking``): a dot plot with "<5" ranges as whiskers, the median line, coverage
marked, and the States that cannot be ranked listed by name in the note."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from thbstats.analysis.impunity import RATIO_LABELS
from thbstats.publish.chartdata.ranking import EXPORT_COLUMNS, ranking_data, ranking_table
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    THOUSANDS,
    Chart,
    finish,
    house_style,
    meta,
    new_figure,
)
from thbstats.vocabulary import GAP_STAGES

__all__ = ["EXPORT_COLUMNS", "draw_ranking", "ranking_chart", "ranking_figure", "ranking_table"]

DOT = "#b2182b"


def ranking_figure(table: pd.DataFrame) -> Figure:
    """The dot plot of a ``ranking_data`` table (best at the top, median marked).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata.ranking import ranking_data
    >>> fig = ranking_figure(ranking_data(thb.load(), geo="OSCE"))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    draw = meta(table).draw
    rank_by, med, window = draw["rank_by"], draw["median"], draw["window"]
    states = table[table["geo_type"] == "country"]
    ranked = states[states["rank"].notna()].sort_values("rank", ascending=False)
    with house_style():
        fig = new_figure(8.0, max(7.0, 0.19 * len(ranked) + 3.4))
        ax = fig.add_subplot()
        y = list(range(len(ranked)))
        full = ranked[[f"{s}_n_years" for s in GAP_STAGES]].min(axis=1)
        complete = full >= int(window[-4:]) - int(window[:4]) + 1
        errs = [
            (ranked[rank_by] - ranked[f"{rank_by}_min"]).tolist(),
            (ranked[f"{rank_by}_max"] - ranked[rank_by]).tolist(),
        ]
        ax.errorbar(ranked[rank_by], y, xerr=errs, **RANGE_STYLE)
        for mask, style, label in (
            (complete, {"color": DOT}, f"figures for every year {window}"),
            (
                ~complete,
                {"facecolor": "white", "edgecolor": DOT, "linewidth": 1.4},
                "some years without a figure",
            ),
        ):
            ax.scatter(
                ranked.loc[mask, rank_by],
                [v for v, c in zip(y, mask, strict=True) if c],
                s=34,
                zorder=4,
                label=label,
                **style,
            )
        ax.axvline(med, color="#555555", lw=1, ls="--", zorder=1)
        ax.text(med, len(ranked) - 0.4, f" OSCE median {med:.1f}", fontsize=9.5, color="#333333")
        noted = rank_by == "convicted_per_100_identified"
        ax.set_yticks(y, [_tick(r, noted) for r in ranked.itertuples()], fontsize=9.5)
        ax.set_ylim(-0.8, len(ranked) + 0.4)
        if rank_by == "estimated_per_conviction":
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(THOUSANDS)
        ax.set_xlabel(RATIO_LABELS[rank_by][0].upper() + RATIO_LABELS[rank_by][1:])
        ax.grid(axis="x", color="#dddddd", lw=0.6)
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=9.5, frameon=False)
    finish(fig, table)
    return fig


def _tick(r, noted: bool = True) -> str:
    """ "12. Luxembourg [9-14]": the rank, the name, the rank interval when the bounds allow
    several ranks, and * when the ratio carries a note (above 100)."""
    best, worst = getattr(r, "rank_best", pd.NA), getattr(r, "rank_worst", pd.NA)
    span = f" [{int(best)}-{int(worst)}]" if pd.notna(best) and best != worst else ""
    star = " *" if noted and str(getattr(r, "ratio_note", "") or "") else ""
    return f"{int(r.rank)}. {r.name}{star}{span}"


def draw_ranking(table: pd.DataFrame) -> Chart:
    """The chart of a ``ranking_data`` table (drawn when first shown or exported).

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata.ranking import ranking_data
    >>> chart = draw_ranking(ranking_data(thb.load(), geo="OSCE"))
    >>> chart.id, chart.drawn
    ('ranking-osce-convicted-per-100-identified', False)
    """
    return Chart.of(table, ranking_figure)


def ranking_chart(
    df: pd.DataFrame | None = None,
    *,
    geo: str = "OSCE",
    years=None,
    rank_by: str = "convicted_per_100_identified",
    table: pd.DataFrame | None = None,
) -> Chart:
    """Dot plot of ``rank_by`` for the ranked States (best at the top), median marked.

    >>> import thbstats as thb
    >>> chart = ranking_chart(thb.load())
    >>> print(chart.id)
    ranking-osce-convicted-per-100-identified
    >>> print(chart.title)
    Persons convicted per 100 victims identified, OSCE participating States, 2018-2022
    """
    return draw_ranking(ranking_data(df, geo=geo, years=years, rank_by=rank_by, table=table))
