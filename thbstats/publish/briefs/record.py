"""The briefs' record of what each was made from (``.inputs.json``), shared by concurrent runs.

Two ``thbstats briefs --only`` runs may finish at the same time: each merges the entries of the
briefs it wrote into the record as it is on disk, under an exclusive lock (read, merge, write to
a temporary file, rename), so neither loses the other's entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from thbstats.atomic import exclusive, write_text_atomic

STATE_FILE = ".inputs.json"
LOCK_FILE = ".inputs.lock"


def load(out: Path) -> dict:
    """The record in the briefs folder ``out`` ({} when there is none yet)."""
    p = out / STATE_FILE
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}


def merged(on_disk: dict, ours: dict, codes: Iterable[str]) -> dict:
    """``on_disk`` with the entries of ``codes`` taken from ``ours``: the top-level entry of
    each code, and its entry in every table keyed by code (a top-level key starting with
    ``_``: ``_meta``, ...)."""
    out = dict(on_disk)
    for code in codes:
        if code in ours:
            out[code] = ours[code]
        for key, table in ours.items():
            if key.startswith("_") and isinstance(table, dict) and code in table:
                out[key] = {**(out.get(key) or {}), code: table[code]}
    return out


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the record's lock (``.inputs.lock`` in ``out``)."""
    with exclusive(out / LOCK_FILE, "`thbstats briefs`"):
        yield


def merge(out: Path, ours: dict, codes: list[str], then: Callable[[dict], None]) -> dict:
    """Merge the entries of ``codes`` into the record under the lock, then call ``then`` with
    the merged record (still holding the lock: the index is written from the same record)."""
    with locked(out):
        record = merged(load(out), ours, codes)
        if codes:
            write_text_atomic(out / STATE_FILE, json.dumps(record, indent=1, sort_keys=True))
        then(record)
    return record
