"""A claim checked from the TIP Report's country narratives: where the regional table a claim
cites is not in the dataset, the narratives read alike (``second_voice`` rows) are summed over the
region's States that print every year the claim compares, and the check says how many that is.

What this can show: the direction and size of the change, or the average, over the States whose
narratives print each year (a balanced panel). What it cannot: the regional figure itself, which
counts every State of the region (and what governments reported to the State Department, not
always what the narrative prints)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from thbstats import geo as geomod
from thbstats.analysis.claims_kinds import CHANGE_KINDS, quantity_range
from thbstats.analysis.claims_verdicts import CANNOT, judge
from thbstats.analysis.metrics import Range, period_label
from thbstats.analysis.reconcile import second_figures


def narrative_panel(
    df: pd.DataFrame, spec: dict[str, Any], group: str
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The narratives' figures of ``spec['stage']`` for ``group``'s States in ``spec['years']``
    (persons, every form), the States that print every year, and those that print only some.

    >>> import thbstats as thb
    >>> rows, full, part = narrative_panel(thb.load(), {"stage": "identified",
    ...                                                 "years": [2015, 2018]}, "TIP:EUR")
    >>> full, part
    ([], ['AUT', 'BEL', 'BGR', 'CHE', 'EST', 'FIN', 'LTU', 'NLD'])
    """
    members = set(geomod.members(group))
    rows = second_figures(df)
    rows = rows[
        (rows["source"] == "TIP")
        & rows["geo"].isin(members)
        & (rows["stage"] == spec["stage"])
        & (rows["unit"] == "persons")
        & (rows["year_start"] == rows["year_end"])
        & rows["year_start"].isin(spec["years"])
    ]
    years = rows.groupby("geo")["year_start"].nunique()
    full = sorted(years[years == len(spec["years"])].index)
    part = sorted(years[years < len(spec["years"])].index)
    return rows[rows["geo"].isin(full)], full, part


def _values(rows: pd.DataFrame) -> dict[int, Range]:
    sums = rows.groupby("year_start")[["value_min", "value_max"]].sum()
    return {
        int(y): Range((r.value_min + r.value_max) / 2, r.value_min, r.value_max)
        for y, r in sums.iterrows()
    }


def check_narratives(df: pd.DataFrame, claim: dict[str, Any]) -> dict[str, Any]:
    """The claim's ``narratives`` check (fields of ``claims.Check``), one group.

    >>> import thbstats as thb
    >>> from thbstats.analysis.claims import load_claims
    >>> claim = next(c for c in load_claims()["claims"] if c.get("narratives"))
    >>> c = check_narratives(thb.load(), claim)
    >>> c["check"], c["verdict"], c["coverage"]
    ('narratives: TIP:EUR', 'cannot be checked', '0 of 38 States print every year 2015, 2018')
    """
    spec = claim["narratives"]
    group, years = spec["group"], spec["years"]
    rows, full, part = narrative_panel(df, spec, group)
    n_members = len(geomod.members(group))
    period = period_label(years)
    base = {
        "claim": claim["id"],
        "check": f"narratives: {group}",
        "basis": "TIP Report country narratives, read alike by two readers",
        "asserted": float(claim["asserted"]),
        "citations": ";".join(sorted(set(rows["citation"]))),
    }
    verb = "prints" if len(part) == 1 else "print"
    partial = f"; {len(part)} {verb} only some of the years ({', '.join(part)})" if part else ""
    if not full:
        return base | {
            "computed": math.nan, "computed_min": math.nan, "computed_max": math.nan,
            "difference": "", "verdict": CANNOT, "evidence": "",
            "coverage": f"0 of {n_members} States print every year {period}{partial}",
            "explanation": (
                f"No State of {group} has a narrative figure of {spec['stage']} read alike for "
                f"every year {period}, so the regional claim cannot be checked from the narratives."
            ),
        }  # fmt: skip
    r = quantity_range(spec["kind"], _values(rows), years)
    verdict, diff = judge(claim, r.value, r.low, r.high, change=spec["kind"] in CHANGE_KINDS)
    return base | {
        "computed": r.value, "computed_min": r.low, "computed_max": r.high,
        "difference": diff, "verdict": verdict, "evidence": "primary source (country narratives)",
        "coverage": f"{len(full)} of {n_members} States print every year ({', '.join(full)})"
        + partial,
        "explanation": (
            f"A plain sum over the {len(full)} States whose narratives print {spec['stage']} for "
            f"every year {period}: it shows the change in those States, not the figure of the "
            f"regional table, which counts every State of {group}."
        ),
    }  # fmt: skip
