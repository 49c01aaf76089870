"""The impunity funnel: estimated -> identified -> prosecuted -> convicted, on a log scale."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.transforms as mtransforms
import pandas as pd

from thbstats.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    STAGE_LABELS,
    Chart,
    coverage_phrase,
    data_note,
    finish,
    geo_title,
    house_style,
    log_ticks,
    new_figure,
)
from thbstats.metrics import Range, estimate, range_label, ratio, stage_table
from thbstats.schema import ESTIMATE_CONCEPTS

STAGES = ("estimated", "identified", "prosecuted", "convicted")


def funnel_data(
    df: pd.DataFrame,
    geo,
    year: int,
    stages: Iterable[str] = STAGES,
    *,
    source: str | None = None,
    mode: str = "balanced",
) -> pd.DataFrame:
    """One row per stage: the figure plotted (NaN = no data), its source, period and coverage."""
    stages = list(stages)
    flows = [s for s in stages if s != "estimated"]
    t = stage_table(df, geo, flows, [year], source=source, mode=mode)
    rows = []
    for st in stages:
        if st == "estimated":
            e = estimate(df, geo, near_year=year)
            rows.append(
                {
                    "stage": st,
                    "value": e["value"] if e else float("nan"),
                    "value_min": e["value"] if e else float("nan"),
                    "value_max": e["value"] if e else float("nan"),
                    "period": str(e["year"]) if e else "",
                    "kind": "stock",
                    "publication": e["publication"] if e else "",
                    "citation": e["citation"] if e else "",
                    "n_countries": e["n_countries"] if e else pd.NA,
                    "group_size": e["group_size"] if e else pd.NA,
                    "n_suppressed": 0,
                    "origin": e["origin"] if e else "",
                    "form": e["form"] if e else "",
                }
            )
            continue
        r = t[t["stage"] == st]
        ok = not r.empty and pd.notna(r["value"].iloc[0])
        r = r.iloc[0] if ok else None
        rows.append(
            {
                "stage": st,
                "value": r["value"] if ok else float("nan"),
                "value_min": r["value_min"] if ok else float("nan"),
                "value_max": r["value_max"] if ok else float("nan"),
                "period": str(year),
                "kind": "flow",
                "publication": r["publication"] if ok else "",
                "citation": r["citation"] if ok else "",
                "n_countries": r["n_countries"] if ok else pd.NA,
                "group_size": r["group_size"] if ok else pd.NA,
                "n_suppressed": r["n_suppressed"] if ok else 0,
                "origin": r["origin"] if ok else "",
                "form": "all",
            }
        )
    out = pd.DataFrame(rows)
    out.insert(0, "geo", geo if isinstance(geo, str) else "custom")
    return out


def _missing_note(data: pd.DataFrame) -> str:
    """Why a stage has no data when a release is missing (e.g. the Walk Free workbook)."""
    from thbstats.releases import missing_notes

    lost = missing_notes(stages=list(data.loc[data["value"].isna(), "stage"]))
    return "".join(f" {n[0].upper()}{n[1:]}." for n in lost)


SHORT_CONCEPTS = {
    "forced_labour": "forced labour",
    "modern_slavery": "modern slavery",
    "forced_marriage": "forced marriage",
}


def _stage_label(stage: str, form: str) -> str:
    """'Identified victims'; an estimate with what it estimates: 'Estimated:\nmodern slavery'."""
    if stage == "estimated" and form in SHORT_CONCEPTS:
        return f"Estimated:\n{SHORT_CONCEPTS[form]}"
    return STAGE_LABELS.get(stage, stage)


def _concept_note(concept: str) -> str:
    """Say that the estimate is not of trafficking victims when it is not."""
    if not concept or concept == ESTIMATE_CONCEPTS["trafficking"]:
        return ""
    return (
        f"The estimate counts {concept}, not victims of trafficking only: the identified, "
        "prosecuted and convicted stages count trafficking cases. "
    )


def _rng(r: pd.Series) -> Range:
    return Range(float(r["value"]), float(r["value_min"]), float(r["value_max"]))


def _ratio_text(upper: pd.Series, lower: pd.Series) -> str:
    per = 1000 if upper["kind"] == "stock" else 100
    r = ratio(_rng(lower), _rng(upper), per)
    fmt = lambda x: f"{x:,.1f}" if x < 100 else f"{x:,.0f}"  # noqa: E731
    num = fmt(r.value) if fmt(r.low) == fmt(r.high) else f"{fmt(r.low)}-{fmt(r.high)}"
    return f"{num} {lower['stage']}\nper {per:,} {upper['stage']}"


def _value_text(r) -> str:
    """ "1,234", or for a figure holding "<5" cells "1-4 (published as '<5')"."""
    text = range_label(r.value_min, r.value_max)
    if r.value_min == r.value_max:
        return text
    n = int(r.n_suppressed)
    return text + (" (published as '<5')" if text == "1-4" else f" (holds {n} '<5' figure(s))")


def funnel_chart(
    df: pd.DataFrame,
    geo: str | Iterable[str] = "WORLD",
    year: int = 2016,
    stages: Iterable[str] = STAGES,
    *,
    source: str | None = None,
    mode: str = "balanced",
) -> Chart:
    """Horizontal log-scale funnel for ``geo`` in ``year`` (the estimate nearest that year)."""
    data = funnel_data(df, geo, year, stages, source=source, mode=mode)
    name = geo_title(df, geo)
    with house_style():
        fig = new_figure(9.0, 6.2)
        ax = fig.add_subplot()
        _draw(ax, data, name, year)
    flows = data[(data["kind"] == "flow") & data["value"].notna()]
    cov = (
        coverage_phrase(flows.assign(mode=mode), across="stages")
        if len(flows)
        else "no flow figures"
    )
    est = data[data["kind"] == "stock"]
    concept = ESTIMATE_CONCEPTS.get(est["form"].iloc[0], "") if len(est) else ""
    est_txt = (
        f"; estimate: {concept}, {est['period'].iloc[0]}"
        if len(est) and est["period"].iloc[0]
        else ""
    )
    title = f"The impunity gap: {name}, {year}"
    subtitle = f"{name} · flows {year}{est_txt} · coverage: {cov}"
    note = (
        "'Estimated' counts people in the situation at one point in time (a stock); the other "
        "stages are yearly flows, so the first ratio compares a stock with a flow. "
        + _concept_note(concept)
        + "Bars are on a log scale. "
        + data_note(data, "labels and whiskers give the range, ratios are ranges")
        + _missing_note(data)
    )
    keys, footer = finish(fig, title, subtitle, data[data["value"].notna()], note)
    parts = [
        f"{_stage_label(r.stage, r.form)}: ".replace("\n", " ")
        + (f"{_value_text(r)} ({r.publication}, {r.period})" if pd.notna(r.value) else "no data")
        for r in data.itertuples()
    ]
    alt = (
        f"Funnel chart, horizontal bars on a log scale, for {name}, {year}. "
        + "; ".join(parts)
        + "."
    )
    return Chart(
        fig=fig,
        id=f"funnel-{data['geo'].iloc[0]}-{year}".lower().replace(":", "-"),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=data,
        note=note,
        citations=keys,
        params={"geo": geo, "year": year, "stages": list(stages), "source": source, "mode": mode},
    )


def _draw(ax, data: pd.DataFrame, name: str, year: int) -> None:
    n = len(data)
    ys = list(range(n))[::-1]
    vmax = data["value_max"].max() if data["value"].notna().any() else 10
    ax.set_xscale("log")
    ax.set_xlim(1, max(vmax, 10) * 4)
    ax.set_ylim(-0.6, n - 0.4)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    for y, r in zip(ys, data.itertuples(), strict=True):
        colour = STAGE_COLOURS.get(r.stage, "#888888")
        if pd.isna(r.value):
            ax.barh(
                y,
                max(vmax, 10) * 3,
                left=1,
                height=0.62,
                color="none",
                edgecolor="#aaaaaa",
                hatch="//",
                linewidth=0.8,
            )
            ax.text(
                1.3,
                y,
                f"No data for this stage ({r.stage}, {year})",
                va="center",
                fontsize=12,
                color="#555555",
                style="italic",
                weight="bold",
            )
            continue
        ax.barh(y, r.value, left=1, height=0.62, color=colour, alpha=0.35, edgecolor=colour)
        if r.value_min != r.value_max:  # the range, below the labels
            lo, hi = r.value - r.value_min, r.value_max - r.value
            ax.errorbar(r.value, y - 0.2, xerr=[[lo], [hi]], **RANGE_STYLE)
        ax.text(
            1.3,
            y + 0.08,
            _value_text(r),
            va="bottom",
            fontsize=14,
            weight="bold",
            color="#111111",
        )
        ax.text(
            1.3, y + 0.02, f"{r.publication}, {r.period}", va="top", fontsize=10, color="#333333"
        )
    ax.set_yticks(ys, [_stage_label(r.stage, r.form) for r in data.itertuples()])
    ax.tick_params(axis="y", length=0)
    log_ticks(ax, max(vmax, 10) * 4)
    ax.set_xlabel("Persons (log scale)")
    trans = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)
    have = [i for i in range(n) if pd.notna(data["value"].iloc[i]) and data["value"].iloc[i] > 0]
    for i, j in zip(have, have[1:], strict=False):
        ax.text(
            1.02,
            (ys[i] + ys[j]) / 2,
            "↓ " + _ratio_text(data.iloc[i], data.iloc[j]),
            transform=trans,
            va="center",
            ha="left",
            fontsize=10.5,
            color="#222222",
            linespacing=1.1,
        )
