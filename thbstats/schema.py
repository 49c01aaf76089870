"""The tidy table: one row per published figure (the contract between library and notebooks).

Field descriptions live in ``schema.yml`` beside this module, so the datapackage descriptor, the
data dictionary (docs/data-dictionary.md) and the validator all read one definition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from thbstats.errors import InputError
from thbstats.vocabulary import ESTIMATE_CONCEPTS  # noqa: F401  (defined in vocabulary.yml)

SCHEMA_FILE = Path(__file__).with_name("schema.yml")


@cache
def spec() -> dict[str, Any]:
    """The field definitions: name, type, description, allowed values."""
    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def columns() -> list[str]:
    """Column names of the tidy table, in order."""
    return [f["name"] for f in spec()["fields"]]


def source_columns() -> list[str]:
    """Columns a source file or reader provides: every field but the derived ones."""
    return [c for c in columns() if c not in derived()]


def derived() -> set[str]:
    """Fields the build fills (bounds, vintage): not expected in a source file."""
    return {f["name"] for f in spec()["fields"] if f.get("derived")}


def allowed(field: str) -> list[str] | None:
    """Allowed values of a categorical field (None when free)."""
    for f in spec()["fields"]:
        if f["name"] == field:
            return f.get("enum")
    raise KeyError(field)


KEY: list[str] = list(spec()["primaryKey"])
"""The primary key (``primaryKey`` of schema.yml): two rows with the same key are duplicates."""

FIGURE_KEY: list[str] = list(spec()["figureKey"])
"""One figure whatever release printed it (``figureKey``): its rows in several releases are
vintages of one figure (with the same variant, see :func:`variant`)."""

VARIANT_FLAGS: tuple[str, ...] = tuple(spec()["variantFlags"])
"""Flags that make a row a variant of its own (a range end, another source's figure, a derived
total)."""

NOT_DEFAULT_FLAGS: tuple[str, ...] = tuple(spec()["notDefault"])
"""Flags of rows the default view leaves out (``notDefault``)."""

_DATE = re.compile(r"(\d{4})(?:-(\d{2})-(\d{2}))?")


def edition_rank(publication: str) -> str:
    """A sortable edition stamp: the latest year or date printed in the publication name.

    >>> edition_rank("TIP Report 2019"), edition_rank("UNODC GLOTIP data 2025-04-14")
    ('2019-00-00', '2025-04-14')
    """
    stamps = [f"{y}-{m or '00'}-{d or '00'}" for y, m, d in _DATE.findall(str(publication))]
    return max(stamps, default="0000-00-00")


def newest(publications: Iterable[str]) -> str:
    """The latest release among ``publications`` (by :func:`edition_rank`)."""
    return max(publications, key=edition_rank)


def per_value(values: pd.Series, func: Callable[[Any], Any], missing: Any = False) -> pd.Series:
    """``values.map(func)``, calling ``func`` once per distinct value (``missing`` where a value
    is missing); a boolean Series where ``func`` and ``missing`` give booleans.

    >>> per_value(pd.Series(["a;b", "b", None, "a;b"]), lambda v: "a" in v.split(";")).tolist()
    [True, False, False, True]
    """
    codes, uniques = pd.factorize(values)
    out = [func(v) for v in uniques] + [missing]
    kind = bool if all(isinstance(v, bool) for v in out) else object
    return pd.Series(np.array(out, dtype=kind)[codes], index=values.index, name=values.name)


def flag_mask(flags: pd.Series, flag: str) -> pd.Series:
    """True where the ;-separated ``flag`` column contains ``flag`` (``thbstats.flags.has_flag``)."""
    return per_value(flags.fillna("").astype(str), lambda v: flag in v.split(";"))


def variant(flags: pd.Series, variants: Iterable[str] = VARIANT_FLAGS) -> pd.Series:
    """The variant a row prints: '' for the figure itself, or the variant flag it carries."""
    variants = tuple(variants)

    def one(text: str) -> str:
        parts = text.split(";")
        return next((f for f in variants[::-1] if f in parts), "")

    return per_value(flags.fillna("").astype(str), one, "").rename(None)


def vintage_order(
    df: pd.DataFrame, variants: Iterable[str] = VARIANT_FLAGS
) -> tuple[pd.DataFrame, list[str]]:
    """The "latest release" rule, the one place it is written: ``df`` sorted so that among the
    vintages of one figure (same figure key and variant) the latest comes last: the newest
    edition, and within one edition the original after its secondary copy.

    Returns the sorted frame (with a ``_variant`` column) and the columns that group vintages:
    ``~out.duplicated(by, keep="last")`` marks the latest vintage of each figure. ``variants``:
    the flags that make a variant (the default view counts a derived total as the figure).
    """
    by = [*FIGURE_KEY, "_variant"]
    t = df.assign(
        _variant=variant(df["flag"], tuple(variants)),
        _rank=per_value(df["publication"], edition_rank, "0000-00-00"),
        _copy=flag_mask(df["flag"], "secondary_source"),
    )
    order = t.sort_values(
        [*by, "_rank", "_copy", "publication"],
        ascending=[True] * len(by) + [True, False, True],
        kind="mergesort",
    )
    return order.drop(columns=["_rank", "_copy"]), by


def coerce(df: pd.DataFrame) -> pd.DataFrame:
    """Put a frame in the table's column order and dtypes (strings, ints, floats)."""
    out = df.reindex(columns=columns())
    cols: dict[str, Any] = {}
    for f in spec()["fields"]:
        name, typ, col = f["name"], f["type"], out[f["name"]]
        if typ == "boolean" and col.dtype == bool and len(col):
            cols[name] = col.to_numpy(copy=True)
        elif typ == "boolean":
            flags = [True if pd.isna(v) else bool(v) for v in col]
            cols[name] = np.array(flags) if flags else np.array([], "float64")  # as pandas did
        elif typ == "integer":
            cols[name] = pd.to_numeric(col).astype("int64").to_numpy()
        elif typ == "number":
            cols[name] = pd.to_numeric(col).astype("float64").to_numpy()
        else:
            cols[name] = col.fillna("").astype(str).to_numpy()
    return pd.DataFrame(cols, columns=columns())  # one frame at once, not a column at a time


def validate(
    df: pd.DataFrame,
    origin: str,
    rows: pd.Series | None = None,
    citations: set[str] | None = None,
    geos: set[str] | None = None,
) -> None:
    """Check a tidy frame; raise InputError naming the origin file, row, column and expectation.

    ``rows`` maps each frame row to its row in the origin file (for the message); ``citations``
    and ``geos`` are the known keys, checked when given.
    """
    rownum = rows if rows is not None else pd.Series(df.index + 1, index=df.index)
    missing = [c for c in columns() if c not in df.columns and c not in derived()]
    if missing:
        raise InputError(origin, None, missing[0], "a column named " + repr(missing[0]), "absent")
    for f in spec()["fields"]:
        if f["name"] in df.columns:
            _check_field(df, f, origin, rownum)
    _check_cross(df, origin, rownum, citations, geos)
    _check_duplicates(df, origin, rownum)


def _first(mask: pd.Series) -> Any:
    return mask[mask].index[0]


def _check_field(df: pd.DataFrame, f: dict[str, Any], origin: str, rownum: pd.Series) -> None:
    name, col = f["name"], df[f["name"]]
    required = f.get("required", False)
    if required:
        bad = col.isna() | per_value(col, lambda v: str(v).strip() == "")
        if bad.any():
            i = _first(bad)
            raise InputError(origin, rownum[i], name, "a value (required)", "empty")
    if "enum" in f:
        allowed_values = set(f["enum"]) | ({""} if not required else set())
        if f.get("multi"):
            bad = per_value(
                col.fillna("").astype(str),
                lambda v: any(p.strip() not in allowed_values for p in v.split(";")),
            )
        else:
            bad = ~col.fillna("").astype(str).isin(allowed_values)
        if bad.any():
            i = _first(bad)
            raise InputError(origin, rownum[i], name, "one of " + ", ".join(f["enum"]), col[i])
    if f["type"] in ("integer", "number"):
        num = pd.to_numeric(col, errors="coerce")
        bad = num.isna() & col.notna() & per_value(col, lambda v: str(v).strip() != "")
        if bad.any():
            i = _first(bad)
            raise InputError(origin, rownum[i], name, f"a plain {f['type']}", col[i])
        lo, hi = f.get("minimum"), f.get("maximum")
        if lo is not None and (num < lo).any():
            i = _first(num < lo)
            raise InputError(origin, rownum[i], name, f"a number >= {lo}", col[i])
        if hi is not None and (num > hi).any():
            i = _first(num > hi)
            raise InputError(origin, rownum[i], name, f"a number <= {hi}", col[i])


def _check_cross(
    df: pd.DataFrame,
    origin: str,
    rownum: pd.Series,
    citations: set[str] | None,
    geos: set[str] | None,
) -> None:
    ys, ye = pd.to_numeric(df["year_start"]), pd.to_numeric(df["year_end"])
    if (ye < ys).any():
        i = _first(ye < ys)
        raise InputError(origin, rownum[i], "year_end", f"a year >= year_start ({ys[i]})", ye[i])
    value = pd.to_numeric(df["value"], errors="coerce")
    flags = df["flag"].fillna("").astype(str)
    suppressed = per_value(flags, lambda v: "suppressed_lt" in v or "derived" in v.split(";"))
    if (value.isna() & ~suppressed).any():
        i = _first(value.isna() & ~suppressed)
        raise InputError(
            origin,
            rownum[i],
            "value",
            "a number (only suppressed_lt5, suppressed_lt1000 or derived rows may be empty)",
            "empty",
        )
    pct = df["unit"].eq("percent") & (value > 100)
    if pct.any():
        i = _first(pct)
        raise InputError(origin, rownum[i], "value", "a percentage between 0 and 100", value[i])
    if citations is not None:
        bad = ~df["citation"].isin(citations)
        if bad.any():
            i = _first(bad)
            raise InputError(
                origin,
                rownum[i],
                "citation",
                "a key described in data/raw/sources.yml",
                df["citation"][i],
            )
    if geos is not None:
        bad = ~df["geo"].isin(geos)
        if bad.any():
            i = _first(bad)
            raise InputError(
                origin,
                rownum[i],
                "geo",
                "an ISO3 country code or a group code in data/raw/geo/",
                df["geo"][i],
            )


def _check_duplicates(df: pd.DataFrame, origin: str, rownum: pd.Series) -> None:
    dup = df.duplicated(KEY, keep=False)
    if dup.any():
        rows = df[dup]
        first = rows.iloc[0]
        same = (rows[KEY] == first[KEY]).all(axis=1)
        where = ", ".join(str(rownum[i]) for i in rows[same].index)
        raise InputError(
            origin,
            where,
            "value",
            "one row per figure (publication, geo, years, stage, form, sex, age, unit, citation, flag)",
            "duplicate rows " + where,
        )
