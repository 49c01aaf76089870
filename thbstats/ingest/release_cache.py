"""Parsed releases cached by checksum: a rebuild parses a workbook only when it changed.

A release's read result (tidy rows, their sheet rows, counts, extra tables, audit) is kept in
``data/processed/cache/releases/<key>/`` as parquet and JSON, under a key made of the sha256 of
the file, of the reader's layout file and of the reader's code (its modules and the modules it
relies on, the versions of the libraries that parse, and the release's entry in sources.yml). A
changed file, layout, reader or entry gives another key: the release is parsed again. A cache
that cannot be read is ignored (and replaced), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from thbstats import paths
from thbstats.atomic import write_text_atomic
from thbstats.digest import code_digest, sha256_of
from thbstats.ingest.readers import READERS, ReadResult, Release, read_release

FORMAT = 1  # bump when the stored layout of an entry changes
PACKAGE = Path(__file__).resolve().parent.parent
READER_CODE = (
    "ingest/readers/*.py",
    "ingest/audit.py",
    "analysis/metrics/ranges.py",
    "errors.py",
    "geo.py",
    "schema.py",
    "schema.yml",
    "textchars.py",
)
"""The reader modules and what they import from thbstats (globs under the package folder)."""
LIBRARIES = ("pandas", "numpy", "python-calamine", "country_converter", "pycountry")


def cache_dir() -> Path:
    """Where parsed releases are kept (inside data/processed: a fresh folder is a cold build)."""
    return paths.processed_dir() / "cache" / "releases"


@cache
def reader_version() -> str:
    """sha256 of the reader code and of the parsing libraries' versions."""
    digest = hashlib.sha256(code_digest(PACKAGE, READER_CODE, f"format {FORMAT}\n").encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} absent\n".encode())
    return digest.hexdigest()


def cache_key(path: Path, layout: Path | None, entry: str) -> str:
    """The key of a parsed release: its file, its reader's layout, the reader, its entry."""
    digest = hashlib.sha256()
    digest.update(sha256_of(path).encode())
    digest.update(sha256_of(layout).encode() if layout else b"no layout")
    digest.update(reader_version().encode())
    digest.update(entry.encode())
    return digest.hexdigest()


def read(release: Release, path: Path) -> tuple[ReadResult, bool]:
    """The release's read result: from the cache when its key matches (True), else parsed by its
    reader and stored (False)."""
    reader = READERS.get(release.reader)
    layout = reader.layout if reader else None
    key = cache_key(path, layout, repr(release))
    hit = load(release.key, key)
    if hit is not None:
        return hit, True
    result = read_release(release, path)
    store(release.key, key, result)
    return result, False


def load(release_key: str, key: str) -> ReadResult | None:
    """The cached read result of ``release_key`` under ``key``, or None (absent or unreadable)."""
    folder = cache_dir() / _safe(release_key)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("key") != key:
            return None
        frame = pd.read_parquet(folder / "frame.parquet")
        rows = frame.pop("_row").rename(None)
        extra = {n: pd.read_parquet(folder / f"extra_{n}.parquet") for n in meta["extra"]}
        audit = pd.read_parquet(folder / "audit.parquet") if meta["audit"] else None
    except (OSError, ValueError, KeyError):  # absent, partly written by a killed build, foreign
        return None
    return ReadResult(frame, rows, meta["dropped"], extra, audit, meta["origin"], cached=True)


def store(release_key: str, key: str, result: ReadResult) -> None:
    """Keep ``result`` (a ReadResult) under ``key``; meta.json, written last, makes it valid."""
    folder = cache_dir() / _safe(release_key)
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    frame = result.frame.assign(_row=result.rows.to_numpy())
    frame.to_parquet(tmp / "frame.parquet", index=False)
    for name, table in result.extra.items():
        table.to_parquet(tmp / f"extra_{name}.parquet", index=False)
    if result.audit is not None:
        _plain(result.audit).to_parquet(tmp / "audit.parquet", index=False)
    meta = {
        "key": key,
        "origin": result.origin,
        "dropped": result.dropped,
        "extra": sorted(result.extra),
        "audit": result.audit is not None,
    }
    write_text_atomic(tmp / "meta.json", json.dumps(meta, indent=1, sort_keys=True))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)


def _plain(audit: pd.DataFrame) -> pd.DataFrame:
    """Audit values as text where a column mixes kinds (parquet stores one type per column)."""
    out = audit.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(_text)
    return out


def _text(value: object) -> str | None:
    """A value as the CSV of the audit prints it: text, or None for a missing value."""
    if value is None or isinstance(value, str):
        return value
    return None if pd.isna(value) else str(value)


def _safe(release_key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in release_key)
