"""Sum country figures into a group, honest about coverage.

Coverage rule: a country *reports* a stage in a year when the table has a row for it, printed or
published as "<5". By default the aggregate is a **balanced panel**: only countries that report
every requested stage in every requested year, so that years (and stages) compare like with like.
``mode="all"`` sums whoever reports each year instead; its coverage then changes from year to year.

Suppressed "<5" cells (1 to 4 persons) are carried as bounds (``thbstats.analysis.metrics.select.bounds``)
and counted in ``n_suppressed``: ``value_min``/``value_max`` bound the true sum, and ``value`` is
their midpoint (the exact sum when no cell is "<5"; each "<5" cell as 2.5 otherwise), so a sum of
"<5" cells is a range, never 0.

Care flags: ``n_flagged`` counts the summed country figures flagged ``break_in_series``,
``outlier``, ``inconsistent`` or ``derived`` (``thbstats/ingest/checks.yml``);
``exclude=["outlier", "break_in_series"]`` (or any flags) leaves
such rows out, the sensitivity to compare with. ``largest`` and ``largest_share`` name the country
whose figure makes up most of the sum: a sum more than half of which is one country says so in
its chart's note.

One release at a time: the sum uses a single publication of the source (the latest edition that
has the requested stages, or ``publication``), so that countries are not mixed across releases.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats import geo
from thbstats.analysis.metrics.ranges import central
from thbstats.analysis.metrics.select import bounds, has_flag, is_suppressed, select
from thbstats.schema import newest

MODES = ("balanced", "all")
AGG_COLUMNS = [
    "geo",
    "stage",
    "year",
    "value",
    "value_min",
    "value_max",
    "n_countries",
    "n_suppressed",
    "group_size",
    "share",
    "mode",
    "countries",
    "source",
    "publication",
    "citation",
    "flag",
    "n_flagged",
    "largest",
    "largest_share",
]
CARE_FLAGS = ("break_in_series", "outlier", "inconsistent", "derived")
"""Flags counted in ``n_flagged``: figures to look at before trusting a sum."""


def members_of(group: str | Iterable[str], df: pd.DataFrame | None = None) -> list[str]:
    """ISO3 members of a group code (via ``thbstats.geo``) or of an explicit list of codes.

    ``WORLD`` means every country present in ``df``. In a list, a group code stands for its
    members (``["NORDIC", "EST"]``) and any other code for itself; :func:`thbstats.group` (the
    API's resolver) also refuses unknown codes.

    >>> members_of("NORDIC")
    ['DNK', 'FIN', 'ISL', 'NOR', 'SWE']
    >>> members_of(["SWE", "NOR", "SWE"]), members_of("SWE")
    (['NOR', 'SWE'], ['SWE'])
    >>> members_of(["NORDIC", "EST"])
    ['DNK', 'EST', 'FIN', 'ISL', 'NOR', 'SWE']
    """
    if not isinstance(group, str):
        return sorted({m for code in group for m in _expand(code, df)})
    if group == "WORLD":
        if df is None:
            raise ValueError("members_of('WORLD') needs the table to list its countries")
        return sorted(df.loc[df["geo_type"] == "country", "geo"].unique())
    return geo.members(group)  # a country code is its own only member


def _expand(code: str, df: pd.DataFrame | None) -> list[str]:
    """A list item: a group code's members, any other code as itself."""
    if code == "WORLD" or (not geo.is_country(code) and geo.is_known(code)):
        return members_of(code, df)
    return [code]


def group_label(group: str | Iterable[str]) -> str:
    """Code used in results for a group: the code itself, or "custom" for a list.

    >>> group_label("NORDIC"), group_label(["NOR", "SWE"])
    ('NORDIC', 'custom')
    """
    return group if isinstance(group, str) else "custom"


def aggregate(
    df: pd.DataFrame,
    group: str | Iterable[str],
    stage: str | Iterable[str],
    years: Iterable[int],
    *,
    mode: str = "balanced",
    source: str | None = "UNODC",
    form: str = "all",
    sex: str = "all",
    age: str = "all",
    unit: str = "persons",
    publication: str | None = None,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per (stage, year): the sum over member countries, with its coverage.

    Columns: see ``AGG_COLUMNS``; ``share`` = n_countries / group_size, ``countries`` ;-joined.
    ``exclude``: flags whose rows are left out (e.g. ``["break_in_series"]``, a sensitivity); in a
    balanced panel a country that loses a year drops out of every year. ``thb.total`` is the
    same sum with the API's keywords (``geo``, ``years``, ``balanced``, ``release``).

    Nordic persons convicted, 2015 and 2022, the countries that report both years:

    >>> import thbstats as thb
    >>> a = aggregate(thb.load(), "NORDIC", "convicted", [2015, 2022])
    >>> a[["year", "value", "value_min", "value_max", "n_countries", "n_suppressed", "countries"]]
       year  value  value_min  value_max  n_countries  n_suppressed    countries
    0  2015   21.5       20.0       23.0            3             1  DNK;NOR;SWE
    1  2022    7.5        3.0       12.0            3             3  DNK;NOR;SWE
    """
    if mode not in MODES:
        raise ValueError(f"mode: expected one of {MODES}, found {mode!r}")
    stages = [stage] if isinstance(stage, str) else list(stage)
    years = sorted(int(y) for y in years)
    members = members_of(group, df)
    if (
        publication is not None
    ):  # one named release: its own figures, not the defaults across releases
        df = df[df["publication"] == publication]
    rows = select(
        df,
        geo=members,
        stage=stages,
        years=years,
        source=source,
        form=form,
        sex=sex,
        age=age,
        unit=unit,
    )
    rows = rows[rows["geo_type"] == "country"]
    for f in exclude:
        rows = rows[~has_flag(rows["flag"], f)]
    lo, hi = bounds(rows)
    rows = rows.assign(_sup=is_suppressed(rows), _lo=lo, _hi=hi)
    rows = rows[rows["_lo"].notna()]
    if publication is None and len(rows):
        publication = newest(rows["publication"].unique())
    if publication is not None:
        rows = rows[rows["publication"] == publication]
    if mode == "balanced":
        need = len(stages) * len(years)
        have = rows.groupby("geo")[["stage", "year_start"]].apply(
            lambda g: len(set(zip(g["stage"], g["year_start"], strict=True)))
        )
        rows = rows[rows["geo"].isin(have[have == need].index)]
    out = []
    for st in stages:
        for y in years:
            cell = rows[(rows["stage"] == st) & (rows["year_start"] == y)]
            out.append(_summarise(cell, group, st, y, len(members), mode))
    return pd.DataFrame(out, columns=AGG_COLUMNS)


def _join(values: pd.Series) -> str:
    return ";".join(sorted(set(values.astype(str)) - {""}))


def _summarise(cell: pd.DataFrame, group, stage: str, year: int, size: int, mode: str) -> dict:
    n = int(cell["geo"].nunique())
    n_sup = int(cell["_sup"].sum())
    lo = float(cell["_lo"].sum()) if n else float("nan")
    hi = float(cell["_hi"].sum()) if n else float("nan")
    mid = (cell["_lo"] + cell["_hi"]) / 2
    total = float(mid.sum())
    top = cell.loc[mid.idxmax()] if n else None
    flagged = pd.concat([has_flag(cell["flag"], f) for f in CARE_FLAGS], axis=1).any(axis=1)
    return {
        "geo": group_label(group),
        "stage": stage,
        "year": year,
        "value": central(lo, hi),
        "value_min": lo,
        "value_max": hi,
        "n_countries": n,
        "n_suppressed": n_sup,
        "group_size": size,
        "share": n / size if size else float("nan"),
        "mode": mode,
        "countries": _join(cell["geo"]),
        "source": _join(cell["source"]),
        "publication": _join(cell["publication"]),
        "citation": _join(cell["citation"]),
        "flag": "",
        "n_flagged": int(flagged.sum()) if n else 0,
        "largest": top["geo"] if top is not None else "",
        "largest_share": float(mid.max()) / total if n and total > 0 else float("nan"),
    }
