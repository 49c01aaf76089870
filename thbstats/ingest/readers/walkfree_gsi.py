"""Walk Free Global Slavery Index data workbooks: estimated number and prevalence per country.

Layouts per edition are in ``walkfree_gsi.yml`` beside this module.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from thbstats import geo
from thbstats.errors import InputError
from thbstats.ingest import audit
from thbstats.ingest.readers.cell_checks import check_names
from thbstats.ingest.readers.release import ReadResult, Release
from thbstats.ingest.readers.workbook import read_sheet

LAYOUT_FILE = Path(__file__).with_name("walkfree_gsi.yml")


@cache
def layouts() -> dict[str, Any]:
    """Layouts by GSI edition (walkfree_gsi.yml)."""
    with open(LAYOUT_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def population_source(publication: str) -> str:
    """What the workbook of a GSI edition says its population figures are ("" if not recorded).

    >>> population_source("Global Slavery Index 2023")
    'UN World Population Prospects 2019 (year of the figures not stated in the workbook)'
    """
    edition = publication.rsplit(" ", 1)[-1]
    return str(layouts().get(edition, {}).get("population_source", {}).get("label", ""))


def _check_population_source(path: Path, lay: dict[str, Any]) -> None:
    """The workbook must still say what ``population_source`` records of its population."""
    src = lay.get("population_source")
    if not src:
        return
    text = " ".join(str(v) for v in read_sheet(path, src["sheet"]).stack().tolist())
    if src["text"] not in text:
        raise InputError(
            str(path), f"sheet {src['sheet']}", "population note", src["text"], "absent"
        )


def _numbers(
    df: pd.DataFrame, col: str, path: Path, rows: pd.Series, bounds: dict | None = None
) -> pd.Series:
    num = pd.to_numeric(df[col], errors="coerce")
    bad = num.isna() & df[col].notna() & ~df[col].isin(list(bounds or {}))
    if bad.any():
        i = bad.idxmax()
        raise InputError(str(path), rows[i], col.strip(), "a number", df[col][i])
    return num


def read_gsi(path: Path, release: Release) -> ReadResult:
    """Read one GSI edition: rows for estimated persons, prevalence per 1,000 and population."""
    lay = layouts()[release.edition or ""]
    _check_population_source(path, lay)
    cells = read_sheet(path, lay["sheet"])
    cols = lay["columns"]
    header = cells.iloc[lay["header_row"] - 1].fillna("").astype(str).tolist()
    wanted = list(cols.values())
    missing = [c for c in wanted if c not in header]
    if missing:
        raise InputError(
            str(path),
            f"row {lay['header_row']}",
            missing[0],
            f"a column headed {missing[0]!r}",
            "absent",
        )
    df = cells.iloc[lay["header_row"] :].copy()
    df.columns = header
    df = df[df[cols["country"]].notna()]
    rows = pd.Series(df.index + 1, index=df.index)
    check_names(df, [cols["country"], cols["region"]], str(path), rows)
    names = df[cols["country"]].str.strip()
    iso = pd.Series(geo.to_iso3(names), index=df.index)
    if iso.isna().any():
        i = iso.isna().idxmax()
        raise InputError(str(path), rows[i], cols["country"].strip(), "a country name", names[i])
    bounds = lay.get("suppressed", {})
    number = _numbers(df, cols["number"], path, rows, bounds)
    flag_of_number = df[cols["number"]].map(bounds).fillna("")
    prevalence = _numbers(df, cols["prevalence"], path, rows)
    population = _numbers(df, cols["population"], path, rows)
    has_number = number.notna() | flag_of_number.ne("")
    dropped = {"no_estimate": int((~has_number).sum())}
    none = df[~has_number]
    trail = audit.lines(
        file=path.name,
        rows=rows[none.index],
        publication=release.publication,
        key=iso[none.index].astype(str)
        + f"|{lay['reference_year']}|estimated|modern_slavery|all|all",
        action="dropped",
        reason="no_estimate",
        before=none[cols["number"]].fillna("").astype(str),
    )
    year = int(lay["reference_year"])
    base = {
        "source": release.source,
        "publication": release.publication,
        "geo_type": "country",
        "year_start": year,
        "year_end": year,
        "sex": "all",
        "age": "all",
        "flag": release.flag,
        "citation": release.key,
    }
    parts = []
    for stage, form, unit, values, keep in (
        ("estimated", "modern_slavery", "persons", number, has_number),
        ("estimated", "modern_slavery", "per_1000", prevalence, prevalence.notna()),
        ("population", "all", "persons", population, population.notna()),
    ):
        part = pd.DataFrame(
            {
                **base,
                "geo": iso[keep],
                "geo_name": names[keep],
                "stage": stage,
                "form": form,
                "unit": unit,
                "value": values[keep],
            }
        )
        if stage == "estimated" and unit == "persons":
            part["flag"] = [
                ";".join(f for f in (release.flag, b) if f) for b in flag_of_number[keep]
            ]
        parts.append(part)
    out = pd.concat(parts)
    out_rows = pd.concat([rows[p.index] for p in parts])
    out = out.reset_index(drop=True)
    regions = pd.DataFrame({"iso3": iso, "name": names, "walkfree_region": df[cols["region"]]})
    result = ReadResult(
        out, out_rows.reset_index(drop=True), dropped, {"walkfree_regions": regions}
    )
    result.audit = trail
    return result
