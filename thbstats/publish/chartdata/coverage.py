"""Coverage: the table of which countries report which stage in which year."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics import (
    is_reported,
    is_suppressed,
    members_of,
    period_label,
    select,
)
from thbstats.publish.chartdata.common import finish_table, geo_title, searched, slug
from thbstats.schema import newest
from thbstats.vocabulary import JUSTICE_STAGES

STATUS = {
    0: ("no figure", "#f0f0f0"),
    1: ("published as '<5'", "#9ecae1"),
    2: ("figure", "#08519c"),
}


def coverage_grid(
    df: pd.DataFrame, group, stages: Iterable[str], years: list[int], source: str = "UNODC"
) -> pd.DataFrame:
    """Long table geo x stage x year with status 0 (none), 1 ("<5") or 2 (figure).

    >>> import thbstats as thb
    >>> g = coverage_grid(thb.load(), "OSCE", ["prosecuted"], [2017, 2018])
    >>> print(g[g["geo"] == "ALB"][["year", "status"]].to_string(index=False))
     year  status
     2017       2
     2018       2
    """
    members = members_of(group, df)
    rows = select(df, geo=members, stage=list(stages), years=years, source=source)
    rows = rows[rows["geo_type"] == "country"]
    if len(rows):  # one release, as in metrics.aggregate
        rows = rows[rows["publication"] == newest(rows["publication"].unique())]
    status = pd.Series(0, index=rows.index)
    status[is_suppressed(rows)] = 1
    status[is_reported(rows) & ~is_suppressed(rows)] = 2  # printed, or derived from splits
    got = rows.assign(status=status).rename(columns={"year_start": "year"})
    grid = pd.MultiIndex.from_product(
        [members, list(stages), years], names=["geo", "stage", "year"]
    )
    out = got.groupby(["geo", "stage", "year"])[["status", "citation"]].max().reindex(grid)
    out["status"] = out["status"].fillna(0).astype(int)
    return out.reset_index()


def coverage_data(
    df: pd.DataFrame,
    group="OSCE",
    start: int = 2003,
    end: int = 2022,
    *,
    stages: Iterable[str] = JUSTICE_STAGES,
    source: str = "UNODC",
) -> pd.DataFrame:
    """The status grid with country names (a count per year is drawn for groups over 70).

    >>> import thbstats as thb
    >>> t = coverage_data(thb.load(), "OSCE", 2018, 2022, stages=["prosecuted"])
    >>> len(t), t["geo"].nunique()
    (285, 57)
    >>> print(t[t["geo"] == "ALB"][["year", "status"]].to_string(index=False))
     year  status
     2018       2
     2019       2
     2020       2
     2021       1
     2022       2
    """
    years, stages = list(range(start, end + 1)), list(stages)
    data = coverage_grid(df, group, stages, years, source)
    data["name"] = data["geo"].map(lambda g: geo_title(df, g))
    n = data["geo"].nunique()
    name, span = geo_title(df, group), period_label(years)
    counts = data[data["status"] > 0].groupby(["stage", "year"])["geo"].nunique()
    last = ", ".join(f"{st} {int(counts.get((st, end), 0))} of {n}" for st in stages)
    n_lt5 = int((data["status"] == 1).sum())
    note = "A country reports a stage in a year when the source has a figure or a '<5' cell for it."
    if n_lt5:
        note += f" {n_lt5:,} of the cells shown were published as '<5' (1 to 4 persons)."
    plotted = data.dropna(subset=["citation"])
    return finish_table(
        data.drop(columns=["citation"]),
        id=slug(group, "coverage", start, end),
        kind="coverage",
        title=f"Who reports what: {name}, {span}",
        subtitle=f"{name} · {span} · {source} country data · countries with a figure in {end}: "
        + last,
        note=note,
        alt=f"Coverage chart for {name}, {span}, {source}: countries with a figure in {end}: "
        + last
        + ".",
        plotted=plotted,
        params={"group": group, "start": start, "end": end, "stages": stages, "source": source},
        searched=searched(df, stages, source),
        stages=stages,
        years=years,
        empty=f"No data: no {source} figure for {name}, {span}",
    )
