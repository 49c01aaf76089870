"""Shares of a breakdown (form, sex or age) in UNODC country data, with "<5" bounds and coverage.

Parts: ``form`` = sexual, labour, other; ``sex`` = female, male, other, unknown; ``age`` = child,
adult, unknown. UNODC publishes sex "Unknown" only with age "Unknown": that one row is the
``unknown`` part of both the sex and the age breakdown (it is left out when the other dimension
is narrowed, e.g. ``by="sex", age="adult"``).

Denominator: **the sum of the parts**, not the printed total. In the UNODC file the parts of a
breakdown often do not add up to the total of the same country and year (a victim may be counted
under two forms; a breakdown may come from another authority than the total); a share of the
printed total could then exceed 100 % and the shares would not sum to 100 %. Shares are therefore
shares of the persons whose form (sex, age) is reported. The printed total of the same
country-years is given beside (``total_printed``), and the country-years whose parts cannot add
up to it (their bounds do not meet) are counted (``n_disagree``, ``disagree``).

Absent parts: the file prints no zeros (a combination without data has no row). In a
country-year that reports some part of the breakdown, a part without a row is read as 0
(``absent="zero"``, the default, counted in ``n_absent``); ``absent="drop"`` leaves such
country-years out instead.

Bounds: each part is a sum of cells, a range when it holds "<5" cells (:mod:`.ranges`);
``share_min`` = part_min / (part_min + others_max), ``share_max`` = part_max / (part_max +
others_min), ``share`` = central part / central sum of parts. Years are pooled (summed over the
requested years). One release: the latest publication that has the rows, as in ``aggregate``.
Every figure here is derived (``derived=True``): the table keeps only what the publisher printed.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics.aggregate import group_label, members_of
from thbstats.analysis.metrics.ranges import central
from thbstats.analysis.metrics.select import (
    bounds,
    has_flag,
    is_reported,
    is_suppressed,
    period_label,
)
from thbstats.analysis.metrics.select import select as select_rows
from thbstats.schema import newest

PARTS: dict[str, dict[str, dict[str, str]]] = {
    "form": {
        "sexual": {"form": "sexual"},
        "labour": {"form": "labour"},
        "other": {"form": "other"},
    },
    "sex": {
        "female": {"sex": "female"},
        "male": {"sex": "male"},
        "other": {"sex": "other"},
        "unknown": {"sex": "unknown", "age": "unknown"},
    },
    "age": {
        "child": {"age": "child"},
        "adult": {"age": "adult"},
        "unknown": {"sex": "unknown", "age": "unknown"},
    },
}
ABSENT = ("zero", "drop")
NOTE = (
    "Derived by thbstats: shares of the sum of the parts (persons whose {by} is reported), "
    "pooled over {years}; '<5' cells counted as 1 to 4 (bounds) and 2.5 (central value); a part "
    "without a row {absent}."
)


def _part_specs(by: str, base: dict[str, str]) -> dict[str, dict[str, str]]:
    """Filters of each part; a part that would override a narrowed dimension is left out."""
    out = {}
    for part, spec in PARTS[by].items():
        if all(base[d] == "all" for d in spec if d != by):
            out[part] = base | spec
    return out


def _cells(rows: pd.DataFrame, spec: dict[str, str]) -> pd.DataFrame:
    m = pd.Series(True, index=rows.index)
    for col, want in spec.items():
        m &= rows[col] == want
    cell = rows[m].groupby(["geo", "year_start"])
    return pd.DataFrame(
        {"lo": cell["_lo"].sum(), "hi": cell["_hi"].sum(), "sup": cell["_sup"].sum()}
    )


def _flagged(rows: pd.DataFrame, flags: tuple[str, ...]) -> pd.Series:
    return pd.concat([has_flag(rows["flag"], f) for f in flags], axis=1).any(axis=1)


def _rows(df, members, stage, years, source, publication) -> pd.DataFrame:
    if publication is not None:
        df = df[df["publication"] == publication]
    rows = select_rows(
        df, geo=members, stage=stage, years=years, source=source, form=None, sex=None, age=None
    )
    rows = rows[(rows["geo_type"] == "country") & is_reported(rows)]
    if len(rows):
        rows = rows[rows["publication"] == newest(rows["publication"].unique())]
    lo, hi = bounds(rows)
    return rows.assign(_lo=lo, _hi=hi, _sup=is_suppressed(rows).astype(int))


def shares(
    df: pd.DataFrame,
    by: str = "form",
    geo: str | Iterable[str] = "WORLD",
    years: int | Iterable[int] = 2022,
    stage: str = "identified",
    *,
    form: str = "all",
    sex: str = "all",
    age: str = "all",
    source: str = "UNODC",
    publication: str | None = None,
    absent: str = "zero",
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per part of the ``by`` breakdown: count and share, each with bounds, and coverage.

    ``geo``: a country, a group code or a list of ISO3 codes; ``years`` are pooled. ``exclude``:
    flags whose rows are left out (e.g. ``("inconsistent",)``): a country-year with such a part
    leaves the breakdown (it is not read as 0); ``n_inconsistent`` counts the rows used that the
    build flagged ``inconsistent``. Coverage: ``countries`` (those whose breakdown is counted),
    ``missing`` (the members of ``geo`` without it), ``group_size``.

    Sweden 2021, identified victims by sex: women 77, men 51, other "<5", unknown 6:

    >>> import thbstats as thb
    >>> s = shares(thb.load(), "sex", geo="SWE", years=2021).set_index("part")
    >>> s[["value_min", "value_max", "share_min", "share_max"]].round(3)
             value_min  value_max  share_min  share_max
    part
    female        77.0       77.0      0.558      0.570
    male          51.0       51.0      0.370      0.378
    other          1.0        4.0      0.007      0.029
    unknown        6.0        6.0      0.043      0.044
    """
    if by not in PARTS:
        raise ValueError(f"by: expected one of {tuple(PARTS)}, found {by!r}")
    if absent not in ABSENT:
        raise ValueError(f"absent: expected one of {ABSENT}, found {absent!r}")
    years = [int(years)] if isinstance(years, int) else sorted(int(y) for y in years)
    members = members_of(geo, df)
    rows = _rows(df, members, stage, years, source, publication)
    base = {"form": form, "sex": sex, "age": age}
    specs = _part_specs(by, base)
    rows = _without(rows, specs, tuple(exclude))
    parts = {p: _cells(rows, spec) for p, spec in specs.items()}
    lo, hi, n_absent = _table_of_parts(parts, absent)
    total = _cells(rows, base | {by: "all"}).reindex(lo.index)
    cover = _coverage(rows, lo, hi, total, parts)
    res = pd.DataFrame(
        [
            _part_row(p, lo, hi)
            | {
                "n_suppressed": int(parts[p]["sup"].reindex(lo.index).fillna(0).sum()),
                "n_absent": int(n_absent[p]),
            }
            for p in parts
        ]
    )
    res.insert(0, "geo", group_label(geo))
    res.insert(1, "stage", stage)
    res.insert(2, "by", by)
    res["years"] = period_label(years)
    how = "is read as 0" if absent == "zero" else "leaves its country-year out"
    have = set(cover["countries"].split(";"))
    missing = [m for m in members if m not in have]
    return res.assign(
        **cover,
        group_size=len(members),
        n_missing=len(missing),
        missing=";".join(missing),
        derived=True,
        note=NOTE.format(by=by, years=period_label(years), absent=how),
    )


def _without(rows: pd.DataFrame, specs: dict, exclude: tuple[str, ...]) -> pd.DataFrame:
    """Rows minus the country-years that have a part flagged with one of ``exclude``."""
    if not exclude:
        return rows
    out = _flagged(rows, exclude)
    gone = {k for spec in specs.values() for k in _cells(rows[out], spec).index}
    return rows[~out & ~rows.set_index(["geo", "year_start"]).index.isin(list(gone))]


def _table_of_parts(parts: dict, absent: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Bounds of each part per country-year (reporting at least one part), absent parts as 0."""
    keys = sorted(set().union(*(c.index for c in parts.values())))
    lo = pd.DataFrame({p: c["lo"] for p, c in parts.items()}).reindex(keys)
    hi = pd.DataFrame({p: c["hi"] for p, c in parts.items()}).reindex(keys)
    if absent == "drop":
        keep = lo.notna().all(axis=1)
        lo, hi = lo[keep], hi[keep]
    return lo.fillna(0.0), hi.fillna(0.0), lo.isna().sum()


def _part_row(p: str, lo: pd.DataFrame, hi: pd.DataFrame) -> dict:
    if lo.empty:  # nothing reported: no figure, not 0
        cols = ("value", "value_min", "value_max", "share", "share_min", "share_max")
        return {"part": p, **dict.fromkeys(cols, float("nan"))}
    a, b = float(lo[p].sum()), float(hi[p].sum())
    s_lo, s_hi = float(lo.sum().sum()), float(hi.sum().sum())
    value, whole = central(a, b), central(s_lo, s_hi)
    return {
        "part": p,
        "value": value,
        "value_min": a,
        "value_max": b,
        "share": value / whole if whole > 0 else float("nan"),
        "share_min": a / (s_hi - b + a) if s_hi - b + a > 0 else float("nan"),
        "share_max": b / (s_lo - a + b) if s_lo - a + b > 0 else float("nan"),
    }


def _coverage(rows, lo, hi, total, parts) -> dict:
    """Countries counted, the printed total beside the sum of parts, and where they disagree."""
    countries = sorted({g for g, _ in lo.index})
    s_lo, s_hi = lo.sum(axis=1), hi.sum(axis=1)
    has_total = total["lo"].notna()
    disagree = has_total & ((s_hi < total["lo"]) | (s_lo > total["hi"]))
    sup = pd.concat([c["sup"] for c in parts.values()]).groupby(level=[0, 1]).sum()
    lt5 = sorted({g for (g, y), n in sup.items() if n > 0 and (g, y) in lo.index})
    used = rows.set_index(["geo", "year_start"]).index.isin(lo.index)
    t_lo, t_hi = (float(total[c].sum()) if has_total.any() else float("nan") for c in ("lo", "hi"))
    return {
        "parts_total": central(float(s_lo.sum()), float(s_hi.sum())),
        "parts_total_min": float(s_lo.sum()),
        "parts_total_max": float(s_hi.sum()),
        "total_printed": central(t_lo, t_hi),
        "total_printed_min": t_lo,
        "total_printed_max": t_hi,
        "n_without_total": int((~has_total).sum()),
        "n_disagree": int(disagree.sum()),
        "disagree": ";".join(f"{g} {y}" for g, y in lo.index[disagree.to_numpy()]),
        "n_countries": len(countries),
        "n_country_years": len(lo),
        "countries": ";".join(countries),
        "n_countries_lt5": len(lt5),
        "n_inconsistent": int(has_flag(rows.loc[used, "flag"], "inconsistent").sum()),
        "countries_lt5": ";".join(lt5),
        "publication": ";".join(sorted(set(rows.loc[used, "publication"]))),
        "citation": ";".join(sorted(set(rows.loc[used, "citation"]))),
    }
