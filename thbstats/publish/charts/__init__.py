"""Impunity-gap charts in one house style: a table from ``thbstats.publish.chartdata``, then a
drawing function that builds a plain matplotlib Figure from it. Each ``*_chart`` function does
both and returns a :class:`Chart` (table + words; the figure is drawn on first use)."""

from thbstats.publish.charts.attrition import attrition_chart, attrition_figure, draw_attrition
from thbstats.publish.charts.bars import draw_gap_bars, gap_bars_chart, gap_bars_figure
from thbstats.publish.charts.base import STYLE, WIDTH, Chart, house_style
from thbstats.publish.charts.coverage import coverage_chart, coverage_figure, draw_coverage
from thbstats.publish.charts.funnel import draw_funnel, funnel_chart, funnel_figure
from thbstats.publish.charts.lines import (
    divergence_chart,
    divergence_figure,
    draw_divergence,
    draw_trends,
    trends_chart,
    trends_figure,
)
from thbstats.publish.charts.revisions import (
    revisions_by_stage_chart,
    revisions_by_stage_figure,
    revisions_chart,
    revisions_figure,
)

__all__ = [
    "STYLE",
    "WIDTH",
    "Chart",
    "attrition_chart",
    "attrition_figure",
    "coverage_chart",
    "coverage_figure",
    "divergence_chart",
    "divergence_figure",
    "draw_attrition",
    "draw_coverage",
    "draw_divergence",
    "draw_funnel",
    "draw_gap_bars",
    "draw_trends",
    "funnel_chart",
    "funnel_figure",
    "gap_bars_chart",
    "gap_bars_figure",
    "house_style",
    "revisions_by_stage_chart",
    "revisions_by_stage_figure",
    "revisions_chart",
    "revisions_figure",
    "trends_chart",
    "trends_figure",
]
