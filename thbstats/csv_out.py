"""The one CSV writer of the project: the processed table and every figure's data go through it.

A text cell a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return, after optional spaces) is written with a leading ``'``; numbers are
numbers (a negative value in a numeric column is left alone). A field holding a separator, a
quote or a line break (a carriage return too) is quoted, so every row reads back as one row.
The raw text stays in the parquet file: only the CSV is neutralised.
"""

from __future__ import annotations

import csv
import os
import re
from typing import Any

import pandas as pd

from thbstats.atomic import write_bytes_atomic

FORMULA = re.compile(r"^ *[=+\-@\t\r]")
"""Text a spreadsheet would read as a formula (OWASP's list, after optional spaces)."""


def neutralise(value: Any) -> Any:
    """A formula-like string with a leading ``'`` (shown as text); anything else unchanged.

    >>> neutralise("=HYPERLINK(1)"), neutralise(" \\t=1"), neutralise("-3"), neutralise(-3)
    ("'=HYPERLINK(1)", "' \\t=1", "'-3", -3)
    """
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def _text_columns(frame: pd.DataFrame) -> list[Any]:
    return [
        c
        for c in frame.columns
        if frame[c].dtype == object
        or isinstance(frame[c].dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(frame[c])
    ]


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells and column names unable to run as formulas (a copy when
    anything changes)."""
    return _neutralised(frame, {c: _texts(frame[c]) for c in _text_columns(frame)})


def _neutralised(frame: pd.DataFrame, texts: dict[Any, list[str]]) -> pd.DataFrame:
    """:func:`neutralised`, given the distinct strings of each text column."""
    out = frame
    for col, values in texts.items():
        bad = {v for v in values if FORMULA.match(v)}
        if bad:
            out = out.copy() if out is frame else out
            column = out[col].astype(object)
            hits = column.isin(bad)
            column[hits] = "'" + column[hits]
            out[col] = column
    names = [neutralise(c) for c in frame.columns]
    if names != list(frame.columns):
        out = out.copy() if out is frame else out
        out.columns = names
    return out


def _texts(column: pd.Series) -> list[str]:
    """The distinct strings of a column (a table has few: checking them is fast)."""
    return [v for v in column.dropna().unique() if isinstance(v, str)]


def _has_carriage_return(frame: pd.DataFrame, texts: dict[Any, list[str]]) -> bool:
    return any("\r" in v for values in texts.values() for v in values) or any(
        "\r" in str(c) for c in frame.columns
    )


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index, ``\\n`` line ends), neutralised and quoted.

    Python's writer quotes a field with a comma, a quote or a ``\\n`` but not one with a lone
    ``\\r``, which pandas and spreadsheets read as a line end: a frame holding one is written
    with every text field quoted.

    >>> csv_text(pd.DataFrame({"name": ["a\\rb"], "value": [-1]}))
    '"name","value"\\n"a\\rb",-1\\n'
    """
    texts = {c: _texts(frame[c]) for c in _text_columns(frame)}  # "'" + a text: the same CRs
    frame = _neutralised(frame, texts)
    quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(frame, texts) else csv.QUOTE_MINIMAL
    return frame.to_csv(index=False, lineterminator="\n", quoting=quoting)


def write_csv(target: str | os.PathLike[str], frame: pd.DataFrame) -> None:
    """Write ``frame`` to ``target`` as UTF-8 CSV (atomically: the old file or the new one)."""
    write_bytes_atomic(target, csv_text(frame).encode("utf-8"))
