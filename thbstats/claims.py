"""The concept note's claims (data/claims.yml), recomputed from the dataset, each with a verdict.

For each claim: the quantity recomputed from the source it cites (where the dataset holds that
source's figures), and independently from the UNODC country data on a balanced panel of the
closest comparable geographies; verdicts are computed, never typed.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from thbstats import paths
from thbstats.metrics import aggregate, defaults, has_flag, period_label, select

VERDICTS = ("reproduced", "differs", "cannot be checked")


@dataclass
class Check:
    """One recomputation of one claim."""

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
    """The claims file (data/claims.yml)."""
    path = path or paths.project_root() / "data" / "claims.yml"
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def quantity(kind: str, values: dict[int, float], years: list[int]) -> float:
    """The asserted kind of quantity from yearly values (NaN when a needed year is missing)."""
    if any(y not in values or pd.isna(values[y]) for y in years):
        return math.nan
    if kind == "percent_change":
        start, end = values[years[0]], values[years[-1]]
        return (end - start) / start * 100 if start else math.nan
    if kind == "average":
        return sum(values[y] for y in years) / len(years)
    if kind == "total":
        return sum(values[y] for y in years)
    raise ValueError(f"unknown quantity kind {kind!r}")


def judge(claim: dict[str, Any], computed: float) -> tuple[str, str]:
    """Verdict and difference of a computed quantity against the claim."""
    asserted = float(claim["asserted"])
    if math.isnan(computed):
        return "cannot be checked", ""
    diff = computed - asserted
    if claim["compare"] == "greater":
        ok = computed > asserted
        return ("reproduced" if ok else "differs"), f"{diff:+,.1f}"
    tol = float(claim.get("tolerance", 0))
    ok = abs(diff) <= (tol if claim.get("tolerance_abs") else tol * abs(asserted))
    rel = f" ({diff / asserted * 100:+.1f}%)" if asserted and not claim.get("tolerance_abs") else ""
    return ("reproduced" if ok else "differs"), f"{diff:+,.1f}{rel}"


def _cited_rows(
    df: pd.DataFrame, spec: dict[str, Any]
) -> tuple[dict[int, float], pd.DataFrame, list[int]]:
    rows = select(
        df,
        geo=spec["geo"],
        stage=spec["stage"],
        source=spec["source"],
        form=spec.get("form", "all"),
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
    """Recompute a claim from the figures of the source it cites."""
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
    """Yearly sums of a stage over a group's countries from UNODC country data, with coverage."""
    agg = aggregate(
        df,
        group,
        spec["stage"],
        spec["years"],
        mode=mode or spec.get("mode", "balanced"),
        source="UNODC",
        publication=publication,
    )
    values = {int(r.year): float(r.value) for r in agg.itertuples() if r.n_countries > 0}
    return values, agg


def check_independent(
    df: pd.DataFrame, claim: dict[str, Any], group: str, publication: str
) -> Check:
    """Recompute a claim from the UNODC country data for a comparable group, on a balanced panel."""
    spec = claim["independent"]
    values, agg = independent_values(df, spec, group, publication)
    union = {c for cs in agg["countries"] for c in str(cs).split(";") if c}
    if spec["kind"] == "countries":
        computed = float(len(union)) if union else math.nan
    else:
        computed = quantity(spec["kind"], values, spec["years"])
    verdict, diff = judge(claim, computed)
    n = agg["n_countries"]
    if spec.get("mode", "balanced") == "balanced":
        coverage = f"{int(n.max())} of {int(agg['group_size'].max())} countries, every year ({spec['mode']} panel)"
    else:
        coverage = (
            f"{len(union)} countries reporting in some year ({int(n.min())}-{int(n.max())} a year)"
        )
    sup = int(agg["n_suppressed"].sum())
    if sup:
        coverage += f"; {sup} cells '<5' left out"
    expl = claim.get("differs_because", "") if verdict == "differs" else ""
    if verdict == "cannot be checked":
        expl = f"no UNODC figures for {group} in {period_label(spec['years'])}"
    evidence = "official country data" if len(union) else ""
    return Check(
        claim["id"],
        f"independent: {group}",
        f"{publication}",
        float(claim["asserted"]),
        computed,
        diff,
        verdict,
        evidence,
        coverage,
        " ".join(expl.split()),
        ";".join(sorted(set(agg["citation"]) - {""})),
    )


def evaluate(df: pd.DataFrame, claims: dict[str, Any] | None = None) -> pd.DataFrame:
    """Every check of every claim, as a table (one row per check)."""
    claims = claims or load_claims()
    out = []
    for claim in claims["claims"]:
        out.append(check_cited(df, claim))
        spec = claim.get("independent")
        if not spec:
            out.append(
                Check(
                    claim["id"],
                    "independent",
                    "none",
                    float(claim["asserted"]),
                    math.nan,
                    "",
                    "cannot be checked",
                    "",
                    "",
                    " ".join(claim.get("no_independent", "").split()),
                    "",
                )
            )
            continue
        for group in spec["groups"]:
            for pub in spec["publications"]:
                out.append(check_independent(df, claim, group, pub))
    return pd.DataFrame([asdict(c) for c in out])


def sensitivity(df: pd.DataFrame, claims: dict[str, Any] | None = None) -> pd.DataFrame:
    """Europe 2015-2018 under each choice of countries, panel rule and UNODC release."""
    claims = claims or load_claims()
    cfg = claims["sensitivity"]
    years = cfg["years"]
    rows = []
    for group in cfg["groups"]:
        for mode in cfg["modes"]:
            for pub in cfg["publications"]:
                row: dict[str, Any] = {"group": group, "panel": mode, "release": pub}
                for stage in ("identified", "prosecuted", "convicted"):
                    spec = {"stage": stage, "years": years}
                    values, agg = independent_values(df, spec, group, pub, mode)
                    row[f"{stage}_change_pct"] = quantity("percent_change", values, years)
                    row[f"{stage}_avg"] = quantity("average", values, years)
                    row[f"{stage}_countries"] = (
                        f"{int(agg['n_countries'].min())}-{int(agg['n_countries'].max())}"
                    )
                rows.append(row)
    return pd.DataFrame(rows)


def write_report(outdir: Path, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evaluate every claim and write claims.csv, sensitivity.csv and claims.md (atomically)."""
    from thbstats import load
    from thbstats.atomic import write_atomic, write_text_atomic
    from thbstats.claims_report import report_markdown

    df = load() if df is None else df
    claims = load_claims()
    table, sens = evaluate(df, claims), sensitivity(df, claims)
    write_atomic(outdir / "claims.csv", lambda p: table.to_csv(p, index=False))
    write_atomic(outdir / "sensitivity.csv", lambda p: sens.to_csv(p, index=False))
    write_text_atomic(outdir / "claims.md", report_markdown(table, sens, claims))
    return table
