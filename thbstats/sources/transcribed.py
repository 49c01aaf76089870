"""Figures transcribed from publications: data/raw/*.csv, in the tidy table's columns plus `note`."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from thbstats import schema
from thbstats.errors import InputError
from thbstats.sources import ReadResult

EXTRA_COLUMNS = ["note"]


def transcribed_files(raw: Path) -> list[Path]:
    """The transcribed-figure CSVs (every CSV directly in data/raw/)."""
    return sorted(p for p in raw.glob("*.csv") if not p.name.startswith("."))


def read_transcribed(path: Path) -> ReadResult:
    """Read one transcribed CSV, checking header, encoding and values; row numbers are file lines."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(str(path), None, None, "a header row and at least one figure", "an empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), line, None, "UTF-8 text", f"byte {data[exc.start]:#x}") from exc
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    expected = schema.columns() + EXTRA_COLUMNS
    header = list(df.columns)
    for j, name in enumerate(expected):
        if j >= len(header) or header[j] != name:
            raise InputError(str(path), 1, name, f"column {j + 1} headed {name!r}",
                             header[j] if j < len(header) else "no such column")
    if len(header) > len(expected):
        raise InputError(str(path), 1, header[len(expected)], "no further columns", header[len(expected)])
    rows = pd.Series(df.index + 2, index=df.index)
    schema.validate(df, str(path), rows)
    return ReadResult(schema.coerce(df), rows.reset_index(drop=True), {}, {})
