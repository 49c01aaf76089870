"""The dark figure's table: each published multiple systems estimate (victims a year, its interval
where published) beside the victims identified in the same years (UNODC), with the chart's words."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.dark_figure import dark_figure, gaps
from thbstats.analysis.metrics.ranges import number
from thbstats.publish.chartdata.common import finish_table


def _n(x: float) -> str:
    return number(x)


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
        return f"{number(r.estimate_low)}-{number(r.estimate_high)}"
    approx = "about " if "approximate" in str(r.flag) else ""
    return f"{approx}{number(r.estimate)}"


def computed_text(r) -> str:
    """thbstats' own estimate a year with its interval, and the period and cases behind it.

    >>> from types import SimpleNamespace as Row
    >>> computed_text(Row(computed=18523.2, computed_low=7477.8, computed_high=25390.8,
    ...                   computed_years="2010-2015", computed_observed=8234.0))
    '18,523 (7,478-25,391); 2010-2015, 8,234 cases'
    >>> computed_text(Row(computed=float("nan")))
    ''
    """
    if pd.isna(r.computed):
        return ""
    return (
        f"{number(r.computed)} ({number(r.computed_low)}-{number(r.computed_high)}); "
        f"{r.computed_years}, {number(r.computed_observed)} cases"
    )


def computed_sentence(r) -> str:
    """thbstats' own estimate from the country's list table, in words: a year and in all, the
    interval, the period, the people listed, the method and how the answer moves with it.

    >>> from types import SimpleNamespace as Row
    >>> print(computed_sentence(Row(computed=11418.0, computed_low=9770.0, computed_high=13964.0,
    ...     computed_total=11418.0, computed_observed=2744.0, computed_n_years=1,
    ...     computed_years="2013", computed_n_boot=200, computed_method="stepwise",
    ...     computed_downhill=12350.0)))  # doctest: +NORMALIZE_WHITESPACE
    Computed by thbstats from the country's list table (2013; 2,744 listed): 11,418 (95% BCa
    interval 9,770-13,964, 200 resamples; stepwise, the reference implementation's default);
    downhill search by BIC: 12,350.
    """
    n = int(r.computed_n_years)
    a_year = " a year" if n > 1 else ""
    listed = f"{_n(r.computed_observed)} listed" + (
        f", {_n(r.computed_observed / n)} a year" if n > 1 else ""
    )
    in_all = f" ({_n(r.computed_total)} in all)" if n > 1 else ""
    return (
        f"Computed by thbstats from the country's list table ({r.computed_years}; {listed}): "
        f"{_n(r.computed)}{a_year}{in_all} (95% BCa interval {_n(r.computed_low)}-"
        f"{_n(r.computed_high)}, {int(r.computed_n_boot)} resamples; {r.computed_method}, the "
        f"reference implementation's default); downhill search by BIC: "
        f"{_n(r.computed_downhill / n)}{a_year}."
    )


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
    table["computed_label"] = [computed_text(r) for r in table.itertuples()]
    own = table[table["computed"].notna()]
    missing = [g for g in gaps() if geo is None or g["geo"] == geo]
    gap_text = "; ".join(f"{g['geo']} {g['years']} ({g['short']})" for g in missing)
    note = (
        "Both are victims a year: a like-for-like comparison. A period is a yearly average. "
        "* figure seen only in secondary material (news report or announcement). "
        "Identified counts are UNODC's; the lists behind an estimate may hold more known "
        "cases (United Kingdom 2013: 2,744). "
        + (_own_note(own) if len(own) else "")
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
            own.assign(citation=own["computed_table"]),
            own.assign(citation=own["computed_period_citation"]),
        ]
    )
    alt = "Paired bar chart, log scale. " + "; ".join(
        f"{r.label}: estimated {r.estimate_label}, identified {number(r.identified)}"
        + (f", computed by thbstats {r.computed_label}" if r.computed_label else "")
        for r in table.itertuples()
    )
    return finish_table(
        table,
        id="dark-figure" + (f"-{geo.lower()}" if geo else ""),
        kind="dark-figure",
        title="The dark figure: estimated against identified victims, same years",
        subtitle="Published estimates of all victims in a year (multiple systems estimates) beside "
        "UNODC's identified victims",
        note=note,
        alt=alt,
        plotted=plotted,
        params={"geo": geo or "all"},
        searched=[g["publication"] for g in missing],
    )


def _own_note(own: pd.DataFrame) -> str:
    """How thbstats' own estimates were made (hatched bars)."""
    tables = "; ".join(
        f"{r.name} {r.computed_years}: {number(r.computed_observed)} cases, {r.computed_method} "
        f"model {r.computed_model}"
        + (f", a year = total / {r.computed_n_years:.0f}" if r.computed_n_years > 1 else "")
        for r in own.itertuples()
    )
    return (
        "Hatched: thbstats' own multiple systems estimate from the country's list table (the "
        "reference implementation's default method; BCa 95% interval from "
        f"{int(own['computed_n_boot'].iloc[0])} resamples; {tables}). "
    )
