"""Other publishers' figures for the place and years of a brief's table: where a publisher other
than the brief's own prints a yearly figure of the same stage (Eurostat's EU total beside the sum
of UNODC's country figures), the table shows it on its own row, the publisher named, so a reader
sees both figures rather than a "no data" beside a printed one."""

from __future__ import annotations

import pandas as pd

from thbstats import citations
from thbstats.analysis.metrics.ranges import number


def publisher(key: str) -> str:
    """The publisher's short name of a citation key ("UNODC", "Eurostat")."""
    return citations.release(key).split(",")[0]


SECONDARY = "†"
"""The mark of a figure seen only in a secondary source (a news item quoting the release)."""


def _cell(r: pd.Series) -> str:
    """The figure as printed, marked when it was seen only in a secondary source."""
    second = "secondary_source" in str(r.get("flag") or "")
    return number(r["value"]) + (SECONDARY if second else "")


def other_rows(
    df: pd.DataFrame, geo: str, stages: dict[str, str], years: list[int], own: str = "UNODC"
) -> tuple[list[list[str]], list[str]]:
    """Rows "<stage words> (<publisher>)" of the yearly totals printed for ``geo`` itself by
    sources other than ``own`` (all forms, sexes and ages; persons), and their citation keys.
    ``stages`` maps each stage to the words of its row."""
    rows = df[
        (df["geo"] == geo)
        & (df["source"] != own)
        & df["stage"].isin(list(stages))
        & (df["form"] == "all")
        & (df["sex"] == "all")
        & (df["age"] == "all")
        & (df["unit"] == "persons")
        & (df["year_start"] == df["year_end"])
        & df["year_end"].isin(years)
        & df["value"].notna()
    ]
    rows = rows.assign(who=[publisher(str(c).split(";")[0]) for c in rows["citation"]])
    out, keys = [], []
    for (st, who), g in rows.groupby(["stage", "who"], sort=False):
        by_year = g.drop_duplicates("year_end").set_index("year_end")
        cells = [_cell(by_year.loc[y]) if y in by_year.index else "–" for y in years]
        out.append((list(stages).index(st), f"{stages[st].capitalize()} ({who})", cells))
        keys += [k for c in by_year["citation"] for k in str(c).split(";") if k]
    out.sort(key=lambda r: (r[0], r[1]))
    return [[label, *cells] for _, label, cells in out], keys
