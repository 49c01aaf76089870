"""Chart data: each chart's table, computed without matplotlib (drawing lives in ``charts``).

Every function returns a DataFrame with the plotted values, their ``value_min``/``value_max``
bounds and the labels printed on the chart; ``table.attrs["chart"]`` holds its model, a
:class:`ChartSpec` (id, kind, title, subtitle, note, alt text, source line, citation keys, the
sources searched, the parameters, the "no data" reason; ``meta(table)`` reads it).
``thbstats.publish.charts.draw`` turns such a table into a figure.
"""

from thbstats.publish.chartdata.attrition import attrition_data
from thbstats.publish.chartdata.bars import gap_bars_data
from thbstats.publish.chartdata.common import meta
from thbstats.publish.chartdata.coverage import coverage_data, coverage_grid
from thbstats.publish.chartdata.funnel import funnel_data
from thbstats.publish.chartdata.lines import divergence_data, trends_data
from thbstats.publish.chartdata.revisions import revisions_by_stage_data, revisions_data
from thbstats.publish.chartdata.spec import ChartSpec

__all__ = [
    "ChartSpec",
    "attrition_data",
    "coverage_data",
    "coverage_grid",
    "divergence_data",
    "funnel_data",
    "gap_bars_data",
    "meta",
    "revisions_by_stage_data",
    "revisions_data",
    "trends_data",
]
