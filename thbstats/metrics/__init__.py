"""Impunity-gap measures from the tidy table: attrition, change, coverage-honest aggregates, rates.

Suppressed "<5" cells are excluded from sums and counted (``n_suppressed``); bounds counting each
as 1 and as 4 are given beside every sum (``value_min``/``value_max``) and ratio (``low``/``high``).
"""

from thbstats.geo import is_country
from thbstats.metrics.aggregate import aggregate, members_of
from thbstats.metrics.attrition import attrition
from thbstats.metrics.change import Average, average_per_year, index_to_base, percent_change
from thbstats.metrics.rates import per_100k, populations
from thbstats.metrics.select import (
    FLOW_STAGES,
    STOCK_STAGES,
    defaults,
    edition_rank,
    has_flag,
    is_suppressed,
    period_label,
    select,
)
from thbstats.metrics.series import estimate, stage_table

__all__ = [
    "FLOW_STAGES",
    "STOCK_STAGES",
    "Average",
    "aggregate",
    "attrition",
    "average_per_year",
    "defaults",
    "edition_rank",
    "estimate",
    "has_flag",
    "index_to_base",
    "is_country",
    "is_suppressed",
    "members_of",
    "per_100k",
    "percent_change",
    "period_label",
    "populations",
    "select",
    "stage_table",
]
