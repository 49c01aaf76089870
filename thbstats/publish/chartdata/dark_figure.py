"""The dark figure's table: each published multiple systems estimate (victims a year, its interval
where published) beside the victims identified in the same years (UNODC), with the chart's words."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.dark_figure import dark_figure, gaps
from thbstats.publish.chartdata.common import finish_table


def row_label(r) -> str:
    """ "Ireland, 2015 *": the State, the years, a star for a figure seen only second-hand.

    >>> from types import SimpleNamespace as Row
    >>> row_label(Row(name="United Kingdom", years="2013", flag="approximate;range"))
    'United Kingdom, 2013'
    """
    secondary = " *" if "secondary_source" in str(r.flag) else ""
    return f"{r.name}, {r.years}{secondary}"


def estimate_text(r) -> str:
    """The estimate as published: its interval, or "about" a rounded figure.

    >>> from types import SimpleNamespace as Row
    >>> estimate_text(Row(estimate=11500.0, estimate_low=10000.0, estimate_high=13000.0, flag=""))
    '10,000-13,000'
    >>> nan = float("nan")
    >>> estimate_text(Row(estimate=11500.0, estimate_low=nan, estimate_high=nan, flag="approximate"))
    'about 11,500'
    """
    if pd.notna(r.estimate_low):
        return f"{r.estimate_low:,.0f}-{r.estimate_high:,.0f}"
    approx = "about " if "approximate" in str(r.flag) else ""
    return f"{approx}{r.estimate:,.0f}"


def dark_figure_data(df: pd.DataFrame | None = None, *, geo: str | None = None) -> pd.DataFrame:
    """One row per published estimate (``analysis.dark_figure``), labelled for the chart.

    >>> import thbstats as thb
    >>> t = dark_figure_data(thb.load(), geo="GBR")
    >>> print(t[["label", "estimate_label", "identified"]].head(1).to_string(index=False))
                   label estimate_label  identified
    United Kingdom, 2013  10,000-13,000       816.0
    """
    table = dark_figure(df)
    if geo is not None:
        table = table[table["geo"] == geo]
    table = table.reset_index(drop=True)
    table["label"] = [row_label(r) for r in table.itertuples()]
    table["estimate_label"] = [estimate_text(r) for r in table.itertuples()]
    missing = [g for g in gaps() if geo is None or g["geo"] == geo]
    gap_text = "; ".join(f"{g['geo']} {g['years']} ({g['short']})" for g in missing)
    note = (
        "Both are victims a year: a like-for-like comparison. A period is a yearly average. "
        "* figure seen only in secondary material (news report or announcement). "
        "Identified counts are UNODC's; the lists behind an estimate may hold more known "
        "cases (United Kingdom 2013: 2,744). "
        + (
            f"Gaps (estimates searched for, not or not fully transcribed): {gap_text}."
            if missing
            else ""
        )
    )
    plotted = pd.concat(
        [
            table.assign(citation=table["estimate_citation"]),
            table.assign(citation=table["identified_citation"]),
        ]
    )
    alt = "Paired bar chart, log scale. " + "; ".join(
        f"{r.label}: estimated {r.estimate_label}, identified {r.identified:,.0f}"
        for r in table.itertuples()
    )
    return finish_table(
        table,
        id="dark-figure" + (f"-{geo.lower()}" if geo else ""),
        title="The dark figure: estimated against identified victims, same years",
        subtitle="Published multiple systems estimates (yearly flows) beside UNODC's identified victims",
        note=note,
        alt=alt,
        plotted=plotted,
        params={"geo": geo or "all"},
        searched=[g["publication"] for g in missing],
    )
