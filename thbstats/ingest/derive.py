"""What the build adds to the rows read: bounds, consistency, vintages and breaks in series.

Each of these looks at one source and one geography at a time (the figure key, a release's own
totals and a country's series all hold both), so the table splits into (source, geo) parts that
are derived independently. A part whose rows are the same as in the last build (a sha256 of its
rows, with their origin) takes its derived rows, audit lines and breaks from
``data/processed/cache/derived/``; the other parts are derived now. Everything is then put in the
order a derivation of the whole table gives, so a rebuild writes the same files as a cold build.
A derived total (``thbstats.ingest.cells``) is indexed -1 - the index of the printed total it
replaces, so it is cached and restored with that row.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from thbstats import paths, schema
from thbstats.atomic import write_text_atomic
from thbstats.digest import code_digest
from thbstats.ingest import audit, checks, vintages

FORMAT = 2
PACKAGE = Path(__file__).resolve().parent.parent
CODE = (
    "ingest/derive.py",
    "ingest/vintages.py",
    "ingest/checks.py",
    "ingest/checks.yml",
    "ingest/cells.py",
    "ingest/cell_splits.py",
    "ingest/breaks.py",
    "ingest/audit.py",
    "flags.py",
    "numbers.py",
    "schema.py",
    "schema.yml",
)
"""The code whose change makes every part stale."""


def cache_dir() -> Path:
    return paths.processed_dir() / "cache" / "derived"


def fill_bounds(table: pd.DataFrame) -> pd.DataFrame:
    """value_min/value_max where a reader left them empty: the value, or 1 and N-1 for "<N"."""
    from thbstats.flags import bounds

    lo, hi = bounds(table)  # a reader's bounds where set, else the flag rule
    return table.assign(value_min=lo, value_max=hi)


def derive_all(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Derive ``table`` (rows with ``_file``/``_row``): the rows, their audit lines (indexed like
    the rows they flag) and the breaks in series."""
    table = fill_bounds(table)
    table, inconsistent = checks.flag_inconsistent(table)
    table, revised = vintages.mark(table)
    table, breaks, broken = checks.flag_breaks(table)
    return table, audit.concat([revised, inconsistent, broken], keep_index=True), breaks


def derive(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`derive_all`, recomputing only the (source, geo) parts whose rows changed."""
    part = (table["source"].astype(str) + "|" + table["geo"].astype(str)).rename("_part")
    digests = _digests(table, part)
    cached = _load(cache_dir())
    clean = {p for p, d in digests.items() if cached and cached["digests"].get(p) == d}
    stale = ~part.isin(clean)
    pos = part.groupby(part, sort=False).cumcount().rename("_pos")
    fresh = derive_all(table[stale]) if stale.any() or not clean else None  # (an empty table too)
    if not clean:
        rows, lines, breaks = fresh
    else:
        at = pd.Series(table.index[~stale], index=pd.MultiIndex.from_arrays([part, pos])[~stale])
        old_rows, old_lines, old_breaks = (
            cached[k].loc[lambda f: f["_part"].isin(clean)] for k in ("rows", "lines", "breaks")
        )
        kept_rows = _reindex(old_rows, at)
        kept_lines = _reindex(old_lines, at)
        kept_breaks = old_breaks.drop(columns="_part")
        if fresh is None:
            rows, lines, breaks = kept_rows, kept_lines, kept_breaks
        else:
            rows = pd.concat([fresh[0], kept_rows.astype(fresh[0].dtypes.to_dict())])
            lines = pd.concat([fresh[1], kept_lines])
            breaks = pd.concat([fresh[2], kept_breaks], ignore_index=True)
        rows = rows.sort_index()
        breaks = checks.order_breaks(breaks)
    lines = _order_lines(lines, rows)
    if stale.any():
        _store(cache_dir(), digests, rows, lines, breaks, part, pos)
    return rows, audit.concat([lines]), breaks


def _digests(table: pd.DataFrame, part: pd.Series) -> dict[str, str]:
    """sha256 of each part's rows (every column, origin included, in table order) and the code."""
    code = _code_version()
    hashes = pd.util.hash_pandas_object(table, index=False).to_numpy()
    return {
        p: hashlib.sha256(code.encode() + hashes[ix].tobytes()).hexdigest()
        for p, ix in part.groupby(part, sort=False).indices.items()
    }


def _code_version() -> str:
    return code_digest(PACKAGE, CODE, f"format {FORMAT}\n")


def _reindex(frame: pd.DataFrame, at: pd.Series) -> pd.DataFrame:
    """Cached rows or lines of unchanged parts, given the index their rows have in this table
    (a derived row's position is -1 - its printed row's, and so is its index)."""
    pos = frame["_pos"].to_numpy().astype("int64")
    own = pos >= 0
    keys = pd.MultiIndex.from_arrays([frame["_part"], np.where(own, pos, -1 - pos)])
    labels = at.reindex(keys).to_numpy().astype("int64")
    return frame.drop(columns=["_part", "_pos"]).set_axis(np.where(own, labels, -1 - labels))


def _origin(index: pd.Index, part: pd.Series, pos: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The part and position of each label of ``index`` (a derived row's: its printed row's part,
    -1 - its position)."""
    idx = np.asarray(index, dtype="int64")
    own = idx >= 0
    src = np.where(own, idx, -1 - idx)
    p = part.reindex(src).to_numpy()
    q = pos.reindex(src).to_numpy().astype("int64")
    return p, np.where(own, q, -1 - q)


def _order_lines(lines: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Audit lines in the order a whole-table derivation writes them: revisions in the order of
    the vintages, then each consistency rule's lines and the breaks' lines in table order."""
    if lines.empty:
        return lines
    rule_ids = checks.rule_ids()
    step = lines["reason"].map(lambda r: _step(str(r), rule_ids)).to_numpy()
    within = lines.index.to_numpy().copy()
    revised = step == 0
    by_vintage, _ = schema.vintage_order(rows.loc[sorted(set(within[revised]))])
    rank = pd.Series(range(len(by_vintage)), index=by_vintage.index)
    within[revised] = rank.loc[within[revised]].to_numpy()
    order = pd.DataFrame({"step": step, "within": within})
    return lines.iloc[order.sort_values(["step", "within"], kind="mergesort").index]


def _step(reason: str, rule_ids: list[str]) -> int:
    """0 for a revision, 1 + the rule's place for a consistency rule, then breaks."""
    head, _, rest = reason.partition(": ")
    if head == "revised":
        return 0
    if head == "inconsistent":
        rule = rest.partition(":")[0]
        return 1 + rule_ids.index(rule) if rule in rule_ids else 1 + len(rule_ids)
    return 2 + len(rule_ids)


def _load(folder: Path) -> dict | None:
    """The last build's parts: digests, derived rows, lines, breaks (None if absent or damaged)."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        return {
            "digests": meta["digests"],
            "rows": pd.read_parquet(folder / "rows.parquet"),
            "lines": pd.read_parquet(folder / "lines.parquet"),
            "breaks": pd.read_parquet(folder / "breaks.parquet"),
        }
    except (OSError, ValueError, KeyError):
        return None


def _store(
    folder: Path,
    digests: dict[str, str],
    rows: pd.DataFrame,
    lines: pd.DataFrame,
    breaks: pd.DataFrame,
    part: pd.Series,
    pos: pd.Series,
) -> None:
    """Keep this build's parts for the next (meta.json, written last, makes them valid)."""
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    p, q = _origin(rows.index, part, pos)
    rows.assign(_part=p, _pos=q).to_parquet(tmp / "rows.parquet", index=False)
    p, q = _origin(lines.index, part, pos)
    lines.assign(_part=p, _pos=q).to_parquet(tmp / "lines.parquet", index=False)
    origin = breaks["source"].astype(str) + "|" + breaks["geo"].astype(str)
    breaks.assign(_part=origin).to_parquet(tmp / "breaks.parquet", index=False)
    write_text_atomic(tmp / "meta.json", json.dumps({"digests": digests}, sort_keys=True))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
