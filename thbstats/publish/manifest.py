"""``figures/manifest.json``: every exported figure, its files and the runs that made it.

An entry exported inside ``thbstats run`` names its owners, ``"runs": {run_id: execution}``
(the run and the execution that last wrote it; two runs may export the same chart). After a run
succeeds, ``finish_run`` removes the run from entries it did not export this time, and deletes an
entry and its files once no run owns it; ``prune`` does the same for runs no longer in
``pipeline.yml`` and for figures no run owns (exported by hand, or by an older thbstats).

Locks (fcntl.flock, released when a process dies): an export (and a gallery rebuild) holds
``.export.lock`` shared while it writes its files and its entry; ``finish_run`` and ``prune``
hold it exclusive, so they never delete a file that a concurrent export is writing. ``.manifest.lock`` serializes every
read-modify-write of the manifest. The manifest is rewritten (atomically) before files are
deleted: a kill in between leaves files no entry lists, which the next prune removes.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from thbstats.atomic import file_lock, remove_stale_temps, write_text_atomic
from thbstats.testpoints import reached

MANIFEST = "manifest.json"
EXPORTED = {".png", ".svg", ".pdf", ".csv", ".xlsx"}  # what export writes (orphans: pruned)


def read(out_dir: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The figure entries of ``out_dir/manifest.json`` (empty when there is none)."""
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("figures", [])


def _write(out_dir: Path, figures: dict[str, dict[str, Any]]) -> None:
    doc = {"figures": [figures[k] for k in sorted(figures)]}
    write_text_atomic(out_dir / MANIFEST, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


@contextmanager
def _flock(path: Path, mode: int) -> Iterator[None]:
    with file_lock(path, shared=mode == fcntl.LOCK_SH):
        yield


@contextmanager
def exporting(out_dir: str | os.PathLike[str]) -> Iterator[None]:
    """Held (shared) by an export while it writes its files and entry."""
    with _flock(Path(out_dir) / ".export.lock", fcntl.LOCK_SH):
        yield


def _no_exports(out_dir: Path):
    """Held (exclusive) while files are deleted: no export is writing meanwhile."""
    return _flock(out_dir / ".export.lock", fcntl.LOCK_EX)


@contextmanager
def _editing(out_dir: Path) -> Iterator[dict[str, dict]]:
    """The entries by id, under the manifest lock; written back when the block ends."""
    with _flock(out_dir / ".manifest.lock", fcntl.LOCK_EX):
        figures = {f["id"]: f for f in read(out_dir)}
        before = json.dumps(figures, sort_keys=True)
        yield figures
        if json.dumps(figures, sort_keys=True) != before:
            _write(out_dir, figures)


def owner() -> dict[str, str]:
    """The run exporting now (``{run_id: execution}`` from ``thbstats run``), or {} by hand."""
    run_id, execution = os.environ.get("THBSTATS_RUN_ID"), os.environ.get("THBSTATS_EXECUTION")
    return {run_id: execution or "?"} if run_id else {}


def add(out_dir: str | os.PathLike[str], entry: dict[str, Any]) -> None:
    """Add or replace the entry with the same id, keeping the runs that already own it."""
    out = Path(out_dir)
    with _editing(out) as figures:
        runs = dict(figures.get(entry["id"], {}).get("runs", {})) | owner()
        figures[entry["id"]] = entry | ({"runs": runs} if runs else {})


def finish_run(out_dir: Path, run_id: str, execution: str) -> list[dict[str, Any]]:
    """After a successful run: drop what it no longer exports; return what it exported now."""
    if not (out_dir / MANIFEST).is_file():
        return []
    with _no_exports(out_dir):
        with _editing(out_dir) as figures:
            gone = _disown(figures, lambda rid, ex: rid == run_id and ex != execution)
            current = [f for f in figures.values() if f.get("runs", {}).get(run_id) == execution]
        _delete(out_dir, gone, figures)
    return current


def orphans(out_dir: Path, keep: set[str]) -> list[dict[str, Any]]:
    """Entries no run of ``keep`` owns (runs removed from pipeline.yml, exports by hand)."""
    return [f for f in read(out_dir) if not set(f.get("runs", {})) & keep]


def prune(out_dir: Path, keep: set[str]) -> list[str]:
    """Remove entries (and files) owned by no run in ``keep``, and files no entry lists."""
    if not out_dir.is_dir():
        return []
    with _no_exports(out_dir):
        with _editing(out_dir) as figures:
            gone = _disown(figures, lambda rid, ex: rid not in keep, unowned=True)
            listed = {name for f in figures.values() for name in f.get("files", {}).values()}
        reached("prune")  # the manifest no longer lists them; their files are still there
        removed = _delete(out_dir, gone, figures)
        for path in sorted(out_dir.iterdir()):  # left by a killed prune or an older thbstats
            if path.is_file() and path.suffix in EXPORTED and path.name not in listed:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        removed += [p.name for p in remove_stale_temps(out_dir)]
    return sorted(set(removed))


def _disown(
    figures: dict[str, dict], drop: Callable[[str, str], bool], unowned: bool = False
) -> list[dict[str, Any]]:
    """Remove owners for which ``drop(run_id, execution)``; pop and return unowned entries."""
    gone = []
    for fid, entry in list(figures.items()):
        runs = entry.get("runs", {})
        if not runs and not unowned:
            continue
        kept = {rid: ex for rid, ex in runs.items() if not drop(rid, ex)}
        if kept == runs and runs:
            continue
        if kept:
            figures[fid] = entry | {"runs": kept}
        else:
            gone.append(figures.pop(fid))
    return gone


def _delete(out_dir: Path, gone: list[dict], figures: dict[str, dict]) -> list[str]:
    """Delete the files of removed entries (unless a remaining entry lists the same file)."""
    listed = {name for f in figures.values() for name in f.get("files", {}).values()}
    removed = []
    for entry in gone:
        for name in entry.get("files", {}).values():
            if name not in listed and "/" not in name and not name.startswith("."):
                (out_dir / name).unlink(missing_ok=True)
                removed.append(name)
    return removed
