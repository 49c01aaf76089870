"""The gap bars' table: identified against convicted per year, with period averages."""

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
from thbstats.publish.chartdata.common import finish_table, geo_title, searched, slug
from thbstats.publish.chartdata.notes import coverage_phrase, data_note
from thbstats.vocabulary import GAP_STAGES, STAGE_LABELS

AVERAGE_COLUMNS = ["stage", "start", "end", "average", "average_min", "average_max", "n_years",
                   "missing", "average_label"]  # fmt: skip


def _average(d: pd.DataFrame, st: str, a: int, b: int) -> dict | None:
    """A period's average per year (counting "<5" years as ranges), with its legend label."""
    avg = average_per_year(d["value"], a, b, low=d["value_min"], high=d["value_max"])
    if pd.isna(avg.value):
        return None
    notes = [] if avg.low == avg.high else [f"range {range_label(avg.low, avg.high)}"]
    notes += [f"no figure for {', '.join(map(str, avg.missing))}"] if avg.missing else []
    rng = f" ({'; '.join(notes)})" if notes else ""
    return {
        "stage": st,
        "start": a,
        "end": b,
        "average": avg.value,
        "average_min": avg.low,
        "average_max": avg.high,
        "n_years": len(avg.years),
        "missing": ",".join(map(str, avg.missing)),
        "average_label": f"{STAGE_LABELS[st]}, average {a}-{b}: {number(avg.value)} a year{rng}",
    }


def gap_bars_data(
    df: pd.DataFrame,
    geo="OSCE",
    start: int = 2015,
    end: int = 2018,
    *,
    stages: Iterable[str] = GAP_STAGES,
    periods: Iterable[tuple[int, int]] | None = None,
    source: str | None = None,
    mode: str = "balanced",
) -> pd.DataFrame:
    """Figures per year and stage (``label``: as printed, a range for "<5"), each row with its
    stage's period averages per year (Albania 2015-2018: 98.5 a year, printed half up).

    >>> import thbstats as thb
    >>> t = gap_bars_data(thb.load(), "ALB", 2015, 2018, stages=["identified"])
    >>> print(t[["year", "label", "average_label"]].to_string(index=False))
     year label                                    average_label
     2015   109 Identified victims, average 2015-2018: 99 a year
     2016    95 Identified victims, average 2015-2018: 99 a year
     2017    95 Identified victims, average 2015-2018: 99 a year
     2018    95 Identified victims, average 2015-2018: 99 a year
    """
    years, stages = list(range(start, end + 1)), list(stages)
    periods = list(periods or [(start, end)])
    t = stage_table(df, geo, stages, years, source=source, mode=mode)
    t["label"] = [
        range_label(a, b) if pd.notna(v) else "no data"
        for v, a, b in zip(t["value"], t["value_min"], t["value_max"], strict=True)
    ]
    avgs = []
    for st in stages:
        d = t[t["stage"] == st].set_index("year").reindex(years)
        avgs += [a for p in periods if (a := _average(d, st, *p))]
    plotted = t[t["value"].notna()]
    name, span = geo_title(df, geo), period_label(years)
    data = t.drop(columns=["countries"]).merge(
        pd.DataFrame(avgs, columns=AVERAGE_COLUMNS), on="stage", how="left"
    )
    alt = "; ".join(
        f"{a['stage']} averaged {number(a['average'])} a year in {a['start']}-{a['end']}"
        + (
            f" (range {range_label(a['average_min'], a['average_max'])})"
            if a["average_min"] != a["average_max"]
            else ""
        )  # fmt: skip
        for a in avgs
    )
    return finish_table(
        data,
        id=slug(geo, "gap", start, end),
        kind="gap",
        title=f"The gap year by year: {name}, {span}",
        subtitle=f"{name} · {span} · {coverage_phrase(plotted)}",
        note="Dashed lines: average per year over each period, from the years with a figure. "
        + data_note(plotted, "bars show the central value, whiskers and labels the range"),
        alt=f"Grouped bar chart for {name}, {span}: " + (alt + "." if avgs else "no data."),
        plotted=plotted,
        params={
            "geo": geo,
            "start": start,
            "end": end,
            "stages": stages,
            "periods": [list(p) for p in periods],
            "source": source,
            "mode": mode,
        },  # fmt: skip
        searched=searched(df, stages, source),
        stages=stages,
        years=years,
        n_periods=len(periods),
        empty=f"No data for {name}, {span}",
    )
