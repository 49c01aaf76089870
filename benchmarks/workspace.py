"""A throw-away project root, so benchmarks never touch the project's data/processed, build/
or figures/: its data/raw links to the real one, data/processed starts empty."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BENCH_RUNS = 8


@dataclass(frozen=True)
class Workspace:
    """Paths of the temporary project root."""

    root: Path

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def env(self) -> dict[str, str]:
        """Environment that points thbstats (and the notebooks' kernels) at this root."""
        return {"THBSTATS_ROOT": str(self.root)}


def create(parent: Path) -> Workspace:
    """A project root in ``parent``: pyproject.toml, a copy of data/raw (a benchmark edits one of
    its tables; downloads/ linked), empty processed, a copy of notebooks/ (a kernel runs in its
    notebook's folder and finds the root above it)."""
    root = parent / "project"
    (root / "data" / "processed").mkdir(parents=True)
    raw = ROOT / "data" / "raw"
    shutil.copytree(raw, root / "data" / "raw", ignore=shutil.ignore_patterns("downloads"))
    if (raw / "downloads").is_dir():
        (root / "data" / "raw" / "downloads").symlink_to(raw / "downloads", True)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    return Workspace(root)


EDITED = "tip_law_enforcement.csv"


def edit_transcribed(ws: Workspace) -> str:
    """Change one figure of a transcribed table (its first value, plus one), as a person correcting
    a transcription would; only that line of the file changes. Says what was changed."""
    path = ws.root / "data" / "raw" / EDITED
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    at = header.index("value")
    for n, line in enumerate(lines[1:], start=1):
        fields = next(csv.reader([line]))
        if fields[at].isdigit():
            old = fields[at]
            fields[at] = str(int(old) + 1)
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerow(fields)
            lines[n] = out.getvalue()
            path.write_text("".join(lines), encoding="utf-8")
            return f"{EDITED} line {n + 1}: {old} -> {fields[at]}"
    raise ValueError(f"{EDITED}: no whole-number value to edit")


def fresh_processed(ws: Workspace) -> None:
    """Empty data/processed (checksum cache included): the next `thbstats data` is cold."""
    shutil.rmtree(ws.processed)
    ws.processed.mkdir()


def pipeline_runs(ws: Workspace, full: bool) -> list[dict[str, Any]]:
    """The runs to benchmark, as pipeline.yml entries writing figures into the workspace.

    The project's notebooks/pipeline.yml is expanded against the workspace (its country list is
    computed from the freshly built table); without ``full``, the first eight country profiles.
    """
    from thbstats.pipeline.config import load_pipeline

    runs = load_pipeline(ws.root / "notebooks" / "pipeline.yml", ws.root).runs
    if not full:
        runs = [r for r in runs if r.notebook.name == "country_profile.ipynb"][:BENCH_RUNS]
    return [
        {
            "notebook": str(run.notebook),
            "name": run.run_id,
            "parameters": {**run.parameters, "out_dir": str(ws.figures)},
        }
        for run in runs
    ]


def write_pipeline(ws: Workspace, runs: list[dict[str, Any]]) -> Path:
    """Write the runs as a pipeline.yml in the workspace; return its path."""
    path = ws.root / "notebooks" / "bench_pipeline.yml"
    path.write_text(yaml.safe_dump({"runs": runs}, sort_keys=False), encoding="utf-8")
    return path


def floor_notebook(
    ws: Workspace,
    source: str = "import pandas\nimport matplotlib.pyplot",
    name: str = "floor.ipynb",
) -> Path:
    """A notebook that only imports pandas and matplotlib: the least any run can cost."""
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "imports",
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    nb = {
        "cells": [cell],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = ws.root / name
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path
