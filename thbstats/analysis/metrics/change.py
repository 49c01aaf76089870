"""Change between years: percent change, index to a base year, average per year over a period.

These take year-indexed series of central values (as :func:`thbstats.analysis.metrics.select.select`
returns them: a "<5" cell is 2.5, never missing); for the bounds of figures that hold "<5" cells
see :func:`thbstats.analysis.metrics.ranges.percent_change_range` and
:func:`~thbstats.analysis.metrics.ranges.index_range`. Each function here also takes ``low``/``high``
(the bounds, e.g. ``value_min``/``value_max``): a year whose value is empty but whose bounds are
known (a "<5" cell read straight from the table) then counts at its central value, never as
missing; :func:`average_per_year` also averages the bounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


def _value(s: pd.Series, year: int) -> float:
    v = s.get(year)
    return float("nan") if v is None or pd.isna(v) else float(v)


def _filled(s: pd.Series, low: pd.Series | None, high: pd.Series | None) -> pd.Series:
    """``s`` with each empty year that has bounds set to their midpoint (a "<5" cell: 2.5)."""
    if low is None or high is None:
        return s
    s = s.astype(float)
    mid = (low.astype(float) + high.astype(float)) / 2
    return s.combine_first(mid) if len(mid) else s


def percent_change(
    s: pd.Series,
    start: int,
    end: int,
    *,
    low: pd.Series | None = None,
    high: pd.Series | None = None,
) -> float:
    """Percent change from ``start`` to ``end`` of a year-indexed series (NaN if either is missing
    or the start is 0): 100 * (end / start - 1). A year empty in ``s`` whose ``low``/``high``
    bounds are known (a "<5" cell) counts at their midpoint.

    >>> import pandas as pd
    >>> percent_change(pd.Series({2015: 20.0, 2022: 10.0}), 2015, 2022)
    -50.0
    >>> percent_change(pd.Series({2015: 20.0}), 2015, 2022)
    nan
    >>> lt5 = pd.Series({2015: 20.0, 2022: None})
    >>> percent_change(lt5, 2015, 2022, low=lt5.fillna(1.0), high=lt5.fillna(4.0))
    -87.5
    """
    s = _filled(s, low, high)
    a, b = _value(s, start), _value(s, end)
    if pd.isna(a) or pd.isna(b) or a == 0:
        return float("nan")
    return 100.0 * (b / a - 1.0)


def index_to_base(
    s: pd.Series,
    base: int,
    *,
    low: pd.Series | None = None,
    high: pd.Series | None = None,
) -> pd.Series:
    """The series as an index, ``base`` year = 100 (all NaN when the base year is missing or 0).
    A year empty in ``s`` whose ``low``/``high`` bounds are known counts at their midpoint.

    >>> import pandas as pd
    >>> index_to_base(pd.Series({2015: 20.0, 2016: 25.0}), 2015).tolist()
    [100.0, 125.0]
    """
    s = _filled(s, low, high)
    b = _value(s, base)
    if pd.isna(b) or b == 0:
        return s.astype(float) * float("nan")
    return s.astype(float) / b * 100.0


@dataclass(frozen=True)
class Average:
    """Average per year over a period, with the years it rests on and the years missing.

    ``low``/``high`` bound the average when some years are ranges ("<5" cells); they equal
    ``value`` when every figure is exact or no bounds were given.

    >>> a = Average(value=2.5, start=2017, end=2020, years=[2017, 2018, 2020], missing=[2019])
    >>> a.complete
    False
    """

    value: float
    start: int
    end: int
    years: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    low: float = float("nan")
    high: float = float("nan")

    @property
    def complete(self) -> bool:
        """True when every year of the period had a figure.

        >>> Average(value=1.0, start=2020, end=2020, years=[2020]).complete
        True
        """
        return not self.missing


def _mean(s: pd.Series, years: list[int]) -> float:
    return float(sum(_value(s, y) for y in years) / len(years)) if years else float("nan")


def average_per_year(
    s: pd.Series,
    start: int,
    end: int,
    *,
    low: pd.Series | None = None,
    high: pd.Series | None = None,
) -> Average:
    """Mean of the yearly figures from ``start`` to ``end`` inclusive, over the years that have one.

    A year that is a range ("<5" cells: ``s`` holds its central value, ``low``/``high`` its
    bounds) counts like any other, also when ``s`` is empty there and only the bounds are known
    (the year then counts at their midpoint). Missing years are listed, never filled: the caller
    decides whether an incomplete period counts. Finland's convictions 2017-2020: "<5" in 2017,
    2018 and 2020, no figure for 2019:

    >>> import pandas as pd
    >>> mid = pd.Series({2017: 2.5, 2018: 2.5, 2020: 2.5})
    >>> lo, hi = mid * 0 + 1, mid * 0 + 4
    >>> a = average_per_year(mid, 2017, 2020, low=lo, high=hi)
    >>> a.value, a.low, a.high, a.missing
    (2.5, 1.0, 4.0, [2019])
    >>> average_per_year(mid * float("nan"), 2017, 2020, low=lo, high=hi).value
    2.5
    """
    s = _filled(s, low, high)
    period = list(range(int(start), int(end) + 1))
    have = [y for y in period if not pd.isna(_value(s, y))]
    missing = [y for y in period if y not in have]
    value = _mean(s, have)
    return Average(
        value=value,
        start=int(start),
        end=int(end),
        years=have,
        missing=missing,
        low=_mean(low, have) if low is not None else value,
        high=_mean(high, have) if high is not None else value,
    )
