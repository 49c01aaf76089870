"""Opening spreadsheets for reading: calamine (fast) with errors that name the file and sheet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pandas._libs.parsers import STR_NA_VALUES

from thbstats.errors import InputError
from thbstats.ingest.readers.xlsx_safety import MAX_UNCOMPRESSED, check_xlsx

NA_WORDS = sorted(STR_NA_VALUES)
"""The cell texts pandas reads as missing (its default ``na_values``)."""

__all__ = [
    "MAX_UNCOMPRESSED",
    "check_header",
    "check_xlsx",
    "excel_col",
    "read_sheet",
    "sheet_names",
]


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook (checked first with check_xlsx); reads no cells."""
    check_xlsx(path)
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise InputError(
            str(path), None, None, "a readable .xlsx workbook", f"{type(exc).__name__}: {exc}"
        ) from exc


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """All cells of one sheet as text (no header), read with calamine."""
    check_xlsx(path)
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise InputError(
            str(path), None, None, "a readable .xlsx workbook", f"{type(exc).__name__}: {exc}"
        ) from exc
    if sheet not in book.sheet_names:
        raise InputError(
            str(path),
            f"sheet {sheet!r}",
            None,
            f"a sheet named {sheet!r}",
            ", ".join(book.sheet_names),
        )
    try:
        rows = book.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        text = _as_text(rows)
        return book.parse(sheet, header=None, dtype=str) if text is None else text
    except Exception as exc:
        raise InputError(
            str(path), f"sheet {sheet!r}", None, "readable cells", f"{type(exc).__name__}: {exc}"
        ) from exc


def _as_text(rows: list[list]) -> pd.DataFrame | None:
    """The cells as ``ExcelFile.parse(header=None, dtype=str)`` gives them, column by column:
    text kept (pandas' missing-value words, such as "" and "NA", are NaN), a number as its text
    ("12" for 12.0); None for a sheet the shortcut leaves to pandas (a date or other cell type,
    rows of unequal length, a single column, whose blank lines pandas would skip)."""
    width = len(rows[0]) if rows else 0
    if width < 2 or any(len(r) != width for r in rows):
        return None
    cells = np.array(rows, dtype=object)
    cols = {}
    for j in range(width):
        col = cells[:, j]
        kinds = set(map(type, col))
        if not kinds <= {str, float, int}:
            return None
        if kinds != {str}:
            col = np.array([v if type(v) is str else _number_text(v) for v in col], dtype=object)
        col[pd.Series(col).isin(NA_WORDS).to_numpy()] = np.nan
        cols[j] = col
    return pd.DataFrame(cols)


def _number_text(v: float) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def excel_col(i: int) -> str:
    """Spreadsheet column letter of a 0-based column index."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def check_header(path: Path, cells: pd.DataFrame, header_row: int, expected: list[str]) -> None:
    """Raise InputError naming the cell where the header differs from the layout (1-based row)."""
    if len(cells) < header_row:
        raise InputError(
            str(path), f"row {header_row}", None, "the column header", "the sheet ends before it"
        )
    found = [("" if pd.isna(v) else str(v)) for v in cells.iloc[header_row - 1].tolist()]
    for j, name in enumerate(expected):
        got = found[j] if j < len(found) else ""
        if got != name:
            hint = _find_header(cells, expected[0])
            extra = (
                f" (the header seems to be on row {hint})" if hint and hint != header_row else ""
            )
            raise InputError(
                str(path),
                f"cell {excel_col(j)}{header_row}",
                name,
                f"the header {name!r}{extra}",
                got,
            )


def _find_header(cells: pd.DataFrame, first: str) -> int | None:
    col = cells.iloc[:20, 0].astype(str).tolist()
    return col.index(first) + 1 if first in col else None
