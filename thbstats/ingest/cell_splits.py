"""The splits a release prints of each total: the sum of each split's parts, and the printed rows
that make it (:mod:`thbstats.ingest.cells` judges a total against them). Also the split by form a
stage copies from the victims' (set aside before the totals are judged).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from thbstats.numbers import range_label

DIMS = ("form", "sex", "age")
BASE = ["publication", "geo", "year_start", "year_end", "stage", "unit"]
CELL = [*BASE, *DIMS]


def copies(t: pd.DataFrame, rule: dict[str, Any]) -> tuple[pd.Series, pd.Series]:
    """Rows of a stage's split by form that repeat the reference stage's split (every form the
    stage prints equal, at least ``min_copied`` persons in forms printed as numbers, two of them)."""
    forms = t[t["form"].isin(rule["forms"])]
    k = [c for c in CELL if c != "stage"]
    ref = forms[forms["stage"] == rule["reference"]].set_index(k)[["value_min", "value_max"]]
    cand = forms[forms["stage"].isin(rule["stages"])]
    j = cand.join(ref, on=k, rsuffix="_ref")
    same = j["value_min"].eq(j["value_min_ref"]) & j["value_max"].eq(j["value_max_ref"])
    exact = same & j["value_min"].eq(j["value_max"])
    g = [j[c] for c in BASE + ["sex", "age"]]
    all_same = same.groupby(g).transform("all")
    n_exact = exact.groupby(g).transform("sum")
    copied = j["value_min"].where(exact, 0.0).groupby(g).transform("sum")
    hit = all_same & (n_exact >= 2) & (copied >= rule["min_copied"])
    why = pd.Series(
        [
            f"{rule['id']}: the split by form equals {rule['reference']}'s ("
            f"{range_label(v, v)} persons in forms printed alike)"
            for v in copied[hit]
        ],
        index=copied[hit].index,
        dtype=object,
    )
    return hit.reindex(t.index, fill_value=False), why


def _parts(
    t: pd.DataFrame, dim: str, parts: list[str], fallback: dict[str, list[str]]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Each part of a split along ``dim``: the printed cell, or where the release does not print it
    at the others' "all", the sum of its cells across one of the ``fallback`` dimensions (Germany
    2022 prints victims of unknown sex only as of unknown age). Columns CELL, lo, hi, own (the
    lower bound of the printed part, 0 for a part summed across another dimension); and the
    printed rows each part holds, as two arrays: the part's position, the row's label."""
    own = t[t[dim].isin(parts)]
    out = [own[CELL].assign(lo=own["value_min"], hi=own["value_max"], own=own["value_min"])]
    part_of, row_of = [np.arange(len(own))], [own.index.to_numpy()]
    have, n = pd.MultiIndex.from_frame(own[CELL]), len(own)
    for other, its_parts in fallback.items():
        if other == dim:
            continue
        fine = own[own[other].isin(its_parts)]
        if fine.empty:
            continue
        g = fine.groupby([c for c in CELL if c != other], sort=False)
        s = (
            g[["value_min", "value_max"]]
            .sum()
            .reset_index()
            .rename(columns={"value_min": "lo", "value_max": "hi"})
            .assign(**{other: "all"}, own=0.0)[[*CELL, "lo", "hi", "own"]]
        )
        keys = pd.MultiIndex.from_frame(s[CELL])
        new = ~keys.isin(have)
        code = g.ngroup().to_numpy()
        take = new[code]
        part_of.append(n + np.cumsum(new)[code[take]] - 1)
        row_of.append(fine.index.to_numpy()[take])
        out.append(s[new])
        have, n = have.append(keys[new]), n + int(new.sum())
    return pd.concat(out, ignore_index=True), np.concatenate(part_of), np.concatenate(row_of)


def splits_and_rows(
    t: pd.DataFrame, cfg: dict[str, Any], set_aside: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every split of every total (see :func:`splits`) without its rows; and the printed rows of
    each split (columns ``sid``, the split's position, and ``row``, in the order its parts hold
    them)."""
    fallback = {s["dimension"]: s["parts"] for s in cfg["splits"] if s.get("persons")}
    use = t[~set_aside.reindex(t.index, fill_value=False)]
    out, sid, part, row, n = [], [], [], [], 0
    for s in cfg["splits"]:
        d = s["dimension"]
        p, part_of, row_of = _parts(use, d, s["parts"], fallback)
        g = p.groupby([c for c in CELL if c != d], sort=False)
        out.append(g[["lo", "hi", "own"]].sum().reset_index().assign(**{d: "all"}, split=d))
        sid.append(n + g.ngroup().to_numpy()[part_of])
        part.append(part_of)
        row.append(row_of)
        n += len(out[-1])
    if not out:
        return pd.DataFrame(), pd.DataFrame({"sid": [], "row": []})
    sid_a, part_a, row_a = (np.concatenate(x) for x in (sid, part, row))
    order = np.lexsort((part_a, sid_a))
    return pd.concat(out, ignore_index=True), pd.DataFrame(
        {"sid": sid_a[order], "row": row_a[order]}
    )


def splits(t: pd.DataFrame, cfg: dict[str, Any], set_aside: pd.Series) -> pd.DataFrame:
    """Every split of every total the release prints: the total's CELL, split, lo, hi, own (the
    lower bound of its printed parts alone: the evidence it gives), rows."""
    s, members = splits_and_rows(t, cfg, set_aside)
    if s.empty and not len(s.columns):
        return s
    rows: list[list] = [[] for _ in range(len(s))]
    for i, r in zip(members["sid"].tolist(), members["row"].tolist(), strict=True):
        rows[i].append(r)
    s.insert(s.columns.get_loc("own") + 1, "rows", rows)
    return s
