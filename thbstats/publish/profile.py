"""Chart sets that notebooks draw with one call: a country profile, the concept note's charts."""

from __future__ import annotations

import pandas as pd

from thbstats import geo
from thbstats.analysis.metrics import is_reported, select
from thbstats.publish import charts
from thbstats.publish.charts import Chart
from thbstats.vocabulary import JUSTICE_STAGES, PROFILE_GROUPS


def latest_year(
    df: pd.DataFrame, where: str, stage: str = "identified", source: str = "UNODC"
) -> int | None:
    """The latest data year in which ``where`` has a figure for ``stage``, printed or "<5"
    (None if never).

    >>> import thbstats as thb
    >>> df = thb.load()
    >>> latest_year(df, "ALB", "prosecuted"), latest_year(df, "ALB", "convicted")
    (2022, 2022)
    """
    rows = select(df, geo=where, stage=stage, source=source, unit=None, default=False)
    rows = rows[is_reported(rows)]
    return int(rows["year_end"].max()) if len(rows) else None


RECENT = 5
"""A funnel is drawn from one of the last five data years of its place: not a stale year."""


def funnel_year(
    df: pd.DataFrame,
    where: str,
    stages: tuple[str, ...] = JUSTICE_STAGES,
    source: str = "UNODC",
    recent: int = RECENT,
) -> int | None:
    """The latest data year with the most of ``stages`` reported (printed or "<5") for ``where``
    (a State, or a group's member States), among its last ``recent`` data years: a funnel of a
    year with all stages reads better than a later year with one, and a recent year better than
    one a decade old (Italy: 2022 with two stages, not 2010 with three). None if never.

    >>> import thbstats as thb
    >>> funnel_year(thb.load(), "ALB")
    2022
    """
    members = [where] if geo.is_country(where) else list(geo.members(where))
    rows = select(df, geo=members, stage=list(stages), source=source, unit=None, default=False)
    rows = rows[is_reported(rows) & (rows["geo_type"] == "country")]
    if rows.empty:
        return None
    per_year = rows.groupby("year_end")["stage"].nunique()
    per_year = per_year[per_year.index > per_year.index.max() - recent]
    best = per_year[per_year == per_year.max()]
    return int(best.index.max())


def country_profile(
    df: pd.DataFrame, iso3: str, start: int = 2010, end: int = 2022, year: int | None = None
) -> list[Chart]:
    """Funnel, trends and gap bars for one country, and its dark figure where a multiple systems
    estimate of victims a year is published (``analysis.dark_figure``); the funnel of ``year``, by
    default the latest year with the most stages (``funnel_year``).

    >>> import thbstats as thb
    >>> [chart.id for chart in country_profile(thb.load(), "GBR", 2015, 2022)]
    ['funnel-gbr-2020', 'trends-gbr-2015-2022', 'gap-gbr-2015-2022', 'dark-figure-gbr']
    """
    if not geo.is_country(iso3):
        raise ValueError(f"iso3: expected an ISO 3166-1 alpha-3 country code, found {iso3!r}")
    year = year or funnel_year(df, iso3) or end
    from thbstats.analysis.dark_figure import dark_figure, for_state
    from thbstats.publish.charts.dark_figure import dark_figure_chart

    out = [
        charts.funnel_chart(df, iso3, year),
        charts.trends_chart(df, iso3, start, end, source="UNODC"),
        charts.gap_bars_chart(df, iso3, start, end, source="UNODC"),
    ]
    if not for_state(dark_figure(df), iso3).empty:
        out.append(dark_figure_chart(df, geo=iso3))
    return out


def concept_note_charts(
    df: pd.DataFrame,
    funnel_year: int = 2018,
    start: int = 2015,
    end: int = 2018,
    groups: tuple[str, ...] = PROFILE_GROUPS,
) -> list[Chart]:
    """The concept note's pictures: the global funnel, and Europe's divergence and gap bars from every
    source that has the figures (TIP's Europe region first, then UNODC country data for each group).

    >>> import thbstats as thb
    >>> charts = concept_note_charts(thb.load())
    >>> len(charts), [c.id for c in charts[:3]]
    (9, ['funnel-world-2018', 'divergence-tip-eur-2015-2018', 'gap-tip-eur-2015-2018'])
    """
    out = [charts.funnel_chart(df, "WORLD", funnel_year)]
    for g in groups:
        out.append(charts.divergence_chart(df, g, start, end))
        out.append(charts.gap_bars_chart(df, g, start, end))
    return out
