"""Gap bars (identified against convicted per year, period averages) and attrition comparison."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.charts.base import (
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    Chart,
    coverage_phrase,
    finish,
    geo_title,
    house_style,
    new_figure,
    no_data,
    suppressed_note,
)
from thbstats.charts.lines import _slug
from thbstats.metrics import attrition, average_per_year, members_of, period_label, stage_table


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
        small = len(years) * len(stages) > 16
        for i, st in enumerate(stages):
            d = t[t["stage"] == st].set_index("year").reindex(years)
            xs = [y + (i - (len(stages) - 1) / 2) * width for y in years]
            bars = ax.bar(
                xs, d["value"], width=width * 0.95, color=STAGE_COLOURS[st], label=STAGE_LABELS[st]
            )
            texts = ax.bar_label(
                bars,
                labels=[f"{v:,.0f}" if pd.notna(v) else "no data" for v in d["value"]],
                padding=2,
                fontsize=9 if small else 9.5,
                rotation=90 if small else 0,
            )
            for tx in texts:
                tx.set_bbox({"fc": "white", "ec": "none", "pad": 0.5, "alpha": 0.85})
            for x, v in zip(xs, d["value"], strict=True):
                if pd.isna(v):
                    ax.text(
                        x,
                        0,
                        "no data",
                        rotation=90,
                        ha="center",
                        va="bottom",
                        fontsize=9,
                        color="#666666",
                        style="italic",
                    )
            for a, b in periods:
                avg = average_per_year(d["value"], a, b)
                if pd.isna(avg.value):
                    continue
                avgs.append(
                    {
                        "stage": st,
                        "start": a,
                        "end": b,
                        "average": avg.value,
                        "n_years": len(avg.years),
                        "missing": ",".join(map(str, avg.missing)),
                    }
                )
                ax.hlines(
                    avg.value,
                    a - 0.45,
                    b + 0.45,
                    colors=STAGE_COLOURS[st],
                    ls="--",
                    lw=1.6,
                    zorder=0.9,
                    label=f"{STAGE_LABELS[st]}, average {a}-{b}: {avg.value:,.0f} a year"
                    + (f" ({period_label(avg.years)} only)" if avg.missing else ""),
                )
        ax.set_xticks(years, [str(y) for y in years])
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylabel("Persons per year")
        ax.set_xlabel("Data year")
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.01),
            ncols=2 if len(periods) > 1 else 1,
            fontsize=10.5,
        )
        ax.margins(y=0.12)
        if plotted.empty:
            no_data(ax, f"No data for {name}, {period_label(years)}")
    title = f"The gap year by year: {name}, {period_label(years)}"
    subtitle = f"{name} · {period_label(years)} · coverage: {coverage_phrase(plotted)}"
    note = (
        "Dashed lines: average per year over each period, from the years with a figure. "
        + suppressed_note(plotted)
    )
    keys, footer = finish(fig, title, subtitle, plotted, note)
    alt = (
        f"Grouped bar chart for {name}, {period_label(years)}: "
        + "; ".join(
            f"{a['stage']} averaged {a['average']:,.0f} a year in {a['start']}-{a['end']}"
            for a in avgs
        )
        + ("." if avgs else "no data.")
    )
    data = t.drop(columns=["countries"]).merge(
        pd.DataFrame(avgs, columns=["stage", "start", "end", "average", "n_years", "missing"]),
        on="stage",
        how="left",
    )
    return Chart(
        fig,
        _slug(geo, "gap", start, end),
        title,
        subtitle,
        footer,
        alt,
        data,
        note,
        keys,
        {
            "geo": geo,
            "start": start,
            "end": end,
            "stages": stages,
            "periods": [list(p) for p in periods],
            "source": source,
            "mode": mode,
        },
    )


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
    """
    years = list(range(start, end + 1))
    label = geos if isinstance(geos, str) else None
    codes = members_of(geos, df) if isinstance(geos, str) else list(geos)
    res = pd.DataFrame(
        [attrition(df, g, years, numerator, denominator, source=source) for g in codes]
    )
    res["name"] = [geo_title(df, g) for g in res["geo"]]
    have = res[res["value"].notna()].sort_values("value", ascending=False)
    if top:
        have = have.head(top)
    lacking = res[res["value"].isna()]
    name = geo_title(df, label) if label else f"{len(codes)} selected areas"
    per = int(res["per"].iloc[0]) if len(res) else 100
    with house_style():
        fig = new_figure(9.0, max(4.8, 0.32 * len(have) + 3.2))
        ax = fig.add_subplot()
        ys = range(len(have))[::-1]
        bars = ax.barh(list(ys), have["value"], color=STAGE_COLOURS.get(numerator), height=0.7)
        ax.bar_label(bars, labels=[_label(r) for r in have.itertuples()], padding=3, fontsize=9.5)
        ax.set_yticks(list(ys), have["name"], fontsize=10 if len(have) > 15 else 11)
        ax.set_xlabel(
            f"{STAGE_LABELS.get(numerator, numerator)} per {per:,} "
            f"{STAGE_LABELS.get(denominator, denominator).lower()}"
        )
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.45)
        ax.xaxis.set_major_formatter(THOUSANDS)
        if have.empty:
            no_data(
                ax,
                f"No data: no area has both {numerator} and {denominator} in {period_label(years)}",
            )
    title = (
        f"{STAGE_LABELS.get(numerator)} per {per:,} {denominator}: {name}, {period_label(years)}"
    )
    shown = f"{len(have)} of {len(codes)} with both figures" + (
        f" (top {top})" if top and len(res) - len(lacking) > top else ""
    )
    subtitle = (
        f"{name} · {period_label(years)} · coverage: {shown}; each summed over its years "
        "with both figures"
    )
    no = ", ".join(lacking["geo"])
    note = (
        (res["note"].iloc[0] if res["mixes_stock_and_flow"].any() else "")
        + (f" No data: {no}." if no else "")
        + f" Labels: ratio ({numerator} / {denominator}; years used). Different people are"
        f" counted at each stage, so a ratio can exceed {per}. " + suppressed_note(have)
    ).strip()
    keys, footer = finish(fig, title, subtitle, have, note)
    alt = (
        f"Bar chart of {numerator} per {per} {denominator}, {period_label(years)}: "
        + "; ".join(f"{r.name} {r.value:,.1f}" for r in have.itertuples())
        + "."
    )
    return Chart(
        fig,
        _slug(label or "custom", f"attrition-{numerator}", start, end),
        title,
        subtitle,
        footer,
        alt,
        res,
        note,
        keys,
        {
            "geos": geos if isinstance(geos, str) else codes,
            "start": start,
            "end": end,
            "numerator": numerator,
            "denominator": denominator,
            "source": source,
            "top": top,
        },
    )


def _label(r) -> str:
    return f"{r.value:,.1f}  ({r.numerator:,.0f} / {r.denominator:,.0f}; {r.years})"
