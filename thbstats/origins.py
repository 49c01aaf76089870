"""Each figure's first release: the content of a slice of the table, release by release.

A new release reprints most figures unchanged. What a chart or a brief says about a repeated
figure is the same whichever of the two releases it names, so a slice of the table is compared by
its latest figures, each with the release that first printed it with its current value
(``origin``), not with the latest release that repeated it: a release that repeats a figure
leaves the slice's hash unchanged; one that changes, adds or removes a figure changes it. Used by
``thbstats run`` (a run's slice) and ``thbstats briefs`` (a brief's slice).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from thbstats import schema
from thbstats.digest import text_digest

VALUE_COLUMNS = ["value", "value_min", "value_max", "unit", "flag"]


def _columns(key: list[str]) -> list[str]:
    return list(dict.fromkeys([*key, *VALUE_COLUMNS, "geo_type", "origin", "origin_citation"]))


def with_origin(every: pd.DataFrame) -> pd.DataFrame:
    """The latest figure of each key of ``every``, with ``origin`` and ``origin_citation``: the
    release that first printed it with this value (of the releases in a row, up to the latest),
    as text. ``every`` holds every vintage (``thb.load(vintage="all")``); given the latest only
    (``thb.load()``), each figure's origin is its own release: a repeated figure then counts as
    changed (the safe side)."""
    order, key = schema.vintage_order(every)
    shown = order["value_min"].astype(str) + "|" + order["value_max"].astype(str)
    groups = [order[c] for c in key]
    before = shown.groupby(groups, sort=False).shift(1)
    starts = before.isna() | before.ne(shown)
    origin = order["publication"].where(starts).groupby(groups, sort=False).ffill()
    cited = order["citation"].where(starts).groupby(groups, sort=False).ffill()
    out = order.assign(origin=origin, origin_citation=cited)
    latest = ~out.duplicated(key, keep="last")
    return out.loc[latest, _columns(key)].astype(str)


def read_with_origin(table: Path) -> pd.DataFrame:
    """``with_origin`` of a table file (every vintage it holds)."""
    return with_origin(pd.read_parquet(table))


def digest_text(text: str) -> str:
    """sha256 of a text (two slices' digests joined into one)."""
    return text_digest(text)


def digest(rows: pd.DataFrame, codes: Iterable[str] | None = None) -> str:
    """sha256 of the rows (of the geographies ``codes``, all when None), in a fixed order."""
    part = rows if codes is None else rows[rows["geo"].isin(list(codes))]
    part = part.sort_values(list(part.columns))
    return text_digest(part.to_csv(index=False, lineterminator="\n"))
