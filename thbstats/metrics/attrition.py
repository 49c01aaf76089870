"""Attrition between stages: e.g. convicted per 100 identified, identified per 1,000 estimated.

Flows over flows (convicted / identified) are summed over the years in which both are known, for
the same countries (a joint balanced panel when summed from countries). A flow over the estimated
stock compares different things: the result carries ``mixes_stock_and_flow=True`` and says so in
``note``; there the flow is the average per year over the period and the stock is one estimate.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.metrics.aggregate import group_label
from thbstats.metrics.select import STOCK_STAGES, period_label
from thbstats.metrics.series import estimate, stage_table


def _bounds(num: pd.DataFrame, den: pd.DataFrame, per: float) -> tuple[float, float, float]:
    n, d = num["value"].sum(), den["value"].sum()
    value = n / d * per if d else float("nan")
    low = num["value_min"].sum() / den["value_max"].sum() * per if d else float("nan")
    high = num["value_max"].sum() / den["value_min"].sum() * per if d else float("nan")
    return value, low, high


def attrition(
    df: pd.DataFrame,
    geo: str | Iterable[str],
    years: Iterable[int],
    numerator: str = "convicted",
    denominator: str = "identified",
    *,
    per: float | None = None,
    source: str | None = None,
    mode: str = "balanced",
) -> dict:
    """``numerator`` per ``per`` ``denominator`` for ``geo`` over ``years`` (one result dict).

    ``per`` defaults to 1,000 when the denominator is the estimated stock, else 100. ``value`` uses
    printed figures; ``low``/``high`` count each "<5" cell as 1 and as 4.
    """
    years = sorted(int(y) for y in years)
    stock = denominator in STOCK_STAGES
    per = per or (1000.0 if stock else 100.0)
    res = {
        "geo": group_label(geo),
        "numerator_stage": numerator,
        "denominator_stage": denominator,
        "per": per,
        "mixes_stock_and_flow": stock,
    }
    if stock:
        return res | _over_stock(df, geo, years, numerator, per, source, mode)
    t = stage_table(df, geo, [numerator, denominator], years, source=source, mode=mode)
    wide = t.pivot_table(index="year", columns="stage", values="value", aggfunc="first")
    both = [
        y
        for y in years
        if y in wide.index
        and wide.loc[y].reindex([numerator, denominator]).notna().all()
        and wide.loc[y, denominator] > 0
    ]
    num = t[(t["stage"] == numerator) & t["year"].isin(both)]
    den = t[(t["stage"] == denominator) & t["year"].isin(both)]
    value, low, high = _bounds(num, den, per) if both else (float("nan"),) * 3
    n_c = den["n_countries"].min() if both else 0
    return res | {
        "years": period_label(both),
        "n_years": len(both),
        "numerator": num["value"].sum(),
        "denominator": den["value"].sum(),
        "value": value,
        "low": low,
        "high": high,
        "n_countries": n_c,
        "group_size": t["group_size"].iloc[0] if len(t) else pd.NA,
        "n_suppressed": int(t.loc[t["year"].isin(both), "n_suppressed"].sum()),
        "origin": t["origin"].iloc[0] if len(t) else "",
        "source": _join(t, both, "source"),
        "citation": _join(t, both, "citation"),
        "note": f"{numerator} and {denominator} are both yearly flows, summed over "
        f"{len(both)} year(s)" + (f" ({period_label(both)})" if both else "") + ".",
    }


def _join(t: pd.DataFrame, years: list[int], col: str) -> str:
    vals = t.loc[t["year"].isin(years), col].astype(str)
    return ";".join(sorted({p for v in vals for p in v.split(";") if p}))


def _over_stock(df, geo, years, numerator, per, source, mode) -> dict:
    t = stage_table(df, geo, numerator, years, source=source, mode=mode)
    t = t[t["value"].notna()]
    est = estimate(df, geo, near_year=years[-1] if years else None)
    if t.empty or est is None:
        return {
            "years": period_label(t["year"]),
            "n_years": len(t),
            "value": float("nan"),
            "low": float("nan"),
            "high": float("nan"),
            "numerator": float("nan"),
            "denominator": est["value"] if est else float("nan"),
            "n_countries": 0,
            "note": "No figure for " + ("the estimate" if est is None else numerator) + ".",
        }
    avg = t["value"].mean()
    value = avg / est["value"] * per
    return {
        "years": period_label(t["year"]),
        "n_years": len(t),
        "numerator": avg,
        "denominator": est["value"],
        "value": value,
        "low": t["value_min"].mean() / est["value"] * per,
        "high": t["value_max"].mean() / est["value"] * per,
        "n_countries": t["n_countries"].min(),
        "group_size": t["group_size"].iloc[0],
        "n_suppressed": int(t["n_suppressed"].sum()),
        "origin": t["origin"].iloc[0],
        "source": ";".join(sorted(set(t["source"]) | {est["source"]})),
        "citation": ";".join(
            sorted(set(";".join(t["citation"]).split(";")) | set(est["citation"].split(";")))
        ),
        "estimate_year": est["year"],
        "note": (
            f"Mixes a stock with a flow: 'estimated' counts people in the situation at one "
            f"time ({est['publication']}, {est['year']}); '{numerator}' is a yearly flow "
            f"(average per year, {period_label(t['year'])}). Not a rate of {numerator}."
        ),
    }
