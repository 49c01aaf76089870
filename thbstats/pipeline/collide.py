"""Refuse, before anything runs, two runs that would write the same files.

A notebook names its figure files from its parameters (a geography by ``thbstats.geokey``, the
years, ...). Two runs of one notebook whose parameters are equal once the notebook's defaults are
filled in and each list of codes is taken by its name (the same members in another order are the
same list) write the same files: the later would overwrite the earlier, and the manifest would
credit both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from thbstats.errors import ThbError

from .config import Run
from .params import NO_DEFAULT, notebook_parameters


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
