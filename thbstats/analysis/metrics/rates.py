"""Rates per 100,000 population, where the table knows the population (stage ``population``).

A group's rate divides the summed figures of its countries by the summed population of *the same*
countries; countries without a population figure are left out and counted in the note.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics.aggregate import aggregate, group_label, members_of
from thbstats.analysis.metrics.select import select
from thbstats.analysis.metrics.series import stage_table
from thbstats.geo import is_country


def populations(df: pd.DataFrame, near_year: int | None = None) -> pd.DataFrame:
    """One population per country (the reference year nearest ``near_year``): geo, value, year.

    >>> import thbstats as thb
    >>> print(populations(thb.load(), near_year=2021).loc[["SWE"]].to_string())
              value  year                citation
    geo
    SWE  10099000.0  2021  walkfree-gsi-2023-data
    """
    rows = select(df, stage="population", form=None)
    rows = rows[rows["value"].notna() & (rows["geo_type"] == "country")]
    dist = (rows["year_start"] - near_year).abs() if near_year is not None else 0
    rows = rows.assign(_d=dist, _y=-rows["year_start"]).sort_values(["_d", "_y"])
    rows = rows.drop_duplicates("geo")
    return rows.set_index("geo")[["value", "year_start", "citation"]].rename(
        columns={"year_start": "year"}
    )


def per_100k(
    df: pd.DataFrame,
    geo: str | Iterable[str],
    stage: str,
    years: Iterable[int],
    *,
    source: str | None = None,
    mode: str = "balanced",
) -> pd.DataFrame:
    """``stage`` per 100,000 population, one row per year (NaN where population is unknown).

    ``rate_per_100k_min``/``_max`` bound the rate when the figures hold "<5" cells.

    >>> import thbstats as thb
    >>> r = per_100k(thb.load(), "SWE", "identified", [2021]).iloc[0]
    >>> float(r["value"]), float(r["population"]), round(float(r["rate_per_100k"]), 2)
    (134.0, 10099000.0, 1.33)
    """
    years = sorted(int(y) for y in years)
    pops = populations(df, near_year=years[-1] if years else None)
    if isinstance(geo, str) and is_country(geo):
        t = stage_table(df, geo, stage, years, source=source)
        known = geo in pops.index
        t["population"] = pops.loc[geo, "value"] if known else float("nan")
        t["population_year"] = pops.loc[geo, "year"] if known else pd.NA
        t["n_without_population"] = 0 if known else 1
    else:
        members = members_of(geo, df)
        with_pop = [m for m in members if m in pops.index]
        t = aggregate(df, with_pop, stage, years, mode=mode, source=source or "UNODC")
        t["geo"] = group_label(geo)
        t["group_size"] = len(members)
        t["share"] = t["n_countries"] / len(members)
        t["population"] = t["countries"].map(
            lambda c: pops.loc[c.split(";"), "value"].sum() if c else float("nan")
        )
        t["population_year"] = ";".join(str(y) for y in sorted(set(pops.loc[with_pop, "year"])))
        t["n_without_population"] = len(members) - len(with_pop)
    for col, val in (("", "value"), ("_min", "value_min"), ("_max", "value_max")):
        t[f"rate_per_100k{col}"] = t[val] / t["population"] * 100_000
    return t
