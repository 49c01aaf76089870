"""``thbstats run``: check every run's parameters, skip what is up to date, run the rest.

Exit codes: 0 all runs ok, empty (charts without data: a warning) or up to date, 1 a run (or
the gallery) failed, 2 bad configuration or
parameters (nothing was run), 3 another ``thbstats run`` holds the lock (with ``--no-wait``),
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from thbstats import paths
from thbstats.errors import ThbError

from . import hooks, params, prune, report, slices, state
from .collide import check_collisions, check_recorded, recorded_collisions
from .config import Pipeline, Run, load_pipeline
from .lock import run_lock
from .runner import Job, Result, run_jobs
from .select import select_runs

OK, FAILED, BAD_INPUT, LOCKED, INTERRUPTED = 0, 1, 2, 3, 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``thbstats run`` to ``parser``."""
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="notebooks run at once, each worker in its own process and kernel (default: number of "
        "cores)",
    )
    parser.add_argument("--force", action="store_true", help="rerun runs that are up to date")
    parser.add_argument(
        "--only",
        action="append",
        metavar="PATTERN",
        help="only this run id, the ids matching this pattern (* and ? are wildcards, brackets "
        "literal: 'country_profile[D*]', '*[DEU]'), or the runs of this geography code "
        "(DEU); repeatable",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="remove figures of runs no longer in pipeline.yml, and files no figure lists",
    )
    kernels = parser.add_mutually_exclusive_group()
    kernels.add_argument(
        "--fresh",
        dest="warm",
        action="store_false",
        help="start a new kernel for every run (papermill's way; slower: each run pays the "
        "kernel start and the imports of pandas and matplotlib)",
    )
    kernels.add_argument(
        "--warm",
        dest="warm",
        action="store_true",
        help="the default: one kernel per worker serves its runs, each notebook in a fresh "
        "namespace with the kernel's first settings; a kernel whose run failed is replaced",
    )
    parser.set_defaults(warm=True)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would run and what would be skipped; run nothing",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="pipeline file (default: <root>/notebooks/pipeline.yml)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="project root (default: $THBSTATS_ROOT, else the folder with data/raw/sources.yml "
        "or pyproject.toml above the config file or the current directory)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=None,
        help="where notebooks/ and html/ go (default: <root>/build)",
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="refuse instead of waiting when another run holds the lock",
    )


def main(args: argparse.Namespace) -> int:
    """Run the pipeline as the options say; return the exit code."""
    try:
        pipeline = _load(args)
        check_collisions(pipeline.runs)  # all of them: a run not selected still owns its files
        runs = select_runs(pipeline.runs, args.only)
        output_dir = (args.output_dir or pipeline.root / "build").resolve()
        check_recorded(pipeline.runs, state.RunState(output_dir))
        plan = _plan(runs, pipeline, output_dir, args.force, getattr(args, "warm", True))
        _check(plan, pipeline.root)
    except ThbError as exc:
        print(f"thbstats run: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.dry_run:
        return _dry_run(plan, pipeline, output_dir, args.prune)
    try:
        with run_lock(output_dir, wait=not args.no_wait):
            return _run(pipeline, runs, output_dir, args)
    except BlockingIOError as exc:
        print(f"thbstats run: {exc}", file=sys.stderr)
        return LOCKED
    except ThbError as exc:  # a run that became stale while we waited for the lock
        print(f"thbstats run: {exc}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("thbstats run: interrupted; finished runs are recorded", file=sys.stderr)
        return INTERRUPTED


def _check(plan: list[Step], root: Path) -> None:
    """Check every run's parameter names and types, the geography codes of stale runs, and
    that no two runs would write the same files.

    An up-to-date run passed the geography check when it last ran, with the same parameters
    and thbstats source; skipping it there keeps a no-op rerun from importing thbstats.geo.
    """
    stale = {step.run.run_id for step in plan if step.why and _has_geo(step.run)}
    is_known = hooks.geo_checker(root) if stale else None
    params.check_runs([step.run for step in plan], is_known, lambda run: run.run_id in stale)


def _load(args: argparse.Namespace) -> Pipeline:
    """Find the project root and the config file, and read it."""
    config = args.config.resolve() if args.config else None
    start = config.parent if config else Path.cwd()
    root = args.root.resolve() if args.root else paths.project_root(start)
    return load_pipeline(config or root / "notebooks" / "pipeline.yml", root)


def _has_geo(run: Run) -> bool:
    return bool(params.geo_values(run))


@dataclass(frozen=True)
class Step:
    """A run with its job, its fingerprint and why it must execute (None: up to date)."""

    run: Run
    job: Job
    parts: dict[str, str]
    why: str | None


def _plan(
    runs: list[Run], pipeline: Pipeline, output_dir: Path, force: bool, warm: bool = True
) -> list[Step]:
    """Fingerprint every run (hashing each file once) and compare with the last success."""
    state.file_digest.cache_clear()
    state.source_digest.cache_clear()
    record = state.RunState(output_dir)
    figures = prune.figure_entries(pipeline.root)
    sliced = _slices(runs, pipeline.root, output_dir)
    plan = []
    for run in runs:
        names = tuple(pipeline.names.items())
        job = Job(run.run_id, run.notebook, run.parameters, pipeline.root, output_dir, names, warm)
        parts = state.fingerprint(run, pipeline.root, sliced.get(run.run_id))
        why = record.why_stale(run.run_id, parts, [job.notebook_out, job.html_out], figures)
        plan.append(Step(run, job, parts, "--force" if force else why))
    return plan


def _slices(runs: list[Run], root: Path, output_dir: Path) -> dict[str, str]:
    """The hash of the slice of the table each run reads, for runs whose notebook says which."""
    specs = {r.run_id: slices.spec(r, root) for r in runs if slices.table_of(r, root)}
    wanted = {s for s in specs.values() if s is not None}
    if not wanted:
        return {}
    table = state.file_digest((root / slices.TABLE).resolve())
    found = slices.digests(root, output_dir, wanted, table)
    return {run_id: found[s] for run_id, s in specs.items() if s in found}


def _dry_run(plan: list[Step], pipeline: Pipeline, output_dir: Path, prune_too: bool) -> int:
    """Print what would run (and why), what would be skipped and, with --prune, removed."""
    for step in plan:
        why = f"  ({step.why})" if step.why else ""
        print(f"{'would run' if step.why else 'skip':<10} {step.run.run_id}{why}")
    if prune_too:
        for entry in prune.orphans(pipeline):
            print(f"{'would prune':<10} {entry['id']}  ({prune.owners(entry)})")
        for path in prune.stale_build_files(pipeline, output_dir):
            print(f"{'would prune':<10} {os.path.relpath(path, pipeline.root)}  (no run makes it)")
    return OK


def _run(pipeline: Pipeline, runs: list[Run], output_dir: Path, args: argparse.Namespace) -> int:
    """Execute the stale runs, record each result, rebuild the gallery, print the summary."""
    shutil.rmtree(output_dir / ".tmp", ignore_errors=True)  # leftovers of a killed run
    # again: another run may have finished
    plan = _plan(runs, pipeline, output_dir, args.force, getattr(args, "warm", True))
    _check(plan, pipeline.root)
    record = state.RunState(output_dir)
    todo = [(step.job, step.parts) for step in plan if step.why]
    results: dict[str, Result] = {}
    if not todo:
        pruned = prune.prune_or_warn(pipeline, output_dir, args.prune)
        print(f"{len(runs)} run{'s' if len(runs) != 1 else ''} up to date")
        return OK if not pruned or _gallery(pipeline.root) else FAILED
    progress = report.Progress(len(todo), root=pipeline.root)
    parts_of = {job.run_id: parts for job, parts in todo}
    print(
        f"running {len(todo)} of {len(runs)} runs "
        f"({min(args.jobs, len(todo))} at a time); {len(runs) - len(todo)} up to date"
    )
    for result in run_jobs(
        [job for job, _ in todo],
        min(args.jobs, len(todo)),
        on_start=lambda job: progress.started(),
    ):
        parts = parts_of[result.run_id]
        record.record(result.run_id, result.status, parts, result.seconds, dict(result.figures))
        progress.finished(result)
        results[result.run_id] = result
    shutil.rmtree(output_dir / ".tmp", ignore_errors=True)
    prune.prune_or_warn(pipeline, output_dir, args.prune)
    done = [results[s.run.run_id] for s in plan if s.run.run_id in results]
    report.summary(done, len(plan) - len(done), pipeline.root)
    gallery_failed = not _gallery(pipeline.root)
    failed = any(r.status == "failed" for r in results.values())
    clashes = recorded_collisions(pipeline.runs, record)
    for line in clashes:  # a first build finds them only now; the next one refuses to start
        print(f"thbstats run: {line}", file=sys.stderr)
    return FAILED if failed or gallery_failed or clashes else OK


def _gallery(root: Path) -> bool:
    """Rebuild the gallery after runs executed; report (not raise) a failure."""
    start = time.perf_counter()
    try:
        done = hooks.rebuild_gallery(root)
    except Exception as exc:  # the runs are recorded; the gallery can be rebuilt on its own
        print(f"gallery: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return False
    if done:
        print(f"{done} in {time.perf_counter() - start:.1f} s")
    return True
