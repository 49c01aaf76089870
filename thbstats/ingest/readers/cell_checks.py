"""Checks at the door for transcribed CSV cells, before the schema's: plain finite numbers in a
plausible range for their unit, whole years, text without control characters; and for the names
the official releases and data/raw/geo/*.csv give (countries, regions, groups)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import pandas as pd

from thbstats import schema
from thbstats.errors import InputError
from thbstats.textchars import EXPECTED, first_control, found

INTEGER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
"""A plain decimal number: no exponent (``2e3``, ``1e308``), no ``inf`` or ``nan``."""

PLAUSIBLE = {
    "persons": 1e10,
    "per_1000": 1000.0,
    "percent": 100.0,
    "countries": 250.0,
    "offences": 1e10,
    "cases": 1e10,
}
"""The largest value a figure can have in each unit (persons: more than the world's population)."""


def check_cells(df: pd.DataFrame, origin: str, rows: pd.Series) -> None:
    """Raise InputError naming the file, row, column and what was expected for the first bad
    cell of ``df`` (every cell a string, as read; ``rows`` gives each row's line in the file)."""
    types = {f["name"]: f["type"] for f in schema.spec()["fields"]}
    for col in df.columns:
        for i, cell in df[col].items():
            check_text(cell, origin, rows[i], col)
            kind = types.get(col)
            if kind in ("integer", "number") and cell.strip():
                _check_number(cell.strip(), kind, origin, rows[i], col, df.at[i, "unit"])


def check_names(df: pd.DataFrame, columns: Iterable[str], origin: str, rows: pd.Series) -> None:
    """Raise InputError naming the file, row, column and character for the first cell of
    ``columns`` (those ``df`` has) holding a control or invisible character; ``rows`` gives each
    row's number in the file. Each distinct value is looked at once."""
    for col in columns:
        if col not in df.columns:
            continue
        values = df[col].dropna().astype(str)
        for value in values.unique():  # in order of first appearance: the first bad row
            if first_control(value) is not None:
                check_text(value, origin, rows[values.index[values.eq(value)][0]], col)


def check_text(cell: str, origin: str, row: int | str, col: str) -> None:
    """Raise InputError naming the cell when it holds a control or invisible character."""
    at = first_control(cell)
    if at is not None:
        raise InputError(origin, row, col, EXPECTED, found(cell, at))


def _check_number(cell: str, kind: str, origin: str, row: int, col: str, unit: str) -> None:
    if kind == "integer":
        if not INTEGER.fullmatch(cell):
            raise InputError(origin, row, col, "a whole number written in digits (a year)", cell)
        return
    if not NUMBER.fullmatch(cell):
        raise InputError(
            origin, row, col, "a plain number in digits (no exponent, inf or nan)", cell
        )
    value, top = float(cell), PLAUSIBLE.get(unit)
    if not math.isfinite(value) or (top is not None and abs(value) > top):
        raise InputError(origin, row, col, f"a number of {unit} up to {top:,.0f}", cell)
