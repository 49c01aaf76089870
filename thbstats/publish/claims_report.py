"""The claims report in Markdown: each document's claims quoted, their checks and verdicts, and
the sensitivity tables."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from thbstats.analysis.claims_verdicts import figure, half_up
from thbstats.publish.markdown_text import md_link, md_text

DEFAULT_DOCUMENT = "concept-note"
FIGURES = ("asserted", "computed", "computed_min", "computed_max")
"""Columns printed in the claim's own unit: whole persons, or one decimal for a percentage."""


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (numbers with thousands separators, rounded half-up to
    one decimal, whole numbers for averages of persons (``*_avg``); NaN as a dash).

    >>> print(markdown_table(pd.DataFrame({"identified_avg": [116.5], "change_pct": [-0.25]})))
    | identified_avg | change_pct |
    |---|---|
    | 117 | -0.3 |
    <BLANKLINE>
    """

    def cell(v: Any, col: str) -> str:
        if isinstance(v, float):
            return "–" if math.isnan(v) else half_up(v, 0 if col.endswith("_avg") else 1)
        return md_text(v)

    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    cols = list(df.columns)
    lines += [
        "| " + " | ".join(cell(v, c) for v, c in zip(row, cols, strict=True)) + " |"
        for row in df.itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


def documents(claims: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The documents whose claims are checked, by id (an older file's ``concept_note`` too)."""
    docs = dict(claims.get("documents", {}))
    if "concept_note" in claims:
        docs.setdefault(DEFAULT_DOCUMENT, claims["concept_note"])
    return docs


def _source_lines(claim: dict[str, Any]) -> list[str]:
    parts = [f"Where: {md_text(claim['where'])}."]
    if claim.get("seen_at"):
        parts.append(f"Read at: {md_text(claim['seen_at'])}.")
    if claim.get("evidence"):
        parts.append(f"Evidence: {md_text(claim['evidence'])}.")
    if claim.get("citation"):
        parts.append(f"Citation: {md_text(claim['citation'])} (data/raw/sources.yml).")
    return [" ".join(parts), ""]


def _in_unit(rows: pd.DataFrame, claim: dict[str, Any]) -> pd.DataFrame:
    """The figure columns as the claim's unit prints them (half-up)."""
    out = rows.copy()
    for col in FIGURES:
        if col in out.columns:
            out[col] = [figure(claim, float(v)) or "–" for v in out[col]]
    return out


def _claim_section(
    claim: dict[str, Any], table: pd.DataFrame, per_claim: pd.DataFrame | None
) -> list[str]:
    rows = _in_unit(table[table["claim"] == claim["id"]], claim)
    out = [f"### {md_text(claim['id'])}", "", f"> {md_text(claim['quote'])}", ""]
    out += _source_lines(claim)
    out += [markdown_table(rows.drop(columns=["claim", "citations"])), ""]
    sens = per_claim[per_claim["claim"] == claim["id"]] if per_claim is not None else None
    sens = _in_unit(sens, claim) if sens is not None else None
    if sens is not None and len(sens):
        out += [
            "Sensitivity (release, and the rows left out):",
            "",
            markdown_table(sens.drop(columns=["claim", "asserted"])),
            "",
        ]
    return out


def report_markdown(
    table: pd.DataFrame,
    sens: pd.DataFrame,
    claims: dict[str, Any],
    per_claim: pd.DataFrame | None = None,
) -> str:
    """The claims report: each document's claims quoted, with their checks, verdicts and
    sensitivity, then the Europe 2015-2018 sensitivity table of the concept note."""
    out = [
        "# Published figures, checked against the data",
        "",
        "Verdicts are computed by `thbstats claims` from the dataset; see data/claims.yml for how.",
        "A claim of a figure ('about X') is 'reproduced' within its tolerance; outside it a level's",
        "'magnitude differs', a change of the same sign has its 'direction reproduced, magnitude",
        "differs', and a change of the other sign, or none, 'differs'. A claim of a bound ('over X')",
        "is 'bound met' or 'bound not met', the difference saying by how much. Where the '<5' cells",
        "(1 to 4 each, 2.5 central) leave the verdict open, it says so: 'the '<5' cells decide'.",
        "Figures are rounded half-up: whole persons, percentages to one decimal.",
        "",
    ]
    for doc_id, doc in documents(claims).items():
        mine = [c for c in claims["claims"] if c.get("document", DEFAULT_DOCUMENT) == doc_id]
        if not mine:
            continue
        out += [f"## {md_text(doc['title'])}", "", f"Source: {md_link(doc['url'])}."]
        if doc.get("note"):
            out += ["", md_text(doc["note"])]
        out.append("")
        for claim in mine:
            out += _claim_section(claim, table, per_claim)
    out += [
        "## Sensitivity: Europe 2015-2018 by countries, panel rule and UNODC release",
        "",
        markdown_table(sens),
        "",
    ]
    return "\n".join(out)


def write_report(outdir: Path, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evaluate every claim; write claims.csv, sensitivity.csv, claims_sensitivity.csv and
    claims.md (each atomically)."""
    from thbstats import load, paths
    from thbstats.analysis.claims import evaluate, load_claims
    from thbstats.analysis.claims_sensitivity import claim_sensitivity, sensitivity
    from thbstats.atomic import write_text_atomic
    from thbstats.csv_out import write_csv

    outdir = paths.output_dir(outdir)  # relative: from the project root, not the cwd
    df = load(vintage="all") if df is None else df
    claims = load_claims()
    table, sens = evaluate(df, claims), sensitivity(df, claims)
    per_claim = claim_sensitivity(df, claims)
    write_csv(outdir / "claims.csv", table)
    write_csv(outdir / "sensitivity.csv", sens)
    write_csv(outdir / "claims_sensitivity.csv", per_claim)
    write_text_atomic(outdir / "claims.md", report_markdown(table, sens, claims, per_claim))
    return table
