"""Which cell to believe: a total against every split its release prints (``checks.yml``).

A release prints a total and its splits by sex, by age and by form. Where they contradict each
other (the parts add up to far more than the whole), the odd one out is flagged ``inconsistent``:
the total when the splits agree with each other and not with it, a split when the total and the
other splits agree without it, both when it is one against one. A split by form that repeats
another stage's split by form (convictions copying the victims' figures) is flagged first and
then set aside. A total that agreeing splits outvote is kept as printed (flags ``inconsistent``
and ``superseded_by_parts``, a variant that is not the default figure) and followed by a row
flagged ``derived``: the bounds of the splits by sex and by age that contradict it, the default
figure in its place.
"""

from __future__ import annotations

from itertools import combinations, groupby
from typing import Any

import numpy as np
import pandas as pd

from thbstats.ingest.cell_splits import BASE, CELL, DIMS, copies, splits, splits_and_rows
from thbstats.numbers import cell_label, range_label

__all__ = ["BASE", "CELL", "DIMS", "copies", "judge", "resolve", "splits"]


def _agree(lo_a: float, hi_a: float, lo_b: float, hi_b: float, cfg: dict[str, Any]) -> bool:
    """Two figures agree: their bounds overlap or differ by little (``max_gap``, ``max_ratio``)."""
    gap = max(lo_a - hi_b, lo_b - hi_a, 0.0)
    return gap <= max(cfg["max_gap"], (cfg["max_ratio"] - 1) * min(hi_a, hi_b))


def _contradicts(lo: float, total_hi: float, cfg: dict[str, Any]) -> bool:
    """A split's parts add up to far more than the total can be."""
    return lo >= cfg["min_ratio"] * total_hi and lo - total_hi >= cfg["min_excess"]


def judge(
    total: tuple[float, float],
    sums: dict[str, tuple[float, float]],
    cfg: dict,
    own: dict[str, float] | None = None,
) -> dict:
    """The odd one out among a total and its splits (name -> (lo, hi)).

    Returns ``{"odd": "total" | "splits" | "both" | None, "against": [...], "group": [...],
    "confirm": [...]}``: the splits that contradict the total, when the total is outvoted the
    agreeing ones among them, and the splits that agree with the total.

    A split by form alone never outvotes the total: a person may be counted in two forms (and
    some States print their total under every form). ``own``: each split's printed parts alone
    (a cell of unknown sex and age shared by both person splits is no evidence against a total);
    a split of persons that tells a third story (agreeing neither with the total nor with the
    splits against it) keeps the total from being outvoted.

    >>> cfg = {"contradiction": {"min_ratio": 2, "min_excess": 10},
    ...        "agreement": {"max_gap": 10, "max_ratio": 1.25},
    ...        "splits": [{"dimension": "sex", "persons": True}, {"dimension": "age", "persons": True},
    ...                   {"dimension": "form"}]}
    >>> judge((1, 4), {"sex": (1294, 1294), "age": (1296, 1296)}, cfg)["odd"]
    'total'
    >>> judge((5, 5), {"sex": (2, 8), "age": (5, 5), "form": (238, 238)}, cfg)["odd"]
    'splits'
    >>> judge((5, 5), {"form": (238, 238)}, cfg)["odd"]
    'splits'
    >>> judge((5, 5), {"sex": (238, 238)}, cfg)["odd"]
    'both'
    """
    lo_t, hi_t = total
    own = own or {s: lo for s, (lo, _hi) in sums.items()}
    against = [s for s in sums if _contradicts(own[s], hi_t, cfg["contradiction"])]
    if not against:
        return {"odd": None, "against": [], "group": [], "confirm": []}
    agree = cfg["agreement"]
    confirm = [
        s
        for s, (lo, hi) in sums.items()
        if s not in against
        and (_agree(lo, hi, lo_t, hi_t, agree) or _agree(own[s], own[s], lo_t, hi_t, agree))
    ]
    group = next(
        list(c)
        for n in range(len(against), 0, -1)
        for c in combinations(against, n)
        if all(_agree(*sums[a], *sums[b], agree) for a, b in combinations(c, 2))
    )
    side = 1 + len(confirm)
    persons = [x["dimension"] for x in cfg["splits"] if x.get("persons")]
    if not any(x in persons for x in group):  # a split by form alone: forms may overlap
        side = len(group) + 1
    odd = "total" if len(group) > side else "splits" if len(group) < side else "both"
    if odd == "total" and any(p in sums and p not in group + confirm for p in persons):
        odd = "both"  # a third story: no figure to put in the total's place
    group = group if odd == "total" else []
    return {"odd": odd, "against": against, "group": group, "confirm": confirm}


def _words(sums: dict[str, tuple[float, float]], names: list[str]) -> str:
    return ", ".join(f"by {n} {cell_label(*sums[n])}" for n in names)


def resolve(t: pd.DataFrame, cfg: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Judge every total of ``t`` (country rows with bounds) against its splits.

    Returns the flags to add (columns ``flag``: ";"-joined, ``reason``; indexed like ``t``) and
    the derived rows (copies of the outvoted totals, indexed -1 - the printed row's index).
    """
    hit, why = copies(t, cfg["copies"])
    flags: Flags = ({}, {})
    for i, reason in why.items():
        flags[0][i], flags[1][i] = "inconsistent", reason
    s, members = splits_and_rows(t, cfg, hit)
    derived = []
    if not s.empty:
        tot = t[CELL].assign(_t=t.index, t_lo=t["value_min"], t_hi=t["value_max"])
        s = s.assign(_sid=np.arange(len(s))).merge(tot, on=CELL, how="inner")
        c = cfg["contradiction"]
        bad = (s["own"] >= c["min_ratio"] * s["t_hi"]) & (s["own"] - s["t_hi"] >= c["min_excess"])
        s = s[s["_t"].isin(s.loc[bad, "_t"])].sort_values("_t", kind="stable")
        derived = _judge_all(t, s, members, cfg, flags)
    out = pd.DataFrame(derived) if derived else t.iloc[:0]
    return _flag_frame(t.index, flags), out


Flags = tuple[dict, dict]
"""The flags and first reasons added so far, by row label."""


def _flag_frame(index: pd.Index, flags: Flags) -> pd.DataFrame:
    """The rows of ``index`` that got a flag, in ``index`` order: columns flag, reason."""
    at = index.isin(list(flags[0]))
    got = index[at]
    return pd.DataFrame(
        {"flag": [flags[0][i] for i in got], "reason": [flags[1].get(i, "") for i in got]},
        index=got,
        dtype=object,
    )


def _judge_all(
    t: pd.DataFrame, s: pd.DataFrame, members: pd.DataFrame, cfg: dict[str, Any], flags: Flags
) -> list[pd.Series]:
    """Judge each total of ``s`` (its splits, grouped by the total's label ``_t``): flag the odd
    cells; the derived rows."""
    persons = [x["dimension"] for x in cfg["splits"] if x.get("persons")]
    rows_of: dict[int, list] = {}
    need = members[members["sid"].isin(s["_sid"])]
    for k, r in zip(need["sid"].tolist(), need["row"].tolist(), strict=True):
        rows_of.setdefault(k, []).append(r)
    cols = zip(
        s["_t"].tolist(),
        s["split"].tolist(),
        s["lo"].tolist(),
        s["hi"].tolist(),
        s["own"].tolist(),
        s["_sid"].tolist(),
        s["t_lo"].to_numpy(),
        s["t_hi"].to_numpy(),
        strict=True,
    )
    derived = []
    for i, group in groupby(cols, key=lambda r: r[0]):
        g = list(group)
        sums = {r[1]: (r[2], r[3]) for r in g}
        rows = {r[1]: rows_of.get(r[5], []) for r in g}
        total = (g[0][6], g[0][7])
        v = judge(total, sums, cfg, {r[1]: r[4] for r in g})
        made = _blame(flags, i, cell_label(*total), sums, rows, v, persons)
        if made is not None:
            derived.append(_derived(t.loc[i], i, *made))
    return derived


def _blame(
    flags: Flags, i: int, total: str, sums: dict, rows: dict, v: dict, persons: list[str]
) -> tuple[float, float] | None:
    """Flag the odd cell(s) of one total's verdict ``v``; the derived bounds, if any."""
    used = [x for x in v["group"] if x in persons]
    if v["odd"] == "total" and used:
        lo, hi = min(sums[x][0] for x in used), max(sums[x][1] for x in used)
        by = " and ".join("by " + x for x in used)
        _add(
            flags,
            [i],
            "inconsistent;superseded_by_parts",
            f"total_contradicted_by_splits: total {total}, splits {_words(sums, v['group'])}; "
            f"the default figure is {range_label(lo, hi)} (derived from the splits {by})",
        )
        return lo, hi
    if v["odd"] in ("total", "both"):
        rule = "total_contradicted_by_splits" if v["odd"] == "total" else "total_and_split_disagree"
        _add(
            flags,
            [i],
            "inconsistent",
            f"{rule}: total {total}, splits {_words(sums, v['against'])}",
        )
    for x in v["against"] if v["odd"] in ("splits", "both") else []:
        if v["odd"] == "both":
            why = f"total_and_split_disagree: split {_words(sums, [x])}, total {total}"
        elif v["confirm"]:
            why = (
                f"split_contradicts_total: split {_words(sums, [x])}, total {total} "
                f"(which the splits {_words(sums, v['confirm'])} agree with)"
            )
        else:
            why = (
                f"split_contradicts_total: split {_words(sums, [x])}, total {total} (a split "
                "by form alone never outvotes its total: forms may overlap)"
            )
        _add(flags, rows[x], "inconsistent", why)
    return None


def _add(flags: Flags, rows: list, flag: str, reason: str) -> None:
    """Add ``flag`` (once) and the first reason to ``rows`` of ``flags``."""
    for r in rows:
        have = [f for f in flags[0].get(r, "").split(";") if f]
        flags[0][r] = ";".join(dict.fromkeys(have + flag.split(";")))
        if not flags[1].get(r):
            flags[1][r] = reason


def _derived(printed: pd.Series, i: int, lo: float, hi: float) -> pd.Series:
    """The default figure in place of an outvoted total: the splits' bounds, flag ``derived``."""
    row = printed.copy()
    row["value"] = lo if lo == hi else float("nan")
    row["value_min"], row["value_max"], row["flag"] = lo, hi, "derived"
    row.name = -1 - i
    return row
