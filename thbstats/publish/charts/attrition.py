"""Attrition compared: convictions per 100 identified victims by region or country, sorted."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics import (
    attrition,
    members_of,
    number,
    period_label,
    range_label,
)
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    Chart,
    data_note,
    finish,
    geo_title,
    house_style,
    new_figure,
    no_data,
    range_errors,
)
from thbstats.publish.charts.lines import _slug


def attrition_chart(
    df: pd.DataFrame,
    geos: str | Iterable[str] = "OSCE",
    start: int = 2015,
    end: int = 2018,
    *,
    numerator: str = "convicted",
    denominator: str = "identified",
    source: str | None = None,
    top: int | None = None,
) -> Chart:
    """Horizontal bars of ``numerator`` per 100 ``denominator`` by region or country, sorted.

    ``geos``: a list of codes (e.g. TIP regions), or a group code whose member countries are
    compared. Countries or regions without both figures are listed as "no data".
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
    lacking = res[res["value"].isna()]
    name = geo_title(df, label) if label else f"{len(codes)} selected areas"
    per = int(res["per"].iloc[0]) if len(res) else 100
    with house_style():
        fig = new_figure(9.0, max(4.8, 0.32 * len(have) + 3.2))
        ax = fig.add_subplot()
        ys = range(len(have))[::-1]
        ax.barh(list(ys), have["value"], color=STAGE_COLOURS.get(numerator), height=0.7)
        rng = (have["low"] != have["high"]).to_numpy()
        if rng.any():
            err = have[rng].rename(columns={"low": "value_min", "high": "value_max"})
            y_rng = [y for y, r in zip(ys, rng, strict=True) if r]
            ax.errorbar(have["value"][rng], y_rng, xerr=range_errors(err), **RANGE_STYLE)
        for y, r in zip(ys, have.itertuples(), strict=True):
            ax.annotate(_label(r), (r.high, y), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=9.5)  # fmt: skip
        ax.set_yticks(list(ys), have["name"], fontsize=10 if len(have) > 15 else 11)
        ax.set_xlabel(
            f"{STAGE_LABELS.get(numerator, numerator)} per {per:,} "
            f"{STAGE_LABELS.get(denominator, denominator).lower()}"
        )
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        x_top = have[["value", "high"]].max().max() if len(have) else float("nan")
        if x_top > 0:  # room on the right for the labels written after each whisker
            ax.set_xlim(0, x_top / 0.55)
        ax.xaxis.set_major_formatter(THOUSANDS)
        if have.empty:
            no_data(
                ax,
                f"No data: no area has both {numerator} and {denominator} in {period_label(years)}",
            )
    title = (
        f"{STAGE_LABELS.get(numerator)} per {per:,} {denominator}: {name}, {period_label(years)}"
    )
    shown = f"{len(have)} of {len(codes)} with both figures" + (
        f" (top {top})" if top and len(res) - len(lacking) > top else ""
    )
    subtitle = (
        f"{name} · {period_label(years)} · coverage: {shown}; each summed over its years "
        "with both figures"
    )
    no = ", ".join(lacking["geo"])
    note = (
        (have["note"].iloc[0] if len(have) and res["mixes_stock_and_flow"].any() else "")
        + (f" No data: {no}." if no else "")
        + f" Labels: ratio, its range where '<5' cells count ({numerator} / {denominator};"
        f" years used). Different people are counted at each stage, so a ratio can exceed"
        f" {per}. " + data_note(have, "whiskers show the range of the ratio")
    ).strip()
    keys, footer = finish(fig, title, subtitle, have, note)
    alt = (
        f"Bar chart of {numerator} per {per} {denominator}, {period_label(years)}: "
        + "; ".join(f"{r.name} {_ratio_text(r)}" for r in have.itertuples())
        + "."
    )
    return Chart(
        fig=fig,
        id=_slug(label or "custom", f"attrition-{numerator}", start, end),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=res,
        note=note,
        citations=keys,
        params={
            "geos": geos if isinstance(geos, str) else codes,
            "start": start,
            "end": end,
            "numerator": numerator,
            "denominator": denominator,
            "source": source,
            "top": top,
        },
    )


def _fmt(x: float) -> str:
    return f"{x:,.2g}" if 0 < abs(x) < 0.1 else (f"{x:,.1f}" if abs(x) < 100 else f"{x:,.0f}")


def _ratio_text(r) -> str:
    """ "10.5" for an exact ratio, "0.3 (0.1-0.5)" for a range."""
    return _fmt(r.value) + (f" ({_fmt(r.low)}-{_fmt(r.high)})" if r.low != r.high else "")


def _label(r) -> str:
    d_lo, d_hi = getattr(r, "denominator_min", None), getattr(r, "denominator_max", None)
    den = range_label(d_lo, d_hi) if d_lo is not None and pd.notna(d_lo) else number(r.denominator)
    num = range_label(r.numerator_min, r.numerator_max)
    return f"{_ratio_text(r)}  ({num} / {den}; {r.years})"
