"""Readers, one per publisher; each turns one file into rows of the tidy table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass
class Release:
    """An official release registered in data/raw/sources.yml (citation key + `release:` block)."""

    key: str
    source: str
    reader: str
    publication: str
    filename: str
    sha256: str
    release_date: str
    download_url: str | None = None
    edition: str | None = None
    flag: str = ""
    size: int | None = None

    @classmethod
    def from_entry(cls, key: str, entry: dict[str, Any]) -> Release:
        r = entry["release"]
        return cls(
            key=key,
            source=r["source"],
            reader=r["reader"],
            publication=r["publication"],
            filename=r["filename"],
            sha256=r["sha256"].lower(),
            release_date=str(r["release_date"]),
            download_url=r.get("download_url"),
            edition=str(r.get("edition") or "") or None,
            flag=r.get("flag", ""),
            size=r.get("size"),
        )


@dataclass
class ReadResult:
    """What a reader returns: tidy rows, the origin row of each (for messages), counts of what it
    checked or dropped, extra tables, and the audit of every source row it dropped or merged."""

    frame: pd.DataFrame
    rows: pd.Series
    dropped: dict[str, int] = field(default_factory=dict)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    audit: pd.DataFrame | None = None


def read_release(release: Release, path: Path) -> ReadResult:
    """Dispatch to the reader a release names."""
    if release.reader == "unodc_glotip":
        from thbstats.sources.unodc_glotip import read_glotip

        return read_glotip(path, release)
    if release.reader == "walkfree_gsi":
        from thbstats.sources.walkfree_gsi import read_gsi

        return read_gsi(path, release)
    raise ValueError(f"release {release.key}: unknown reader {release.reader!r}")
