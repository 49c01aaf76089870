"""Readers, one per publisher; each turns one file into rows of the tidy table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from thbstats.ingest.readers.release import (  # noqa: F401  (re-exported)
    ADDRESS_KINDS,
    Address,
    Manual,
    ReadResult,
    Release,
)

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Reader:
    """One registered reader: how it reads a release file, and the stages its files hold."""

    read: Callable[[Path, Release], ReadResult]
    stages: Callable[[], tuple[str, ...]] = tuple
    layout: Path | None = None  # its layout file: part of the key of a cached read


def _read_glotip(path: Path, release: Release) -> ReadResult:
    from thbstats.ingest.readers.unodc_glotip import read_glotip

    return read_glotip(path, release)


def _glotip_stages() -> tuple[str, ...]:
    from thbstats.ingest.readers.unodc_layout import layout

    return tuple(dict.fromkeys(layout()["stages"].values()))


def _read_gsi(path: Path, release: Release) -> ReadResult:
    from thbstats.ingest.readers.walkfree_gsi import read_gsi

    return read_gsi(path, release)


def _read_nothing(path: Path, release: Release) -> ReadResult:
    """List-overlap tables: read by thbstats.analysis.mse, they give no tidy rows."""
    from thbstats.schema import columns

    return ReadResult(frame=pd.DataFrame(columns=columns()), rows=pd.Series(dtype=int))


READERS: dict[str, Reader] = {
    "unodc_glotip": Reader(_read_glotip, _glotip_stages, _HERE / "unodc_glotip.yml"),
    "walkfree_gsi": Reader(
        _read_gsi, lambda: ("estimated", "population"), _HERE / "walkfree_gsi.yml"
    ),
    "mse_table": Reader(_read_nothing),
}
"""The reader of each ``reader:`` name of sources.yml; a new publisher adds one entry here.
Each reader module is imported only when a release of its kind is read."""


def stages_of(reader: str) -> tuple[str, ...]:
    """The stages a reader's files hold (what a build loses when such a release is missing)."""
    return READERS[reader].stages() if reader in READERS else ()


def read_release(release: Release, path: Path) -> ReadResult:
    """Read one release file with the reader it names; the result records its origin."""
    reader = READERS.get(release.reader)
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ValueError(f"release {release.key}: unknown reader {release.reader!r} ({known})")
    result = reader.read(path, release)
    result.origin = f"{release.key} ({path.name})"
    return result
