"""Vintages: which release's figure is the latest for each key, and which were revised.

A key is one figure whatever release printed it: source, geography, period, stage, form, sex, age,
unit and variant (a range end or an alternative is a figure of its own, not a vintage). Among the
releases that print a key, the newest edition (the date or year in its publication name; an
original before a secondary copy of the same edition) is ``latest``; an older release's figure
whose value differs from the next release's is flagged ``revised``. A "<5" cell compares as its
own value: "<5" -> 7 is a revision, "<5" -> "<5" is not.
"""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.metrics.ranges import cell_labels
from thbstats.analysis.metrics.select import edition_rank, has_flag
from thbstats.ingest import audit

VARIANT_FLAGS = ("range_low", "range_high", "alternative")
KEY = ["source", "geo", "year_start", "year_end", "stage", "form", "sex", "age", "unit", "_variant"]


def variant(flags: pd.Series) -> pd.Series:
    """The variant a row prints: '' for the figure itself, or range_low/range_high/alternative."""
    out = pd.Series("", index=flags.index)
    for f in VARIANT_FLAGS:
        out = out.where(~has_flag(flags, f), f)
    return out


def add_flag(flags: pd.Series, mask: pd.Series, flag: str) -> pd.Series:
    """Append ``flag`` to the ;-separated flags where ``mask`` holds (once)."""
    already = has_flag(flags, flag)
    add = mask & ~already
    return flags.where(~add, (flags + ";" + flag).str.strip(";"))


def mark(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set ``latest`` on every row and flag ``revised`` where a later release changed the value.

    Returns the table and the audit lines of the rows newly flagged revised.
    """
    t = table.assign(
        _variant=variant(table["flag"]),
        _rank=table["publication"].map(edition_rank),
        _copy=has_flag(table["flag"], "secondary_source").astype(int),
    )
    # newest edition last; within an edition the original after its secondary copy
    order = t.sort_values(
        [*KEY, "_rank", "_copy", "publication"],
        ascending=[True] * len(KEY) + [True, False, True],
        kind="mergesort",
    )
    order["latest"] = ~order.duplicated(KEY, keep="last")
    # the same figure: the same bounds ("<5" = 1-4, a sum of parts = its range, a number = itself)
    shown = order["value_min"].astype(str) + "|" + order["value_max"].astype(str)
    nxt = shown.groupby([order[c] for c in KEY], sort=False).shift(-1)
    nxt_pub = order["publication"].groupby([order[c] for c in KEY], sort=False).shift(-1)
    same_pub = nxt_pub.eq(order["publication"])
    revised = nxt.notna() & nxt.ne(shown) & ~same_pub & ~order["latest"]
    newly = revised & ~has_flag(order["flag"], "revised")
    order["flag"] = add_flag(order["flag"], revised, "revised")
    printed = cell_labels(order)
    nxt_printed = printed.groupby([order[c] for c in KEY], sort=False).shift(-1)
    lines = audit.flagged(
        order[newly],
        "revised: changed in " + nxt_pub[newly].astype(str),
        printed[newly],
        nxt_printed[newly],
    )
    out = order.drop(columns=["_variant", "_rank", "_copy"]).sort_index()
    return out, lines
