"""Export a chart for briefings: PNG/SVG/PDF (byte-for-byte reproducible), CSV and XLSX of the
plotted data, and an entry in ``figures/manifest.json``. Every file is written to a temporary
file in the same folder and then renamed, so a failed run leaves earlier outputs intact.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from thbstats import paths
from thbstats.atomic import write_bytes_atomic
from thbstats.publish import manifest
from thbstats.publish.charts.base import Chart

FORMATS = ("png", "svg", "pdf")
MIN_DPI = 200
FORMULA_START = ("=", "+", "-", "@")
FIXED_TIME = datetime(2000, 1, 1)
_META = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def save_figure(chart: Chart, path: Path, fmt: str, dpi: int = 220) -> None:
    """One image format, without dates or version stamps, so equal input gives equal bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {FORMATS}, found {fmt!r}")
    if dpi < MIN_DPI:
        raise ValueError(f"dpi: expected at least {MIN_DPI} for briefings, found {dpi}")
    with matplotlib.rc_context({"svg.hashsalt": "thbstats", "pdf.compression": 6}):
        buf = io.BytesIO()
        chart.fig.savefig(buf, format=fmt, dpi=dpi, metadata=_META[fmt])
    data = buf.getvalue()
    if fmt == "png":
        chart.png = data  # the notebook shows these bytes rather than drawing the chart again
    write_bytes_atomic(path, data)


def _keep_layout(fig: Figure) -> None:
    """Keep the positions the last save computed: the next formats skip layout and a pre-draw.

    ``savefig`` lays a figure with a layout engine out again for every file, which costs a full
    extra draw; one layout for all formats also keeps PNG, SVG and PDF identical in arrangement.
    """
    no_engine = {"figure.autolayout": False, "figure.constrained_layout.use": False}
    with matplotlib.rc_context(no_engine):  # None means "no engine" only with these off
        fig.set_layout_engine(None)


def as_text(value: Any) -> Any:
    """Strings a spreadsheet would run as a formula (= + - @) become quoted text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _sheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def write_xlsx(chart: Chart, path: Path, sources: pd.DataFrame) -> None:
    """Sheets "data" (the plotted data) and "Sources"; formula-like strings stored as text."""
    from openpyxl import Workbook

    wb = Workbook()
    for ws, frame in ((wb.active, chart.data), (wb.create_sheet("Sources"), sources)):
        ws.title = "data" if frame is chart.data else "Sources"
        frame = _sheet_frame(frame)
        ws.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            ws.append([None if (not isinstance(v, str) and pd.isna(v)) else v for v in row])
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"  # a string cell, never a formula
                    cell.quotePrefix = True
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


def sources_table(chart: Chart) -> pd.DataFrame:
    """One row per citation key plotted: publisher, title, locator, URL, licence."""
    from thbstats import citations

    rows = []
    for key in chart.citations:
        d = citations.describe(key)
        rows.append(
            {
                "citation": key,
                "publisher": d.get("publisher", ""),
                "title": d.get("title", ""),
                "locator": d.get("locator", ""),
                "url": d.get("url") or d.get("seen_at", ""),
                "licence": d.get("licence", ""),
            }
        )
    return pd.DataFrame(
        rows, columns=["citation", "publisher", "title", "locator", "url", "licence"]
    )


def export(
    chart: Chart, out_dir: str | Path | None = None, *, formats=FORMATS, dpi: int = 220
) -> dict[str, Any]:
    """Write the chart's images, CSV and XLSX under ``out_dir`` and record it in the manifest.

    ``out_dir`` defaults to the project's ``figures/``; a relative folder is taken from the
    project root (``thbstats.paths.output_dir``), whatever the working directory.
    """
    out = paths.output_dir(out_dir)
    if not chart.id or "/" in chart.id or chart.id.startswith("."):
        raise ValueError(f"chart id: expected a plain file name, found {chart.id!r}")
    with manifest.exporting(out):  # no prune deletes these files while they are written
        files = _write_files(chart, out, formats, dpi)
        entry = {
            "id": chart.id,
            "title": chart.title,
            "subtitle": chart.subtitle,
            "caption": chart.caption,
            "alt": chart.alt,
            "source": chart.source,
            "sources": chart.citations,
            "parameters": _jsonable(chart.params),
            "files": files,
        }
        empty = empty_reason(chart)
        if empty:
            entry["empty"] = empty
        update_manifest(out, entry)
    return entry


def _write_files(chart: Chart, out: Path, formats, dpi: int) -> dict[str, str]:
    """The images, CSV and XLSX of one chart; returns format -> file name."""
    files = {}
    engine = chart.fig.get_layout_engine()
    try:
        for fmt in formats:
            save_figure(chart, out / f"{chart.id}.{fmt}", fmt, dpi)
            files[fmt] = f"{chart.id}.{fmt}"
            _keep_layout(chart.fig)
    finally:
        if engine is not None:
            chart.fig.set_layout_engine(engine)
    csv = chart.data.map(as_text).to_csv(index=False, lineterminator="\n").encode("utf-8")
    write_bytes_atomic(out / f"{chart.id}.csv", csv)
    write_xlsx(chart, out / f"{chart.id}.xlsx", sources_table(chart))
    return files | {"csv": f"{chart.id}.csv", "xlsx": f"{chart.id}.xlsx"}


def empty_reason(chart: Chart) -> str | None:
    """Why a chart shows no data (None when it plots something): a warning, not an error."""
    data = chart.data
    no_values = "value" in data.columns and data["value"].isna().all()
    if data.empty or no_values or not chart.citations:  # citations: of the rows plotted
        p = chart.params
        where = next((p[k] for k in ("geo", "iso3", "group", "geos") if p.get(k)), chart.id)
        where = ", ".join(map(str, where)) if isinstance(where, list | tuple) else str(where)
        span = p.get("year") or "-".join(str(p[k]) for k in ("start", "end") if p.get(k))
        return f"no figures in the dataset for {where}" + (f", {span}" if span else "")
    return None


def _jsonable(obj: Any) -> Any:
    return json.loads(json.dumps(obj, default=str))


def read_manifest(out_dir: str | Path) -> list[dict[str, Any]]:
    """The figure entries of ``out_dir/manifest.json`` (empty when there is none)."""
    return manifest.read(out_dir)


def update_manifest(out_dir: str | Path, entry: dict[str, Any]) -> None:
    """Add or replace the entry with the same id (the runs owning it kept); sorted by id.

    Parallel notebook runs share the manifest: the read-modify-write holds an exclusive lock.
    """
    manifest.add(out_dir, entry)
