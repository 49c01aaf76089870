"""Checks at the door for transcribed CSV cells, before the schema's: plain finite numbers in a
plausible range for their unit, whole years, text without control characters."""

from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd

from thbstats import schema
from thbstats.errors import InputError

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

CONTROL = {"Cc", "Cf", "Zl", "Zp"}
"""Unicode categories refused in text: control, format (zero-width, bidi), line and paragraph
separators (U+0085, U+200B, U+202E, U+2028 ... look like nothing or break lines)."""


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


def check_text(cell: str, origin: str, row: int, col: str) -> None:
    """Raise InputError naming the cell when it holds a control or invisible character."""
    for at, ch in enumerate(cell):
        if unicodedata.category(ch) in CONTROL:
            raise InputError(
                origin,
                row,
                col,
                "text without control characters (tab, line breaks, U+0085, zero-width or "
                "direction marks)",
                f"U+{ord(ch):04X} at character {at + 1}",
            )


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
