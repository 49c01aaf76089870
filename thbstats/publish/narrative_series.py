"""Generated text for the series charts (divergence, gap bars, long-run trends, the explorer).

Reads a chart's data table (the columns of ``thbstats.analysis.metrics.stage_table``: ``stage``,
``year``, ``value``, ``value_min``, ``value_max``, coverage and flag columns) and says in Markdown
what the figures are: every year's figure as printed ("<5" as 1 to 4), the change between the
first and last year, the years without a figure, the coverage of a sum, and what needs care.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics.ranges import (
    Range,
    cell_label,
    percent_change_range,
    range_label,
)
from thbstats.publish import care
from thbstats.vocabulary import STAGE_LABELS

STOCK = {"estimated"}


def figure_text(lo: float, hi: float) -> str:
    """A figure for a reader: "1,282"; '"<5" (1 to 4)'; "1,421 to 1,436" for a sum with "<5" parts."""
    if pd.isna(lo) or pd.isna(hi):
        return "no figure"
    label = cell_label(lo, hi)
    if label == "<5":
        return '"<5" (1 to 4)'
    return range_label(lo, hi, sep=" to ")


def change_text(r: Range) -> str:
    """A percent change as a reader reads it: "-91%", or "-87% to -40% (central -65%)"."""
    if pd.isna(r.value):
        return ""
    if f"{r.low:+.0f}" == f"{r.high:+.0f}":
        return f"{r.value:+.0f}%"
    return f"{r.low:+.0f}% to {r.high:+.0f}% (central {r.value:+.0f}%)"


def spans(years: list[int]) -> str:
    """[2015, 2016, 2017, 2019] -> "2015-2017, 2019"."""
    out: list[str] = []
    for y in sorted(years):
        if out and out[-1].split("-")[-1] == str(y - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{y}"
        else:
            out.append(str(y))
    return ", ".join(out)


def stage_name(stage: str) -> str:
    """Readable stage label ("Identified victims")."""
    return STAGE_LABELS.get(stage, stage.replace("_", " ").capitalize())


def year_table(t: pd.DataFrame, years: list[int], stages: list[str]) -> str:
    """A Markdown table: one row per stage, one column per year, each figure as printed."""
    head = "| | " + " | ".join(str(y) for y in years) + " |"
    rule = "|---|" + "---:|" * len(years)
    rows = [head, rule]
    for st in stages:
        d = t[t["stage"] == st].set_index("year")
        cells = []
        for y in years:
            if y in d.index and pd.notna(d.loc[y, "value"]):
                cells.append(cell_label(d.loc[y, "value_min"], d.loc[y, "value_max"]))
            else:
                cells.append("–")
        rows.append(f"| {stage_name(st)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def stage_sentences(t: pd.DataFrame, years: list[int], stages: list[str]) -> list[str]:
    """One sentence per stage: first and last figure, the change, the years without a figure."""
    out = []
    for st in stages:
        d = t[(t["stage"] == st) & t["value"].notna()].set_index("year").sort_index()
        if d.empty:
            out.append(f"**{stage_name(st)}**: no figure for any year shown.")
            continue
        first, last = int(d.index[0]), int(d.index[-1])
        text = f"**{stage_name(st)}**: {figure_text(d.loc[first, 'value_min'], d.loc[first, 'value_max'])} in {first}"
        if last != first:
            change = change_text(percent_change_range(d, first, last))
            text += f", {figure_text(d.loc[last, 'value_min'], d.loc[last, 'value_max'])} in {last}"
            text += f"; change over the period {change}" if change else ""
        missing = [y for y in years if y not in d.index]
        text += f"; no figure for {spans(missing)}" if missing else ""
        out.append(text + ".")
    return out


def coverage_sentence(t: pd.DataFrame) -> str:
    """Which countries the figures cover and where they come from."""
    have = t[t["value"].notna()]
    if have.empty:
        return "The dataset has no figure for this selection: the chart is empty, not zero."
    pubs = "; ".join(sorted({p for s in have["publication"].dropna() for p in str(s).split(";")}))
    if (have.get("origin", pd.Series("aggregate", index=have.index)) == "published").all():
        return f"Figures as printed in {pubs}."
    n = pd.to_numeric(have["n_countries"], errors="coerce")
    size = pd.to_numeric(have["group_size"], errors="coerce").max()
    count = count_range(n)
    if (have["mode"] == "balanced").all():
        how = "the same countries in every year and stage: a balanced panel, so years compare like with like"
    else:
        per = "; ".join(
            f"{stage_name(st).lower()} {count_range(g['n_countries'])}"
            for st, g in have.groupby("stage", sort=False)
        )
        how = (
            "every country reporting in each year: coverage changes from year to year, and a "
            f"change partly reflects who reports; countries summed: {per}"
        )
    return (
        f"Each figure is the sum of {count} of the group's {int(size)} countries ({how}), "
        f"from {pubs}."
    )


def count_range(n: pd.Series) -> str:
    """ "26", or "31 to 53" when the count of countries changes."""
    n = pd.to_numeric(n, errors="coerce")
    return f"{int(n.min())}" if n.min() == n.max() else f"{int(n.min())} to {int(n.max())}"


def caveat_sentences(t: pd.DataFrame) -> list[str]:
    """What needs care: "<5" cells, flagged figures, one country dominating, stock against flow."""
    out = []
    have = t[t["value"].notna()]
    sup = _numbers(have, "n_suppressed")
    if sup.sum():
        out.append(
            f'{int(sup.sum())} country figure(s) were published as "<5" (1 to 4 persons each) '
            f"({_where(have[sup > 0])}): they are counted as ranges, never as 0, and the central "
            "value counts each as 2.5."
        )
    out += _flag_sentences(have)
    big = have[(_numbers(have, "largest_share") > 0.5) & (_numbers(have, "n_countries") > 1)]
    if len(big):
        from thbstats import geo

        code = str(big["largest"].mode().iloc[0])
        out.append(
            f"One country dominates: {geo.name(code)} makes up more than half of the sum in "
            f"{spans(sorted(set(big['year'].astype(int))))}."
        )
    stages = set(have["stage"])
    if stages & STOCK and stages - STOCK:
        out.append(
            "An estimate is a stock at one point in time; the other stages are yearly flows."
        )
    elif stages:
        out.append(
            "Every stage is a yearly flow, and each counts different people: a year's convictions "
            "may concern victims identified in earlier years."
        )
    return out


def _where(rows: pd.DataFrame) -> str:
    """ "identified victims 2015-2017; convicted 2018": the stages and years of some rows."""
    return "; ".join(
        f"{stage_name(st).lower()} {spans(sorted(set(g['year'].astype(int))))}"
        for st, g in rows.groupby("stage", sort=False)
    )


def _numbers(t: pd.DataFrame, col: str) -> pd.Series:
    """A numeric column (0 where absent or empty)."""
    if col not in t.columns:
        return pd.Series(0.0, index=t.index)
    return pd.to_numeric(t[col], errors="coerce").fillna(0.0)


def _flag_sentences(have: pd.DataFrame) -> list[str]:
    out = []
    flags = have.get("flag", pd.Series("", index=have.index)).fillna("").astype(str)
    have = have.assign(flag=flags)
    for st, g in have.groupby("stage", sort=False):
        said = care.break_phrases(g, year="year")
        if said:
            out.append(
                f"{stage_name(st)}: {' and '.join(said)} (a jump of tenfold or more in the "
                "series; data/processed/breaks_in_series.csv)."
            )
    for flag, words in (
        ("inconsistent", "inconsistent with their own release"),
        (
            "derived",
            "derived from their splits by sex and by age (the printed total contradicts them)",
        ),
        ("revised", "revised by a later release"),
    ):
        hit = have[flags.str.split(";").map(lambda f, flag=flag: flag in f)]
        if len(hit):
            out.append(f"Flagged as {words}: {_where(hit)}.")
    n = _numbers(have, "n_flagged").sum()
    if n:
        out.append(
            f"The sums include {int(n)} country figure(s) flagged as a break in series, a one-year "
            "outlier, inconsistent with their release or derived from their splits "
            "(data/processed/audit.csv lists them)."
        )
    return out


def describe_series(t: pd.DataFrame, title: str = "", years: Iterable[int] | None = None) -> str:
    """Markdown for a (stage, year) table: the figures, their change, coverage and caveats.

    ``years``: the years asked for (default: from the first to the last year in the table), so a
    year without any figure shows as a gap.
    """
    if t.empty or "year" not in t.columns or t["year"].dropna().empty:
        return f"**{title}**: the dataset has no figure for this selection." if title else ""
    if years is None:
        years = range(int(t["year"].min()), int(t["year"].max()) + 1)
    years = sorted(int(y) for y in years)
    stages = list(dict.fromkeys(t["stage"]))
    parts = [f"**{title}.**" if title else "", "", year_table(t, years, stages), ""]
    parts += [f"- {s}" for s in stage_sentences(t, years, stages)]
    parts.append(f"- Coverage: {coverage_sentence(t)}")
    parts += [f"- Care: {s}" for s in caveat_sentences(t)]
    return "\n".join(p for p in parts if p is not None).strip() + "\n"
