"""UNODC dataUNODC "Trafficking in persons" country data (data_glotip.xlsx).

Layout knowledge (sheet, header row, column names, code lists, known defects) is in
``unodc_glotip.yml`` beside this module.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from thbstats.errors import InputError
from thbstats.sources import ReadResult, Release
from thbstats.sources.workbook import check_header, excel_col, read_sheet

LAYOUT_FILE = Path(__file__).with_name("unodc_glotip.yml")


@cache
def layout() -> dict[str, Any]:
    """The workbook layout (unodc_glotip.yml)."""
    with open(LAYOUT_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def parse_counts(text: pd.Series, suppressed: str = "<5") -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse txtVALUE: '1,282' -> 1282.0, '<5' -> NaN with suppressed=True. Returns (value, suppressed, bad)."""
    s = text.fillna("").astype(str).str.strip()
    is_supp = s.eq(suppressed)
    digits = s.str.replace(",", "", regex=False)
    well_formed = s.str.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*|[0-9]+")  # ASCII digits only
    value = pd.to_numeric(digits.where(well_formed & ~is_supp), errors="coerce")
    bad = ~is_supp & ~well_formed
    return value, is_supp, bad


def _defect_mask(df: pd.DataFrame, defects: list[dict[str, Any]]) -> dict[str, pd.Series]:
    masks = {}
    plain = df["txtVALUE"].fillna("").str.replace(",", "", regex=False)
    for d in defects:
        mask = pd.Series(True, index=df.index)
        for col, want in d.items():
            if col in df.columns:
                mask &= df[col].eq(want)
        anym = pd.Series(False, index=df.index)
        for col, rx in d.get("any_regex", {}).items():
            src = plain if col == "txtVALUE" else df[col].fillna("")
            anym |= src.str.contains(rx, regex=True)
        masks[d["id"]] = mask & anym
    return masks


def _map(
    df: pd.DataFrame, col: str, mapping: dict[str, str], path: Path, rows: pd.Series
) -> pd.Series:
    out = df[col].map(mapping)
    bad = out.isna()
    if bad.any():
        i = bad[bad].index[0]
        raise InputError(
            str(path), rows[i], col, "one of " + ", ".join(map(repr, mapping)), df[col][i]
        )
    return out


def read_glotip(path: Path, release: Release) -> ReadResult:
    """Read one data_glotip.xlsx release into tidy rows; report what was dropped and why."""
    lay = layout()
    cells = read_sheet(path, lay["sheet"])
    check_header(path, cells, lay["header_row"], lay["columns"])
    publication = release.publication or publication_of(cells, path)  # unregistered: from A2
    df = cells.iloc[lay["header_row"] :].copy()
    df.columns = lay["columns"]
    df = df.dropna(how="all")
    rows = pd.Series(df.index + 1, index=df.index)  # Excel row numbers
    dropped: dict[str, int] = {}

    for key, mask in _defect_mask(df, lay["defects"]).items():
        dropped[f"defect:{key}"] = int(mask.sum())
        df = df[~mask]
    dims = _map(df, "Dimension", lay["dimensions"], path, rows)
    skip = dims.eq("skip")
    for name, n in df.loc[skip, "Dimension"].value_counts().items():
        dropped[f"out_of_scope:{name}"] = int(n)
    df, dims = df[~skip], dims[~skip]

    iso = df["Iso3_code"].fillna("")
    not_country = ~iso.str.fullmatch(r"[A-Z]{3}") | df["Country"].isna()
    dropped["not_a_country"] = int(not_country.sum())
    df, dims = df[~not_country], dims[~not_country]

    stage = _map(df, "Indicator", lay["stages"], path, rows)
    form = _map(df, "Category", lay["forms"], path, rows)
    if ((dims == "total") & (form != "all")).any():
        i = ((dims == "total") & (form != "all")).idxmax()
        raise InputError(
            str(path), rows[i], "Category", "'Total' for Dimension 'Total'", df["Category"][i]
        )
    value, supp, bad = parse_counts(df["txtVALUE"], lay["suppressed"])
    if bad.any():
        i = bad.idxmax()
        col = excel_col(lay["columns"].index("txtVALUE"))
        raise InputError(
            str(path),
            f"cell {col}{rows[i]}",
            "txtVALUE",
            "a count such as '12', '1,282' or '<5'",
            df["txtVALUE"][i],
        )
    year = pd.to_numeric(df["Year"], errors="coerce")
    if year.isna().any():
        i = year.isna().idxmax()
        raise InputError(str(path), rows[i], "Year", "a year such as 2019", df["Year"][i])

    flag = pd.Series(np.where(supp, "suppressed_lt5", ""), index=df.index)
    if release.flag:  # e.g. "unregistered": kept beside "suppressed_lt5"
        flag = (flag + ";" + release.flag).str.lstrip(";")
    out = pd.DataFrame(
        {
            "source": release.source,
            "geo": df["Iso3_code"],
            "geo_name": df["Country"],
            "geo_type": "country",
            "year_start": year.astype("int64"),
            "year_end": year.astype("int64"),
            "stage": stage,
            "form": form,
            "sex": _map(df, "Sex", lay["sex"], path, rows),
            "age": _map(df, "Age", lay["age"], path, rows),
            "value": value,
            "unit": stage.map(lay["units"]).fillna("persons"),
            "flag": flag,
            "citation": release.key,
        }
    )
    out.insert(1, "publication", publication)
    out, n_exact, n_conflict = _dedupe(out)
    dropped["duplicate_rows_same_value"] = n_exact
    dropped["duplicate_keys_conflicting_values"] = n_conflict
    regions = _un_regions(df)
    return ReadResult(out, rows.loc[out.index], dropped, {"un_regions": regions})


def publication_of(cells: pd.DataFrame, path: Path) -> str:
    """'UNODC GLOTIP data YYYY-MM-DD' from the release date the workbook prints (cell A2)."""
    cell = layout()["release_date_cell"]
    row, col = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
    text = str(cells.iat[row, col]) if len(cells) > row and cells.shape[1] > col else ""
    try:
        day = pd.to_datetime(text.strip(), format="%d/%m/%Y")
    except ValueError:
        raise InputError(
            str(path), f"cell {cell}", "release date", "the release date as dd/mm/yyyy", text
        ) from None
    return f"UNODC GLOTIP data {day:%Y-%m-%d}"


def _dedupe(out: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Drop repeated rows; drop every row of a key published with different values (count both)."""
    key = ["geo", "year_start", "stage", "form", "sex", "age"]
    exact = out.duplicated(key + ["value", "flag"], keep="first")
    out = out[~exact]
    conflict = out.duplicated(key, keep=False)
    return out[~conflict], int(exact.sum()), int(conflict.sum())


def _un_regions(df: pd.DataFrame) -> pd.DataFrame:
    reg = df[["Iso3_code", "Country", "Region", "Subregion"]].dropna(subset=["Region"])
    reg = reg.drop_duplicates("Iso3_code").rename(
        columns={
            "Iso3_code": "iso3",
            "Country": "name",
            "Region": "region",
            "Subregion": "subregion",
        }
    )
    return reg.sort_values("iso3").reset_index(drop=True)
