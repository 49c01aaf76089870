"""Pick rows from the tidy table: default figures, filters, flags.

The flags' rules (bounds of "<N" cells, the default figure) live in :mod:`thbstats.flags`, below
the build, which uses them too; they are re-exported here.

A figure may be printed by several editions (a later TIP Report revises an earlier data year) or by
two sources (one flagged ``alternative``). :func:`defaults` keeps one figure per key: the latest
edition among the rows not flagged ``alternative`` or as a range end. A row flagged ``revised`` is
superseded by the later edition when both are in the frame, and stays the figure when the frame
holds only its own release (e.g. ``aggregate(..., publication=...)`` of an older release).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.flags import (  # noqa: F401  (re-exported: the metrics' names for them)
    NOT_DEFAULT,
    SUPPRESSED,
    bounds,
    defaults,
    has_flag,
    is_reported,
    is_suppressed,
    suppressed_limit,
    with_bounds,
)
from thbstats.schema import (  # noqa: F401  (re-exported)
    NOT_DEFAULT_FLAGS,
    VARIANT_FLAGS,
    edition_rank,
    vintage_order,
)
from thbstats.vocabulary import FLOW_STAGES, STOCK_STAGES  # noqa: F401  (re-exported)


def _as_list(x: str | Iterable[str] | None) -> list[str] | None:
    if x is None:
        return None
    return [x] if isinstance(x, str) else list(x)


def select(
    df: pd.DataFrame,
    *,
    geo: str | Iterable[str] | None = None,
    stage: str | Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    source: str | Iterable[str] | None = None,
    form: str = "all",
    sex: str = "all",
    age: str = "all",
    unit: str | None = "persons",
    default: bool = True,
    single_year: bool = True,
) -> pd.DataFrame:
    """Rows matching the filters (None = any); default figures only unless ``default=False``.

    ``form``, ``sex`` and ``age`` default to ``all`` (the total), ``unit`` to ``persons``; single
    years only unless ``single_year=False``. Every row comes with its bounds (:func:`with_bounds`):
    a "<5" cell has ``value`` 2.5, ``value_min`` 1 and ``value_max`` 4, never an empty value.

    >>> import thbstats as thb
    >>> r = select(thb.load(), geo="SWE", stage="identified", years=[2021], source="UNODC")
    >>> print(r[["geo", "year_start", "stage", "value", "publication"]].to_string(index=False))
    geo  year_start      stage  value                  publication
    SWE        2021 identified  134.0 UNODC GLOTIP data 2025-04-14
    >>> r = select(thb.load(), geo="SWE", stage="convicted", years=[2021], source="UNODC")
    >>> print(r[["year_start", "value", "value_min", "value_max", "flag"]].to_string(index=False))
     year_start  value  value_min  value_max           flag
           2021    2.5        1.0        4.0 suppressed_lt5
    """
    m = pd.Series(True, index=df.index)
    for col, want in (("geo", geo), ("stage", stage), ("source", source)):
        values = _as_list(want)
        if values is not None:
            m &= df[col].isin(values)
    for col, want in (("form", form), ("sex", sex), ("age", age), ("unit", unit)):
        if want is not None:
            m &= df[col] == want
    if years is not None:
        m &= df["year_start"].isin(list(years))
    if single_year:
        m &= df["year_start"] == df["year_end"]
    out = df[m]
    return defaults(out) if default else with_bounds(out)


def period_label(years: Iterable[int]) -> str:
    """ "2015-2018" for a run of years, "2016" for one, "2003, 2005" for scattered ones.

    >>> period_label(range(2015, 2019)), period_label([2016]), period_label([2005, 2003])
    ('2015-2018', '2016', '2003, 2005')
    """
    ys = sorted(set(int(y) for y in years))
    if not ys:
        return "no years"
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(str(y) for y in ys)
