"""The brief's year-by-year table: each yearly figure as published ("<5" kept, "–" where there
is none), a group's cells summed over the States reporting that year, and beside them the totals
other publishers print for the same place and year, on rows naming the publisher."""

from __future__ import annotations

import pandas as pd

from thbstats import citations
from thbstats import geo as geomod
from thbstats.analysis.metrics.ranges import cell_label, range_label
from thbstats.analysis.metrics.select import select
from thbstats.publish.briefs.content import _int
from thbstats.publish.briefs.others import SECONDARY, other_rows
from thbstats.vocabulary import JUSTICE_STAGES, STAGE_WORDS


def _cell(r: pd.Series, country: bool) -> str:
    """A State's figure as printed ("<5" kept); a group's sum as its range."""
    if pd.isna(r["value"]):
        return "–"
    lo, hi = r["value_min"], r["value_max"]
    return cell_label(lo, hi) if country else range_label(lo, hi)


def year_table(df: pd.DataFrame, geo: str, years: list[int]) -> dict:
    """Figures of each flow stage and year as printed ("<5" kept; "–" where there is none).
    A group's cells are sums over the States reporting that year (``mode="all"``)."""
    from thbstats.analysis.metrics.series import stage_table

    country = geomod.is_country(geo)
    t = stage_table(df, geo, list(JUSTICE_STAGES), years, source="UNODC", mode="all")
    rows = []
    for st in JUSTICE_STAGES:
        s = t[t["stage"] == st].set_index("year")
        cells = [_cell(s.loc[y], country) if y in s.index else "–" for y in years]
        rows.append([STAGE_WORDS[st].capitalize(), *cells])
    if not country:
        s = t[t["stage"] == "identified"].set_index("year")
        rows.append(
            ["States reporting (identified)"]
            + [str(_int(s.loc[y, "n_countries"])) if y in s.index else "0" for y in years]
        )
    members = [geo] if country else geomod.members(geo)
    shown = select(df, geo=members, stage=list(JUSTICE_STAGES), years=years, source="UNODC")
    keys = sorted({k for c in shown["citation"].dropna() for k in str(c).split(";") if k})
    source = citations.source_line(keys)
    if not keys:  # nothing printed: name the release looked in
        looked = select(df, stage=list(JUSTICE_STAGES), years=years, source="UNODC")
        keys = looked.loc[looked["geo_type"] == "country", "citation"].mode().tolist()[:1]
        source = "No figure in: " + citations.source_line(keys).removeprefix("Source: ")
    more, more_keys = other_rows(df, geo, STAGE_WORDS, years)
    if more:  # name the publisher of each row when the table shows more than one
        rows = [
            [f"{r[0]} (UNODC)", *r[1:]] if i < len(JUSTICE_STAGES) else r
            for i, r in enumerate(rows)
        ]
    return {
        "header": ["", *[str(y) for y in years]],
        "rows": rows + more,
        "title": "Year by year, as published" + (" by each publisher" if more else " by UNODC"),
        "source": (citations.source_line(keys + more_keys) if more else source)
        + (
            f" {SECONDARY} Seen only in a secondary source."
            if any(SECONDARY in c for r in more for c in r)
            else ""
        ),
    }
