"""No silent downgrade: what a build was made from, and a refusal to build with less.

``thbstats data`` writes ``data/processed/build_record.json`` last, atomically, beside the table::

    {"version": 1, "rows": 82417,
     "releases": {"unodc-glotip-2025": {"sha256": "...", "publication": "...", "file": "..."}},
     "rows_by_source": {"UNODC": 81290, "TIP": 120, ...}}

Before a new build writes anything, ``check`` compares it with that record (or, for a build made
before records existed, with ``datapackage.json``). A build that would lose a recorded release
still registered in ``data/raw/sources.yml`` (matched by sha256, so registering an unregistered
file under its own key loses nothing), or shrink a source by more than ``SHRINK_TOLERANCE``,
raises ``DowngradeError`` and leaves ``data/processed`` as it was, unless ``allow_shrink``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from thbstats.atomic import atomic_path
from thbstats.digest import sha256_of
from thbstats.errors import ThbError
from thbstats.testpoints import reached

if TYPE_CHECKING:
    import pandas as pd

    from thbstats.ingest.build_report import BuildReport

RECORD = "build_record.json"
SHRINK_TOLERANCE = 0.05  # a source may lose up to 5% of its rows (a release's defects fixed)
EXIT_REFUSED = 4  # `thbstats data` exit code when it refuses (the Makefile keeps the old build)


class DowngradeError(ThbError):
    """A build would replace a fuller earlier one; nothing was written."""


@dataclass
class Record:
    """The releases (key -> sha256, publication, file name) and row counts of one build."""

    releases: dict[str, dict[str, str]] = field(default_factory=dict)
    rows_by_source: dict[str, int] = field(default_factory=dict)
    rows: int = 0

    def as_json(self) -> str:
        body = {"version": 1, "rows": self.rows, "releases": self.releases}
        return json.dumps(body | {"rows_by_source": self.rows_by_source}, indent=1, sort_keys=True)


def of_build(report: BuildReport, table: pd.DataFrame) -> Record:
    """The record of a build about to be written: its releases and rows per source."""
    from thbstats.ingest import releases

    registered = {r.key: r for r in releases.registered()}
    found = {}
    for key, path in report.found.items():
        rel = registered.get(key)
        sha = rel.sha256 if rel else sha256_of(Path(path))
        publication = rel.publication if rel else report.sources.get(key, {}).get("title", key)
        found[key] = {"sha256": sha, "publication": publication, "file": Path(path).name}
    by_source = {str(k): int(v) for k, v in table["source"].value_counts().sort_index().items()}
    return Record(found, by_source, len(table))


def read(out_dir: Path) -> Record | None:
    """The record of the build in ``out_dir``; from datapackage.json for an older build; else None."""
    try:
        doc = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
        return Record(doc["releases"], doc["rows_by_source"], int(doc["rows"]))
    except (OSError, ValueError, KeyError, TypeError):  # absent or unreadable
        return _from_datapackage(out_dir)


def _from_datapackage(out_dir: Path) -> Record | None:
    """What a build made before build records existed says about itself (releases, rows)."""
    from thbstats.ingest import releases

    try:
        doc = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))["thbstats"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    registered = {r.key: r for r in releases.registered()}
    found = {
        key: {
            "sha256": registered[key].sha256,
            "publication": registered[key].publication,
            "file": Path(path).name,
        }
        for key, path in doc.get("releases_found", {}).items()
        if key in registered
    }
    return Record(found, {}, int(doc.get("rows", 0)))


def problems(
    old: Record, new: Record, downloads: Path, damaged: dict[str, str] | None = None
) -> list[str]:
    """What ``new`` loses against ``old``: missing releases (``damaged``: those present only as
    a damaged file, key -> file), sources shrunk beyond tolerance."""
    from thbstats.ingest import releases
    from thbstats.ingest.damaged import damaged_text

    registered = {r.sha256: r for r in releases.registered()}
    kept = {r["sha256"] for r in new.releases.values()}
    lines = []
    for _key, rel in sorted(old.releases.items()):
        if rel["sha256"] in kept or rel["sha256"] not in registered:
            continue  # still here (maybe under a new key), or deliberately unregistered
        now = registered[rel["sha256"]]
        if damaged and now.key in damaged:
            lines.append(
                f"release {now.key} is damaged: {damaged_text(now, Path(damaged[now.key]))}"
            )
            continue
        lines.append(
            f"release {now.key} ({now.publication}, file {now.filename}, sha256 "
            f"{now.sha256[:12]}...) is missing from {downloads}"
        )
    sizes = old.rows_by_source or ({"all sources": old.rows} if old.rows else {})
    for source, before in sorted(sizes.items()):
        after = new.rows if source == "all sources" else new.rows_by_source.get(source, 0)
        if before and after < before * (1 - SHRINK_TOLERANCE):
            lines.append(
                f"{source}: {before:,} rows -> {after:,} ({(after - before) / before:+.0%}; "
                f"more than {SHRINK_TOLERANCE:.0%} fewer)"
            )
    return lines


def check(
    out_dir: Path,
    downloads: Path,
    report: BuildReport,
    table: pd.DataFrame,
    allow_shrink: bool,
    log: Callable[[str], None] = print,
) -> Record:
    """The new build's record; DowngradeError (nothing written) if it has less than the last."""
    new = of_build(report, table)
    old = read(out_dir)
    lost = problems(old, new, downloads, report.damaged) if old else []
    if lost and not allow_shrink:
        raise DowngradeError(refusal(old, lost))
    for line in lost:
        log(f"warning: --allow-shrink: {line}")
    return new


def refusal(old: Record | None, lost: list[str]) -> str:
    """The refusal: what the earlier build holds, what is lost, and how to get it back."""
    held = f"{len(old.releases)} official release(s), {old.rows:,} rows" if old else "?"
    return (
        f"refusing to replace data/processed (built from {held}) with a smaller build:\n  "
        + "\n  ".join(lost)
        + "\nNothing in data/processed was changed. Get the missing files with `thbstats fetch`, "
        "or point `thbstats data --downloads DIR` (or $THBSTATS_DOWNLOADS) at a folder holding "
        "them; `thbstats data --allow-shrink` builds the smaller table anyway."
    )


def write(out_dir: Path, record: Record) -> None:
    """Write the record atomically (last, after the table it describes)."""
    with atomic_path(out_dir / RECORD) as tmp:
        tmp.write_text(record.as_json() + "\n", encoding="utf-8")
        reached("build-record")


def missing_notice(downloads: Path) -> str | None:
    """One early line when registered releases are absent (None when all are present)."""
    from thbstats.ingest import releases
    from thbstats.ingest.damaged import damaged_releases

    _, missing, others = releases.locate(downloads)
    if not missing:
        return None
    damaged = damaged_releases(missing, others)
    keys = [
        f"{r.key} (damaged: {damaged[r.key].name})" if r.key in damaged else r.key for r in missing
    ]
    return (
        f"official releases missing from {downloads}: {', '.join(keys)}; "
        "building from the files present and the transcribed tables (`thbstats fetch` or "
        "`--downloads DIR` gets them; an earlier, fuller build is never replaced)"
    )
