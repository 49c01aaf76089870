"""Consistency checks and breaks in series: rules (``checks.yml``) applied to the built table.

A release is tested against itself (a total against its breakdowns by sex, age and form; a stage
by form against the same form's victims) and against its earlier releases (a series that jumps by
an order of magnitude). Failures are flagged ``inconsistent`` or ``break_in_series`` and listed in
the audit; the figures themselves are left as published.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from thbstats.analysis.metrics.ranges import cell_label, cell_labels
from thbstats.ingest import audit
from thbstats.ingest.vintages import add_flag

RULES_FILE = Path(__file__).with_name("checks.yml")
DIMS = ("form", "sex", "age")
BASE = ["publication", "geo", "year_start", "year_end", "stage", "unit"]


@cache
def rules() -> dict[str, Any]:
    """The rules of checks.yml."""
    with open(RULES_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _parts_exceed_total(t: pd.DataFrame, rule: dict[str, Any]) -> tuple[pd.Series, pd.Series]:
    d = rule["dimension"]
    others = [x for x in DIMS if x != d]
    k = BASE + others
    total = t[t[d] == "all"].set_index(k)
    parts = t[t[d].isin(rule["parts"])]
    lo = parts.groupby(k)["value_min"].sum()
    npart = parts.groupby(k).size()
    j = total.join(lo.rename("_parts_lo"), how="inner").join(npart.rename("_n"))
    excess = j["_parts_lo"] - j["value_max"]
    bad = j[(j["_parts_lo"] >= rule["min_ratio"] * j["value_max"]) & (excess >= rule["min_excess"])]
    bad_keys = set(bad.index)
    why = {
        i: f"{rule['id']}: total {r.value_max:g} at most, parts at least {r._parts_lo:g}"
        for i, r in bad.iterrows()
    }
    key_of = pd.Series(list(zip(*[t[c] for c in k], strict=True)), index=t.index)
    hit = key_of.isin(bad_keys) & t[d].eq("all")
    return hit, key_of[hit].map(why)


def _copies_reference(t: pd.DataFrame, rule: dict[str, Any]) -> tuple[pd.Series, pd.Series]:
    k = ["publication", "geo", "year_start", "year_end", "form", "sex", "age", "unit"]
    ref = t[t["stage"] == rule["reference"]].set_index(k)["value"].rename("_ref")
    cand = t[t["stage"].isin(rule["stages"]) & (t["form"] != "all")]
    tot_k = ["publication", "geo", "year_start", "year_end", "stage", "sex", "age", "unit"]
    tot = t[t["form"] == "all"].set_index(tot_k)["value_max"].rename("_total")
    j = cand.join(ref, on=k).join(tot, on=tot_k)
    bad = (
        j["value"].notna()
        & (j["value"] >= rule["min_value"])
        & j["value"].eq(j["_ref"])
        & (j["value"] > j["_total"])
    )
    b = j[bad]
    why = pd.Series(
        [
            f"{rule['id']}: equals {rule['reference']} ({r:g}), stage total at most {tot:g}"
            for r, tot in zip(b["_ref"], b["_total"], strict=True)
        ],
        index=b.index,
        dtype=object,
    )
    hit = pd.Series(False, index=t.index)
    hit[b.index] = True
    return hit, why


KINDS = {"parts_exceed_total": _parts_exceed_total, "copies_reference_stage": _copies_reference}


def _lines(t: pd.DataFrame, mask: pd.Series, reason: pd.Series, flag: str) -> pd.DataFrame:
    rows = t[mask]
    shown = cell_labels(rows)
    return audit.flagged(rows, flag + ": " + reason.reindex(rows.index).astype(str), shown, shown)


def flag_inconsistent(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flag rows that contradict their own release (rules ``consistency``); audit them."""
    countries = table[table["geo_type"] == "country"]
    trail = []
    flags = table["flag"].copy()
    for rule in rules()["consistency"]:
        hit, why = KINDS[rule["kind"]](countries, rule)
        hit = hit.reindex(table.index, fill_value=False)
        flags = add_flag(flags, hit, "inconsistent")
        trail.append(_lines(table, hit, why, "inconsistent"))
    return table.assign(flag=flags), audit.concat(trail, keep_index=True)


def _totals(table: pd.DataFrame, stages: list[str]) -> pd.DataFrame:
    m = (
        (table["geo_type"] == "country")
        & table["stage"].isin(stages)
        & (table["form"] == "all")
        & (table["sex"] == "all")
        & (table["age"] == "all")
        & (table["year_start"] == table["year_end"])
    )
    return table.loc[
        m, ["source", "publication", "geo", "stage", "year_start", "value_min", "value_max"]
    ]


def _jump(
    lo_a: pd.Series, hi_a: pd.Series, lo_b: pd.Series, hi_b: pd.Series, cfg: dict
) -> pd.Series:
    """True where a and b differ by at least ``ratio`` times, the larger at least ``min_size``."""
    up = (lo_b >= cfg["ratio"] * hi_a.clip(lower=1)) & (lo_b >= cfg["min_size"])
    down = (lo_a >= cfg["ratio"] * hi_b.clip(lower=1)) & (lo_a >= cfg["min_size"])
    return up | down


def find_breaks(table: pd.DataFrame) -> pd.DataFrame:
    """Each break found: source, publication(s), geo, stage, years and values, and where."""
    cfg = rules()["breaks"]
    tot = _totals(table, cfg["stages"]).sort_values(["publication", "geo", "stage", "year_start"])
    found = []
    # between reported years of one release
    g = tot.groupby(["publication", "geo", "stage"], sort=False)
    prev = g[["year_start", "value_min", "value_max"]].shift(1)
    j = _jump(prev["value_min"], prev["value_max"], tot["value_min"], tot["value_max"], cfg)
    for i in j[j].index:
        r = tot.loc[i]
        found.append(
            {
                "source": r["source"],
                "publications": r["publication"],
                "geo": r["geo"],
                "stage": r["stage"],
                "between": "years",
                "where": f"{int(prev.loc[i, 'year_start'])} -> {int(r['year_start'])}",
                "values": f"{cell_label(prev.loc[i, 'value_min'], prev.loc[i, 'value_max'])} -> "
                f"{cell_label(r['value_min'], r['value_max'])}",
                "_first": r["publication"],
            }
        )
    # between releases, same year
    for (_src, _geo, _stage), grp in tot.groupby(["source", "geo", "stage"], sort=False):
        pubs = sorted(grp["publication"].unique())
        if len(pubs) < 2:
            continue
        wide = grp.pivot_table(
            index="year_start",
            columns="publication",
            values=["value_min", "value_max"],
            aggfunc="first",
        )
        for a, b in zip(pubs, pubs[1:], strict=False):
            if ("value_min", a) not in wide or ("value_min", b) not in wide:
                continue
            jj = _jump(
                wide["value_min", a],
                wide["value_max", a],
                wide["value_min", b],
                wide["value_max", b],
                cfg,
            )
            years = [int(y) for y in jj[jj].index]
            if years:
                y = years[0]
                found.append(
                    {
                        "source": _src,
                        "publications": f"{a};{b}",
                        "geo": _geo,
                        "stage": _stage,
                        "between": "releases",
                        "where": ", ".join(map(str, years)),
                        "values": f"{y}: {cell_label(wide['value_min', a][y], wide['value_max', a][y])} -> "
                        f"{cell_label(wide['value_min', b][y], wide['value_max', b][y])}",
                        "_first": pubs[0],
                    }
                )
    return order_breaks(pd.DataFrame(found, columns=[*BREAK_COLUMNS, "_first"]))


BREAK_COLUMNS = ["source", "publications", "geo", "stage", "between", "where", "values"]


def order_breaks(breaks: pd.DataFrame) -> pd.DataFrame:
    """Breaks in the order :func:`find_breaks` finds them on a whole table (between years, by
    release, country, stage and years; then between releases, by the series' first release):
    one order whatever parts of the table they were found in. ``_first`` (the first release of
    the series) orders them; it is not written out."""
    kind = breaks["between"].ne("years").astype(int)
    keys = [kind, breaks["_first"], breaks["geo"], breaks["stage"], breaks["publications"]]
    order = pd.DataFrame({i: k.to_numpy() for i, k in enumerate([*keys, breaks["where"]])})
    at = order.sort_values(list(order.columns), kind="mergesort").index
    return breaks.iloc[at].reset_index(drop=True)


def flag_breaks(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Flag every figure of a country and stage whose series breaks; the breaks and their audit."""
    breaks = find_breaks(table)
    hit = pd.Series(False, index=table.index)
    why = pd.Series("", index=table.index)
    for b in breaks.itertuples():
        m = (
            table["publication"].isin(b.publications.split(";"))
            & (table["geo"] == b.geo)
            & (table["stage"] == b.stage)
        )
        hit |= m
        why = why.where(~m | why.ne(""), f"{b.between} {b.where}: {b.values}")
    out = table.assign(flag=add_flag(table["flag"], hit, "break_in_series"))
    return out, breaks, _lines(out, hit, why, "break_in_series")
