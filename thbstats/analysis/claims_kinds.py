"""A claim's quantity recomputed from the UNODC country data, one function per kind of quantity.

The kind and its parameters are data (the ``independent`` block of a claim in data/claims.yml);
:data:`KINDS` maps each kind to the function that computes it, so a new kind of claim is a new
entry here, not a new branch in the checker. Exclusions (``exclusions`` in claims.yml) take rows
out of the table before a quantity is recomputed: the sensitivity of a claim to them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from thbstats.analysis.metrics import aggregate, has_flag

DIMS = ("form", "sex", "age")
SERIES_KEY = ["source", "publication", "geo", "stage", "unit"]
"""A country series: one stage of one country in one release, every breakdown (form, sex, age)."""


@dataclass
class Quantity:
    """A recomputed quantity with the coverage and citations of the figures behind it.

    >>> q = Quantity(-65.1, "3 of 5 countries, every year (balanced panel)", "unodc-glotip-2025-04-14", 3)
    >>> q.n_countries
    3
    """

    value: float
    coverage: str
    citations: str
    n_countries: int


def quantity(kind: str, values: dict[int, float], years: list[int]) -> float:
    """The asserted kind of quantity from yearly values (NaN when a needed year is missing).

    >>> values = {2015: 21.5, 2022: 7.5}
    >>> round(quantity("percent_change", values, [2015, 2022]), 1), quantity("total", values, [2015, 2022])
    (-65.1, 29.0)
    >>> quantity("average", values, [2015, 2016])
    nan
    """
    if any(y not in values or pd.isna(values[y]) for y in years):
        return math.nan
    if kind == "percent_change":
        start, end = values[years[0]], values[years[-1]]
        return (end - start) / start * 100 if start else math.nan
    if kind == "average":
        return sum(values[y] for y in years) / len(years)
    if kind == "total":
        return sum(values[y] for y in years)
    raise ValueError(f"unknown quantity kind {kind!r}")


def _dims(spec: dict[str, Any]) -> dict[str, str]:
    return {d: spec.get(d, "all") for d in DIMS}


def yearly(
    df: pd.DataFrame,
    spec: dict[str, Any],
    group: Any,
    publication: str | None,
    mode: str | None = None,
) -> tuple[dict[int, float], pd.DataFrame]:
    """Yearly sums of a stage (and form, sex, age) over a group's countries, with coverage.

    >>> import thbstats as thb
    >>> spec = {"stage": "convicted", "years": [2015, 2022]}
    >>> values, agg = yearly(thb.load(), spec, "NORDIC", "UNODC GLOTIP data 2025-04-14")
    >>> values, agg["countries"].tolist()
    ({2015: 21.5, 2022: 7.5}, ['DNK;NOR;SWE', 'DNK;NOR;SWE'])
    """
    agg = aggregate(
        df,
        group,
        spec["stage"],
        spec["years"],
        mode=mode or spec.get("mode", "balanced"),
        source="UNODC",
        publication=publication,
        **_dims(spec),
    )
    values = {int(r.year): float(r.value) for r in agg.itertuples() if r.n_countries > 0}
    return values, agg


def _countries(agg: pd.DataFrame) -> set[str]:
    return {c for cs in agg["countries"] for c in str(cs).split(";") if c}


def _citations(agg: pd.DataFrame) -> str:
    return ";".join(sorted(set(agg["citation"]) - {""}))


def _suppressed(agg: pd.DataFrame) -> str:
    sup = int(agg["n_suppressed"].sum())
    return f"; {sup} cells '<5' counted as 2.5 (1 to 4)" if sup else ""


def _over_years(df: pd.DataFrame, spec: dict[str, Any], group: Any, pub: str | None) -> Quantity:
    """percent_change, average or total of yearly sums (balanced panel unless mode: all)."""
    values, agg = yearly(df, spec, group, pub)
    union = _countries(agg)
    n = agg["n_countries"]
    if spec.get("mode", "balanced") == "balanced":
        coverage = f"{int(n.max())} of {int(agg['group_size'].max())} countries, every year (balanced panel)"
    else:
        coverage = (
            f"{len(union)} countries reporting in some year ({int(n.min())}-{int(n.max())} a year)"
        )
    value = quantity(spec["kind"], values, spec["years"])
    return Quantity(value, coverage + _suppressed(agg), _citations(agg), len(union))


def _countries_reporting(
    df: pd.DataFrame, spec: dict[str, Any], group: Any, pub: str | None
) -> Quantity:
    """How many countries report the stage in some year of the period."""
    _, agg = yearly(df, spec, group, pub)
    union = _countries(agg)
    coverage = f"{len(union)} countries reporting in some year"
    return Quantity(float(len(union)) if union else math.nan, coverage, _citations(agg), len(union))


def _cells(x: dict[str, str] | list[dict[str, str]]) -> list[dict[str, str]]:
    return [x] if isinstance(x, dict) else list(x)


def _share(df: pd.DataFrame, spec: dict[str, Any], group: Any, pub: str | None) -> Quantity:
    """Percent that the ``part`` cells make of the ``whole`` cells in one year (each a breakdown
    or a list of breakdowns, summed), over the countries that report every cell that year."""
    year = spec["years"][-1]
    parts, wholes = _cells(spec["part"]), _cells(spec["whole"])
    unique = {tuple(sorted(d.items())): d for d in parts + wholes}

    def cells(members: Any) -> dict[tuple, pd.DataFrame]:
        return {
            key: yearly(df, {**spec, **dims, "years": [year]}, members, pub, "all")[1]
            for key, dims in unique.items()
        }

    panel = set.intersection(*(_countries(agg) for agg in cells(group).values()))
    if not panel:
        return Quantity(math.nan, f"no country reports every cell in {year}", "", 0)
    sums = cells(sorted(panel))

    def total(dims_list: list[dict[str, str]]) -> float:
        return sum(float(sums[tuple(sorted(d.items()))]["value"].iloc[0]) for d in dims_list)

    whole = total(wholes)
    value = total(parts) / whole * 100 if whole else math.nan
    frames = pd.concat(sums.values())
    coverage = f"{len(panel)} countries reporting every cell in {year}" + _suppressed(frames)
    return Quantity(value, coverage, _citations(frames), len(panel))


KINDS: dict[str, Callable[[pd.DataFrame, dict[str, Any], Any, str | None], Quantity]] = {
    "percent_change": _over_years,
    "average": _over_years,
    "total": _over_years,
    "countries": _countries_reporting,
    "share": _share,
}


def compute(
    df: pd.DataFrame, spec: dict[str, Any], group: Any, publication: str | None
) -> Quantity:
    """The quantity an ``independent`` spec describes, for one group and one release.

    >>> import thbstats as thb
    >>> spec = {"kind": "percent_change", "stage": "convicted", "years": [2015, 2022]}
    >>> q = compute(thb.load(), spec, "NORDIC", "UNODC GLOTIP data 2025-04-14")
    >>> round(q.value, 1), q.n_countries, q.citations
    (-65.1, 3, 'unodc-glotip-2025-04-14')
    """
    try:
        func = KINDS[spec["kind"]]
    except KeyError:
        raise ValueError(
            f"claims.yml: unknown kind {spec['kind']!r} (expected one of {', '.join(KINDS)})"
        ) from None
    return func(df, spec, group, publication)


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
