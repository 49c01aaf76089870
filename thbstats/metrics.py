"""``thbstats.metrics``: the name the README and notebooks written before the stage layout use.

The metrics live in :mod:`thbstats.analysis.metrics`; this module re-exports them.
"""

from thbstats.analysis.metrics import *  # noqa: F403
from thbstats.analysis.metrics import (  # noqa: F401
    __all__,  # noqa: F401
    aggregate,
    attrition,
    change,
    ranges,
    rates,
    select,
    series,
    shares,
)
