"""Published claims (data/claims.yml), recomputed from the dataset, each with a verdict.

A claim quotes a document (the OSCE concept note, a UNODC Global Report, ...) and says what it
asserts and how to compute it: from the figures of the source it cites (``cited``) and
independently from the UNODC country data (``independent``: a kind of quantity, see
:mod:`thbstats.analysis.claims_kinds`, over groups and releases). Verdicts are computed, never
typed, by the rule of what the claim asserts (``about``, ``over``, ``under``:
:mod:`thbstats.analysis.claims_verdicts`); the explanation of an independent check is the claim's
``differs_because`` (why the claimant may count otherwise) followed by how the check computed its
figure, written from the computation. A claim's sensitivity table recomputes it without the rows
each of its exclusions names.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from thbstats import paths, textchars
from thbstats.analysis.claims_kinds import CHANGE_KINDS, compute, quantity, quantity_range, yearly
from thbstats.analysis.claims_verdicts import BOUND_MET, DIRECTION_ONLY, REPRODUCED, VERDICTS, judge
from thbstats.analysis.metrics import Range, defaults, has_flag, period_label, select

__all__ = [
    "DIRECTION_ONLY",
    "VERDICTS",
    "Check",
    "check_cited",
    "check_independent",
    "evaluate",
    "judge",
    "load_claims",
    "quantity",
]


@dataclass
class Check:
    """One recomputation of one claim (see :func:`check_cited`, :func:`check_independent`).

    >>> import thbstats as thb
    >>> c = check_cited(thb.load(vintage="all"), load_claims()["claims"][0])
    >>> c.claim, c.check, c.verdict, c.evidence
    ('ilo-forced-labour-2016', 'cited source', 'reproduced', 'secondary source')
    """

    claim: str
    check: str
    basis: str
    asserted: float
    computed: float
    computed_min: float
    computed_max: float
    difference: str
    verdict: str
    evidence: str
    coverage: str
    explanation: str
    citations: str


def load_claims(path: Path | None = None) -> dict[str, Any]:
    """The claims file (data/claims.yml).

    >>> first = load_claims()["claims"][0]
    >>> first["id"], first["asserted"], first["document"]
    ('ilo-forced-labour-2016', 24900000, 'concept-note')
    """
    path = path or paths.project_root() / "data" / "claims.yml"
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    textchars.refuse_in_yaml(data, str(path))
    return data


def _ranges(rows: pd.DataFrame) -> dict[int, Range]:
    """Year -> the figure's range (a "<5" cell: 2.5 between 1 and 4; a printed figure: exact)."""
    cols = ("year_start", "value", "value_min", "value_max")
    return {
        int(y): Range(float(v), float(lo), float(hi)) for y, v, lo, hi in rows[list(cols)].values
    }


def _cited_rows(
    df: pd.DataFrame, spec: dict[str, Any]
) -> tuple[dict[int, Range], pd.DataFrame, list[int]]:
    rows = select(
        df,
        geo=spec["geo"],
        stage=spec["stage"],
        source=spec["source"],
        form=spec.get("form", "all"),
        sex=spec.get("sex", "all"),
        age=spec.get("age", "all"),
        unit=spec.get("unit", "persons"),
        default=False,
        single_year=False,
    )
    years = spec["years"]
    if spec["kind"] == "value":
        rows = rows[
            (rows.publication == spec["publication"])
            & (rows.year_start == years[0])
            & (rows.year_end == years[-1])
        ]
        rows = defaults(rows).head(1).assign(year_start=years[0])
        return _ranges(rows), rows, [] if len(rows) else years
    rows = rows[rows.year_start == rows.year_end]
    picked = []
    for y in years:
        yr = rows[rows.year_start == y]
        pref = yr[yr.publication == spec.get("prefer_publication")]
        pick = pref if len(pref) else defaults(yr)
        picked.append(pick.head(1))
    used = pd.concat(picked) if picked else rows.head(0)
    values = _ranges(used)
    return values, used, [y for y in years if y not in values]


def _evidence(used: pd.DataFrame) -> str:
    """How strong the figures behind a check are: primary, secondary, approximate."""
    if used.empty:
        return ""
    parts = [
        "secondary source" if has_flag(used["flag"], "secondary_source").any() else "primary source"
    ]
    if has_flag(used["flag"], "approximate").any():
        parts.append("approximate figure")
    return ", ".join(parts)


def check_cited(df: pd.DataFrame, claim: dict[str, Any]) -> Check:
    """Recompute a claim from the figures of the source it cites: here the concept note's 24.9
    million in forced labour, in the ILO Global Estimates of Modern Slavery 2017:

    >>> import thbstats as thb
    >>> c = check_cited(thb.load(vintage="all"), load_claims()["claims"][0])
    >>> c.computed, c.basis
    (24900000.0, 'ILO WORLD (Global Estimates of Modern Slavery 2017)')
    """
    spec = claim["cited"]
    values, used, missing = _cited_rows(df, spec)
    years = spec["years"] if spec["kind"] != "value" else [spec["years"][0]]
    r = quantity_range(spec["kind"] if spec["kind"] != "value" else "total", values, years)
    verdict, diff = judge(claim, r.value, r.low, r.high, change=spec["kind"] in CHANGE_KINDS)
    notes = []
    if missing:
        notes.append(
            f"the dataset lacks {spec['source']} {spec['geo']} {spec['stage']} for "
            f"{period_label(missing) if spec['kind'] != 'value' else period_label(spec['years'])}; "
            f"published in {spec['published_in']}"
        )
    pubs = sorted(set(used["publication"]))
    evidence = _evidence(used)
    if len(used):
        if has_flag(used["flag"], "secondary_source").any():
            notes.append("from secondary sources only (the publication itself was not seen)")
        if has_flag(used["flag"], "approximate").any():
            notes.append("the figure in the dataset is approximate")
        pref = spec.get("prefer_publication")
        if pref and pubs != [pref]:
            notes.append(f"figures from {', '.join(pubs)} (not {pref})")
    return Check(
        claim["id"],
        "cited source",
        f"{spec['source']} {spec['geo']} ({', '.join(pubs) or 'none'})",
        float(claim["asserted"]),
        r.value,
        r.low,
        r.high,
        diff,
        verdict,
        evidence,
        "",
        "; ".join(notes),
        ";".join(sorted(set(used["citation"]))),
    )


def independent_values(
    df: pd.DataFrame,
    spec: dict[str, Any],
    group: str,
    publication: str | None,
    mode: str | None = None,
) -> tuple[dict[int, float], pd.DataFrame]:
    """Yearly sums of a stage over a group's countries from UNODC country data, with coverage.

    >>> import thbstats as thb
    >>> spec, release = {"stage": "convicted", "years": [2015, 2022]}, "UNODC GLOTIP data 2025-04-14"
    >>> independent_values(thb.load(), spec, "NORDIC", release)[0]
    {2015: 21.5, 2022: 7.5}
    """
    return yearly(df, spec, group, publication, mode)


def check_independent(
    df: pd.DataFrame, claim: dict[str, Any], group: str, publication: str
) -> Check:
    """Recompute a claim from the UNODC country data for a group and one release.

    A claim written for this example: Nordic convictions fell by 65 % from 2015 to 2022; the
    country data give 21.5 (7 + 12 + "<5") and 7.5 (three "<5"), -65.1 %:

    >>> import thbstats as thb
    >>> spec = {"kind": "percent_change", "stage": "convicted", "years": [2015, 2022],
    ...         "groups": ["NORDIC"], "publications": ["UNODC GLOTIP data 2025-04-14"]}
    >>> claim = {"id": "nordic", "asserted": -65, "asserts": "about", "tolerance": 1.0,
    ...          "tolerance_abs": True, "unit": "percent change", "independent": spec}
    >>> c = check_independent(thb.load(), claim, "NORDIC", "UNODC GLOTIP data 2025-04-14")
    >>> c.check, c.verdict, round(c.computed, 1), c.difference
    ('independent: NORDIC', "the '<5' cells decide", -65.1, '-0.1 points')
    >>> round(c.computed_min, 1), round(c.computed_max, 1)
    (-87.0, -40.0)
    >>> c.coverage
    "3 of 5 countries, every year (balanced panel); 4 cells '<5' counted as 2.5 (1 to 4)"
    >>> print(c.explanation)
    Here: the percent change from 2015 to 2022 of a plain sum over the 3 countries that report
    every year compared (balanced panel) in UNODC GLOTIP data 2025-04-14; 4 cells '<5' counted
    as 2.5 each (1 to 4: the figure lies between -87.0% and -40.0%); nothing imputed.
    """
    spec = claim["independent"]
    q = compute(df, spec, group, publication)
    verdict, diff = judge(claim, q.value, q.low, q.high, change=spec["kind"] in CHANGE_KINDS)
    why = claim.get("differs_because", "") if verdict not in (REPRODUCED, BOUND_MET) else ""
    expl = f"{why} {q.method}"
    if not q.n_countries:
        expl = f"no UNODC figures for {group} in {period_label(spec['years'])} in {publication}"
    return Check(
        claim["id"],
        f"independent: {group}",
        f"{publication}",
        float(claim["asserted"]),
        q.value,
        q.low,
        q.high,
        diff,
        verdict,
        "official country data" if q.n_countries else "",
        q.coverage,
        " ".join(expl.split()),
        q.citations,
    )


def _no_check(claim: dict[str, Any], check: str, reason: str) -> Check:
    return Check(
        claim["id"],
        check,
        "none",
        float(claim["asserted"]),
        math.nan,
        math.nan,
        math.nan,
        "",
        "cannot be checked",
        "",
        "",
        " ".join(reason.split()),
        "",
    )


def evaluate(df: pd.DataFrame, claims: dict[str, Any] | None = None) -> pd.DataFrame:
    """Every check of every claim, as a table (one row per check).

    >>> import thbstats as thb
    >>> t = evaluate(thb.load(vintage="all"), {"claims": load_claims()["claims"][:1]})
    >>> t[["check", "verdict"]].values.tolist()
    [['cited source', 'reproduced'], ['independent', 'cannot be checked']]
    """
    claims = claims or load_claims()
    out = []
    for claim in claims["claims"]:
        if claim.get("cited"):
            out.append(check_cited(df, claim))
        elif claim.get("no_cited"):
            out.append(_no_check(claim, "cited source", claim["no_cited"]))
        if claim.get("narratives"):
            from thbstats.analysis.claims_narratives import check_narratives

            out.append(Check(**check_narratives(df, claim)))
        spec = claim.get("independent")
        if not spec:
            out.append(_no_check(claim, "independent", claim.get("no_independent", "")))
            continue
        for group in spec["groups"]:
            for pub in spec["publications"]:
                out.append(check_independent(df, claim, group, pub))
    return pd.DataFrame([asdict(c) for c in out])
