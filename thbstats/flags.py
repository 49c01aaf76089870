"""Flags of the tidy table and what they make of a figure: its bounds and the default figure.

A cell published as "<N" (flag ``suppressed_ltN``) stands for 1 to N-1 persons, never 0; a key
printed by several editions or sources has one default figure (:func:`defaults`). The metrics
(:mod:`thbstats.analysis.metrics.select`) and the build (``thbstats.ingest``) read them here.
"""

from __future__ import annotations

import pandas as pd

from thbstats.schema import (
    NOT_DEFAULT_FLAGS,
    VARIANT_FLAGS,
    flag_mask,
    per_value,
    vintage_order,
)

NOT_DEFAULT = NOT_DEFAULT_FLAGS
SUPPRESSED = "suppressed_lt"
"""Prefix of the flags of cells published as "<N" (``suppressed_lt5``: 1 to 4 persons)."""


def has_flag(flags: pd.Series, flag: str) -> pd.Series:
    """True where the ;-separated ``flag`` column contains ``flag``.

    >>> import pandas as pd
    >>> has_flag(pd.Series(["suppressed_lt5;revised", "", None]), "revised").tolist()
    [True, False, False]
    >>> has_flag(pd.Series([], dtype=object), "revised").dtype
    dtype('bool')
    """
    return flag_mask(flags, flag)  # bool even when empty: an object Series would select columns


def defaults(df: pd.DataFrame) -> pd.DataFrame:
    """One default figure per key: the latest vintage (``thbstats.schema.vintage_order``) among
    rows not flagged ``alternative``, as one end of a range (``range_low``/``range_high``) or as a
    printed total its splits outvote (``superseded_by_parts``): where a release's splits outvote
    its total, the release's row flagged ``derived`` (the splits' sum) is the figure.

    Sweden's identified victims of 2019: "<5" in the 2023 release, 269 in the 2025 release, which
    revised it; the later figure is the default:

    >>> import thbstats as thb
    >>> df = thb.load(vintage="all")
    >>> swe = df[(df.geo == "SWE") & (df.stage == "identified") & (df.year_start == 2019)
    ...          & (df.form == "all") & (df.sex == "all") & (df.age == "all") & (df.source == "UNODC")]
    >>> print(swe[["publication", "value_min", "value_max"]].to_string(index=False))
                     publication  value_min  value_max
    UNODC GLOTIP data 2023-05-30        1.0        4.0
    UNODC GLOTIP data 2025-04-14      269.0      269.0
    >>> print(defaults(swe)[["publication", "value"]].to_string(index=False))
                     publication  value
    UNODC GLOTIP data 2025-04-14  269.0
    """
    if df.empty:
        return df.copy()
    keep = ~pd.concat([has_flag(df["flag"], f) for f in NOT_DEFAULT], axis=1).any(axis=1)
    out, by = vintage_order(df[keep], [f for f in VARIANT_FLAGS if f in NOT_DEFAULT])
    out = out.drop_duplicates(by, keep="last")
    return with_bounds(out.drop(columns="_variant").sort_index())


def _limit(flags: str) -> float:
    for part in str(flags).split(";"):
        if part.startswith(SUPPRESSED) and part[len(SUPPRESSED) :].isdigit():
            return float(part[len(SUPPRESSED) :])
    return float("nan")


def suppressed_limit(df: pd.DataFrame) -> pd.Series:
    """N for cells published as "<N" (flag ``suppressed_ltN``), NaN elsewhere.

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"value": [77.0, None, None], "flag": ["", "suppressed_lt5", "revised"]})
    >>> suppressed_limit(cells).tolist()
    [nan, 5.0, nan]
    """
    return per_value(df["flag"].fillna(""), _limit, float("nan")).astype(float)


def is_suppressed(df: pd.DataFrame) -> pd.Series:
    """True for cells published as "<N" (value empty, flag ``suppressed_ltN``, e.g. "<5").

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"value": [77.0, None, None], "flag": ["", "suppressed_lt5", "revised"]})
    >>> is_suppressed(cells).tolist()
    [False, True, False]
    """
    return suppressed_limit(df).notna()


def bounds(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Lowest and highest value each row can stand for: the one place where bounds are read.

    The table's ``value_min``/``value_max`` where present (they also bound a row the reader summed
    from parts, flag ``summed_parts``); otherwise the printed value, or 1 and N-1 for a cell
    published as "<N" (whatever its ``value`` column holds: at most the central value
    :func:`with_bounds` filled in). NaN for a row with neither a value nor a "<N" flag.

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"value": [77.0, None, None], "flag": ["", "suppressed_lt5", "revised"]})
    >>> lo, hi = bounds(cells)
    >>> lo.tolist(), hi.tolist()
    ([77.0, 1.0, nan], [77.0, 4.0, nan])
    """
    lim = suppressed_limit(df)
    exact = lim.isna()  # a "<N" cell's value column holds at most its central value
    lo = df["value"].where(exact, 1.0).astype(float)
    hi = df["value"].where(exact, lim - 1).astype(float)
    if "value_min" in df.columns:
        lo = pd.to_numeric(df["value_min"], errors="coerce").astype(float).fillna(lo)
    if "value_max" in df.columns:
        hi = pd.to_numeric(df["value_max"], errors="coerce").astype(float).fillna(hi)
    return lo, hi


def with_bounds(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every figure's bounds and central value filled in.

    ``value_min``/``value_max`` from :func:`bounds`; ``value`` of a range (a "<5" cell, or a sum
    of parts with "<5" among them) is its midpoint, the central value rule: "<5" counts as 2.5.
    Printed figures are unchanged; the ``flag`` still says which cells were "<5".

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"value": [77.0, None, None], "flag": ["", "suppressed_lt5", "revised"]})
    >>> with_bounds(cells)[["value", "value_min", "value_max"]].values.tolist()
    [[77.0, 77.0, 77.0], [2.5, 1.0, 4.0], [nan, nan, nan]]
    """
    out = df.copy()
    if out.empty:
        return out
    lo, hi = bounds(out)
    out["value_min"], out["value_max"] = lo, hi
    out["value"] = out["value"].astype(float).where(~is_suppressed(out), (lo + hi) / 2)
    return out


def is_reported(df: pd.DataFrame) -> pd.Series:
    """True for rows that carry a figure: printed, or published as "<N" (bounds known).

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"value": [77.0, None, None], "flag": ["", "suppressed_lt5", "revised"]})
    >>> is_reported(cells).tolist()
    [True, True, False]
    """
    return bounds(df)[0].notna()
