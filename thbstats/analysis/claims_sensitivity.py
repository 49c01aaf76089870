"""How much each claim's check depends on rows the build flagged: recomputed without them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from thbstats.analysis.claims import independent_values, judge, load_claims
from thbstats.analysis.claims_kinds import compute, exclude, quantity

SENSITIVITY_COLUMNS = [
    "claim",
    "group",
    "release",
    "variant",
    "rows_excluded",
    "asserted",
    "computed",
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
    published and without the rows each of its exclusions takes out (one row per variant)."""
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
                    verdict, diff = judge(claim, q.value)
                    rows.append(
                        {
                            "claim": claim["id"],
                            "group": group,
                            "release": pub,
                            "variant": label,
                            "rows_excluded": n_out,
                            "asserted": float(claim["asserted"]),
                            "computed": q.value,
                            "difference": diff,
                            "verdict": verdict,
                            "coverage": q.coverage,
                        }
                    )
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)


def sensitivity(df: pd.DataFrame, claims: dict[str, Any] | None = None) -> pd.DataFrame:
    """Europe 2015-2018 under each choice of countries, panel rule and UNODC release."""
    claims = claims or load_claims()
    cfg = claims["sensitivity"]
    years = cfg["years"]
    rows = []
    for group in cfg["groups"]:
        for mode in cfg["modes"]:
            for pub in cfg["publications"]:
                row: dict[str, Any] = {"group": group, "panel": mode, "release": pub}
                for stage in ("identified", "prosecuted", "convicted"):
                    spec = {"stage": stage, "years": years}
                    values, agg = independent_values(df, spec, group, pub, mode)
                    row[f"{stage}_change_pct"] = quantity("percent_change", values, years)
                    row[f"{stage}_avg"] = quantity("average", values, years)
                    row[f"{stage}_countries"] = (
                        f"{int(agg['n_countries'].min())}-{int(agg['n_countries'].max())}"
                    )
                rows.append(row)
    return pd.DataFrame(rows)
