"""Arithmetic on ranges: figures that contain "<5" cells are known only between two bounds.

Central value rule: ``value`` is the midpoint of ``[value_min, value_max]``. For a sum without a
"<5" part both bounds equal the exact sum; otherwise each "<5" cell counts as 2.5, so
``value_min <= value <= value_max`` always holds and a sum of "<5" cells is never 0.

A ratio, change or index built on ranges is itself a range: ``low`` and ``high`` come from the
extreme combinations (smallest numerator over largest denominator, and the reverse); its central
value is computed from the central values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from thbstats.numbers import (  # noqa: F401  (re-exported: the one number printer)
    cell_label,
    cell_labels,
    half_up,
    number,
    range_label,
)

NAN = float("nan")


def central(lo: float | pd.Series, hi: float | pd.Series) -> float | pd.Series:
    """The central value of a range: its midpoint (the exact figure when ``lo == hi``).

    Three "<5" cells sum to 3 to 12 persons; their central value counts each as 2.5:

    >>> central(3.0, 12.0)
    7.5
    """
    return (lo + hi) / 2


@dataclass(frozen=True)
class Range:
    """A figure known between ``low`` and ``high``, with its central ``value``.

    >>> r = Range(7.5, 3.0, 12.0)   # Nordic convictions 2022: three "<5" cells
    >>> r.exact, Range(21.0, 21.0, 21.0).exact
    (False, True)
    """

    value: float
    low: float
    high: float

    @property
    def exact(self) -> bool:
        """True when the figure is known exactly (no "<5" part).

        >>> Range(2.5, 1.0, 4.0).exact
        False
        """
        return self.low == self.high


def _div(a: float, b: float) -> float:
    return a / b if b > 0 and not pd.isna(a) else NAN


def ratio(num: Range, den: Range, per: float = 1.0) -> Range:
    """``num / den * per`` with bounds from the extreme combinations (NaN where a divisor is 0).

    Finland's yearly convictions 2017-2020 (each "<5": 1 to 4, central 2.5) per 1,000 of its
    8,000 estimated people in modern slavery (Global Slavery Index 2023):

    >>> r = ratio(Range(2.5, 1.0, 4.0), Range(8000.0, 8000.0, 8000.0), per=1000)
    >>> r.value, r.low, r.high
    (0.3125, 0.125, 0.5)
    """
    return Range(
        _div(num.value, den.value) * per,
        _div(num.low, den.high) * per,
        _div(num.high, den.low) * per,
    )


def _central_column(t: pd.DataFrame) -> pd.Series:
    """``value``, with an empty value whose bounds are known set to their midpoint."""
    mid = central(t["value_min"].astype(float), t["value_max"].astype(float))
    return t["value"].astype(float).fillna(mid)


def at(t: pd.DataFrame, year: int) -> Range:
    """The range of a year-indexed frame (columns value, value_min, value_max); NaN if absent.

    A year whose ``value`` is empty but whose bounds are known (a "<5" cell read straight from
    the table) is a range with its midpoint as central value, never missing.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"value": [21.5], "value_min": [20.0], "value_max": [23.0]}, index=[2015])
    >>> at(t, 2015)
    Range(value=21.5, low=20.0, high=23.0)
    >>> at(t, 2016).value
    nan
    >>> at(pd.DataFrame({"value": [None], "value_min": [1.0], "value_max": [4.0]}, index=[2022]), 2022)
    Range(value=2.5, low=1.0, high=4.0)
    """
    if year not in t.index:
        return Range(NAN, NAN, NAN)
    r = t.loc[year]
    lo, hi = float(r["value_min"]), float(r["value_max"])
    value = float(r["value"]) if pd.notna(r["value"]) else central(lo, hi)
    if pd.isna(value):
        return Range(NAN, NAN, NAN)
    return Range(value, lo, hi)


def percent_change_range(t: pd.DataFrame, start: int, end: int) -> Range:
    """Percent change from ``start`` to ``end`` of a year-indexed frame with value bounds.

    NaN when either year is missing or the start is 0; a "<5"-only year gives a range, never
    -100 %. Nordic convictions (Denmark, Norway, Sweden): 7 + 12 + "<5" in 2015, three "<5" in
    2022:

    >>> import pandas as pd
    >>> t = pd.DataFrame(
    ...     {"value": [21.5, 7.5], "value_min": [20.0, 3.0], "value_max": [23.0, 12.0]},
    ...     index=[2015, 2022],
    ... )
    >>> c = percent_change_range(t, 2015, 2022)
    >>> round(c.value, 1), round(c.low, 1), round(c.high, 1)
    (-65.1, -87.0, -40.0)
    """
    r = ratio(at(t, end), at(t, start), 100.0)
    return Range(r.value - 100.0, r.low - 100.0, r.high - 100.0)


def index_range(t: pd.DataFrame, base: int) -> pd.DataFrame:
    """Columns ``index``, ``index_min``, ``index_max``: each year over ``base`` = 100, as ranges.

    >>> import pandas as pd
    >>> t = pd.DataFrame(
    ...     {"value": [21.5, 7.5], "value_min": [20.0, 3.0], "value_max": [23.0, 12.0]},
    ...     index=[2015, 2022],
    ... )
    >>> index_range(t, 2015).round(1)
          index  index_min  index_max
    2015  100.0       87.0      115.0
    2022   34.9       13.0       60.0
    """
    b = at(t, base)
    out = pd.DataFrame(index=t.index)
    out["index"] = _central_column(t).map(lambda v: _div(v, b.value) * 100)
    out["index_min"] = t["value_min"].astype(float).map(lambda v: _div(v, b.high) * 100)
    out["index_max"] = t["value_max"].astype(float).map(lambda v: _div(v, b.low) * 100)
    return out
