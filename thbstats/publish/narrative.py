"""Generated text under a chart: what its figures are, in Markdown, from the chart's own data.

A notebook shows ``narrative.markdown(chart)`` after each chart, so that an executed notebook
(or its HTML rendering) reads without the code: the numbers and their years, the coverage, and
the caveats (a stock set against flows, "<5" cells as ranges of 1 to 4, years without a figure,
breaks in series and other flags). Every number in the text is read from ``chart.data``, the
table exported beside the figure; nothing is typed by hand.

In a notebook, ``narrative.markdown(chart)`` after the chart's cell. A "<5" cell reads as a range:

    >>> from thbstats.publish.narrative_series import figure_text
    >>> figure_text(1, 4), figure_text(54, 54), figure_text(1421, 1436)
    ('"<5" (1 to 4)', '54', '1,421 to 1,436')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from thbstats.analysis.metrics.ranges import number
from thbstats.publish.narrative_dark import dark_figure_markdown, dark_figure_text
from thbstats.publish.narrative_series import (
    caveat_sentences,
    count_range,
    describe_series,
    figure_text,
    spans,
    stage_name,
)
from thbstats.publish.narrative_tables import (
    parameters_markdown,
    parameters_text,
    table_text,
    verdicts_text,
)
from thbstats.vocabulary import GAP_STAGES, OUTCOME_STAGES

__all__ = [
    "dark_figure_markdown",
    "dark_figure_text",
    "describe",
    "kind",
    "markdown",
    "parameters_markdown",
    "parameters_text",
    "table_text",
    "verdicts_text",
]

KINDS = ("funnel", "divergence", "gap", "trends", "attrition", "coverage", "revisions")


def kind(chart: Any) -> str:
    """The kind of a chart, from the first word of its id (``funnel-world-2018`` -> funnel).

    >>> from types import SimpleNamespace as Chart
    >>> kind(Chart(id="funnel-alb-2018")), kind(Chart(id="explore-osce-2015-2022"))
    ('funnel', '')
    """
    head = str(chart.id).split("-")[0]
    return head if head in KINDS else ""


def describe(chart: Any) -> str:
    """Markdown saying what the chart's figures are (its numbers, years, coverage, caveats).

    >>> import thbstats as thb
    >>> from thbstats.publish.charts import funnel_chart
    >>> chart = funnel_chart(thb.load(), "ALB", 2018)
    >>> print("\\n".join(describe(chart).splitlines()[:5]))
    **The impunity gap: Albania, 2018.** What the bars are:
    <BLANKLINE>
    - Estimated victims, modern slavery: **20,000** in 2016 (a stock: ...), Global Slavery Index 2018.
    - Identified victims: **95** in 2018, UNODC GLOTIP data 2025-04-14.
    - Prosecuted: **54** in 2018, UNODC GLOTIP data 2025-04-14.
    """
    writer: Callable[[Any], str] = _WRITERS.get(kind(chart), _generic)
    text = writer(chart)
    return text.rstrip() + "\n\n" + f"*{chart.source}*\n" if chart.source else text


def markdown(chart: Any):
    """:func:`describe` as an ``IPython.display.Markdown`` object, for a notebook cell.

    >>> import thbstats as thb
    >>> from thbstats.publish.charts import funnel_chart
    >>> md = markdown(funnel_chart(thb.load(), "ALB", 2018))
    >>> type(md).__name__, md.data.splitlines()[0]
    ('Markdown', '**The impunity gap: Albania, 2018.** What the bars are:')
    """
    from IPython.display import Markdown

    return Markdown(describe(chart))


def _funnel(chart: Any) -> str:
    t = chart.data
    lines = [f"**{chart.title}.** What the bars are:", ""]
    for r in t.itertuples():
        if pd.isna(r.value):
            lines.append(f"- {stage_name(r.stage)}: **no figure** in the dataset (a gap, not 0).")
            continue
        what = (
            " (a stock: people in the situation at one point in time)" if r.kind == "stock" else ""
        )
        if r.stage == "estimated" and r.origin == "aggregate" and pd.notna(r.n_countries):
            what += f", the sum of {int(r.n_countries)} of {int(r.group_size)} countries' estimates"
        concept = f", {str(r.form).replace('_', ' ')}" if r.stage == "estimated" else ""
        lines.append(
            f"- {stage_name(r.stage)}{concept}: **{figure_text(r.value_min, r.value_max)}** in "
            f"{r.period}{what}, {r.publication}."
        )
    lines += ["", *_funnel_ratios(t), ""]
    have = t[t["value"].notna() & (t["stage"] != "estimated")]
    if len(have) and (have["origin"] == "aggregate").any():
        size = pd.to_numeric(have["group_size"], errors="coerce").max()
        est = t[(t["stage"] == "estimated") & (t["origin"] == "aggregate") & t["value"].notna()]
        lines.append(
            f"- Coverage: sums over {count_range(have['n_countries'])} of {int(size)} countries, the "
            "same for every stage" + (", the estimate included." if len(est) else " of the flows.")
        )
    elif len(have):
        lines.append(f"- Coverage: figures as printed for the area, {_pubs(have)}.")
    lines += [f"- Care: {s}" for s in caveat_sentences(t.assign(year=t["period"].map(_year)))]
    return "\n".join(lines)


def _year(period: Any) -> int:
    try:
        return int(str(period)[:4])
    except ValueError:
        return 0


def _funnel_ratios(t: pd.DataFrame) -> list[str]:
    by, out = t.set_index("stage"), []
    for upper, lower in (GAP_STAGES, OUTCOME_STAGES):  # each above convictions
        if upper in by.index and lower in by.index and by.loc[upper, "value"] > 0:
            u, low = by.loc[upper], by.loc[lower]
            if pd.isna(low["value"]):
                continue
            lo = low["value_min"] / u["value_max"] * 100
            hi = low["value_max"] / u["value_min"] * 100
            rng = f"{lo:.1f}" if f"{lo:.1f}" == f"{hi:.1f}" else f"{lo:.1f} to {hi:.1f}"
            out.append(
                f"- {stage_name(lower)} per 100 {stage_name(upper).lower()}: **{rng}** (different "
                "people are counted at each stage)."
            )
    return out


def _pubs(t: pd.DataFrame) -> str:
    return "; ".join(sorted({p for s in t["publication"].dropna() for p in str(s).split(";") if p}))


def _years(chart: Any) -> range | None:
    """The years a chart was asked for (its ``start`` and ``end`` parameters), if it says."""
    p = chart.params or {}
    if isinstance(p.get("start"), int) and isinstance(p.get("end"), int):
        return range(p["start"], p["end"] + 1)
    return None


def _divergence(chart: Any) -> str:
    t = chart.data
    text = describe_series(t, chart.title, _years(chart))
    idx = []
    for st in dict.fromkeys(t["stage"]):
        d = t[(t["stage"] == st) & t["index"].notna()].sort_values("year")
        if len(d) > 1:
            r = d.iloc[-1]
            rng = f"{r['index_min']:.0f} to {r['index_max']:.0f}"
            shown = f"{r['index']:.0f}" if rng.split(" to ")[0] == rng.split(" to ")[1] else rng
            idx.append(f"{stage_name(st).lower()} {shown}")
    base = int(t.loc[t["index"].round(6) == 100, "year"].min()) if idx else None
    if idx:
        text += f"- Index ({base} = 100) in the last year: " + "; ".join(idx) + ".\n"
    return text


def _gap(chart: Any) -> str:
    t = chart.data
    text = describe_series(
        t.drop(columns=["start", "end"], errors="ignore"), chart.title, _years(chart)
    )
    if "average" in t.columns:
        avg = t.drop_duplicates(["stage", "start", "end"])
        parts = [
            f"{stage_name(r.stage).lower()} {r.start}-{r.end}: "
            f"{figure_text(r.average_min, r.average_max)} a year over {int(r.n_years)} year(s)"
            for r in avg.itertuples()
            if pd.notna(r.average)
        ]
        if parts:
            text += (
                "- Averages per year (from the years with a figure): " + "; ".join(parts) + ".\n"
            )
    return text


def _series(chart: Any) -> str:
    return describe_series(chart.data, chart.title, _years(chart))


def _attrition(chart: Any) -> str:
    t = chart.data
    have = t[t["value"].notna()].sort_values("value", ascending=False)
    per = int(t["per"].iloc[0]) if len(t) else 100
    lines = [f"**{chart.title}.**", ""]
    lines.append(f"- {len(have)} of {len(t)} shown have both figures.")
    for label, rows in (("Highest", have.head(3)), ("Lowest", have.tail(3).iloc[::-1])):
        if len(have):
            lines.append(
                f"- {label}: " + "; ".join(_ratio(r, per) for r in rows.itertuples()) + "."
            )
    missing = t[t["value"].isna()]
    if len(missing):
        lines.append(
            "- No figure for both stages: " + ", ".join(missing["name"]) + " (a gap, not 0)."
        )
    ranged = have[have["low"] != have["high"]]
    if len(ranged):
        lines.append(
            f'- Care: {len(ranged)} ratio(s) hold "<5" cells (1 to 4 persons each) and are ranges. '
            "Different people are counted at each stage, so a ratio can exceed 100."
        )
    return "\n".join(lines)


def _ratio(r: Any, per: int) -> str:
    rng = f"{r.value:.1f}" if f"{r.low:.1f}" == f"{r.high:.1f}" else f"{r.low:.1f} to {r.high:.1f}"
    return (
        f"{r.name} {rng} per {per} ({figure_text(r.numerator_min, r.numerator_max)} / "
        f"{figure_text(r.denominator_min, r.denominator_max)}, {r.years})"
    )


def _coverage(chart: Any) -> str:
    t = chart.data
    lines = [f"**{chart.title}.**", ""]
    if t.empty:
        return lines[0] + " The dataset has no figure for this selection."
    last = int(t["year"].max())
    n = t["geo"].nunique()
    for st in dict.fromkeys(t["stage"]):
        d = t[t["stage"] == st]
        rep = d[(d["year"] == last) & (d["status"] > 0)]["geo"].nunique()
        none = d[d["status"] == 0]
        years = sorted(set(d.loc[d["status"] > 0, "year"].astype(int)))
        lines.append(
            f"- {stage_name(st)}: {rep} of {n} countries report {last}; figures in "
            f"{spans(years) or 'no year'}; {len(none)} country-year(s) without a figure."
        )
    lt5 = int((t["status"] == 1).sum())
    if lt5:
        lines.append(f'- Care: {lt5} of the cells were published as "<5" (1 to 4 persons).')
    return "\n".join(lines)


def _revisions(chart: Any) -> str:
    t = chart.data
    lines = [f"**{chart.title}.**", ""]
    if "overlapping" in t.columns:
        for r in t.itertuples():
            lines.append(
                f"- {stage_name(r.stage)}: {number(r.changed)} of {number(r.overlapping)} figures "
                f"changed ({r.share_changed:.1%}); {number(r.changed_to_or_from_lt5)} to or from "
                f'"<5"; {number(r.added)} added, {number(r.removed)} removed.'
            )
        lines.append(
            f"- In all: {number(t['changed'].sum())} of {number(t['overlapping'].sum())} figures "
            "published in both releases changed."
        )
    elif "old_revised" in t.columns:
        for r in t.itertuples():
            lines.append(
                f"- {r.geo_name}: {number(r.old_revised)} as first published, "
                f"{number(r.new_revised)} as revised ({r.years_revised})."
            )
    if chart.note:
        lines.append(f"- Care: {chart.note}")
    return "\n".join(lines)


def _generic(chart: Any) -> str:
    return f"**{chart.title}.** {chart.subtitle}. {chart.note}".strip()


_WRITERS: dict[str, Callable[[Any], str]] = {
    "funnel": _funnel,
    "divergence": _divergence,
    "gap": _gap,
    "trends": _series,
    "attrition": _attrition,
    "coverage": _coverage,
    "revisions": _revisions,
}
