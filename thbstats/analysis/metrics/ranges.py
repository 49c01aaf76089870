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

NAN = float("nan")


def central(lo: float | pd.Series, hi: float | pd.Series) -> float | pd.Series:
    """The central value of a range: its midpoint (the exact figure when ``lo == hi``)."""
    return (lo + hi) / 2


@dataclass(frozen=True)
class Range:
    """A figure known between ``low`` and ``high``, with its central ``value``."""

    value: float
    low: float
    high: float

    @property
    def exact(self) -> bool:
        """True when the figure is known exactly (no "<5" part)."""
        return self.low == self.high


def _div(a: float, b: float) -> float:
    return a / b if b > 0 and not pd.isna(a) else NAN


def ratio(num: Range, den: Range, per: float = 1.0) -> Range:
    """``num / den * per`` with bounds from the extreme combinations (NaN where a divisor is 0)."""
    return Range(
        _div(num.value, den.value) * per,
        _div(num.low, den.high) * per,
        _div(num.high, den.low) * per,
    )


def at(t: pd.DataFrame, year: int) -> Range:
    """The range of a year-indexed frame (columns value, value_min, value_max); NaN if absent."""
    if year not in t.index or pd.isna(t.loc[year, "value"]):
        return Range(NAN, NAN, NAN)
    r = t.loc[year]
    return Range(float(r["value"]), float(r["value_min"]), float(r["value_max"]))


def percent_change_range(t: pd.DataFrame, start: int, end: int) -> Range:
    """Percent change from ``start`` to ``end`` of a year-indexed frame with value bounds.

    NaN when either year is missing or the start is 0; a "<5"-only year gives a range, never
    -100 %.
    """
    r = ratio(at(t, end), at(t, start), 100.0)
    return Range(r.value - 100.0, r.low - 100.0, r.high - 100.0)


def index_range(t: pd.DataFrame, base: int) -> pd.DataFrame:
    """Columns ``index``, ``index_min``, ``index_max``: each year over ``base`` = 100, as ranges."""
    b = at(t, base)
    out = pd.DataFrame(index=t.index)
    out["index"] = t["value"].astype(float).map(lambda v: _div(v, b.value) * 100)
    out["index_min"] = t["value_min"].astype(float).map(lambda v: _div(v, b.high) * 100)
    out["index_max"] = t["value_max"].astype(float).map(lambda v: _div(v, b.low) * 100)
    return out


def number(x: float) -> str:
    """12345.0 -> "12,345"; a small non-integer keeps one decimal (2.5, 0.3)."""
    if pd.isna(x):
        return ""
    return f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:,.1f}"


def cell_label(lo: float, hi: float) -> str:
    """A figure as the release prints it, from its bounds: "1,282", "<5", or "53-56" for a sum
    of parts with "<5" among them; "" where there is no figure."""
    if pd.isna(lo) or pd.isna(hi):
        return ""
    if (lo, hi) == (1, 4):
        return "<5"
    return range_label(lo, hi)


def cell_labels(df: pd.DataFrame, lo: str = "value_min", hi: str = "value_max") -> pd.Series:
    """:func:`cell_label` for every row of ``df``."""
    return pd.Series(
        [cell_label(a, b) for a, b in zip(df[lo], df[hi], strict=True)],
        index=df.index,
        dtype=object,
    )


def range_label(lo: float, hi: float, sep: str = "-") -> str:
    """ "12" for an exact figure, "1-4" for a range (as a chart or caption prints it).

    Use ``sep=" to "`` for figures that can be negative (changes).
    """
    if pd.isna(lo) or pd.isna(hi):
        return "no data"
    if number(lo) == number(hi):
        return number(lo)
    return f"{number(lo)}{sep}{number(hi)}"
