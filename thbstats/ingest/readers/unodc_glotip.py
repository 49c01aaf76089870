"""UNODC dataUNODC "Trafficking in persons" country data (data_glotip.xlsx).

Layout knowledge (sheet, header row, column names, code lists, known defects) is in
``unodc_glotip.yml`` beside this module.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from thbstats.errors import InputError
from thbstats.ingest import audit
from thbstats.ingest.readers.cell_checks import check_names
from thbstats.ingest.readers.release import ReadResult, Release
from thbstats.ingest.readers.unodc_layout import LAYOUT_FILE, layout, publication_of, un_regions  # noqa: E402,F401
from thbstats.ingest.readers.workbook import check_header, excel_col, read_sheet
from thbstats.numbers import cell_label

NAMES = ("Country", "Region", "Subregion")
"""The columns of names the table and data/raw/geo/un_regions.csv take from the workbook."""


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


def _raw_key(df: pd.DataFrame) -> pd.Series:
    cols = ["Iso3_code", "Year", "Indicator", "Dimension", "Category", "Sex", "Age"]
    if df.empty:
        return pd.Series([], index=df.index, dtype=str)
    text = [df[c].fillna("").astype(str) for c in cols]
    return functools.reduce(lambda a, b: a + "|" + b, text)


def _drop(
    df: pd.DataFrame, mask: pd.Series, reason: str | pd.Series, ctx: dict[str, Any]
) -> pd.DataFrame:
    """Audit lines for raw rows dropped for ``reason``."""
    part = df[mask]
    why = reason if isinstance(reason, str) else reason[mask]
    return audit.lines(
        file=ctx["file"],
        rows=ctx["rows"][part.index],
        publication=ctx["publication"],
        key=_raw_key(part),
        action="dropped",
        reason=why,
        before=part["txtVALUE"].fillna(""),
    )


def read_glotip(path: Path, release: Release) -> ReadResult:
    """Read one data_glotip.xlsx release into tidy rows; audit what was dropped or merged and why."""
    lay = layout()
    cells = read_sheet(path, lay["sheet"])
    check_header(path, cells, lay["header_row"], lay["columns"])
    publication = release.publication or publication_of(cells, path)  # unregistered: from A2
    df = cells.iloc[lay["header_row"] :].copy()
    df.columns = lay["columns"]
    df = df.dropna(how="all")
    rows = pd.Series(df.index + 1, index=df.index)  # Excel row numbers
    check_names(df, NAMES, str(path), rows)
    ctx = {"file": path.name, "rows": rows, "publication": publication}
    trail: list[pd.DataFrame] = []

    for key, mask in _defect_mask(df, lay["defects"]).items():
        trail.append(_drop(df, mask, f"defect:{key}", ctx))
        df = df[~mask]
    dims = _map(df, "Dimension", lay["dimensions"], path, rows)
    skip = dims.eq("skip")
    trail.append(_drop(df, skip, "out_of_scope:" + df["Dimension"].astype(str), ctx))
    df, dims = df[~skip], dims[~skip]

    iso = df["Iso3_code"].fillna("")
    not_country = ~iso.str.fullmatch(r"[A-Z]{3}") | df["Country"].isna()
    trail.append(_drop(df, not_country, "not_a_country", ctx))
    df, dims = df[~not_country], dims[~not_country]

    out = _tidy(df, dims, lay, path, rows, release, publication)
    out, merged, stats = _combine_parts(out, df, lay, ctx)
    trail.append(merged)
    regions = un_regions(df)
    result = ReadResult(out, rows.loc[out.index], stats, {"un_regions": regions})
    result.audit = audit.concat(trail)
    return result


def _tidy(
    df: pd.DataFrame,
    dims: pd.Series,
    lay: dict[str, Any],
    path: Path,
    rows: pd.Series,
    release: Release,
    publication: str,
) -> pd.DataFrame:
    """Raw rows -> tidy rows (same index), with bounds: a "<5" cell is 1 to 4."""
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
    out = pd.DataFrame(
        {
            "source": release.source,
            "publication": publication,
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
            "value_min": value.where(~supp, 1.0),
            "value_max": value.where(~supp, 4.0),
            "unit": stage.map(lay["units"]).fillna("persons"),
            "flag": flag,
            "citation": release.key,
        }
    )
    if release.flag:  # e.g. "unregistered": kept beside the other flags
        out["flag"] = (out["flag"] + ";" + release.flag).str.strip(";")
    return out


TIDY_KEY = ["geo", "year_start", "stage", "form", "sex", "age"]


def _rule_of(df: pd.DataFrame, rules: list[dict[str, Any]]) -> pd.Series:
    """The id of the parts rule each raw row falls under ('' for none)."""
    out = pd.Series("", index=df.index)
    for rule in rules:
        m = pd.Series(True, index=df.index)
        for col, want in rule.items():
            if col == "id":
                continue
            m &= df[col].isin(want if isinstance(want, list) else [want])
        out = out.where(~(m & out.eq("")), rule["id"])
    return out


def _combine_parts(
    out: pd.DataFrame, df: pd.DataFrame, lay: dict[str, Any], ctx: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Sum rows that are parts of one figure (layout ``parts``); drop other repeated keys.

    Returns the rows, the audit of what was merged or dropped, and counts of the parts check
    (summed figures that agree or disagree with the same figure's child + adult split).
    """
    dup = out.duplicated(TIDY_KEY, keep=False)
    rule = _rule_of(df, lay.get("parts", []))
    parts = dup & rule.ne("")
    trail = []
    summed = _sum_groups(out[parts])
    if parts.any():
        after = out[parts].merge(
            summed[TIDY_KEY + ["value_min", "value_max"]], on=TIDY_KEY, how="left"
        )
        trail.append(
            audit.lines(
                file=ctx["file"],
                rows=ctx["rows"][out.index[parts]],
                publication=ctx["publication"],
                key=audit.key_text(out[parts]),
                action="merged",
                reason="summed_parts:" + rule[parts],
                before=df.loc[parts[parts].index, "txtVALUE"],
                after=[
                    cell_label(a, b)
                    for a, b in zip(after["value_min_y"], after["value_max_y"], strict=True)
                ],
            )
        )
    rest = out[~parts]
    exact = rest.duplicated(TIDY_KEY + ["value", "flag"], keep="first")
    conflict = rest[~exact].duplicated(TIDY_KEY, keep=False).reindex(rest.index, fill_value=False)
    for mask, reason in ((exact, "duplicate_row_same_value"), (conflict, "conflicting_values")):
        trail.append(_drop(df.loc[rest.index], mask, reason, ctx))
    kept = rest[~exact & ~conflict]
    combined = pd.concat([kept, summed]).sort_index()
    stats = _parts_check(combined, summed)
    return combined, audit.concat(trail), stats


def _sum_groups(parts: pd.DataFrame) -> pd.DataFrame:
    """One row per key: the sum of its parts, with bounds; index of the group's first row."""
    if parts.empty:
        return parts.copy()
    g = parts.groupby(TIDY_KEY, sort=False)
    first = g.head(1).set_index(TIDY_KEY)
    lo = g["value_min"].sum()
    hi = g["value_max"].sum()
    keys = [parts[c] for c in TIDY_KEY]
    exact = lo.eq(hi) & parts["value"].notna().groupby(keys, sort=False).all()
    res = first.copy()
    res["value_min"], res["value_max"] = lo, hi
    res["value"] = lo.where(exact)
    extra = res["flag"].str.replace("suppressed_lt5", "", regex=False).str.strip(";")
    base = pd.Series(
        np.where(exact, "summed_parts", "suppressed_lt5;summed_parts"), index=res.index
    )
    res["flag"] = (base + ";" + extra).str.strip(";")
    res = res.reset_index()
    res.index = g.head(1).index
    return res[parts.columns]


def _parts_check(table: pd.DataFrame, summed: pd.DataFrame) -> dict[str, int]:
    """How often a summed all-ages figure agrees with the child + adult (+ unknown) rows."""
    stats = {"summed_figures": len(summed), "parts_agree": 0, "parts_disagree": 0}
    if summed.empty:
        return stats
    cand = summed[summed["age"] == "all"]
    split = table[table["age"].isin(["child", "adult", "unknown"])]
    split = split.assign(_child=split["age"].eq("child"), _adult=split["age"].eq("adult"))
    k = ["geo", "year_start", "stage", "form", "sex"]
    ages = split.groupby(k).agg(
        lo=("value_min", "sum"),
        hi=("value_max", "sum"),
        has_child=("_child", "any"),
        has_adult=("_adult", "any"),
    )
    ages = ages[ages["has_child"] & ages["has_adult"]]
    m = cand.join(ages, on=k, how="inner")
    agree = (m["value_min"] <= m["hi"]) & (m["lo"] <= m["value_max"])
    stats["parts_agree"] = int(agree.sum())
    stats["parts_disagree"] = int((~agree).sum())
    return stats
