"""A claim's verdict, from what its words assert and what the data give.

What a claim asserts is data (``asserts`` in data/claims.yml), one rule per kind:

- ``about``: a figure ("a 52% decrease", "just 1,500 convictions"). Reproduced within the
  claim's ``tolerance`` (relative, or absolute with ``tolerance_abs``). Outside it a level's
  "magnitude differs"; a change of the same sign, larger than the tolerance, has its "direction
  reproduced, magnitude differs"; a change of the other sign, or one within the tolerance of no
  change at all, "differs".
- ``over`` / ``under``: a bound ("over 51%", "over 13,500"). "bound met" when the computed figure
  is above (below) the bound, "bound not met" otherwise; the difference says by how much.

A computed figure that holds "<5" cells is a range: the verdict is the one its central value, its
lowest and its highest value all get; where they do not agree, the "<5" cells decide it and the
verdict says so. Differences print half-up (116.5 -> 117), points for percentages.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from thbstats.analysis.metrics import ranges

REPRODUCED = "reproduced"
BOUND_MET = "bound met"
DIRECTION_ONLY = "direction reproduced, magnitude differs"
MAGNITUDE = "magnitude differs"
DIFFERS = "differs"
BOUND_NOT_MET = "bound not met"
LT5_DECIDE = "the '<5' cells decide"
CANNOT = "cannot be checked"
VERDICT_CLASS = {REPRODUCED: 0, BOUND_MET: 0, DIRECTION_ONLY: 1, MAGNITUDE: 1, DIFFERS: 2,
                 BOUND_NOT_MET: 2, LT5_DECIDE: 3, CANNOT: 3}  # fmt: skip
"""Each verdict's class on the site: 0 holds, 1 partly, 2 does not hold, 3 undecided."""
VERDICTS = tuple(VERDICT_CLASS)
PERCENT_UNITS = ("percent", "percent change")


def half_up(x: float, decimals: int = 0) -> str:
    """``x`` rounded half away from zero (``ranges.half_up``), with thousands separators.

    >>> half_up(116.5), half_up(1347.75, 1), half_up(-0.25, 1), half_up(2.675, 2)
    ('117', '1,347.8', '-0.3', '2.68')
    """
    return f"{ranges.half_up(x, decimals):,.{decimals}f}"


def is_percent(claim: dict[str, Any]) -> bool:
    """True when the claim's figure is a percentage (its differences are in points).

    >>> is_percent({"unit": "percent change"}), is_percent({"unit": "persons per year"})
    (True, False)
    """
    return str(claim.get("unit", "")).startswith(PERCENT_UNITS)


def figure(claim: dict[str, Any], x: float) -> str:
    """A computed figure as the report prints it: one decimal for a percentage, whole persons
    (or countries) otherwise, rounded half-up.

    >>> figure({"unit": "persons per year"}, 116.5), figure({"unit": "percent change"}, 88.408)
    ('117', '88.4')
    """
    return "" if math.isnan(x) else half_up(x, 1 if is_percent(claim) else 0)


def difference(claim: dict[str, Any], computed: float) -> str:
    """Computed minus asserted: "+37.4 points" for a percentage, "+5,281 (+39.1%)" otherwise.

    >>> difference({"asserted": 51, "unit": "percent change"}, 88.408)
    '+37.4 points'
    >>> difference({"asserted": 13500, "unit": "persons per year"}, 18781.375)
    '+5,281 (+39.1%)'
    """
    asserted = float(claim["asserted"])
    diff = computed - asserted
    sign = "+" if diff >= 0 else "-"
    if is_percent(claim):
        return f"{sign}{half_up(abs(diff), 1)} points"
    rel = f" ({sign}{half_up(abs(diff) / abs(asserted) * 100, 1)}%)" if asserted else ""
    return f"{sign}{half_up(abs(diff))}{rel}"


def _about(claim: dict[str, Any], x: float, change: bool) -> str:
    asserted = float(claim["asserted"])
    tol = float(claim.get("tolerance", 0))
    tol = tol if claim.get("tolerance_abs") else tol * abs(asserted)
    if abs(x - asserted) <= tol:
        return REPRODUCED
    if not change:
        return MAGNITUDE
    same = math.copysign(1, x) == math.copysign(1, asserted)
    return DIRECTION_ONLY if same and abs(x) > tol else DIFFERS


def _over(claim: dict[str, Any], x: float, change: bool) -> str:
    return BOUND_MET if x > float(claim["asserted"]) else BOUND_NOT_MET


def _under(claim: dict[str, Any], x: float, change: bool) -> str:
    return BOUND_MET if x < float(claim["asserted"]) else BOUND_NOT_MET


ASSERTIONS: dict[str, Callable[[dict[str, Any], float, bool], str]] = {
    "about": _about,
    "over": _over,
    "under": _under,
}


def judge(
    claim: dict[str, Any],
    computed: float,
    low: float | None = None,
    high: float | None = None,
    *,
    change: bool = False,
) -> tuple[str, str]:
    """Verdict and difference of a computed figure (with its "<5" bounds) against the claim.

    ``change``: the figure is a change (its sign is a direction). Over 51 %, the country data's
    +88.4 % meet the bound; about -52 %, a fall of 6.3 % has the direction only, one of 0.3 % is
    no fall at all:

    >>> judge({"asserted": 51, "asserts": "over", "unit": "percent change"}, 88.4, change=True)
    ('bound met', '+37.4 points')
    >>> about = {"asserted": -52, "asserts": "about", "tolerance": 1, "tolerance_abs": True,
    ...          "unit": "percent change"}
    >>> judge(about, -6.3, change=True)[0], judge(about, -0.3, change=True)[0]
    ('direction reproduced, magnitude differs', 'differs')
    >>> judge({"asserted": 13500, "asserts": "about", "tolerance": 0.05}, 18781.4)
    ('magnitude differs', '+5,281 (+39.1%)')
    >>> judge({"asserted": 10, "asserts": "over"}, 11.0, 9.0, 13.0)[0]
    "the '<5' cells decide"
    """
    if computed is None or math.isnan(computed):
        return CANNOT, ""
    try:
        rule = ASSERTIONS[claim.get("asserts", "about")]
    except KeyError:
        raise ValueError(
            f"claims.yml: claim {claim.get('id', '?')}: unknown asserts "
            f"{claim.get('asserts')!r} (expected one of {', '.join(ASSERTIONS)})"
        ) from None
    points = [computed] + [v for v in (low, high) if v is not None and not math.isnan(v)]
    found = {rule(claim, v, change) for v in points}
    verdict = found.pop() if len(found) == 1 else LT5_DECIDE
    return verdict, difference(claim, computed)
