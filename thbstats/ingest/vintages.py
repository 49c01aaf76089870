"""Vintages: which release's figure is the latest for each key, and which were revised.

A figure is one key whatever release printed it (``figureKey`` of thbstats/schema.yml, with the
variant: a range end or an alternative is a figure of its own, not a vintage). Among the releases
that print a figure, the latest by ``thbstats.schema.vintage_order`` (the newest edition; an
original after a secondary copy of the same edition) is ``latest``; an older release's figure
whose value differs from the next release's is flagged ``revised``. A "<5" cell compares as its
own value: "<5" -> 7 is a revision, "<5" -> "<5" is not.
"""

from __future__ import annotations

import pandas as pd

from thbstats import schema
from thbstats.flags import has_flag
from thbstats.ingest import audit
from thbstats.numbers import cell_labels


def add_flag(flags: pd.Series, mask: pd.Series, flag: str) -> pd.Series:
    """Append ``flag`` to the ;-separated flags where ``mask`` holds (once)."""
    already = has_flag(flags, flag)
    add = mask & ~already
    out = flags.copy()
    out[add] = (flags[add] + ";" + flag).str.strip(";")
    return out


def mark(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set ``latest`` on every row and flag ``revised`` where a later release changed the value.

    Returns the table and the audit lines of the rows newly flagged revised.
    """
    order, key = schema.vintage_order(table)  # the "latest release" rule, written once
    order["latest"] = ~order.duplicated(key, keep="last")
    # the same figure: the same bounds ("<5" = 1-4, a sum of parts = its range, a number = itself)
    shown = order["value_min"].astype(str) + "|" + order["value_max"].astype(str)
    figure = order.groupby(key, sort=False).ngroup()  # NaN for a key with a missing part
    nxt = shown.groupby(figure, sort=False).shift(-1)
    nxt_pub = order["publication"].groupby(figure, sort=False).shift(-1)
    same_pub = nxt_pub.eq(order["publication"])
    revised = nxt.notna() & nxt.ne(shown) & ~same_pub & ~order["latest"]
    newly = revised & ~has_flag(order["flag"], "revised")
    order["flag"] = add_flag(order["flag"], revised, "revised")
    printed = cell_labels(order)
    nxt_printed = printed.groupby(figure, sort=False).shift(-1)
    lines = audit.flagged(
        order[newly],
        "revised: changed in " + nxt_pub[newly].astype(str),
        printed[newly],
        nxt_printed[newly],
    )
    out = order.drop(columns="_variant").sort_index()
    return out, lines
