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


def _person_splits(cells_of: pd.DataFrame, row: pd.Series) -> dict[str, tuple[float, float]]:
    """The sums of the splits by sex and by age of ``row``'s total, from the release's cells."""
    from thbstats.ingest import cells, checks

    cfg = checks.rules()["consistency"]
    persons = {x["dimension"] for x in cfg["splits"] if x.get("persons")}
    printed = cells_of[~has_flag(cells_of["flag"], "derived")]
    sums = cells.splits(printed, cfg, pd.Series(False, index=printed.index))
    if sums.empty:
        return {}
    at = (sums[cells.CELL] == row[cells.CELL]).all(axis=1) & sums["split"].isin(persons)
    return {r.split: (r.lo, r.hi) for r in sums[at].itertuples()}


def derived_sentence(cells_of: pd.DataFrame, row: pd.Series, what: str) -> str:
    """How a derived total was made: the printed total it replaces and the splits it sums.

    ``cells_of``: the release's rows for the country, every form, sex and age (vintage "all"
    or the latest rows), among them the printed total flagged ``superseded_by_parts``.
    """
    same = cells_of[
        (cells_of["publication"] == row["publication"])
        & (cells_of["geo"] == row["geo"])
        & (cells_of["stage"] == row["stage"])
        & (cells_of["year_start"] == row["year_start"])
        & (cells_of["year_end"] == row["year_end"])
        & (cells_of["unit"] == row["unit"])
    ]
    total = same[
        has_flag(same["flag"], "superseded_by_parts")
        & (same[["form", "sex", "age"]] == row[["form", "sex", "age"]]).all(axis=1)
    ]
    shown = (
        f"'{cell_label(total['value_min'].iloc[0], total['value_max'].iloc[0])}'"
        if len(total)
        else "a total"
    )
    lo, hi = row["value_min"], row["value_max"]
    sums = _person_splits(same, row)
    used = [n for n, (a, b) in sums.items() if lo <= a and b <= hi]
    used = used or list(sums)
    parts = " and ".join(f"by {n} ({cell_label(*sums[n])})" for n in used)
    split_words = f"its split{'s' if len(used) > 1 else ''} {parts}"
    if len(used) > 1 and lo != hi:
        why = "the range of the sums, since neither split is known to be the complete one"
    elif len(used) > 1:
        why = "the splits agree"
    else:
        why = "the sum of that split, which other splits of the release confirm"
    used_label = range_label(lo, hi)
    return (
        f"{what} {int(row['year_start'])}: {row['publication']} prints {shown} in total, against "
        f"{split_words}. The figures here use {used_label} ({why}), flagged 'derived'; the "
        "printed total is kept in the table, flagged inconsistent."
    )
