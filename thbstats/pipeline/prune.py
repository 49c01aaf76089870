"""``--prune``: remove what no run of pipeline.yml makes.

Two places hold a run's outputs: ``figures/`` (its figures, listed in ``figures/manifest.json``
with the runs that made them) and the output folder (``build/``: the executed notebook, its HTML
rendering, its kernel log and its line in ``.runs.json``). A prune compares both with the runs of
the current pipeline.yml and removes what none of them makes.
"""

from __future__ import annotations

import json
from pathlib import Path

from thbstats.atomic import write_text_atomic

from .config import Pipeline
from .state import STATE_FILE

BUILD_FILES = {  # folder of the output folder -> the suffixes of a run's files in it
    "notebooks": (".failed.ipynb", ".ipynb"),
    "html": (".html",),
    "logs": (".log",),
}


def orphans(pipeline: Pipeline) -> list[dict]:
    """Figures that no run of the pipeline owns (light: reads the manifest only if present)."""
    figures = pipeline.root / "figures"
    if not (figures / "manifest.json").is_file():
        return []
    from thbstats.publish import manifest

    return manifest.orphans(figures, {r.run_id for r in pipeline.runs})


def figure_entries(root: Path) -> dict[str, dict]:
    """The entries of ``figures/manifest.json`` by id (empty when there is none)."""
    path = root / "figures" / "manifest.json"
    try:
        return {f["id"]: f for f in json.loads(path.read_text(encoding="utf-8"))["figures"]}
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return {}


def owners(entry: dict) -> str:
    """Who made a figure that is to go, in words."""
    runs = sorted(entry.get("runs", {}))
    return f"made by {', '.join(runs)}, not in pipeline.yml" if runs else "made by no run"


def run_of(path: Path, suffixes: tuple[str, ...]) -> str | None:
    """The run id a build file belongs to (``trends[OSCE].failed.ipynb`` -> ``trends[OSCE]``)."""
    for suffix in suffixes:
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return None


def stale_build_files(pipeline: Pipeline, output_dir: Path) -> list[Path]:
    """Notebooks, HTML renderings and logs in the output folder of runs not in the pipeline."""
    keep = {run.run_id for run in pipeline.runs}
    stale = []
    for folder, suffixes in BUILD_FILES.items():
        directory = output_dir / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            run_id = run_of(path, suffixes)
            if path.is_file() and run_id is not None and run_id not in keep:
                stale.append(path)
    return stale


def forget_runs(output_dir: Path, keep: set[str]) -> list[str]:
    """Drop the records of runs not in ``keep`` from ``.runs.json``; return their ids."""
    path = output_dir / STATE_FILE
    try:
        doc = json.loads(path.read_text())
        runs = doc["runs"]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return []
    gone = sorted(set(runs) - keep)
    if gone:
        doc["runs"] = {k: v for k, v in runs.items() if k in keep}
        write_text_atomic(path, json.dumps(doc, indent=1, sort_keys=True))
    return gone


def prune_build(pipeline: Pipeline, output_dir: Path) -> list[Path]:
    """Remove the build files and records of runs no longer in the pipeline."""
    stale = stale_build_files(pipeline, output_dir)
    for path in stale:
        path.unlink(missing_ok=True)
    forget_runs(output_dir, {run.run_id for run in pipeline.runs})
    return stale


def prune_or_warn(pipeline: Pipeline, output_dir: Path, remove: bool) -> bool:
    """With ``remove`` (--prune), remove figures and build files no run makes (True if a figure
    file went: the gallery is rebuilt); without it, say how many such figures remain."""
    found = orphans(pipeline)
    if not remove:
        if found:
            print(
                f"note: {len(found)} figure(s) in figures/ belong to no run of pipeline.yml "
                f"({', '.join(e['id'] for e in found[:3])}{' ...' if len(found) > 3 else ''}); "
                "`thbstats run --prune` removes them"
            )
        return False
    built = prune_build(pipeline, output_dir)
    if built:
        print(
            f"pruned {len(built)} file(s) of runs no longer in pipeline.yml from {output_dir.name}/"
        )
    figures = pipeline.root / "figures"
    if not (figures / "manifest.json").is_file():
        return False  # not made by `thbstats run`: nothing of ours to prune
    from thbstats.publish import manifest

    removed = manifest.prune(figures, {r.run_id for r in pipeline.runs})
    if removed:
        ids = ", ".join(e["id"] for e in found[:5]) + (" ..." if len(found) > 5 else "")
        which = f" (figures {ids})" if found else ""
        print(f"pruned {len(removed)} file(s) that no run of pipeline.yml makes{which}")
    return bool(removed)
