"""The Frictionless Data Package descriptor written beside the processed table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from thbstats import citations, schema
from thbstats.ingest import missing

if TYPE_CHECKING:
    from thbstats.ingest.build_report import BuildReport


def datapackage(table: str, report: BuildReport, used: set[str]) -> dict[str, Any]:
    """A Frictionless Data Package descriptor: the table's fields and the sources it cites."""
    spec = schema.spec()
    fields = [
        {k: v for k, v in f.items() if k in ("name", "type", "description")}
        | ({"constraints": {"enum": f["enum"]}} if "enum" in f and not f.get("multi") else {})
        for f in spec["fields"]
    ]
    known = {**citations.all_sources(), **report.sources}
    sources = [
        {"title": f"{s['publisher']}, {s['title']}", "path": s["url"], "id": key}
        for key, s in known.items()
        if key in used
    ]
    licenses = sorted({s["licence"] for key, s in known.items() if key in used})
    return {
        "profile": "tabular-data-package",
        "name": "thbstats",
        "title": spec["title"],
        "licenses": [{"title": lic} for lic in licenses],
        "sources": sources,
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": schema.KEY},
            },
        ],
        "thbstats": {
            "releases_found": report.found,
            "releases_missing": report.missing,
            "releases_missing_detail": missing.missing_detail(report.missing, list(report.found)),
            "audit": report.audited,
            "checks": report.dropped,
            "breaks_in_series": 0 if report.breaks is None else len(report.breaks),
            "rows": report.rows,
        },
    }
