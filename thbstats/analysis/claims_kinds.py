"""A claim's quantity recomputed from the UNODC country data, one function per kind of quantity.

The kind and its parameters are data (the ``independent`` block of a claim in data/claims.yml);
:data:`KINDS` maps each kind to the function that computes it, so a new kind of claim is a new
entry here, not a new branch in the checker. Exclusions (``exclusions`` in claims.yml) take rows
out of the table before a quantity is recomputed: the sensitivity of a claim to them.

Each quantity carries its "<5" bounds (``low``/``high``: every "<5" cell at 1, or at 4; the central
value counts each as 2.5) and ``method``: how it was computed, in words written from the
computation itself (countries, release, "<5" cells), so the words cannot drift from the sums.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from thbstats.analysis.claims_exclusions import SERIES_KEY, exclude  # noqa: F401 (re-exported)
from thbstats.analysis.claims_verdicts import half_up
from thbstats.analysis.metrics import Range, aggregate, period_label, ratio

DIMS = ("form", "sex", "age")
CHANGE_KINDS = ("percent_change",)
"""Kinds whose figure is a change: its sign is a direction (see claims_verdicts)."""


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
    low: float = math.nan
    high: float = math.nan
    method: str = ""


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


def quantity_range(kind: str, values: dict[int, Range], years: list[int]) -> Range:
    """:func:`quantity` of yearly ranges, with its bounds from the extreme combinations.

    Nordic convictions, 20-23 in 2015 and 3-12 in 2022 (three "<5" cells):

    >>> r = quantity_range("percent_change", {2015: Range(21.5, 20, 23), 2022: Range(7.5, 3, 12)},
    ...                    [2015, 2022])
    >>> round(r.value, 1), round(r.low, 1), round(r.high, 1)
    (-65.1, -87.0, -40.0)
    """
    if any(y not in values for y in years):  # as quantity: every year of the claim is needed
        return Range(math.nan, math.nan, math.nan)
    if kind == "percent_change":
        r = ratio(values[years[-1]], values[years[0]], 100.0)
        return Range(r.value - 100, r.low - 100, r.high - 100)
    parts = [{y: getattr(r, a) for y, r in values.items()} for a in ("value", "low", "high")]
    return Range(*(quantity(kind, p, years) for p in parts))


def _lt5_words(n: int, low: float, high: float, unit: str = "") -> str:
    """What the computation did with the "<5" cells, from their count and the bounds."""
    if not n:
        return "no cell was '<5'"
    cells = "1 cell" if n == 1 else f"{n} cells"
    return (
        f"{cells} '<5' counted as 2.5 each (1 to 4: the figure lies between "
        f"{half_up(low, 1 if unit else 0)}{unit} and {half_up(high, 1 if unit else 0)}{unit})"
    )


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


def _ranges(agg: pd.DataFrame) -> dict[int, Range]:
    return {
        int(r.year): Range(float(r.value), float(r.value_min), float(r.value_max))
        for r in agg.itertuples()
        if r.n_countries > 0
    }


def _countries(agg: pd.DataFrame) -> set[str]:
    return {c for cs in agg["countries"] for c in str(cs).split(";") if c}


def _citations(agg: pd.DataFrame) -> str:
    return ";".join(sorted(set(agg["citation"]) - {""}))


def _suppressed(agg: pd.DataFrame) -> str:
    sup = int(agg["n_suppressed"].sum())
    return f"; {sup} cells '<5' counted as 2.5 (1 to 4)" if sup else ""


KIND_WORDS = {
    "percent_change": "the percent change from {first} to {last}",
    "average": "the average per year over {period}",
    "total": "the total over {period}",
}


def _over_years(df: pd.DataFrame, spec: dict[str, Any], group: Any, pub: str | None) -> Quantity:
    """percent_change, average or total of yearly sums (balanced panel unless mode: all)."""
    _, agg = yearly(df, spec, group, pub)
    union = _countries(agg)
    n = agg["n_countries"]
    years = spec["years"]
    if spec.get("mode", "balanced") == "balanced":
        coverage = f"{int(n.max())} of {int(agg['group_size'].max())} countries, every year (balanced panel)"
        who = f"the {int(n.max())} countries that report every year compared (balanced panel)"
    else:
        coverage = (
            f"{len(union)} countries reporting in some year ({int(n.min())}-{int(n.max())} a year)"
        )
        who = f"whoever reports each year ({int(n.min())}-{int(n.max())} countries a year)"
    r = quantity_range(spec["kind"], _ranges(agg), years)
    what = KIND_WORDS[spec["kind"]].format(
        first=years[0], last=years[-1], period=period_label(years)
    )
    unit = "%" if spec["kind"] in CHANGE_KINDS else ""
    sup = int(agg["n_suppressed"].sum())
    method = (
        f"Here: {what} of a plain sum over {who} in {pub or 'the latest release'}; "
        f"{_lt5_words(sup, r.low, r.high, unit)}; nothing imputed."
    )
    return Quantity(
        r.value, coverage + _suppressed(agg), _citations(agg), len(union), r.low, r.high, method
    )


def _countries_reporting(
    df: pd.DataFrame, spec: dict[str, Any], group: Any, pub: str | None
) -> Quantity:
    """How many countries report the stage in some year of the period."""
    _, agg = yearly(df, spec, group, pub)
    union = _countries(agg)
    coverage = f"{len(union)} countries reporting in some year"
    value = float(len(union)) if union else math.nan
    method = (
        f"Here: the countries of {pub or 'the latest release'} with a figure for "
        f"{period_label(spec['years'])}, printed or '<5' (a '<5' cell is a report of 1 to 4)."
    )
    return Quantity(value, coverage, _citations(agg), len(union), value, value, method)


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
    r = _share_range(sums, parts, wholes)
    frames = pd.concat(sums.values())
    coverage = f"{len(panel)} countries reporting every cell in {year}" + _suppressed(frames)
    sup = int(frames["n_suppressed"].sum())
    method = (
        f"Here: {_cell_words(parts)} among {_cell_words(wholes)}, summed over the {len(panel)} "
        f"countries of {pub or 'the latest release'} that report every cell in {year}; "
        f"{_lt5_words(sup, r.low, r.high, '%')}; nothing imputed."
    )
    return Quantity(r.value, coverage, _citations(frames), len(panel), r.low, r.high, method)


def _key(d: dict[str, str]) -> tuple:
    return tuple(sorted(d.items()))


def _cell_words(cells: list[dict[str, str]]) -> str:
    """{age: child} -> "age child"; a list of cells joined with " + "."""
    return " + ".join(", ".join(f"{k} {v}" for k, v in c.items()) for c in cells)


def _share_range(sums: dict[tuple, pd.DataFrame], parts: list, wholes: list) -> Range:
    """Percent of the part cells in the whole cells; bounds with the part at one end and the
    rest of the whole at the other (both ends of every "<5" cell)."""

    def total(cells: list[dict[str, str]], col: str) -> float:
        return sum(float(sums[_key(d)][col].iloc[0]) for d in cells)

    part = [total(parts, c) for c in ("value", "value_min", "value_max")]
    whole = [total(wholes, c) for c in ("value", "value_min", "value_max")]
    rest_keys = {_key(d) for d in wholes} - {_key(d) for d in parts}
    if {_key(d) for d in parts} <= {_key(d) for d in wholes}:
        rest = [total([dict(k) for k in rest_keys], c) for c in ("value_min", "value_max")]
        lo_den, hi_den = part[1] + rest[1], part[2] + rest[0]
    else:
        lo_den, hi_den = whole[2], whole[1]

    def pct(a: float, b: float) -> float:
        return a / b * 100 if b else math.nan

    return Range(pct(part[0], whole[0]), pct(part[1], lo_den), pct(part[2], hi_den))


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
