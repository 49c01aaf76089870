"""How figures print: one number printer, and a cell or a range as a release prints it.

"<5" is printed as "<5" (1 to 4 persons, never 0); a sum with "<5" parts as a range ("53-56").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd


def half_up(x: float, digits: int = 0) -> Decimal:
    """``x`` rounded half away from zero, as printed tables round (116.5 -> 117, not 116), from
    its shortest decimal form (2.45 -> 2.5).

    >>> half_up(116.5), half_up(-2.5), half_up(2.45, 1), half_up(0.3125, 1)
    (Decimal('117'), Decimal('-3'), Decimal('2.5'), Decimal('0.3'))
    """
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number(x: float) -> str:
    """12345.0 -> "12,345"; a small non-integer keeps one decimal (2.5, 0.3); halves round up
    (an average of 116.5 prints "117").

    >>> number(12345.0), number(2.5), number(0.3125), number(116.5), number(float("nan"))
    ('12,345', '2.5', '0.3', '117', '')
    """
    if pd.isna(x):
        return ""
    digits = 0 if abs(x) >= 10 or float(x).is_integer() else 1
    r = half_up(x, digits)
    return f"{r:,.{digits}f}" if r else f"{abs(r):,.{digits}f}"


def cell_label(lo: float, hi: float) -> str:
    """A figure as the release prints it, from its bounds: "1,282", "<5", or "53-56" for a sum
    of parts with "<5" among them; "" where there is no figure.

    >>> cell_label(1282, 1282), cell_label(1, 4), cell_label(53, 56), cell_label(float("nan"), 4)
    ('1,282', '<5', '53-56', '')
    """
    if pd.isna(lo) or pd.isna(hi):
        return ""
    if (lo, hi) == (1, 4):
        return "<5"
    return range_label(lo, hi)


def cell_labels(df: pd.DataFrame, lo: str = "value_min", hi: str = "value_max") -> pd.Series:
    """:func:`cell_label` for every row of ``df``.

    >>> import pandas as pd
    >>> cell_labels(pd.DataFrame({"value_min": [7.0, 1.0], "value_max": [7.0, 4.0]})).tolist()
    ['7', '<5']
    """
    memo: dict[tuple[float, float], str] = {}
    out = []
    for pair in zip(df[lo].tolist(), df[hi].tolist(), strict=True):
        text = memo.get(pair)
        if text is None:
            text = memo[pair] = cell_label(*pair)
        out.append(text)
    return pd.Series(out, index=df.index, dtype=object)


def range_label(lo: float, hi: float, sep: str = "-") -> str:
    """ "12" for an exact figure, "1-4" for a range (as a chart or caption prints it).

    Use ``sep=" to "`` for figures that can be negative (changes).

    >>> range_label(3, 12), range_label(21, 21), range_label(-87.0, -40.0, sep=" to ")
    ('3-12', '21', '-87 to -40')
    """
    if pd.isna(lo) or pd.isna(hi):
        return "no data"
    if number(lo) == number(hi):
        return number(lo)
    return f"{number(lo)}{sep}{number(hi)}"
