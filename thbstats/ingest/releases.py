"""Official releases: registered in sources.yml (URL, sha256), found by checksum in downloads."""

from __future__ import annotations

import json
import os
from pathlib import Path

from thbstats import citations, paths
from thbstats.atomic import write_text_atomic
from thbstats.digest import sha256_of
from thbstats.errors import InputError
from thbstats.ingest.readers import Release

SUFFIXES = {".xlsx", ".xls", ".zip", ".rda"}


def registered() -> list[Release]:
    """Every release described in data/raw/sources.yml."""
    return [Release.from_entry(k, e) for k, e in citations.all_sources().items() if "release" in e]


def _cached_sums(folder: Path) -> dict[str, str]:
    """sha256 of every candidate file under folder, cached by path, size and mtime."""
    cache_file = paths.processed_dir() / ".checksums.json"
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    sums, fresh = {}, {}
    for p in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if p.suffix.lower() not in SUFFIXES or not p.is_file() or p.name.startswith("."):
            continue
        st = p.stat()
        stamp = f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        digest = cache.get(stamp) or sha256_of(p)
        fresh[stamp] = digest
        sums[str(p)] = digest
    if fresh != cache and paths.processed_dir().is_dir():
        try:
            write_text_atomic(cache_file, json.dumps(fresh, indent=0))
        except OSError:
            pass
    return sums


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every candidate release file under ``folder``, by path (cached)."""
    return _cached_sums(folder)


def locate(downloads: Path) -> tuple[dict[str, Path], list[Release], list[Path]]:
    """Find registered releases by checksum: (found key -> path, missing releases, other files)."""
    sums = _cached_sums(downloads)
    by_sum: dict[str, Path] = {}
    for p, digest in sums.items():
        by_sum.setdefault(digest, Path(p))
    found, missing = {}, []
    for rel in registered():
        if rel.sha256 in by_sum:
            found[rel.key] = by_sum[rel.sha256]
        else:
            missing.append(rel)
    known = {r.sha256 for r in registered()}
    unregistered = [Path(p) for p, d in sums.items() if d not in known]
    return found, missing, unregistered


def unregistered_release(path: Path, digest: str) -> Release | None:
    """What an unregistered .xlsx in the downloads folder is, judged by its layout.

    A workbook with the UNODC GLOTIP sheet becomes a new release (its reader checks the header and
    reads the release date from cell A2), cited as ``unregistered:<sha256[:8]>`` and flagged
    ``unregistered``. A Walk Free workbook must be registered (its edition decides the layout).
    None for a workbook no reader knows. InputError when the file is not a safe, intact xlsx.
    """
    from thbstats.ingest.readers import unodc_glotip, walkfree_gsi
    from thbstats.ingest.readers.workbook import sheet_names

    sheets = sheet_names(path)
    if unodc_glotip.layout()["sheet"] in sheets:
        return Release(
            key=f"unregistered:{digest[:8]}",
            source="UNODC",
            reader="unodc_glotip",
            publication="",
            filename=path.name,
            sha256=digest,
            release_date="",
            flag="unregistered",
        )
    for edition, lay in walkfree_gsi.layouts().items():
        if lay["sheet"] in sheets:
            raise InputError(
                str(path),
                f"sheet {lay['sheet']!r}",
                None,
                "a registered release (a new Walk Free workbook is read only once it is "
                "registered in data/raw/sources.yml with its edition)",
                f"sha256 {digest[:12]}..., like the GSI {edition} layout",
            )
    return None


def unregistered_entry(release: Release, path: Path) -> dict:
    """A sources.yml-style entry for an unregistered release file, described from the file."""
    family = sorted(
        (r for r in registered() if r.reader == release.reader), key=lambda r: r.release_date
    )
    base = citations.all_sources()[family[-1].key] if family else {}
    return {
        "publisher": base.get("publisher", release.source),
        "title": f"UNREGISTERED file {path.name}, read as {release.publication}",
        "year": int(release.release_date[:4]) if release.release_date[:4].isdigit() else None,
        "url": (family[-1].download_url if family else None) or base.get("url") or path.as_uri(),
        "seen_at": path.resolve().as_uri(),
        "locator": f"sha256 {release.sha256}; not checked against the publisher: register it in "
        "data/raw/sources.yml",
        "licence": base.get("licence", "unknown (unregistered file)"),
        "unregistered": True,
    }


def network_available(
    host: str = "dataunodc.un.org", port: int = 443, timeout: float = 3.0
) -> bool:
    """Whether a TCP connection to a publisher's host can be opened (used to decide on fetching)."""
    import socket

    if os.environ.get("THBSTATS_OFFLINE"):
        return False
    try:
        socket.create_connection((host, port), timeout=timeout).close()
        return True
    except OSError:
        return False
