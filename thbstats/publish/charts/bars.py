"""Gap bars: identified against convicted per year, with period averages."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics import (
    average_per_year,
    number,
    period_label,
    range_label,
    stage_table,
)
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    Chart,
    coverage_phrase,
    data_note,
    finish,
    geo_title,
    house_style,
    is_range,
    new_figure,
    no_data,
    range_errors,
)
from thbstats.publish.charts.lines import _slug


def gap_bars_chart(
    df: pd.DataFrame,
    geo="OSCE",
    start: int = 2015,
    end: int = 2018,
    *,
    stages: Iterable[str] = ("identified", "convicted"),
    periods: Iterable[tuple[int, int]] | None = None,
    source: str | None = None,
    mode: str = "balanced",
) -> Chart:
    """Bars per year for each stage, with each period's average per year drawn across it."""
    years, stages = list(range(start, end + 1)), list(stages)
    periods = list(periods or [(start, end)])
    t = stage_table(df, geo, stages, years, source=source, mode=mode)
    plotted = t[t["value"].notna()]
    name = geo_title(df, geo)
    avgs = []
    with house_style():
        fig = new_figure(max(9.0, 0.55 * len(years) * len(stages) + 3), 6.0)
        ax = fig.add_subplot()
        width = 0.8 / len(stages)
        labels = [range_label(a, b) for a, b in zip(t["value_min"], t["value_max"], strict=True)]
        longest = max(map(len, labels), default=0)
        n_bars = len(years) * len(stages)
        small = n_bars > 16 or (n_bars > 8 and longest > 8)
        for i, st in enumerate(stages):
            d = t[t["stage"] == st].set_index("year").reindex(years)
            xs = [y + (i - (len(stages) - 1) / 2) * width for y in years]
            _stage_bars(ax, d, xs, st, width, small)
            avgs += _period_averages(ax, d, st, periods)
        ax.set_xticks(years, [str(y) for y in years])
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylabel("Persons per year")
        ax.set_xlabel("Data year")
        _legend(fig, ax, len(periods))
        ax.margins(y=0.12 + 0.02 * longest * small)
        if plotted.empty:
            no_data(ax, f"No data for {name}, {period_label(years)}")
    title = f"The gap year by year: {name}, {period_label(years)}"
    subtitle = f"{name} · {period_label(years)} · coverage: {coverage_phrase(plotted)}"
    note = (
        "Dashed lines: average per year over each period, from the years with a figure. "
        + data_note(plotted, "bars show the central value, whiskers and labels the range")
    )
    keys, footer = finish(fig, title, subtitle, plotted, note)
    alt = (
        f"Grouped bar chart for {name}, {period_label(years)}: "
        + "; ".join(
            f"{a['stage']} averaged {number(a['average'])} a year in {a['start']}-{a['end']}"
            + (
                f" (range {range_label(a['average_min'], a['average_max'])})"
                if a["average_min"] != a["average_max"]
                else ""
            )
            for a in avgs
        )
        + ("." if avgs else "no data.")
    )
    data = t.drop(columns=["countries"]).merge(
        pd.DataFrame(
            avgs,
            columns=["stage", "start", "end", "average", "average_min", "average_max"]
            + ["n_years", "missing"],
        ),
        on="stage",
        how="left",
    )
    return Chart(
        fig=fig,
        id=_slug(geo, "gap", start, end),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=data,
        note=note,
        citations=keys,
        params={
            "geo": geo,
            "start": start,
            "end": end,
            "stages": stages,
            "periods": [list(p) for p in periods],
            "source": source,
            "mode": mode,
        },
    )


def _legend(fig, ax, n_periods: int) -> None:
    """Legend above the bars: two columns when short, one (and a taller figure) when long."""
    labels = ax.get_legend_handles_labels()[1]
    long = max((len(x) for x in labels), default=0) > 55
    ncols = 2 if n_periods > 1 and not long else 1
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=ncols, fontsize=10.5)
    if ncols == 1 and len(labels) > 4:
        w, h = fig.get_size_inches()
        fig.set_size_inches(w, h + 0.22 * (len(labels) - 4))


def _stage_bars(ax, d: pd.DataFrame, xs: list[float], st: str, width: float, small: bool) -> None:
    """One stage's bars; a range ("<5" cells) gets a whisker and a "lo-hi" label."""
    ax.bar(xs, d["value"], width=width * 0.95, color=STAGE_COLOURS[st], label=STAGE_LABELS[st])
    rng = is_range(d).to_numpy()
    if rng.any():
        x = [v for v, r in zip(xs, rng, strict=True) if r]
        ax.errorbar(x, d["value"][rng], yerr=range_errors(d[rng]), **RANGE_STYLE)
    for x, r in zip(xs, d.itertuples(), strict=True):
        if pd.isna(r.value):
            ax.text(x, 0, "no data", rotation=90, ha="center", va="bottom", fontsize=9,
                    color="#666666", style="italic")  # fmt: skip
            continue
        tx = ax.annotate(
            range_label(r.value_min, r.value_max),
            (x, r.value_max),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9 if small else 9.5,
            rotation=90 if small else 0,
            weight="bold" if r.value_min != r.value_max else "normal",
        )
        tx.set_bbox({"fc": "white", "ec": "none", "pad": 0.5, "alpha": 0.85})


def _period_averages(ax, d: pd.DataFrame, st: str, periods: list[tuple[int, int]]) -> list[dict]:
    """Draw each period's average per year (counting "<5" years as ranges); return them."""
    out = []
    for a, b in periods:
        avg = average_per_year(d["value"], a, b, low=d["value_min"], high=d["value_max"])
        if pd.isna(avg.value):
            continue
        out.append(
            {
                "stage": st,
                "start": a,
                "end": b,
                "average": avg.value,
                "average_min": avg.low,
                "average_max": avg.high,
                "n_years": len(avg.years),
                "missing": ",".join(map(str, avg.missing)),
            }
        )
        notes = [] if avg.low == avg.high else [f"range {range_label(avg.low, avg.high)}"]
        notes += [f"{period_label(avg.years)} only"] if avg.missing else []
        rng = f" ({'; '.join(notes)})" if notes else ""
        ax.hlines(
            avg.value,
            a - 0.45,
            b + 0.45,
            colors=STAGE_COLOURS[st],
            ls="--",
            lw=1.6,
            zorder=0.9,
            label=f"{STAGE_LABELS[st]}, average {a}-{b}: {number(avg.value)} a year{rng}",
        )
    return out
