"""Breaks in series where they happen: one-year outliers and changes of level (``checks.yml``).

Each country's series of totals for a stage is read as the default view holds it (one figure a
year, the latest release's; a derived total in place of an outvoted one), so the breaks of a
figure are found once whatever the number of releases printing it. A jump of an order of
magnitude followed by a jump back is a one-year outlier (flag ``outlier`` on that year); any other
jump is a change of level (flag ``break_in_series`` on the first year at the new level).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from thbstats.flags import defaults
from thbstats.numbers import cell_label

SERIES = ["source", "geo", "stage", "unit"]
COLUMNS = ["source", "geo", "stage", "kind", "year", "values", "publications"]
KIND_FLAG = {"outlier": "outlier", "level_shift": "break_in_series"}


def jump(a: tuple[float, float], b: tuple[float, float], cfg: dict[str, Any]) -> int:
    """+1 (up), -1 (down) or 0: whether ``b`` differs from ``a`` by ``ratio`` times or more, the
    larger at least ``min_size``, at the bounds least favourable to a jump.

    >>> cfg = {"ratio": 10, "min_size": 100}
    >>> jump((30, 30), (20000, 20000), cfg), jump((2, 2), (25, 25), cfg), jump((1, 4), (40, 40), cfg)
    (1, 0, 0)
    """
    (lo_a, hi_a), (lo_b, hi_b) = a, b
    if lo_b >= cfg["ratio"] * max(hi_a, 1) and lo_b >= cfg["min_size"]:
        return 1
    if lo_a >= cfg["ratio"] * max(hi_b, 1) and lo_a >= cfg["min_size"]:
        return -1
    return 0


def _level(values: list[tuple[float, float]]) -> float:
    """The usual level of some years: the median of their central values (NaN if none)."""
    mids = sorted((lo + hi) / 2 for lo, hi in values)
    if not mids:
        return float("nan")
    n = len(mids)
    return mids[n // 2] if n % 2 else (mids[n // 2 - 1] + mids[n // 2]) / 2


def _off(x: float, level: float, times: float) -> int:
    """+1 / -1 when ``x`` is at least ``times`` above / below ``level``, else 0."""
    x, level = max(x, 0.5), max(level, 0.5)
    return 1 if x >= times * level else -1 if level >= times * x else 0


def _outlier(values: list[tuple[float, float]], k: int, d: int, cfg: dict[str, Any]) -> bool:
    """Whether position ``k`` is one year off (in direction ``d``) from the years either side:
    at least ``back_ratio`` off the usual level of the ``window`` years after it and off the year
    before it, while the years on either side agree (within ``ratio``)."""
    w, back = cfg["window"], cfg["back_ratio"]
    mid = [(lo + hi) / 2 for lo, hi in values]
    before, after = values[max(0, k - w) : k], values[k + 1 : k + 1 + w]
    if not before or not after:
        return False
    lb, la = _level(before), _level(after)
    return (
        _off(mid[k], la, back) == d
        and _off(mid[k], mid[k - 1], back) == d
        and not _off(lb, la, cfg["ratio"])
    )


def _candidates(values: list[tuple[float, float]], i: int, d: int, cfg: dict[str, Any]) -> list:
    """The two years of the jump into position ``i`` that may be an outlier, the one farther
    from the usual level of the years around them first (at least ``back_ratio`` from it)."""
    w = cfg["window"]
    level = _level(values[max(0, i - 1 - w) : i - 1] + values[i + 1 : i + 1 + w])
    if level != level:  # no other year
        return []
    out = []
    for k, dk in ((i - 1, -d), (i, d)):
        x, lv = max(sum(values[k]) / 2, 0.5), max(level, 0.5)
        far = max(x, lv) / min(x, lv)
        if far >= cfg["back_ratio"]:
            out.append((far, k, dk))
    return sorted(out, reverse=True)


def classify(values: list[tuple[float, float]], cfg: dict[str, Any]) -> list[tuple[str, int]]:
    """(kind, position) of each break in a series of bounds in year order.

    Each jump is judged against the years around it: of its two years, the one farther from
    their usual level is a one-year outlier when the series is back on the other side of it;
    otherwise the jump starts a new level. A dip and a return: one outlier, not two breaks.

    >>> cfg = {"ratio": 10, "min_size": 100, "window": 3, "back_ratio": 3}
    >>> classify([(500, 500), (5, 5), (480, 480), (510, 510)], cfg)
    [('outlier', 1)]
    >>> classify([(500, 500), (5, 5), (6, 6), (4, 4)], cfg)
    [('level_shift', 1)]
    >>> classify([(15, 15), (16, 16), (103, 103), (5, 5), (23, 23)], cfg)  # a spike, then back
    [('outlier', 2)]
    """
    found: dict[int, str] = {}
    i = 1
    while i < len(values):
        d = jump(values[i - 1], values[i], cfg)
        if not d:
            i += 1
            continue
        hit = next(
            (k for _far, k, dk in _candidates(values, i, d, cfg) if _outlier(values, k, dk, cfg)),
            None,
        )
        if hit is None:
            found.setdefault(i, "level_shift")
        else:
            found[hit] = "outlier"
        back = i + 1 < len(values) and jump(values[i], values[i + 1], cfg) == -d
        i += 2 if hit == i and back else 1
    return [(kind, k) for k, kind in sorted(found.items())]


def totals(table: pd.DataFrame, stages: list[str]) -> pd.DataFrame:
    """Country totals (every form, sex and age; single years) of ``stages``, every release."""
    m = (
        (table["geo_type"] == "country")
        & table["stage"].isin(stages)
        & (table["form"] == "all")
        & (table["sex"] == "all")
        & (table["age"] == "all")
        & (table["year_start"] == table["year_end"])
        & table["value_min"].notna()
    )
    return table[m]


def _values(s: pd.DataFrame, at: list[int]) -> str:
    """ "2020: 1,173; 2021: 4; 2022: 1,064": the figures around a break, as printed."""
    return "; ".join(
        f"{int(s.iloc[k]['year_start'])}: {cell_label(s.iloc[k]['value_min'], s.iloc[k]['value_max'])}"
        for k in at
        if 0 <= k < len(s)
    )


def _series(view: pd.DataFrame) -> list[tuple[tuple, int, int]]:
    """Each series of ``view`` (sorted by SERIES): its key and the positions it starts and ends
    at."""
    if view.empty:
        return []
    keys = view[SERIES]
    new = (keys != keys.shift()).any(axis=1).to_numpy()
    starts = np.flatnonzero(new)
    ends = [*starts[1:].tolist(), len(view)]
    firsts = keys.iloc[starts].itertuples(index=False, name=None)
    return list(zip(firsts, starts.tolist(), ends, strict=True))


WORDS = {"outlier": "a one-year outlier in", "level_shift": "a change of level from"}


def find(table: pd.DataFrame, cfg: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The breaks (COLUMNS) and, for each row of ``table`` at a break, the flag it takes and why
    (columns ``flag``, ``reason``)."""
    tot = totals(table, cfg["stages"])
    view = defaults(tot).sort_values([*SERIES, "year_start"], kind="mergesort")
    found, hits = [], []
    bounds = list(zip(view["value_min"].tolist(), view["value_max"].tolist(), strict=True))
    rows_at = tot.groupby([*SERIES, "year_start"], sort=False).indices
    for key, start, end in _series(view):
        for kind, k in classify(bounds[start:end], cfg):
            s = view.iloc[start:end]
            r = s.iloc[k]
            year = tot.iloc[rows_at[(*key, r["year_start"])]]
            same = year[
                (year["value_min"] == r["value_min"]) & (year["value_max"] == r["value_max"])
            ]
            around = [k - 1, k, k + 1] if kind == "outlier" else [k - 1, k]
            why = f"{WORDS[kind]} {int(r['year_start'])}: {_values(s, around)}"
            hits.append(pd.DataFrame({"flag": KIND_FLAG[kind], "reason": why}, index=same.index))
            found.append(
                {
                    "source": key[0],
                    "geo": key[1],
                    "stage": key[2],
                    "kind": kind,
                    "year": int(r["year_start"]),
                    "values": _values(s, around),
                    "publications": ";".join(sorted(same["publication"].unique())),
                }
            )
    at = pd.concat(hits) if hits else pd.DataFrame(columns=["flag", "reason"])
    return pd.DataFrame(found, columns=COLUMNS), at
