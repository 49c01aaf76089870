"""Consistency checks and breaks in series: rules (``checks.yml``) applied to the built table.

A release is tested against itself (a total against its splits by sex, age and form; a stage's
split by form against the victims'), the odd one out flagged ``inconsistent`` and an outvoted
total replaced in the default view by the sum of its splits, flagged ``derived``
(:mod:`thbstats.ingest.cells`). Each series is tested against itself: a one-year outlier is
flagged ``outlier``, the first year of a new level ``break_in_series``
(:mod:`thbstats.ingest.breaks`). Every figure is left as published and every flag is audited.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from thbstats.ingest import audit, breaks, cells
from thbstats.ingest.vintages import add_flag
from thbstats.numbers import cell_labels

RULES_FILE = Path(__file__).with_name("checks.yml")
BREAK_COLUMNS = breaks.COLUMNS


@cache
def rules() -> dict[str, Any]:
    """The rules of checks.yml."""
    with open(RULES_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def rule_ids() -> list[str]:
    """The consistency rules' ids, in the order the audit lists them."""
    return list(rules()["consistency"]["rules"])


def _lines(t: pd.DataFrame, mask: pd.Series, reason: pd.Series, flag: str) -> pd.DataFrame:
    rows = t[mask]
    shown = cell_labels(rows)
    return audit.flagged(rows, flag + ": " + reason.reindex(rows.index).astype(str), shown, shown)


def flag_inconsistent(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flag the odd cell of each contradiction; add the derived totals (indexed -1 - the printed
    total's index); audit the flagged rows."""
    countries = table[table["geo_type"] == "country"]
    found, derived = cells.resolve(countries, rules()["consistency"])
    flags = table["flag"].copy()
    for flag in ("inconsistent", "superseded_by_parts"):
        hit = found["flag"].str.split(";").map(lambda fs, f=flag: f in fs)
        flags = add_flag(flags, hit.reindex(table.index, fill_value=False), flag)
    out = table.assign(flag=flags)
    hit = pd.Series(out.index.isin(found.index), index=out.index)
    lines = _lines(out, hit, found["reason"], "inconsistent")
    if len(derived):
        out = pd.concat([out, derived.astype(out.dtypes.to_dict())]).sort_index()
    return out, lines


def order_breaks(found: pd.DataFrame) -> pd.DataFrame:
    """Breaks in one order whatever parts of the table they were found in: by source, country,
    stage, unit of the series and year."""
    return found.sort_values(["source", "geo", "stage", "year"], kind="mergesort").reset_index(
        drop=True
    )


def flag_breaks(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Flag each outlier and each first year of a new level; the breaks and their audit."""
    found, at = breaks.find(table, rules()["breaks"])
    flags, trail = table["flag"], []
    for flag in breaks.KIND_FLAG.values():
        hit = pd.Series(table.index.isin(at.index[at["flag"] == flag]), index=table.index)
        flags = add_flag(flags, hit, flag)
        trail.append((hit, flag))
    out = table.assign(flag=flags)
    lines = [_lines(out, hit, at["reason"], flag) for hit, flag in trail]
    return out, order_breaks(found), audit.concat(lines, keep_index=True)
