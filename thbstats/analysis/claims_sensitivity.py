"""How much each claim's check depends on rows the build flagged: recomputed without them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from thbstats.analysis.claims import independent_values, judge, load_claims
from thbstats.analysis.claims_kinds import CHANGE_KINDS, compute, exclude, quantity
from thbstats.vocabulary import JUSTICE_STAGES

SENSITIVITY_COLUMNS = [
    "claim",
    "group",
    "release",
    "variant",
    "rows_excluded",
    "asserted",
    "computed",
    "computed_min",
    "computed_max",
    "difference",
    "verdict",
    "coverage",
]


def _variants(
    df: pd.DataFrame, claims: dict[str, Any], names: list[str], cache: dict[str, tuple]
) -> list[tuple[str, pd.DataFrame, int]]:
    """The table as published, then without the rows of each named exclusion (cached by name)."""
    rules = claims.get("exclusions", {})
    out: list[tuple[str, pd.DataFrame, int]] = [("all rows", df, 0)]
    for name in names:
        if name not in rules:
            raise ValueError(
                f"claims.yml: unknown exclusion {name!r} (expected one of {list(rules)})"
            )
        if name not in cache:
            cache[name] = (rules[name]["label"], *exclude(df, rules[name]))
        out.append(cache[name])
    return out


def claim_sensitivity(df: pd.DataFrame, claims: dict[str, Any] | None = None) -> pd.DataFrame:
    """Each claim with a ``sensitivity`` block, recomputed for each release it names, as
    published and without the rows each of its exclusions takes out (one row per variant).

    A claim written for this example: Nordic convictions fell by 65 % from 2015 to 2022; without
    Sweden, Denmark and Norway alone go from 19 (7 + 12) to 5 (two "<5"), -73.7 %. The three
    "<5" cells of all rows leave the change between -87 % and -40 %: they decide the verdict.

    >>> import thbstats as thb
    >>> claim = {
    ...     "id": "nordic-convictions", "asserted": -65, "asserts": "about", "tolerance": 1.0,
    ...     "tolerance_abs": True, "unit": "percent change",
    ...     "independent": {"kind": "percent_change", "stage": "convicted", "years": [2015, 2022],
    ...                     "groups": ["NORDIC"], "publications": ["UNODC GLOTIP data 2025-04-14"]},
    ...     "sensitivity": {"exclusions": ["SWE"]},
    ... }
    >>> claims = {"claims": [claim], "exclusions": {"SWE": {"label": "without Sweden", "geo": ["SWE"]}}}
    >>> t = claim_sensitivity(thb.load(), claims)
    >>> [(r.variant, round(r.computed, 1), r.verdict) for r in t.itertuples()]
    [('all rows', -65.1, "the '<5' cells decide"), ('without Sweden', -73.7, 'direction reproduced, magnitude differs')]
    """
    claims = claims or load_claims()
    cache: dict[str, tuple] = {}
    rows = []
    for claim in claims["claims"]:
        sens, spec = claim.get("sensitivity"), claim.get("independent")
        if not sens or not spec:
            continue
        variants = _variants(df, claims, sens.get("exclusions", []), cache)
        for group in spec["groups"]:
            for pub in sens.get("publications", spec["publications"]):
                for label, table, n_out in variants:
                    q = compute(table, spec, group, pub)
                    change = spec["kind"] in CHANGE_KINDS
                    verdict, diff = judge(claim, q.value, q.low, q.high, change=change)
                    rows.append(
                        {
                            "claim": claim["id"],
                            "group": group,
                            "release": pub,
                            "variant": label,
                            "rows_excluded": n_out,
                            "asserted": float(claim["asserted"]),
                            "computed": q.value,
                            "computed_min": q.low,
                            "computed_max": q.high,
                            "difference": diff,
                            "verdict": verdict,
                            "coverage": q.coverage,
                        }
                    )
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)


def sensitivity(df: pd.DataFrame, claims: dict[str, Any] | None = None) -> pd.DataFrame:
    """Europe 2015-2018 under each choice of countries, panel rule and UNODC release.

    The choices are data (the ``sensitivity`` block of ``data/claims.yml``); here the Nordic
    countries, 2015 and 2022:

    >>> import thbstats as thb
    >>> cfg = {"years": [2015, 2022], "groups": ["NORDIC"], "modes": ["balanced"],
    ...        "publications": ["UNODC GLOTIP data 2025-04-14"]}
    >>> row = sensitivity(thb.load(), {"sensitivity": cfg}).iloc[0]
    >>> round(float(row["convicted_change_pct"]), 1), row["convicted_countries"]
    (-65.1, '3-3')
    >>> round(float(row["prosecuted_change_pct"]), 1), row["prosecuted_countries"]
    (-1.6, '2-2')
    """
    claims = claims or load_claims()
    cfg = claims["sensitivity"]
    years = cfg["years"]
    rows = []
    for group in cfg["groups"]:
        for mode in cfg["modes"]:
            for pub in cfg["publications"]:
                row: dict[str, Any] = {"group": group, "panel": mode, "release": pub}
                for stage in JUSTICE_STAGES:
                    spec = {"stage": stage, "years": years}
                    values, agg = independent_values(df, spec, group, pub, mode)
                    row[f"{stage}_change_pct"] = quantity("percent_change", values, years)
                    row[f"{stage}_avg"] = quantity("average", values, years)
                    row[f"{stage}_countries"] = (
                        f"{int(agg['n_countries'].min())}-{int(agg['n_countries'].max())}"
                    )
                rows.append(row)
    return pd.DataFrame(rows)
