"""The sentences under a chart: coverage, "<5" cells, flagged figures, one country dominating."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.metrics.aggregate import CARE_FLAGS


def coverage_phrase(t: pd.DataFrame, across: str = "years") -> str:
    """How many countries an aggregate covers, or that the figures are printed for the area.

    >>> import pandas as pd
    >>> pub = "UNODC GLOTIP data 2025-04-14"
    >>> t = pd.DataFrame({"value": [54.0], "origin": ["published"], "publication": [pub]})
    >>> coverage_phrase(t)
    'figures as printed in UNODC GLOTIP data 2025-04-14'
    """
    if t.empty or t["value"].isna().all():
        return "no figures"
    if (t["origin"] == "published").all():
        pubs = "; ".join(sorted(set(t["publication"].dropna())))
        return f"figures as printed in {pubs}"
    agg = t[t["value"].notna()]
    lo, hi, size = (
        int(agg["n_countries"].min()),
        int(agg["n_countries"].max()),
        agg["group_size"].iloc[0],
    )
    n = f"{lo}" if lo == hi else f"{lo}-{hi}"
    how = (
        f"the same countries for all {across}"
        if (agg["mode"] == "balanced").all()
        else f"whichever countries report, so the countries summed change across the {across}"
    )
    return f"sum of {n} of {size} countries' figures, {how}"


def _figures(n: int) -> str:
    """ "1 country figure", "3 country figures"."""
    return f"{n:,} country figure" + ("" if n == 1 else "s")


def n_suppressed(t: pd.DataFrame) -> int:
    """How many "<5" country cells the plotted rows contain.

    >>> import pandas as pd
    >>> n_suppressed(pd.DataFrame({"n_suppressed": [3, None, 2]}))
    5
    """
    return int(pd.to_numeric(t.get("n_suppressed", pd.Series(dtype=float))).fillna(0).sum())


def suppressed_note(t: pd.DataFrame, shown: str = "whiskers show the range") -> str:
    """Sentence on the "<5" cells a figure contains (counted as ranges), or empty.

    >>> import pandas as pd
    >>> suppressed_note(pd.DataFrame({"n_suppressed": [3, 0]}))
    "Contains 3 country figures published as '<5' (1 to 4 persons each), counted as ranges: ...
    """
    n = n_suppressed(t)
    if not n:
        return ""
    return (
        f"Contains {_figures(n)} published as '<5' (1 to 4 persons each), counted as "
        f"ranges: {shown}; the central value counts each '<5' as 2.5."
    )


def dominance_note(t: pd.DataFrame) -> str:
    """Sentence naming a country that makes up more than half of a plotted sum, or empty.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"largest": ["USA"], "largest_share": [0.61], "n_countries": [30],
    ... "year": [2016]})
    >>> dominance_note(t)
    'One country dominates: United States makes up 61% of the sum (2016).'
    """
    if "largest_share" not in t.columns:
        return ""
    big = t[
        (pd.to_numeric(t["largest_share"], errors="coerce") > 0.5)
        & (pd.to_numeric(t["n_countries"], errors="coerce") > 1)
    ]
    if big.empty:
        return ""
    from thbstats import geo

    parts = []
    for code, g in big.groupby("largest", sort=False):
        share = (
            f"{g['largest_share'].min():.0%}"
            if len(g) == 1
            else (f"{g['largest_share'].min():.0%}-{g['largest_share'].max():.0%}")
        )
        years = ", ".join(str(int(y)) for y in sorted(set(g["year"])))
        parts.append(f"{geo.name(code)} makes up {share} of the sum ({years})")
    return "One country dominates: " + "; ".join(parts) + "."


def flagged_note(t: pd.DataFrame) -> str:
    """Sentence on figures flagged for care (``aggregate.CARE_FLAGS``: a break in series, a
    one-year outlier, inconsistent, derived from splits) in the plotted rows, or empty.

    >>> import pandas as pd
    >>> flagged_note(pd.DataFrame({"n_flagged": [5, 0]}))
    'Includes 5 country figures flagged as a break in series, a one-year outlier, ...
    """
    if "n_flagged" in t.columns:
        n = int(pd.to_numeric(t["n_flagged"], errors="coerce").fillna(0).sum())
    else:
        n = 0
    if "flag" in t.columns and "origin" in t.columns and (t["origin"] == "published").any():
        fl = t["flag"].fillna("").astype(str).str.split(";")
        n += int(fl.map(lambda f: any(c in f for c in CARE_FLAGS)).sum())
    if not n:
        return ""
    return (
        f"Includes {_figures(n)} flagged as a break in series, a one-year outlier, "
        "inconsistent with their release or derived from their splits."
    )


def data_note(t: pd.DataFrame, shown: str = "whiskers show the range") -> str:
    """The notes on what a figure's numbers contain: "<5" ranges, one dominant country, flags.

    >>> import pandas as pd
    >>> data_note(pd.DataFrame({"n_suppressed": [1]}), "labels give the range")
    "Contains 1 country figure published as '<5' (1 to 4 persons each), counted as ranges: ...
    """
    return " ".join(s for s in (suppressed_note(t, shown), dominance_note(t), flagged_note(t)) if s)
