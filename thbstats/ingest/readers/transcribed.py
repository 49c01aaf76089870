"""Figures transcribed from publications: data/raw/*.csv, in the tidy columns plus `note`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from thbstats import schema
from thbstats.errors import InputError
from thbstats.ingest.readers.cell_checks import check_cells
from thbstats.ingest.readers.release import ReadResult

EXTRA_COLUMNS = ["note"]


def transcribed_files(raw: Path) -> list[Path]:
    """The transcribed-figure CSVs (every CSV directly in data/raw/)."""
    return sorted(p for p in raw.glob("*.csv") if not p.name.startswith("."))


def read_transcribed(path: Path) -> ReadResult:
    """Read one transcribed CSV, checking header, encoding and values (rows: file lines)."""
    df = read_cells(path, schema.source_columns() + EXTRA_COLUMNS)
    rows = pd.Series(df.index + 2, index=df.index)
    check_cells(df, str(path), rows)
    schema.validate(df, str(path), rows)
    return ReadResult(schema.coerce(df), rows.reset_index(drop=True), {}, {}, origin=path.name)


def read_cells(path: Path, expected: list[str]) -> pd.DataFrame:
    """A transcription CSV as text cells (row i is file line i + 2), its encoding, fields and
    header checked against ``expected``; every bad file named with its line and column."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(
            str(path),
            1,
            expected[0],
            "a header row (" + ",".join(expected) + ") and figures",
            "an empty file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start, expected)
        raise InputError(
            str(path),
            line,
            column,
            "UTF-8 text (save the file as UTF-8)",
            f"byte {data[exc.start]:#x}",
        ) from exc
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        line = int(found.group(2)) if found else None
        raise InputError(
            str(path),
            line,
            None,
            f"{len(expected)} comma-separated fields (quote text holding a comma)",
            f"{found.group(3)} fields" if found else str(exc),
        ) from exc
    header = list(df.columns)
    for j, name in enumerate(expected):
        if j >= len(header) or header[j] != name:
            raise InputError(
                str(path),
                1,
                name,
                f"column {j + 1} headed {name!r}",
                header[j] if j < len(header) else "no such column",
            )
    if len(header) > len(expected):
        raise InputError(
            str(path), 1, header[len(expected)], "no further columns", header[len(expected)]
        )
    return df


def _position(data: bytes, at: int, columns: list[str]) -> tuple[int, str | None]:
    """File line and column (by the header) of byte ``at``, from the valid UTF-8 before it."""
    start = data.rfind(b"\n", 0, at) + 1
    fields = next(csv.reader([data[start:at].decode("utf-8-sig")]), [""])
    index = len(fields) - 1
    return data[:at].count(b"\n") + 1, columns[index] if index < len(columns) else None
