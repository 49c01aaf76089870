"""Impunity-gap charts in one house style; each returns a :class:`Chart` (figure + metadata)."""

from thbstats.publish.charts.attrition import attrition_chart
from thbstats.publish.charts.bars import gap_bars_chart
from thbstats.publish.charts.base import STYLE, Chart, house_style
from thbstats.publish.charts.coverage import coverage_chart
from thbstats.publish.charts.funnel import funnel_chart
from thbstats.publish.charts.lines import divergence_chart, trends_chart
from thbstats.publish.charts.revisions import revisions_by_stage_chart, revisions_chart

__all__ = [
    "STYLE",
    "Chart",
    "attrition_chart",
    "coverage_chart",
    "divergence_chart",
    "funnel_chart",
    "gap_bars_chart",
    "house_style",
    "revisions_by_stage_chart",
    "revisions_chart",
    "trends_chart",
]
