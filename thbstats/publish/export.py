"""Export a chart for briefings: PNG/SVG/PDF (byte-for-byte reproducible), CSV and XLSX of the
plotted data, and an entry in ``figures/manifest.json``. Every file is written to a temporary
file in the same folder and then renamed, so a failed run leaves earlier outputs intact.

A chart without data is not exported as a figure: its entry says ``"status": "no data"``, lists
the publications searched and has no files. An entry records the hash of what made its files
(the chart's table and words, the style, the drawing and export code, thbstats' version); an
export finding the same hash and its files in place writes nothing and never draws the chart.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from thbstats import paths
from thbstats.atomic import write_bytes_atomic
from thbstats.csv_out import csv_text, write_csv
from thbstats.publish import manifest
from thbstats.publish.charts.base import LITERAL_TEXT, STYLE, Chart
from thbstats.publish.sheets import (  # noqa: F401  (re-exported: revisions_report uses them)
    FIXED_TIME,
    FORMULA_START,
    _fixed_zip,
    _sheet_frame,
    as_text,
    write_xlsx,
)

FORMATS = ("png", "svg", "pdf")
MIN_DPI = 200
NO_DATA_STATUS = "no data"
_META = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}
# zlib level of the PNG's pixel data: 3 instead of Pillow's 6 saves a sixth of a PNG's time at
# 220 dpi (the pixels are the same, the files within 1-3% of the size)
_SAVE_OPTIONS = {"png": {"pil_kwargs": {"compress_level": 3}}}


def save_figure(chart: Chart, path: Path, fmt: str, dpi: int = 220) -> None:
    """One image format, without dates or version stamps, so equal input gives equal bytes.

    >>> import thbstats as thb
    >>> import tempfile
    >>> from pathlib import Path
    >>> from thbstats.publish.charts import funnel_chart
    >>> chart = funnel_chart(thb.load(), "ALB", 2018)
    >>> with tempfile.TemporaryDirectory() as out:
    ...     save_figure(chart, Path(out) / "alb.svg", "svg")
    ...     names = [p.name for p in Path(out).iterdir()]
    >>> names
    ['alb.svg']
    """
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {FORMATS}, found {fmt!r}")
    if dpi < MIN_DPI:
        raise ValueError(f"dpi: expected at least {MIN_DPI} for briefings, found {dpi}")
    with matplotlib.rc_context({"svg.hashsalt": "thbstats", "pdf.compression": 6} | LITERAL_TEXT):
        buf = io.BytesIO()
        chart.fig.savefig(
            buf, format=fmt, dpi=dpi, metadata=_META[fmt], **_SAVE_OPTIONS.get(fmt, {})
        )
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


def sources_table(chart: Chart):
    """One row per citation key plotted: publisher, title, locator, URL, licence.

    >>> import thbstats as thb
    >>> from thbstats.publish.charts import funnel_chart
    >>> chart = funnel_chart(thb.load(), "ALB", 2018)
    >>> s = sources_table(chart)
    >>> s.columns.tolist(), len(s)
    (['citation', 'publisher', 'title', 'locator', 'url', 'licence'], 2)
    """
    import pandas as pd

    from thbstats import citations

    cols = ["citation", "publisher", "title", "locator", "url", "licence"]
    rows = []
    for key in chart.citations:
        d = citations.describe(key)
        rows.append([key, d.get("publisher", ""), d.get("title", ""), d.get("locator", ""),
                     d.get("url") or d.get("seen_at", ""), d.get("licence", "")])  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _words(chart: Chart) -> dict[str, Any]:
    return {
        "id": chart.id,
        "title": chart.title,
        "subtitle": chart.subtitle,
        "caption": chart.caption,
        "alt": chart.alt,
        "source": chart.source,
        "sources": chart.citations,
        "parameters": _jsonable(chart.params),
    }


def fingerprint(chart: Chart, formats=FORMATS, dpi: int = 220) -> str | None:
    """Hash of everything that decides the exported files (None for a chart given as a finished
    figure: only a chart drawn from its table can be known unchanged without drawing it).

    >>> import thbstats as thb
    >>> from thbstats.publish.charts import funnel_chart
    >>> chart = funnel_chart(thb.load(), "ALB", 2018)
    >>> len(fingerprint(chart)), fingerprint(chart) == fingerprint(chart), chart.drawn
    (64, True, False)
    """
    if chart.draw is None:
        return None
    import thbstats

    h = hashlib.sha256()
    h.update(csv_text(chart.data).encode("utf-8"))
    sources = sources_table(chart).to_dict("records")  # the XLSX "Sources" sheet
    words = _words(chart) | {"note": chart.note, "attrs": chart.data.attrs, "sheet": sources}
    h.update(json.dumps(words, sort_keys=True, default=str).encode("utf-8"))
    h.update(f"{thbstats.__version__} {matplotlib.__version__} {list(formats)} {dpi}".encode())
    h.update(STYLE.read_bytes())
    draw = getattr(chart.draw, "func", chart.draw)  # a functools.partial: its function
    h.update(repr((getattr(chart.draw, "args", ()), getattr(chart.draw, "keywords", {}))).encode())
    modules = {draw.__module__, Chart.__module__, __name__, write_xlsx.__module__}
    for name in sorted(modules):
        h.update(Path(sys.modules[name].__file__).read_bytes())
    return h.hexdigest()


def export(
    chart: Chart, out_dir: str | Path | None = None, *, formats=FORMATS, dpi: int = 220
) -> dict[str, Any]:
    """Write the chart's images, CSV and XLSX under ``out_dir`` and record it in the manifest.

    ``out_dir`` defaults to the project's ``figures/``; a relative folder is taken from the
    project root (``thbstats.paths.output_dir``), whatever the working directory. A chart without
    data gets an entry and no files; an unchanged chart is not drawn or written again.

    >>> import thbstats as thb
    >>> import tempfile
    >>> from pathlib import Path
    >>> from thbstats.publish.charts import funnel_chart
    >>> chart = funnel_chart(thb.load(), "ALB", 2018)
    >>> with tempfile.TemporaryDirectory() as out:
    ...     entry = export(chart, out, formats=("png",))
    ...     files = sorted(p.name for p in Path(out).iterdir())
    >>> [f for f in files if not f.startswith(".")]
    ['funnel-alb-2018.csv', 'funnel-alb-2018.png', 'funnel-alb-2018.xlsx', 'manifest.json']
    >>> entry["id"], sorted(entry["files"])
    ('funnel-alb-2018', ['csv', 'png', 'xlsx'])
    """
    out = paths.output_dir(out_dir)
    if not chart.id or "/" in chart.id or chart.id.startswith("."):
        raise ValueError(f"chart id: expected a plain file name, found {chart.id!r}")
    with manifest.exporting(out):  # no prune deletes these files while they are written
        before = next((f for f in manifest.read(out) if f["id"] == chart.id), None)
        entry = _words(chart)
        empty = empty_reason(chart)
        if empty:
            entry |= {"status": NO_DATA_STATUS, "empty": empty, "searched": chart.searched}
            entry["files"] = {}
            _remove_files(out, before)
        else:
            digest = fingerprint(chart, formats, dpi)
            entry |= {"hash": digest} if digest else {}
            if _unchanged(out, before, digest):
                _show_exported(chart, out, before)
                entry = {k: v for k, v in before.items() if k != "runs"}
            else:
                entry["files"] = _write_files(chart, out, formats, dpi)
        update_manifest(out, entry)
    return entry


def _unchanged(out: Path, before: dict | None, digest: str | None) -> bool:
    """The manifest records this hash for the chart, and every file it lists is in place."""
    if not before or not digest or before.get("hash") != digest or not before.get("files"):
        return False
    return all((out / name).is_file() for name in before["files"].values())


def _show_exported(chart: Chart, out: Path, entry: dict) -> None:
    """A notebook shows the PNG already exported (reading it is cheaper than drawing)."""
    png = entry["files"].get("png")
    if png:
        chart.png = (out / png).read_bytes()


def _remove_files(out: Path, entry: dict | None) -> None:
    """Remove the files an earlier export of this chart wrote (it has no data now)."""
    for name in (entry or {}).get("files", {}).values():
        if "/" not in name and not name.startswith("."):
            (out / name).unlink(missing_ok=True)


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
    write_csv(out / f"{chart.id}.csv", chart.data)
    write_xlsx(chart, out / f"{chart.id}.xlsx", sources_table(chart))
    return files | {"csv": f"{chart.id}.csv", "xlsx": f"{chart.id}.xlsx"}


def empty_reason(chart: Chart) -> str | None:
    """Why a chart shows no data (None when it plots something): a warning, not an error.

    >>> import thbstats as thb
    >>> from thbstats.publish.charts import funnel_chart, trends_chart
    >>> empty_reason(funnel_chart(thb.load(), "ALB", 2018)) is None
    True
    >>> empty_reason(trends_chart(thb.load(), "ALB", 1990, 1995))
    'no figures in the dataset for ALB, 1990-1995'
    """
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
    """The figure entries of ``out_dir/manifest.json`` (empty when there is none).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     before = read_manifest(out)
    ...     update_manifest(out, {"id": "funnel-alb-2018", "files": {}})
    ...     after = [e["id"] for e in read_manifest(out)]
    >>> before, after
    ([], ['funnel-alb-2018'])
    """
    return manifest.read(out_dir)


def update_manifest(out_dir: str | Path, entry: dict[str, Any]) -> None:
    """Add or replace the entry with the same id (the runs owning it kept); sorted by id.

    Parallel notebook runs share the manifest: the read-modify-write holds an exclusive lock.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     update_manifest(out, {"id": "trends-alb", "files": {}})
    ...     update_manifest(out, {"id": "funnel-alb", "files": {}})
    ...     update_manifest(out, {"id": "trends-alb", "files": {"csv": "trends-alb.csv"}})
    ...     entries = read_manifest(out)
    >>> [(e["id"], e["files"]) for e in entries]
    [('funnel-alb', {}), ('trends-alb', {'csv': 'trends-alb.csv'})]
    """
    manifest.add(out_dir, entry)
