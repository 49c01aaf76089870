"""The spreadsheet of a chart: title, caption, notes and source above the plotted data, a
"Sources" sheet beside it; formula-like text stays text, and equal input gives equal bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from thbstats.atomic import write_bytes_atomic
from thbstats.csv_out import neutralise

FORMULA_START = ("=", "+", "-", "@")
FIXED_TIME = datetime(2000, 1, 1)
HEADER_ROW = 6  # rows 1-4: title, caption, notes, source; row 5 empty; then the data's header


def as_text(value: Any) -> Any:
    """Strings a spreadsheet would run as a formula become quoted text (as in every CSV)."""
    return neutralise(value)


def _sheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _append(ws, frame: pd.DataFrame) -> None:
    """Header and rows of ``frame``; a formula-like string is stored as a string cell."""
    frame = _sheet_frame(frame)
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if (not isinstance(v, str) and pd.isna(v)) else v for v in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # a string cell, never a formula
                cell.quotePrefix = True


def write_xlsx(chart, path: Path, sources: pd.DataFrame) -> None:
    """Sheet "data": the chart's words in rows 1-4 (column A names them), the plotted data from
    row ``HEADER_ROW``; sheet "Sources": one row per citation."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    words = [("Title", chart.title), ("Caption", chart.caption), ("Notes", chart.note),
             ("Source", chart.source)]  # fmt: skip
    for label, text in words:
        ws.append([label, as_text(text or "")])
    ws["B1"].font = Font(bold=True, size=13)
    ws.append([])
    _append(ws, chart.data)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    _append(wb.create_sheet("Sources"), sources)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(path, _fixed_zip(buf.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps (reproducible XLSX bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", body
                )
            dst.writestr(fixed, body)
    return out.getvalue()
