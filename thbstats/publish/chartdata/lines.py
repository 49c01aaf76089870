"""Tables of the line charts: divergence (stages indexed to a base year) and long-run trends."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics import (
    index_range,
    percent_change_range,
    period_label,
    range_label,
    stage_table,
)
from thbstats.publish.chartdata.common import finish_table, geo_title, searched, slug
from thbstats.publish.chartdata.notes import coverage_phrase, data_note
from thbstats.vocabulary import JUSTICE_STAGES, STAGE_LABELS


def _hollow_note(plotted: pd.DataFrame) -> str:
    """The sentence on hollow markers, only where the chart draws some (secondary sources)."""
    flags = plotted.get("flag", pd.Series(dtype=str)).fillna("").astype(str)
    if not flags.str.contains("secondary_source").any():
        return ""
    return "Hollow markers: figures seen only in secondary sources. "


def change_label(d: pd.DataFrame, base: int, last: int) -> str:
    """ "41 → 30 (-27%)", or with ranges "8-11 → 3-12 (-87% to -40%)".

    >>> import pandas as pd
    >>> v = [91.0, 54.0]
    >>> d = pd.DataFrame({"value": v, "value_min": v, "value_max": v}, index=[2017, 2018])
    >>> change_label(d, 2017, 2018)
    '91 → 54 (-41%)'
    """
    c = percent_change_range(d, base, last)
    low, high = f"{c.low:+.0f}%", f"{c.high:+.0f}%"
    pct = f"{c.value:+.0f}%" if low == high else f"{low} to {high}"
    a, b = d.loc[base], d.loc[last]
    return (
        f"{range_label(a['value_min'], a['value_max'])} → "
        f"{range_label(b['value_min'], b['value_max'])} ({pct})"
    )


def divergence_data(
    df: pd.DataFrame,
    geo="TIP:EUR",
    start: int = 2015,
    end: int = 2018,
    *,
    base_year: int | None = None,
    stages: Iterable[str] = JUSTICE_STAGES,
    source: str | None = None,
    mode: str = "balanced",
) -> pd.DataFrame:
    """Each stage's figures and index (base year = 100); ``end_label`` on each line's last year.

    >>> import thbstats as thb
    >>> t = divergence_data(thb.load(), "TIP:EUR", 2016, 2018)
    >>> print(t[t["year"] == 2016][["stage", "value", "publication"]].to_string(index=False))
         stage   value     publication
    identified 11416.0 TIP Report 2017
    prosecuted  2703.0 TIP Report 2017
     convicted  1673.0 TIP Report 2017
    """
    base = base_year or start
    years = list(range(start, end + 1))
    stages = list(stages)
    t = stage_table(df, geo, stages, years, source=source, mode=mode)
    t[["index", "index_min", "index_max"]] = float("nan")
    t["end_label"] = ""
    missing, changes = [], []
    for st in stages:
        d = t.loc[t["stage"] == st].set_index("year")
        if d["value"].notna().sum() < 2 or pd.isna(d["value"].get(base)):
            missing.append(st)
            continue
        t.loc[t["stage"] == st, ["index", "index_min", "index_max"]] = index_range(d, base).values
        last = d["value"].last_valid_index()
        change = change_label(d, base, last)
        t.loc[(t["stage"] == st) & (t["year"] == last), "end_label"] = (
            f"{STAGE_LABELS[st]}\n{change}"
        )
        changes.append(f"{st} from {base} to {last}: {change}")
    plotted = t[t["index"].notna()]
    name, span = geo_title(df, geo), period_label(years)
    empty = f"No data: no stage has figures for {name} in {base} and a later year"
    return finish_table(
        t.drop(columns=["countries"]),
        id=slug(geo, "divergence", start, end),
        kind="divergence",
        title=f"Victims identified against prosecutions and convictions: {name}, {span}",
        subtitle=f"{name} · {span}, index {base} = 100 · " + coverage_phrase(plotted),
        note="Each line is divided by its own value in the base year; labels give the printed "
        "figures. "
        + data_note(plotted, "diamonds with whiskers and shaded bands show the range of the index"),
        alt=f"Line chart of stages indexed to {base} = 100 for {name}, {span}. "
        + "; ".join(changes)
        + ("." if not missing else f". No data: {', '.join(missing)}."),
        plotted=plotted,
        params={
            "geo": geo,
            "start": start,
            "end": end,
            "base_year": base,
            "stages": stages,
            "source": source,
            "mode": mode,
        },  # fmt: skip
        searched=searched(df, stages, source),
        stages=[s for s in stages if s not in missing],
        missing=missing,
        base=base,
        empty=empty,
    )


def _first_last(t: pd.DataFrame, st: str) -> str:
    d = t[t["stage"] == st].set_index("year").dropna(subset=["value"])
    a, b = d.iloc[0], d.iloc[-1]
    return (
        f"{range_label(a['value_min'], a['value_max'])} in {a.name} to "
        f"{range_label(b['value_min'], b['value_max'])} in {b.name}"
    )


def trends_data(
    df: pd.DataFrame,
    geo="WORLD",
    start: int = 2003,
    end: int = 2022,
    *,
    stages: Iterable[str] = JUSTICE_STAGES,
    source: str | None = None,
    mode: str = "all",
) -> pd.DataFrame:
    """Long-run levels of each stage, with coverage; ``end_label`` on each line's last year.

    >>> import thbstats as thb
    >>> t = trends_data(thb.load(), "ALB", 2016, 2018, stages=["prosecuted"])
    >>> print(t[["year", "value", "end_label"]].to_string(index=False))
     year  value end_label
     2017   91.0
     2018   54.0        54
    """
    years = list(range(start, end + 1))
    stages = list(stages)
    t = stage_table(df, geo, stages, years, source=source, mode=mode)
    t["end_label"] = ""
    for st in stages:
        d = t[(t["stage"] == st) & t["value"].notna()]
        if len(d):
            last = d.loc[d["year"].idxmax()]
            t.loc[last.name, "end_label"] = range_label(last["value_min"], last["value_max"])
    plotted = t[t["value"].notna()]
    missing = [s for s in stages if s not in set(plotted["stage"])]
    name, span = geo_title(df, geo), period_label(years)
    return finish_table(
        t.drop(columns=["countries"]),
        id=slug(geo, "trends", start, end),
        kind="trends",
        title=f"Long-run trends: {name}, {span}",
        subtitle=f"{name} · {span} · {coverage_phrase(plotted)}",
        note=_hollow_note(plotted)
        + "Gaps are years without a figure. "
        + (f"No data for {', '.join(missing)}. " if missing and len(plotted) else "")
        + data_note(plotted, "diamonds with whiskers and shaded bands show the range"),
        alt=f"Line chart of yearly figures for {name}, {span}: "
        + "; ".join(f"{st} from {_first_last(plotted, st)}" for st in stages if st not in missing)
        + ".",
        plotted=plotted,
        params={
            "geo": geo,
            "start": start,
            "end": end,
            "stages": stages,
            "source": source,
            "mode": mode,
        },  # fmt: skip
        searched=searched(df, stages, source),
        stages=stages,
        missing=missing,
        aggregate=bool((t["origin"] == "aggregate").any()),
        empty=f"No data for {name}, {span}",
    )
