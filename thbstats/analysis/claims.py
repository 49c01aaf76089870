"""Published claims (data/claims.yml), recomputed from the dataset, each with a verdict.

A claim quotes a document (the OSCE concept note, a UNODC Global Report, ...) and says what it
asserts and how to compute it: from the figures of the source it cites (``cited``) and
independently from the UNODC country data (``independent``: a kind of quantity, see
:mod:`thbstats.analysis.claims_kinds`, over groups and releases). Verdicts are computed, never typed; a
claim's sensitivity table recomputes it without the rows each of its exclusions names.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from thbstats import paths
from thbstats.analysis.claims_kinds import compute, quantity, yearly
from thbstats.analysis.metrics import defaults, has_flag, period_label, select

DIRECTION_ONLY = "direction reproduced, magnitude differs"
VERDICTS = ("reproduced", DIRECTION_ONLY, "differs", "cannot be checked")
__all__ = [
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
        return yaml.safe_load(fh)


def _difference(claim: dict[str, Any], diff: float) -> str:
    asserted = float(claim["asserted"])
    rel = f" ({diff / asserted * 100:+.1f}%)" if asserted and not claim.get("tolerance_abs") else ""
    return f"{diff:+,.1f}{rel}"


def judge(claim: dict[str, Any], computed: float) -> tuple[str, str]:
    """Verdict and difference of a computed quantity against the claim.

    compare ``approx``: within ``tolerance`` (relative, or absolute with ``tolerance_abs``);
    ``greater``: above the asserted figure ("over N"); ``direction``: a change whose sign is
    reproduced is "reproduced" within the tolerance and "direction reproduced, magnitude differs"
    outside it; the opposite sign "differs".

    >>> claim = {"asserted": -52, "compare": "direction", "tolerance": 1.0, "tolerance_abs": True}
    >>> judge(claim, -51.5), judge(claim, -6.3), judge(claim, 3.0)
    (('reproduced', '+0.5'), ('direction reproduced, magnitude differs', '+45.7'), ('differs', '+55.0'))
    >>> judge({"asserted": 106, "compare": "greater"}, 119.0)
    ('reproduced', '+13.0')
    """
    asserted = float(claim["asserted"])
    if math.isnan(computed):
        return "cannot be checked", ""
    diff = computed - asserted
    if claim["compare"] == "greater":
        return ("reproduced" if computed > asserted else "differs"), f"{diff:+,.1f}"
    tol = float(claim.get("tolerance", 0))
    ok = abs(diff) <= (tol if claim.get("tolerance_abs") else tol * abs(asserted))
    if claim["compare"] == "direction" and not ok:
        same = math.copysign(1, computed) == math.copysign(1, asserted) and computed != 0
        return (DIRECTION_ONLY if same else "differs"), _difference(claim, diff)
    return ("reproduced" if ok else "differs"), _difference(claim, diff)


def _cited_rows(
    df: pd.DataFrame, spec: dict[str, Any]
) -> tuple[dict[int, float], pd.DataFrame, list[int]]:
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
        rows = defaults(rows)
        return (
            ({years[0]: float(rows["value"].iloc[0])} if len(rows) else {}),
            rows,
            [] if len(rows) else years,
        )
    rows = rows[rows.year_start == rows.year_end]
    picked = []
    for y in years:
        yr = rows[rows.year_start == y]
        pref = yr[yr.publication == spec.get("prefer_publication")]
        pick = pref if len(pref) else defaults(yr)
        picked.append(pick.head(1))
    used = pd.concat(picked) if picked else rows.head(0)
    values = dict(zip(used["year_start"].astype(int), used["value"].astype(float), strict=True))
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
    computed = quantity(spec["kind"] if spec["kind"] != "value" else "total", values, years)
    verdict, diff = judge(claim, computed)
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
        computed,
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
    >>> claim = {"id": "nordic", "asserted": -65, "compare": "approx", "tolerance": 1.0,
    ...          "tolerance_abs": True, "independent": spec}
    >>> c = check_independent(thb.load(), claim, "NORDIC", "UNODC GLOTIP data 2025-04-14")
    >>> c.check, c.verdict, round(c.computed, 1), c.difference
    ('independent: NORDIC', 'reproduced', -65.1, '-0.1')
    >>> c.coverage
    "3 of 5 countries, every year (balanced panel); 4 cells '<5' counted as 2.5 (1 to 4)"
    """
    spec = claim["independent"]
    q = compute(df, spec, group, publication)
    verdict, diff = judge(claim, q.value)
    expl = claim.get("differs_because", "") if verdict in ("differs", DIRECTION_ONLY) else ""
    if verdict == "cannot be checked":
        expl = f"no UNODC figures for {group} in {period_label(spec['years'])} in {publication}"
    return Check(
        claim["id"],
        f"independent: {group}",
        f"{publication}",
        float(claim["asserted"]),
        q.value,
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
        spec = claim.get("independent")
        if not spec:
            out.append(_no_check(claim, "independent", claim.get("no_independent", "")))
            continue
        for group in spec["groups"]:
            for pub in spec["publications"]:
                out.append(check_independent(df, claim, group, pub))
    return pd.DataFrame([asdict(c) for c in out])
