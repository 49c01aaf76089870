"""What a brief says of the second voice: where UNODC prints no figure for a stage and year, or
flags it, and the TIP Report's narrative prints one, the brief names that figure, marks it as the
narrative's and says why the headline keeps to UNODC's."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.metrics.ranges import number
from thbstats.analysis.metrics.select import has_flag, select
from thbstats.analysis.reconcile import second_figures

CARE_FLAGS = ("outlier", "break_in_series", "inconsistent")
"""UNODC flags under which a brief points to the second voice."""

HEADLINE = (
    "The headline figures and the ratio use UNODC's figures only, so that every State is counted "
    "the same way; the TIP Report's narrative figures (rows 'U.S. Department of State' in the "
    "year table) are each narrative's own count, in its own words, and enter no headline."
)


def _years(rows: pd.DataFrame) -> str:
    return ", ".join(str(int(y)) for y in rows["year_start"])


def _said(rows: pd.DataFrame) -> str:
    return ", ".join(
        f"{number(v)} in {int(y)}" for v, y in zip(rows["value"], rows["year_start"], strict=True)
    )


def sentences(df: pd.DataFrame, geo: str, stages: dict[str, str], years: list[int]) -> list[str]:
    """One sentence per stage where a TIP narrative fills a gap in UNODC's figures or stands
    beside a flagged one (``stages`` maps each stage to its words), then how the headline is
    made; nothing when the narratives add nothing for these years.

    Denmark's identified victims of 2021 are flagged in the UNODC release (its splits contradict
    the total); the TIP Report 2022 prints 68 for that year:

    >>> import thbstats as thb
    >>> said = sentences(thb.load(), "DNK", {"identified": "identified victims"}, [2021])
    >>> print(said[0])
    Identified victims: UNODC's figure is flagged for care in 2021; the TIP Report's narratives print 68 in 2021.
    """
    tip = second_figures(df)
    tip = tip[
        (tip["geo"] == geo)
        & (tip["source"] == "TIP")
        & (tip["unit"] == "persons")
        & tip["stage"].isin(list(stages))
        & (tip["year_start"] == tip["year_end"])
        & tip["year_start"].isin(years)
    ]
    if tip.empty:
        return []
    unodc = select(df, geo=geo, stage=list(stages), years=years, source="UNODC")
    care = pd.concat([has_flag(unodc["flag"], f) for f in CARE_FLAGS], axis=1).any(axis=1)
    out = []
    for stage, words in stages.items():
        t = tip[tip["stage"] == stage].sort_values("year_start")
        printed = set(unodc.loc[unodc["stage"] == stage, "year_start"])
        flagged = set(unodc.loc[(unodc["stage"] == stage) & care, "year_start"])
        gaps = t[~t["year_start"].isin(printed)]
        beside = t[t["year_start"].isin(flagged)]
        if len(gaps):
            out.append(
                f"{words.capitalize()}: UNODC prints no figure for {_years(gaps)}; the TIP "
                f"Report's narratives print {_said(gaps)} ({gaps['publication'].iloc[-1]} and "
                "earlier editions; read alike by two readers)."
            )
        if len(beside):
            out.append(
                f"{words.capitalize()}: UNODC's figure is flagged for care in {_years(beside)}; "
                f"the TIP Report's narratives print {_said(beside)}."
            )
    return [*out, HEADLINE] if out else []
