"""A sheet read as text: the shortcut from calamine's cells gives what pandas' ``dtype=str`` parse
gives (numbers as their text, pandas' missing-value words as NaN), and leaves other sheets to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from thbstats.ingest.readers import workbook


def _book(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _pandas(path: Path) -> pd.DataFrame:
    return pd.ExcelFile(path, engine="calamine").parse("data", header=None, dtype=str)


def test_text_and_numbers_read_as_pandas_reads_them(tmp_path):
    path = _book(
        tmp_path / "a.xlsx",
        [
            ["Iso3_code", "Year", "txtVALUE", "Note"],
            ["ALB", 2019, "1,282", "NA"],
            ["NAM", 2020.0, "<5", None],
            ["SWE", 2021, 12.5, "N/A"],
        ],
    )
    got = workbook.read_sheet(path, "data")
    pd.testing.assert_frame_equal(got, _pandas(path))
    assert got.iloc[1:, 1].tolist() == ["2019", "2020", "2021"]
    assert got.iloc[1:, 2].tolist() == ["1,282", "<5", "12.5"]
    assert got.iloc[1:, 3].isna().all()  # "NA", an empty cell and "N/A" are missing to pandas


def test_a_sheet_with_a_date_is_left_to_pandas(tmp_path):
    path = _book(tmp_path / "b.xlsx", [["when", "n"], [dt.datetime(2025, 4, 14), 3]])
    cells = _pandas(path)
    assert workbook._as_text([["when", "n"], [dt.datetime(2025, 4, 14), 3.0]]) is None
    pd.testing.assert_frame_equal(workbook.read_sheet(path, "data"), cells)
    assert cells.iloc[1].tolist() == ["2025-04-14 00:00:00", "3"]
