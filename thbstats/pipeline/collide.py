"""Refuse, before anything runs, two runs that would write the same files.

A notebook names its figure files from its parameters (a geography by ``thbstats.geokey``, the
years, ...). Two runs of one notebook whose parameters are equal once the notebook's defaults are
filled in and each list of codes is taken by its name (the same members in another order are the
same list) write the same files: the later would overwrite the earlier, and the manifest would
credit both.

Runs of two different notebooks can also write the same figure (two notebooks drawing the same
chart for the same place and years); which figures a notebook writes is known once it ran.
``build/.runs.json`` records each run's figures: two runs whose notebook and parameters are
unchanged since they last ran, and which then wrote the same figure, would write it again, and are
refused before anything runs; after a build, the figures the runs just wrote are compared the same
way (``recorded_collisions``), so a first build that finds a pair fails and says which.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from thbstats.errors import ThbError

from .config import Run
from .params import NO_DEFAULT, notebook_parameters
from .state import RunState, identity


class CollisionError(ThbError):
    """Runs of pipeline.yml would write the same files (one line per pair)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} pair(s) of runs would write the same files, nothing was run:\n  "
            + "\n  ".join(problems)
        )


def effective_parameters(run: Run, defaults: dict[str, Any] | None) -> dict[str, Any]:
    """The values the notebook runs with: its literal defaults, then the run's parameters, each
    list of codes replaced by its name in file names."""
    values = {k: v for k, v in (defaults or {}).items() if v is not NO_DEFAULT}
    values.update(run.parameters)
    values.update(run.list_names)
    return values


def output_key(run: Run, defaults: dict[str, Any] | None) -> str:
    """Equal for two runs exactly when they would write the same files."""
    values = effective_parameters(run, defaults)
    return json.dumps([str(run.notebook), values], sort_keys=True, default=repr)


def check_collisions(runs: list[Run]) -> None:
    """Raise CollisionError naming each pair of runs that would write the same files."""
    signatures: dict[Path, dict[str, Any] | None] = {}
    first: dict[str, Run] = {}
    problems = []
    for run in runs:
        if run.notebook not in signatures:
            signatures[run.notebook] = notebook_parameters(run.notebook)
        key = output_key(run, signatures[run.notebook])
        if key in first:
            shown = ", ".join(
                f"{k}={v}" for k, v in sorted(effective_parameters(run, None).items())
            )
            problems.append(
                f"runs {first[key].run_id} and {run.run_id} would write the same files: notebook "
                f"{run.notebook.name} with the same parameters ({shown or 'its defaults'}); "
                "remove one or give it other parameters"
            )
        else:
            first[key] = run
    if problems:
        raise CollisionError(problems)


def recorded_collisions(runs: list[Run], record: RunState) -> list[str]:
    """Pairs of ``runs`` that each wrote the same figures when they last ran, with their
    notebook and parameters unchanged since (one line per pair, naming the figures)."""
    owners: dict[str, list[str]] = {}
    for run in runs:
        last = record.runs.get(run.run_id) or {}
        parts = last.get("parts", {})
        if any(parts.get(k) != v for k, v in identity(run).items()):
            continue  # never run, or run with another notebook or parameters: unknown yet
        for fid in last.get("figures", {}):
            owners.setdefault(fid, []).append(run.run_id)
    pairs: dict[tuple[str, str], list[str]] = {}
    for fid, ids in sorted(owners.items()):
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                pairs.setdefault((first, second), []).append(fid)
    return [
        f"runs {a} and {b} write the same figure(s) {', '.join(fids)} (both wrote them when "
        "they last ran); remove the export from one notebook or give the runs other parameters"
        for (a, b), fids in pairs.items()
    ]


def check_recorded(runs: list[Run], record: RunState) -> None:
    """Raise CollisionError when ``recorded_collisions`` finds a pair."""
    problems = recorded_collisions(runs, record)
    if problems:
        raise CollisionError(problems)
