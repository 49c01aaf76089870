"""Remember what each run was made from, so an unchanged run is skipped.

A run's fingerprint has four parts: the notebook file, the parameters, the input files (by
default the processed dataset) and the thbstats source. ``build/.runs.json`` keeps the parts of
each run's last execution; it is rewritten atomically after every finished run, so a run killed
halfway loses at most the runs still in flight.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from thbstats.atomic import write_text_atomic
from thbstats.digest import chunks_digest, sha256_of, text_digest

from .config import Run

STATE_FILE = ".runs.json"
SUCCESS = {"ok", "empty"}  # empty: the notebook ran; its charts have no data (a warning)
SOURCE_SUFFIXES = {".py", ".yml", ".yaml", ".json", ".mplstyle", ".html", ".csv", ".txt"}
PART_NAMES = {
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "inputs": "input data changed",
    "thbstats": "thbstats source changed",
}


@cache
def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (``missing`` when absent), computed once per process."""
    try:
        return sha256_of(path)
    except FileNotFoundError:
        return "missing"


@cache
def source_digest(package_dir: Path) -> str:
    """One hash of the thbstats source files: any edit to the library reruns the notebooks."""

    def parts() -> Iterator[bytes]:
        for dirpath, dirnames, filenames in os.walk(package_dir):
            dirnames[:] = sorted(
                d for d in dirnames if d != "__pycache__" and not d.startswith(".")
            )
            for name in sorted(filenames):
                file = Path(dirpath, name)
                if file.suffix in SOURCE_SUFFIXES:
                    yield str(file.relative_to(package_dir)).encode() + b"\0"
                    yield file.read_bytes() + b"\0"

    return chunks_digest(parts())


def thbstats_dir() -> Path:
    """The folder of the installed thbstats package."""
    return Path(__file__).resolve().parent.parent


def fingerprint(run: Run, root: Path, table_slice: str | None = None) -> dict[str, str]:
    """The parts a run's result depends on, each as a short hash.

    ``table_slice``: the hash of the slice of the table the run reads (``slices``), which then
    stands for the table file among its inputs.
    """
    table = (root / "data" / "processed" / "thb_figures.parquet").resolve()
    inputs = []
    for path in run.inputs:
        rel = os.path.relpath(path, root)
        sliced = table_slice is not None and path.resolve() == table
        digest = f"slice:{table_slice}" if sliced else file_digest(path)
        inputs.append(f"{rel}\0{digest}\0".encode())
    return {
        **identity(run),
        "inputs": chunks_digest(inputs),
        "thbstats": source_digest(thbstats_dir()),
    }


def identity(run: Run) -> dict[str, str]:
    """The parts that name a run's files: its notebook and its parameters (a run whose two
    parts are unchanged since it last ran writes the same figures, data aside)."""
    named = {"parameters": run.parameters, "list_names": run.list_names}
    params = json.dumps(named if run.list_names else run.parameters, sort_keys=True, default=repr)
    return {
        "notebook": file_digest(run.notebook),
        "parameters": text_digest(params),
    }


class RunState:
    """The record in ``build/.runs.json`` of each run's last execution."""

    def __init__(self, output_dir: Path):
        self.path = output_dir / STATE_FILE
        try:
            self.runs: dict[str, dict[str, Any]] = json.loads(self.path.read_text())["runs"]
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            self.runs = {}  # missing or unreadable: every run is stale, nothing is lost

    def why_stale(
        self,
        run_id: str,
        parts: dict[str, str],
        outputs: list[Path],
        figures: dict[str, dict] | None = None,
    ) -> str | None:
        """Why a run must execute ("never run", "notebook changed", ...); None when up to date.

        ``figures`` (the entries of figures/manifest.json by id) tells whether each figure the
        run made last time is still its own, unchanged: another run or an export by hand may
        have overwritten it.
        """
        last = self.runs.get(run_id)
        if last is None:
            return "never run"
        if last.get("status") not in SUCCESS:
            return f"last run {last.get('status', 'unknown')}"
        changed = [PART_NAMES[k] for k in PART_NAMES if last.get("parts", {}).get(k) != parts[k]]
        if changed:
            return ", ".join(changed)
        missing = [p.name for p in outputs if not p.exists()]
        if missing:
            return f"output missing ({', '.join(missing)})"
        return None if figures is None else _figures_changed(run_id, last, figures)

    def record(
        self,
        run_id: str,
        status: str,
        parts: dict[str, str],
        seconds: float,
        figures: dict[str, str] | None = None,
    ) -> None:
        """Store a finished run (with the figures it made) and save the file atomically."""
        self.runs[run_id] = {"status": status, "parts": parts, "seconds": round(seconds, 3)}
        if figures:
            self.runs[run_id]["figures"] = figures
        write_text_atomic(
            self.path, json.dumps({"version": 1, "runs": self.runs}, indent=1, sort_keys=True)
        )


def _figures_changed(run_id: str, last: dict[str, Any], figures: dict[str, dict]) -> str | None:
    """Which figure the run made last time is gone, no longer its own, or changed since."""
    for fid, digest in sorted(last.get("figures", {}).items()):
        entry = figures.get(fid)
        if entry is None:
            return f"figure {fid} missing"
        if run_id not in entry.get("runs", {}) or entry.get("hash", "") != digest:
            return f"figure {fid} changed since (written by {_writers(entry)})"
    return None


def _writers(entry: dict) -> str:
    runs = sorted(entry.get("runs", {}))
    return ", ".join(runs) if runs else "an export by hand"
