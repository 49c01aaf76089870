"""`thbstats revisions`: the comparison of two releases as printed text, CSV files and a workbook.

Files go to ``figures/revisions/``, named after the source and the two release dates, so that
comparisons of other releases do not overwrite each other. Every file is written atomically.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from thbstats import citations
from thbstats.analysis.metrics.select import edition_rank
from thbstats.analysis.revisions import Revisions
from thbstats.atomic import write_bytes_atomic
from thbstats.csv_out import write_csv
from thbstats.numbers import number
from thbstats.publish.export import (
    FIXED_TIME,
    FORMULA_START,
    _fixed_zip,
    _sheet_frame,
)


def stem(rev: Revisions) -> str:
    """File name stem: ``unodc-2023-05-30-2025-04-14``."""
    dates = [edition_rank(p).replace("-00", "") for p in (rev.old, rev.new)]
    return "-".join([rev.source, *dates]).lower().replace(":", "-")


def tables(rev: Revisions) -> dict[str, pd.DataFrame]:
    """The tables of a report, by name: summary, countries, largest, changed, added, removed."""
    largest = pd.concat(
        [rev.largest(25, by).assign(ranked_by=by) for by in ("absolute", "relative")],
        ignore_index=True,
    )
    k = rev.keys
    return {
        "summary": rev.summary(),
        "countries": rev.by_country(),
        "largest": largest,
        "changed": rev.changed(),
        "added": k[k["status"] == "added"],
        "removed": k[k["status"] == "removed"],
    }


def sources(rev: Revisions) -> pd.DataFrame:
    """One row per release compared: publication, citation, publisher, title, edition, URL, sha256."""
    rows = []
    for role, pub in (("old", rev.old), ("new", rev.new)):
        keys = rev.keys[f"{role}_citation"].dropna().unique()
        for key in sorted(keys):
            d = citations.describe(key)
            rows.append(
                {
                    "release": role,
                    "publication": pub,
                    "citation": key,
                    "publisher": d.get("publisher", ""),
                    "title": d.get("title", ""),
                    "edition": d.get("edition", ""),
                    "locator": d.get("locator", ""),
                    "url": d.get("url") or d.get("seen_at", ""),
                    "sha256": (d.get("release") or {}).get("sha256", ""),
                    "licence": d.get("licence", ""),
                }
            )
    return pd.DataFrame(rows)


BOOK = ("summary", "countries", "largest", "changed", "Sources")
"""Sheets of the workbook; the long lists of added and removed figures are in the CSV files only
(a workbook with them takes seconds more to write and is seldom opened for them)."""


def write_report(rev: Revisions, out_dir: str | Path) -> list[Path]:
    """Write one CSV per table and a workbook of the main ones with a Sources sheet; return the
    paths."""
    from thbstats import paths

    out = paths.output_dir(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sheets = tables(rev) | {"Sources": sources(rev)}
    written = []
    for name, frame in sheets.items():
        path = out / f"{stem(rev)}-{name.lower()}.csv"
        write_csv(path, frame)
        written.append(path)
    path = out / f"{stem(rev)}.xlsx"
    _write_xlsx(path, {name: sheets[name] for name in BOOK})
    return [*written, path]


def _write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """One sheet per table (write-only workbook: streamed); formula-like strings stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def cell(ws, v):
        if isinstance(v, str) and v.startswith(FORMULA_START):
            c = WriteOnlyCell(ws, value=v)
            c.data_type, c.quotePrefix = "s", True
            return c
        return None if (not isinstance(v, str) and pd.isna(v)) else v

    wb = Workbook(write_only=True)
    for name, frame in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([str(c) for c in frame.columns])
        for row in _sheet_frame(frame).itertuples(index=False):
            ws.append([cell(ws, v) for v in row])
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(path, _fixed_zip(buf.getvalue()))


def summary_text(rev: Revisions, top: int = 10) -> str:
    """What a terminal shows: the two releases, keys per status overall and by stage, the largest
    changes of headline figures."""
    s = rev.summary()
    a = s.iloc[-1]
    lines = [
        f"{rev.source}: {rev.old} -> {rev.new}",
        f"figures in both releases {a.overlapping:,}: unchanged {a.unchanged:,}, changed "
        f"{a.changed:,} ({_share(a.share_changed)}; {a.changed_to_or_from_lt5:,} to or from "
        f"'<5'); added {a.added:,}; removed {a.removed:,}",
        "",
        s.to_string(index=False, formatters={"share_changed": _share}),
    ]
    cols = ["geo", "geo_name", "stage", "years_revised", "old_revised", "new_revised", "change"]
    for by in ("absolute", "relative"):
        t = rev.largest(top, by)[[*cols, "rel_change"]]
        lines += ["", f"largest {by} changes of headline figures (all forms, sexes, ages):"]
        if t.empty:
            lines.append("  none")
            continue
        lines.append(
            t.to_string(
                index=False,
                formatters={
                    "old_revised": number,
                    "new_revised": number,
                    "change": "{:+,.0f}".format,
                    "rel_change": "{:+,.1%}".format,
                },
            )
        )
    return "\n".join(lines)


def _share(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.1%}"
