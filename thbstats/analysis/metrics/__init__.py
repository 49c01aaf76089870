"""Impunity-gap measures from the tidy table: attrition, change, coverage-honest aggregates,
rates, shares.

"<5" cells (a count of 1 to 4) are carried as bounds everywhere, never as 0 and never dropped.
The bounds of a cell come from one place, :func:`thbstats.analysis.metrics.select.bounds` (the table's
``value_min``/``value_max`` where present, else 1 and 4 for a "<5" cell). Every sum has
``value_min``/``value_max`` and counts its "<5" cells (``n_suppressed``).

Central value rule: ``value`` is the midpoint of ``[value_min, value_max]``: the exact sum when no
part is "<5"; otherwise each "<5" cell counts as 2.5. So ``value_min <= value <= value_max``
always, and a sum of "<5" cells only is a range (e.g. 1-4, central 2.5), never 0. Ratios, changes,
indices, averages and shares built on ranges are ranges: ``low``/``high`` (or ``*_min``/``*_max``)
from the extreme combinations of the bounds, the central value from the central values
(:mod:`thbstats.analysis.metrics.ranges`).
"""

from thbstats.analysis.metrics.aggregate import aggregate, members_of
from thbstats.analysis.metrics.attrition import attrition
from thbstats.analysis.metrics.change import (
    Average,
    average_per_year,
    index_to_base,
    percent_change,
)
from thbstats.analysis.metrics.ranges import (
    Range,
    central,
    index_range,
    number,
    percent_change_range,
    range_label,
    ratio,
)
from thbstats.analysis.metrics.rates import per_100k, populations
from thbstats.analysis.metrics.select import (
    FLOW_STAGES,
    STOCK_STAGES,
    bounds,
    defaults,
    edition_rank,
    has_flag,
    is_reported,
    is_suppressed,
    period_label,
    select,
    with_bounds,
)
from thbstats.analysis.metrics.series import estimate, stage_table
from thbstats.analysis.metrics.shares import shares
from thbstats.geo import is_country

__all__ = [
    "FLOW_STAGES",
    "STOCK_STAGES",
    "Average",
    "Range",
    "aggregate",
    "attrition",
    "average_per_year",
    "bounds",
    "central",
    "defaults",
    "edition_rank",
    "estimate",
    "has_flag",
    "index_range",
    "index_to_base",
    "is_country",
    "is_reported",
    "is_suppressed",
    "members_of",
    "number",
    "per_100k",
    "percent_change",
    "percent_change_range",
    "period_label",
    "populations",
    "range_label",
    "ratio",
    "select",
    "shares",
    "stage_table",
    "with_bounds",
]
