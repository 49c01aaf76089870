"""The impunity ratio of every participating State, ranked: a dot plot with "<5" ranges as
whiskers, the median line, coverage marked, and the States that cannot be ranked listed by name."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.impunity import FLOWS, RATIO_LABELS, ranking
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    Chart,
    finish,
    house_style,
    new_figure,
)

DOT = "#b2182b"
PARTIAL = "#f4a582"
EXPORT_COLUMNS = [
    "rank",
    "geo",
    "name",
    "geo_type",
    "window",
    "estimated",
    "estimated_year",
    "population",
    "population_year",
    *[f"{st}{s}" for st in FLOWS for s in ("", "_min", "_max", "_years", "_n_years", "_n_lt5")],
    "identified_per_1000_estimated",
    "identified_per_1000_estimated_min",
    "identified_per_1000_estimated_max",
    "convicted_per_100_identified",
    "convicted_per_100_identified_min",
    "convicted_per_100_identified_max",
    "estimated_per_conviction",
    "estimated_per_conviction_min",
    "estimated_per_conviction_max",
    "estimated_per_100k",
    "identified_per_100k",
    "prosecuted_per_100k",
    "convicted_per_100k",
    "vs_median",
    "rank_note",
    "estimate_kind",
    "flow_kind",
    "citation",
]


def ranking_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking in the columns a spreadsheet reader needs, with its citations per row."""
    t = table.copy()
    est = t["estimated_citation"].fillna("").astype(str)
    flows = t["flow_publication"].fillna("").astype(str)
    flow_keys = flows.map(lambda p: "unodc-glotip-" + p.rsplit(" ", 1)[-1] if p else "")
    t["citation"] = [";".join(k for k in pair if k) for pair in zip(est, flow_keys, strict=True)]
    every = ";".join(sorted({k for c in t["citation"] for k in c.split(";") if k}))
    t.loc[t["geo_type"] == "group", "citation"] = every  # a group sums its States' figures
    return t[[c for c in EXPORT_COLUMNS if c in t.columns]]


def ranking_chart(
    df: pd.DataFrame | None = None,
    *,
    geo: str = "OSCE",
    years=None,
    rank_by: str = "convicted_per_100_identified",
    table: pd.DataFrame | None = None,
) -> Chart:
    """Dot plot of ``rank_by`` for the ranked States (best at the top), median marked."""
    t = table if table is not None else ranking(df, geo=geo, years=years, rank_by=rank_by)
    states = t[t["geo_type"] == "country"]
    ranked = states[states["rank"].notna()].sort_values("rank", ascending=False)
    unranked = states[states["rank"].isna()]
    window = str(t["window"].iloc[0])
    with house_style():
        fig = new_figure(8.0, max(7.0, 0.19 * len(ranked) + 3.4))
        ax = fig.add_subplot()
        y = list(range(len(ranked)))
        full = ranked[[f"{s}_n_years" for s in ("identified", "convicted")]].min(axis=1)
        n_years = len(window.split("-")) and (int(window[-4:]) - int(window[:4]) + 1)
        complete = full >= n_years
        errs = [
            (ranked[rank_by] - ranked[f"{rank_by}_min"]).tolist(),
            (ranked[f"{rank_by}_max"] - ranked[rank_by]).tolist(),
        ]
        ax.errorbar(ranked[rank_by], y, xerr=errs, **RANGE_STYLE)
        ax.scatter(
            ranked.loc[complete, rank_by],
            [v for v, c in zip(y, complete, strict=True) if c],
            s=34,
            color=DOT,
            zorder=4,
            label=f"figures for every year {window}",
        )
        ax.scatter(
            ranked.loc[~complete, rank_by],
            [v for v, c in zip(y, complete, strict=True) if not c],
            s=34,
            facecolor="white",
            edgecolor=DOT,
            linewidth=1.4,
            zorder=4,
            label="some years without a figure",
        )
        med = float(ranked[f"median_{rank_by}"].iloc[0]) if len(ranked) else float("nan")
        ax.axvline(med, color="#555555", lw=1, ls="--", zorder=1)
        ax.text(
            med,
            len(ranked) - 0.4,
            f" OSCE median {med:.1f}",
            fontsize=9,
            color="#333333",
            va="bottom",
        )
        ax.set_yticks(
            y,
            [f"{int(r)}. {n}" for r, n in zip(ranked["rank"], ranked["name"], strict=True)],
            fontsize=8.5,
        )
        ax.set_ylim(-0.8, len(ranked) + 0.4)
        ax.set_xlabel(RATIO_LABELS[rank_by][0].upper() + RATIO_LABELS[rank_by][1:])
        ax.grid(axis="x", color="#dddddd", lw=0.6)
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right", fontsize=8.5, frameon=True, framealpha=0.95)
    listed = "; ".join(f"{r.name} ({r.rank_note})" for r in unranked.itertuples())
    title = f"Convictions per 100 identified victims, OSCE participating States, {window}"
    subtitle = (
        f"Yearly averages over the years with figures, {window}; {len(ranked)} States ranked, "
        "whiskers where '<5' cells make the ratio a range"
    )
    note = (
        "Both figures are yearly flows (UNODC, latest release). Open dots: a stage lacks some "
        f"years of the window. Not ranked: {listed or 'none'}."
    )
    plotted = ranking_table(t)
    keys, footer = finish(fig, title, subtitle, plotted, note)
    alt = (
        f"Dot plot of {RATIO_LABELS[rank_by]} for {len(ranked)} OSCE participating States, "
        f"{window}, median {med:.1f}. Highest: "
        + ", ".join(f"{r.name} {r[rank_by]:.1f}" for _, r in ranked.iloc[::-1].head(3).iterrows())
        + "; lowest: "
        + ", ".join(f"{r.name} {r[rank_by]:.1f}" for _, r in ranked.head(3).iterrows())
        + f". Not ranked: {listed or 'none'}."
    )
    return Chart(
        fig=fig,
        id=f"ranking-{geo}-{rank_by.replace('_', '-')}".lower(),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=plotted,
        note=note,
        citations=keys,
        params={"geo": geo, "window": window, "rank_by": rank_by},
    )
