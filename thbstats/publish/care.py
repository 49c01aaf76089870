"""Words for the figures that need care: breaks where they happen and totals derived from splits.

The build flags a one-year outlier (``outlier``) and the first year of a new level
(``break_in_series``) on that year only, and puts a total derived from its splits (``derived``)
in place of a printed total they contradict (``superseded_by_parts``); see
``thbstats/ingest/checks.yml``. These sentences say so for the rows a text shows, and only those.
"""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.metrics.ranges import cell_label, range_label
from thbstats.analysis.metrics.select import has_flag

BREAK_WORDS = {"outlier": "a one-year outlier in", "break_in_series": "a change of level from"}


def _years(rows: pd.DataFrame, col: str) -> str:
    return ", ".join(str(int(y)) for y in sorted(set(rows[col])))


def break_phrases(rows: pd.DataFrame, year: str = "year_start") -> list[str]:
    """ "a one-year outlier in 2017", "a change of level from 2019": one per kind, for the years
    of ``rows`` flagged so.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"year_start": [2016, 2017, 2019], "flag": ["", "outlier", "break_in_series"]})
    >>> break_phrases(t)
    ['a one-year outlier in 2017', 'a change of level from 2019']
    """
    out = []
    for flag, words in BREAK_WORDS.items():
        hit = rows[has_flag(rows["flag"], flag)]
        if len(hit):
            out.append(f"{words} {_years(hit, year)}")
    return out


def derived_sentence(
    printed: pd.DataFrame, row: pd.Series, what: str, year: str = "year_start"
) -> str:
    """How a derived total was made: the printed total it replaces (from ``printed``, rows of the
    same release flagged ``superseded_by_parts``) and the splits' sum used instead."""
    same = printed[
        (printed["geo"] == row["geo"])
        & (printed["stage"] == row["stage"])
        & (printed["year_start"] == row[year])
        & (printed["publication"] == row["publication"])
        & has_flag(printed["flag"], "superseded_by_parts")
    ]
    shown = (
        f"'{cell_label(same['value_min'].iloc[0], same['value_max'].iloc[0])}'"
        if len(same)
        else "a total"
    )
    used = range_label(row["value_min"], row["value_max"])
    between = (
        "the two sums' range, since neither split is known to be the complete one"
        if row["value_min"] != row["value_max"]
        else "the splits agree"
    )
    return (
        f"{what} {int(row[year])}: {row['publication']} prints {shown} in total, while its splits "
        f"by sex and by age add up to {used}. The figures here use {used} ({between}), flagged "
        "'derived'; the printed total is kept in the table, flagged inconsistent."
    )
