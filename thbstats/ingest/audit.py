"""The audit trail: every row a reader or the build drops, merges, corrects or flags.

One line per source row touched (``data/processed/audit.csv``): the file, the sheet row, the
figure's key, the action, the reason and the values before and after. The build summary and
``datapackage.json`` count from it, so what they report is what the audit lists.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

COLUMNS = [
    "file",
    "sheet_row",
    "publication",
    "key",
    "action",
    "reason",
    "value_before",
    "value_after",
]
ACTIONS = ("dropped", "merged", "flagged")
KEY_PARTS = ["geo", "year_start", "stage", "form", "sex", "age"]


def empty() -> pd.DataFrame:
    """An audit with no lines."""
    return pd.DataFrame(columns=COLUMNS)


def key_text(df: pd.DataFrame, parts: Iterable[str] = KEY_PARTS) -> pd.Series:
    """'ALB|2017|identified|other|all|all': the figure's key as one readable string."""
    cols = [c for c in parts if c in df.columns]
    if df.empty:
        return pd.Series([], index=df.index, dtype=str)
    return df[cols].astype(str).agg("|".join, axis=1)


def lines(
    *,
    file: str | pd.Series,
    rows: pd.Series | Iterable,
    publication: str | pd.Series,
    key: pd.Series | Iterable[str],
    action: str,
    reason: str | pd.Series,
    before: pd.Series | Iterable | str = "",
    after: pd.Series | Iterable | str = "",
    index: pd.Index | None = None,
) -> pd.DataFrame:
    """Audit lines for a batch of rows touched for one reason (``index``: the rows' index)."""
    if action not in ACTIONS:
        raise ValueError(f"audit action: expected one of {ACTIONS}, found {action!r}")
    rows = list(rows)
    n = len(rows)

    def col(x):
        if isinstance(x, str):
            return [x] * n
        return list(x)

    return pd.DataFrame(
        {
            "file": col(file),
            "sheet_row": rows,
            "publication": col(publication),
            "key": col(key),
            "action": [action] * n,
            "reason": col(reason),
            "value_before": col(before),
            "value_after": col(after),
        },
        columns=COLUMNS,
        index=index,
    )


def flagged(
    rows: pd.DataFrame, reason: str | pd.Series, before: Iterable, after: Iterable
) -> pd.DataFrame:
    """Audit lines for table rows the build flagged (origin in their ``_file``/``_row`` columns),
    indexed like the rows (so the build can order lines as the table)."""
    none = pd.Series("", index=rows.index)
    return lines(
        file=rows.get("_file", none),
        rows=rows.get("_row", none),
        publication=rows["publication"],
        key=key_text(rows),
        action="flagged",
        reason=reason,
        before=before,
        after=after,
        index=rows.index,
    )


def concat(frames: Iterable[pd.DataFrame], keep_index: bool = False) -> pd.DataFrame:
    """One audit from several (empty frames skipped); ``keep_index``: keep the lines' index."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return empty()
    return pd.concat(frames, ignore_index=not keep_index)[COLUMNS]


def counts(audit: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Lines per publication and 'action:reason' (what the build summary and datapackage show)."""
    if audit.empty:
        return {}
    c = audit.groupby(["publication", "action", "reason"], sort=True).size()
    out: dict[str, dict[str, int]] = {}
    for (pub, action, reason), n in c.items():
        out.setdefault(str(pub), {})[f"{action}:{reason}"] = int(n)
    return out
