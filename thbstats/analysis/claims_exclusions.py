"""Exclusions (``exclusions`` in data/claims.yml): rows a claim's sensitivity table takes out."""

from __future__ import annotations

from typing import Any

import pandas as pd

from thbstats.analysis.metrics import has_flag

SERIES_KEY = ["source", "publication", "geo", "stage", "unit"]
"""A country series: one stage of one country in one release, every breakdown (form, sex, age)."""


def exclude(df: pd.DataFrame, rule: dict[str, Any]) -> tuple[pd.DataFrame, int]:
    """The table without the rows an exclusion rule names, and how many rows it took out.

    ``flag``: rows whose ;-separated flag column holds it (``scope: series`` takes out the whole
    series of such a row: same source, release, country, stage and unit, every breakdown);
    ``geo``: rows of these country codes.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"geo": ["SWE", "NOR", "DNK"], "flag": ["break_in_series", "", ""]})
    >>> kept, n = exclude(t, {"flag": "break_in_series"})
    >>> kept["geo"].tolist(), n
    (['NOR', 'DNK'], 1)
    >>> exclude(t, {"geo": ["DNK"]})[1]
    1
    """
    drop = pd.Series(False, index=df.index)
    if rule.get("flag"):
        flagged = has_flag(df["flag"], rule["flag"])
        if rule.get("scope", "rows") == "series" and flagged.any():
            keys = df.loc[flagged, SERIES_KEY].drop_duplicates()
            flagged = (
                df[SERIES_KEY]
                .merge(keys, how="left", indicator=True)["_merge"]
                .eq("both")
                .to_numpy()
                | flagged.to_numpy()
            )
            flagged = pd.Series(flagged, index=df.index)
        drop |= flagged
    if rule.get("geo"):
        drop |= df["geo"].isin(rule["geo"])
    return df[~drop], int(drop.sum())
