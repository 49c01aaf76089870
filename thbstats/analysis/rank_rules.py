"""The rules that decide whether and how a State's ratio is ranked, and what its headline says.

- **Too wide to rank.** A ratio whose upper bound is ``MAX_SPREAD`` (4) or more times its lower
  bound is listed, not ranked: a ratio made only of "<5" cells (1 to 4) is exactly such a range.
- **Above 100.** Convictions and identified victims count different people and cases, so a State
  can convict more persons than it identifies victims; such a ratio is ranked only with that note.
- **About the median.** A ratio whose bounds straddle the median is "about" it, not above or below.
- **Rank intervals.** ``rank_best``/``rank_worst``: the best and worst rank the State could have
  if each ranked State's ratio were anywhere within its bounds.
"""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.metrics.ranges import number

MAX_SPREAD = 4.0
"""A ratio whose upper bound is this many times its lower bound or more is too wide to rank."""
ABOVE_100_NOTE = (
    "above 100: convictions and identified victims count different people and cases (a person "
    "convicted may have exploited victims identified in another year or country, or none "
    "identified as such), so a State can convict more persons than it identifies victims"
)
"""What a convicted-per-100-identified ratio above 100 means; it is ranked only with this note."""


def too_wide(lo: pd.Series, hi: pd.Series) -> pd.Series:
    """True where the bounds are a factor ``MAX_SPREAD`` or more apart (or the lower bound is 0).

    >>> import pandas as pd
    >>> too_wide(pd.Series([12.5, 10.0, 0.0]), pd.Series([50.0, 39.0, 3.0])).tolist()
    [True, False, True]
    """
    return ~(lo > 0) | (hi >= MAX_SPREAD * lo)


def wide_note(lo: pd.Series, hi: pd.Series) -> pd.Series:
    """Why a ratio too wide is not ranked, with its bounds.

    >>> import pandas as pd
    >>> print(wide_note(pd.Series([12.5]), pd.Series([50.0])).iloc[0])
    too few cases to rank: '<5' cells leave the ratio between 13 and 50 (a factor of 4 or more)
    """
    return pd.Series(
        [
            f"too few cases to rank: '<5' cells leave the ratio between {number(a)} and "
            f"{number(b)} (a factor of {MAX_SPREAD:g} or more)"
            for a, b in zip(lo, hi, strict=True)
        ],
        index=lo.index,
        dtype=object,
    )


def vs_median(value: pd.Series, lo: pd.Series, hi: pd.Series, med: float) -> pd.Series:
    """ "above", "below", "at" the median, or "about" it when the bounds straddle it.

    >>> import pandas as pd
    >>> vs_median(pd.Series([31.25, 40.0, 20.0]), pd.Series([12.5, 40.0, 20.0]),
    ...           pd.Series([50.0, 40.0, 20.0]), 21.6).tolist()
    ['about', 'above', 'below']
    """
    out = pd.Series("", index=value.index, dtype=object)
    out[value > med] = "above"
    out[value < med] = "below"
    out[value == med] = "at"
    out[(lo < hi) & (lo <= med) & (hi >= med)] = "about"
    return out.where(value.notna(), "")


def rank_intervals(lo: pd.Series, hi: pd.Series, higher_is_better: bool) -> pd.DataFrame:
    """Best and worst rank of each State when every ratio may lie anywhere within its bounds.

    Best: 1 + the States certainly better (their worst beats its best); worst: 1 + the States
    that could be better (their best beats its worst). Exact ratios give the usual rank.

    >>> import pandas as pd
    >>> r = rank_intervals(pd.Series([40.0, 12.5, 20.0]), pd.Series([40.0, 50.0, 20.0]), True)
    >>> r.values.tolist()
    [[1, 2], [1, 3], [2, 3]]
    """
    good_lo, good_hi = (lo, hi) if higher_is_better else (-hi, -lo)
    best, worst = [], []
    for i in lo.index:
        others = lo.index != i
        best.append(1 + int((good_lo[others] > good_hi[i]).sum()))
        worst.append(1 + int((good_hi[others] > good_lo[i]).sum()))
    return pd.DataFrame({"rank_best": best, "rank_worst": worst}, index=lo.index, dtype="Int64")


def apply_rules(states: pd.DataFrame, rank_by: str, higher_is_better: bool) -> pd.DataFrame:
    """Rank ``states`` on ``rank_by`` by these rules: ``rank``, ``ranked_of``, ``rank_best``,
    ``rank_worst``, ``rank_note`` (why not ranked), ``ratio_note`` (what a ranked ratio means),
    ``median_<rank_by>`` and ``vs_median``.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"r": [112.3, 30.0, 25.0, 10.0, 31.25],
    ...                   "r_min": [112.3, 20.0, 25.0, 10.0, 12.5],
    ...                   "r_max": [112.3, 40.0, 25.0, 10.0, 50.0], "has_data": True})
    >>> out = apply_rules(s, "r", True)
    >>> out[["rank", "rank_best", "rank_worst", "vs_median"]].values.tolist()
    [[1, 1, 1, 'above'], [2, 2, 3, 'about'], [3, 2, 3, 'below'], [4, 4, 4, 'below'], [<NA>, <NA>, <NA>, 'about']]
    """
    value, lo, hi = states[rank_by], states[f"{rank_by}_min"], states[f"{rank_by}_max"]
    rankable = value.notna() & ~too_wide(lo, hi)
    states["rank_note"] = ""
    states.loc[~states["has_data"], "rank_note"] = "no UNODC figures in the window"
    states.loc[states["has_data"] & value.isna(), "rank_note"] = "a stage is missing"
    wide = value.notna() & ~rankable
    states.loc[wide, "rank_note"] = wide_note(lo[wide], hi[wide])
    states["ratio_note"] = ""
    if "convicted_per_100_identified" in states:  # whatever the ratio ranked on
        states.loc[states["convicted_per_100_identified"] > 100, "ratio_note"] = ABOVE_100_NOTE
    score = (value if higher_is_better else -value).where(rankable)
    states["rank"] = score.rank(ascending=False, method="min").astype("Int64")
    states["ranked_of"] = int(rankable.sum())
    ranks = rank_intervals(lo[rankable], hi[rankable], higher_is_better)
    states["rank_best"] = ranks["rank_best"].reindex(states.index).astype("Int64")
    states["rank_worst"] = ranks["rank_worst"].reindex(states.index).astype("Int64")
    med = value[rankable].median()
    states[f"median_{rank_by}"] = med
    states["vs_median"] = vs_median(value, lo, hi, med)  # said of a State not ranked too
    return states
