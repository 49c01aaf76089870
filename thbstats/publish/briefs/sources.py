"""The releases a brief names, from the citation keys of the rows it shows: a card's footnote,
the method text. Nothing here names a release: a table built from a newer release cites it."""

from __future__ import annotations

import pandas as pd

from thbstats import citations
from thbstats import geo as geomod
from thbstats.vocabulary import JUSTICE_STAGES


def cited(row: pd.Series, table: pd.DataFrame | None, stage: str) -> list[str]:
    """The citation keys of the rows behind a stage's figure; where the place has none, those of
    the table's other States (the release the brief looked in)."""
    own = str(row.get(f"{stage}_citation") or "")
    if own and own != "nan" or table is None:
        return [k for k in own.split(";") if k and k != "nan"]
    rows = table[table["geo_type"] == "country"]
    if row.get("geo_type") != "country":  # a group: its member States' figures
        rows = rows[rows["geo"].isin(geomod.members(str(row["geo"])))]
        with_figure = rows[rows[stage].notna()] if stage in rows else rows
        rows = with_figure if len(with_figure) else rows
    col = rows.get(f"{stage}_citation", pd.Series(dtype=str)).dropna().astype(str)
    return sorted({k for c in col for k in c.split(";") if k and k != "nan"})


def release_text(row: pd.Series, table: pd.DataFrame | None, stages) -> str:
    """The releases behind some stages, in words ("UNODC, ..., release of 14/04/2025")."""
    return "; ".join(citations.releases(k for st in stages for k in cited(row, table, st)))


def source(keys: list[str]) -> str:
    """A footnote: the source line of some citation keys, without its "Source: "."""
    return citations.source_line(keys).removeprefix("Source: ")


def method_text(row: pd.Series, table: pd.DataFrame | None = None) -> str:
    """How the brief's figures were made, naming the releases of the rows it shows."""
    flows = release_text(row, table, JUSTICE_STAGES) or "none"
    est = release_text(row, table, ["estimated"]) or "none"
    return (
        f"Victims identified, prosecutions and convictions: {flows}; yearly averages over the "
        "years with a figure (named); a ratio averages both its figures over the same years. "
        f"Estimate: {est}. '<5' cells count as 1-4. "
        "Made with thbstats from the cited publications; every number traces to its source."
    )
