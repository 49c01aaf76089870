"""The claims report in Markdown: each claim quoted, its checks and verdicts, the sensitivity table."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (numbers with thousands separators, NaN as a dash)."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "–" if math.isnan(v) else f"{v:,.1f}"
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def report_markdown(table: pd.DataFrame, sens: pd.DataFrame, claims: dict[str, Any]) -> str:
    """The claims report: each claim quoted, its checks and verdicts, and the sensitivity table."""
    out = [
        "# The concept note's figures, checked against the data",
        "",
        f"Concept note: {claims['concept_note']['title']} ({claims['concept_note']['url']}).",
        "Verdicts are computed by `thbstats claims` from the dataset; see data/claims.yml for how.",
        "",
    ]
    for claim in claims["claims"]:
        rows = table[table["claim"] == claim["id"]]
        out += [
            f"## {claim['id']} ({claim['where']})",
            "",
            f"> {claim['quote']}",
            "",
            markdown_table(rows.drop(columns=["claim", "citations"])),
            "",
        ]
    out += [
        "## Sensitivity: Europe 2015-2018 by countries, panel rule and UNODC release",
        "",
        markdown_table(sens),
        "",
    ]
    return "\n".join(out)
