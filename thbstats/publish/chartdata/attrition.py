"""Attrition compared: the table of convictions per 100 identified victims by area, sorted."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics import attrition, members_of, number, period_label, range_label
from thbstats.publish.chartdata.common import finish_table, geo_title, searched, slug
from thbstats.publish.chartdata.notes import data_note
from thbstats.vocabulary import STAGE_LABELS


def _fmt(x: float) -> str:
    return f"{x:,.2g}" if 0 < abs(x) < 0.1 else (f"{x:,.1f}" if abs(x) < 100 else f"{x:,.0f}")


def ratio_text(r) -> str:
    """ "10.5" for an exact ratio, "0.3 (0.1-0.5)" for a range.

    >>> from types import SimpleNamespace as Row
    >>> ratio_text(Row(value=12.0098, low=12.0098, high=12.0098))
    '12.0'
    >>> ratio_text(Row(value=20.0, low=18.5, high=21.25))
    '20.0 (18.5-21.2)'
    """
    return _fmt(r.value) + (f" ({_fmt(r.low)}-{_fmt(r.high)})" if r.low != r.high else "")


def _label(r) -> str:
    if pd.isna(r.value):
        return ""
    d_lo, d_hi = getattr(r, "denominator_min", None), getattr(r, "denominator_max", None)
    den = range_label(d_lo, d_hi) if d_lo is not None and pd.notna(d_lo) else number(r.denominator)
    num = range_label(r.numerator_min, r.numerator_max)
    return f"{ratio_text(r)}  ({num} / {den}; {r.years})"


def attrition_data(
    df: pd.DataFrame,
    geos: str | Iterable[str] = "OSCE",
    start: int = 2015,
    end: int = 2018,
    *,
    numerator: str = "convicted",
    denominator: str = "identified",
    source: str | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """One row per area: ``numerator`` per 100 ``denominator`` with its range (``low``/``high``),
    ``shown`` (drawn, in rank order) and ``label``; areas without both figures stay, unshown.

    >>> import thbstats as thb
    >>> t = attrition_data(thb.load(), ["ALB", "DEU"], 2015, 2018)
    >>> print(t[["geo", "years", "numerator", "denominator", "label"]].to_string(index=False))
    geo            years  numerator  denominator                                 label
    ALB         no years        0.0          0.0
    DEU 2015, 2017, 2018      196.0       1632.0 12.0  (196 / 1,632; 2015, 2017, 2018)
    """
    years = list(range(start, end + 1))
    label = geos if isinstance(geos, str) else None
    codes = members_of(geos, df) if isinstance(geos, str) else list(geos)
    res = pd.DataFrame(
        [attrition(df, g, years, numerator, denominator, source=source) for g in codes]
    )
    res["name"] = [geo_title(df, g) for g in res["geo"]]
    have = res[res["value"].notna()].sort_values("value", ascending=False)
    if top:
        have = have.head(top)
    res["rank"] = pd.Series(range(1, len(have) + 1), index=have.index).reindex(res.index)
    res["label"] = [_label(r) for r in res.itertuples()]
    lacking = res[res["value"].isna()]
    name = geo_title(df, label) if label else f"{len(codes)} selected areas"
    per = int(res["per"].iloc[0]) if len(res) else 100
    span = period_label(years)
    shown = f"{len(have)} of {len(codes)} with both figures" + (
        f" (top {top})" if top and len(res) - len(lacking) > top else ""
    )
    no = ", ".join(lacking["geo"])
    note = (
        (have["note"].iloc[0] if len(have) and res["mixes_stock_and_flow"].any() else "")
        + (f" No data: {no}." if no else "")
        + f" Labels: ratio, its range where '<5' cells count ({numerator} / {denominator};"
        f" years used). Different people are counted at each stage, so a ratio can exceed"
        f" {per}. " + data_note(have, "whiskers show the range of the ratio")
    )
    num_label = STAGE_LABELS.get(numerator, numerator)
    return finish_table(
        res,
        id=slug(label or list(codes), f"attrition-{numerator}", start, end),
        kind="attrition",
        title=f"{STAGE_LABELS.get(numerator)} per {per:,} {denominator}: {name}, {span}",
        subtitle=f"{name} · {span} · countries: {shown}; each summed over its years with both "
        "figures",
        note=note,
        alt=f"Bar chart of {numerator} per {per} {denominator}, {span}: "
        + "; ".join(f"{r.name} {ratio_text(r)}" for r in have.itertuples())
        + ".",
        plotted=have,
        params={
            "geos": geos if isinstance(geos, str) else codes,
            "start": start,
            "end": end,
            "numerator": numerator,
            "denominator": denominator,
            "source": source,
            "top": top,
        },  # fmt: skip
        searched=searched(df, [numerator, denominator], source),
        numerator=numerator,
        xlabel=f"{num_label} per {per:,} {STAGE_LABELS.get(denominator, denominator).lower()}",
        empty=f"No data: no area has both {numerator} and {denominator} in {span}",
    )
