"""Attrition between stages: e.g. convicted per 100 identified, identified per 1,000 estimated.

Flows over flows (convicted / identified) are summed over the years in which both are known, for
the same countries (a joint balanced panel when summed from countries). A flow over the estimated
stock compares different things: the result carries ``mixes_stock_and_flow=True`` and says so in
``note``; there the flow is the average per year over the period and the stock is one estimate,
summed over the same countries as the flow (:func:`thbstats.analysis.metrics.matched.group_panel`;
``left_out`` names the members without both).

"<5" cells count as ranges (:mod:`thbstats.analysis.metrics.ranges`): ``value`` from the central values,
``low``/``high`` from the extreme combinations; ``numerator``/``denominator`` carry ``_min`` and
``_max`` beside them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics.aggregate import group_label
from thbstats.analysis.metrics.matched import group_panel
from thbstats.analysis.metrics.ranges import Range, ratio
from thbstats.analysis.metrics.select import STOCK_STAGES, period_label
from thbstats.analysis.metrics.series import estimate, stage_table
from thbstats.vocabulary import ESTIMATE_CONCEPTS


def _total(t: pd.DataFrame, how: str = "sum") -> Range:
    """The summed (or averaged) range of a stage table's rows."""
    agg = getattr(t[["value", "value_min", "value_max"]], how)()
    return Range(float(agg["value"]), float(agg["value_min"]), float(agg["value_max"]))


def _range_columns(name: str, r: Range) -> dict:
    return {name: r.value, f"{name}_min": r.low, f"{name}_max": r.high}


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
    central values (each "<5" cell as 2.5); ``low``/``high`` come from the extreme combinations
    of the bounds (each "<5" cell as 1 or 4), so a State whose figures are all "<5" keeps a range.

    Sweden 2018-2022: 12 to 24 persons convicted (four "<5" years and 8 in 2020) per 100 of the
    799 identified victims:

    >>> import thbstats as thb
    >>> r = attrition(thb.load(), "SWE", range(2018, 2023), "convicted", "identified")
    >>> r["years"], r["numerator_min"], r["numerator_max"], r["denominator"]
    ('2018-2022', 12.0, 24.0, 799.0)
    >>> round(r["value"], 2), round(r["low"], 2), round(r["high"], 2)
    (2.25, 1.5, 3.0)
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
    n_r, d_r = _total(num), _total(den)
    r = ratio(n_r, d_r, per) if both else Range(float("nan"), float("nan"), float("nan"))
    n_c = den["n_countries"].min() if both else 0
    return res | {
        "years": period_label(both),
        "n_years": len(both),
        **_range_columns("numerator", n_r),
        **_range_columns("denominator", d_r),
        "value": r.value,
        "low": r.low,
        "high": r.high,
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
    """A group's flow and estimate over the same countries (``metrics.matched.group_panel``)."""
    panel = group_panel(df, geo, ["estimated", numerator], years, source=source)
    scope = panel.countries if panel is not None and mode == "balanced" else geo
    t = stage_table(df, scope, numerator, years, source=source, mode=mode) if len(scope) else None
    t = t[t["value"].notna()] if t is not None else pd.DataFrame(columns=["year", "value"])
    est = estimate(df, scope, near_year=years[-1] if years else None) if len(scope) else None
    if t.empty or est is None:
        return {
            "years": period_label(t["year"]),
            "n_years": len(t),
            "value": float("nan"),
            "low": float("nan"),
            "high": float("nan"),
            **_range_columns("numerator", Range(float("nan"), float("nan"), float("nan"))),
            "denominator": est["value"] if est else float("nan"),
            "n_countries": 0,
            "note": "No figure for " + ("the estimate" if est is None else numerator) + ".",
        }
    avg = _total(t, "mean")
    r = ratio(avg, Range(est["value"], est["value"], est["value"]), per)
    return {
        "years": period_label(t["year"]),
        "n_years": len(t),
        **_range_columns("numerator", avg),
        "denominator": est["value"],
        "value": r.value,
        "low": r.low,
        "high": r.high,
        "n_countries": t["n_countries"].min(),
        "group_size": len(panel.members) if scope is not geo else t["group_size"].iloc[0],
        "n_suppressed": int(t["n_suppressed"].sum()),
        "origin": t["origin"].iloc[0],
        "source": ";".join(sorted(set(t["source"]) | {est["source"]})),
        "citation": ";".join(
            sorted(set(";".join(t["citation"]).split(";")) | set(est["citation"].split(";")))
        ),
        "estimate_year": est["year"],
        "left_out": panel.left_out_text() if panel is not None and mode == "balanced" else "",
        "estimate_form": est["form"],
        "note": (
            f"Mixes a stock with a flow: the estimate counts "
            f"{ESTIMATE_CONCEPTS.get(est['form'], 'people in the situation')} at one "
            f"time ({est['publication']}, {est['year']}); '{numerator}' is a yearly flow "
            f"(average per year, {period_label(t['year'])}). Not a rate of {numerator}."
        ),
    }
