"""Series of one geography: printed where the table has the figure, else summed from countries.

``stage_table`` is what charts and ratios read: one row per (stage, year) in the columns of
:mod:`thbstats.analysis.metrics.aggregate`, plus ``origin`` ("published" or "aggregate"). A "<5" cell is a
row with ``value_min``/``value_max`` 1 and 4 and ``value`` 2.5 (see :mod:`thbstats.analysis.metrics.ranges`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics.aggregate import AGG_COLUMNS, aggregate, group_label, members_of
from thbstats.analysis.metrics.ranges import central
from thbstats.analysis.metrics.select import bounds, is_reported, is_suppressed, select
from thbstats.geo import is_country

SOURCE_ORDER = ("TIP", "UNODC", "EUROSTAT", "EC", "GRETA", "ILO", "WALKFREE")


def _pick_source(rows: pd.DataFrame, stages: list[str]) -> str | None:
    """The source covering most (stage, year) cells; ties go to SOURCE_ORDER."""
    if rows.empty:
        return None
    cover = rows.groupby("source").apply(
        lambda g: len(set(zip(g["stage"], g["year_start"], strict=True))), include_groups=False
    )
    rank = {s: i for i, s in enumerate(SOURCE_ORDER)}
    return min(cover.index, key=lambda s: (-cover[s], rank.get(s, 99), s))


def _published(rows: pd.DataFrame, geo: str, stages: list[str], years: list[int]) -> pd.DataFrame:
    out = []
    for st in stages:
        for y in years:
            r = rows[(rows["stage"] == st) & (rows["year_start"] == y)]
            if r.empty:
                continue
            lo, hi = (float(b.iloc[0]) for b in bounds(r.iloc[:1]))
            sup = bool(is_suppressed(r.iloc[:1]).iloc[0])
            r = r.iloc[0]
            out.append(
                {
                    "geo": geo,
                    "stage": st,
                    "year": y,
                    "value": central(lo, hi),
                    "value_min": lo,
                    "value_max": hi,
                    "n_countries": 1 if is_country(geo) else pd.NA,
                    "n_suppressed": int(sup),
                    "group_size": 1 if is_country(geo) else pd.NA,
                    "share": 1.0 if is_country(geo) else pd.NA,
                    "mode": "published",
                    "countries": geo if is_country(geo) else "",
                    "source": r["source"],
                    "publication": r["publication"],
                    "citation": r["citation"],
                    "flag": r["flag"],
                }
            )
    return pd.DataFrame(out, columns=AGG_COLUMNS)


def stage_table(
    df: pd.DataFrame,
    geo: str | Iterable[str],
    stages: str | Iterable[str],
    years: Iterable[int],
    *,
    source: str | None = None,
    mode: str = "balanced",
    form: str = "all",
) -> pd.DataFrame:
    """Figures of ``stages`` for ``geo`` over ``years``.

    Printed figures for ``geo`` itself come first (one source for all stages: the one that covers
    most, unless ``source`` is given). A group with no printed figure is summed from its member
    countries (UNODC unless ``source`` is given), jointly over all stages when ``mode="balanced"``.

    >>> import thbstats as thb
    >>> t = stage_table(thb.load(), "SWE", ["identified", "convicted"], [2021, 2022])
    >>> t[["stage", "year", "value", "value_min", "value_max", "source", "origin"]]
            stage  year  value  value_min  value_max source     origin
    0  identified  2021  134.0      134.0      134.0  UNODC  published
    1  identified  2022  171.0      171.0      171.0  UNODC  published
    2   convicted  2021    2.5        1.0        4.0  UNODC  published
    3   convicted  2022    2.5        1.0        4.0  UNODC  published
    """
    stages = [stages] if isinstance(stages, str) else list(stages)
    years = sorted(int(y) for y in years)
    if isinstance(geo, str):
        rows = select(df, geo=geo, stage=stages, years=years, source=source, form=form)
        rows = rows[is_reported(rows)]
        chosen = _pick_source(rows, stages)
        if chosen is not None or is_country(geo):
            out = _published(rows[rows["source"] == chosen], geo, stages, years)
            return out.assign(origin="published")
    out = aggregate(df, geo, stages, years, mode=mode, source=source or "UNODC", form=form)
    return out.assign(origin="aggregate")


def estimate(
    df: pd.DataFrame,
    geo: str | Iterable[str],
    *,
    near_year: int | None = None,
    source: str | None = None,
) -> dict | None:
    """The estimated stock for ``geo``: printed if the table has it, else summed from countries.

    Prefers ``forced_labour`` over ``modern_slavery`` (the form names the concept estimated);
    among reference years the one nearest ``near_year`` (later on a tie). Returns None when there is no estimate.

    >>> import thbstats as thb
    >>> e = estimate(thb.load(), "SWE", near_year=2021)
    >>> e["value"], e["year"], e["form"], e["publication"]
    (6000.0, 2021, 'modern_slavery', 'Global Slavery Index 2023')
    """
    rows = select(df, stage="estimated", source=source, form=None)
    rows = rows[rows["value"].notna() & rows["form"].isin(["forced_labour", "modern_slavery"])]
    code = group_label(geo)
    direct = rows[rows["geo"] == code] if isinstance(geo, str) else rows.iloc[0:0]
    if not direct.empty:
        best = _nearest(direct, near_year).iloc[0]
        return {
            "geo": code,
            "value": float(best["value"]),
            "year": int(best["year_start"]),
            "form": best["form"],
            "source": best["source"],
            "publication": best["publication"],
            "citation": best["citation"],
            "n_countries": pd.NA,
            "group_size": pd.NA,
            "share": pd.NA,
            "origin": "published",
            "countries": "",
        }
    if isinstance(geo, str) and is_country(geo):
        return None
    members = members_of(geo, df)
    sub = rows[rows["geo"].isin(members) & (rows["geo_type"] == "country")]
    if sub.empty:
        return None
    best = _nearest(sub, near_year).iloc[0]
    sub = sub[(sub["publication"] == best["publication"]) & (sub["form"] == best["form"])]
    pub = best["publication"]
    return {
        "geo": code,
        "value": float(sub["value"].sum()),
        "year": int(sub["year_start"].max()),
        "form": sub["form"].iloc[0],
        "source": sub["source"].iloc[0],
        "publication": pub,
        "citation": ";".join(sorted(set(sub["citation"]))),
        "n_countries": sub["geo"].nunique(),
        "group_size": len(members),
        "share": sub["geo"].nunique() / len(members),
        "origin": "aggregate",
        "countries": ";".join(sorted(sub["geo"])),
    }


def _nearest(rows: pd.DataFrame, year: int | None) -> pd.DataFrame:
    form_rank = rows["form"].map({"forced_labour": 0, "modern_slavery": 1})
    dist = (rows["year_start"] - year).abs() if year is not None else 0
    return rows.assign(_f=form_rank, _d=dist, _y=-rows["year_start"]).sort_values(
        ["_f", "_d", "_y"]
    )
