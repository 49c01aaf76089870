"""``python -m benchmarks [--quick | --full | --stress [N]]``: measure, check targets, write, print.

Everything runs in a temporary project root (data/raw linked, data/processed, build and figures
fresh), so the project's own outputs are never touched. Results go to benchmarks/results/
(bench.md, bench.json; stress.md, stress.json for ``--stress``) or ``--results DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from . import breakdown, reexport, report, stress, suites, workspace
from . import mse as mse_bench

RESULTS = Path(__file__).resolve().parent / "results"


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick",
        action="store_true",
        help="seconds: smallest workbook, transcribed sources only, no notebooks",
    )
    mode.add_argument(
        "--full",
        action="store_true",
        help="benchmark the real pipeline (every run of notebooks/pipeline.yml)",
    )
    mode.add_argument(
        "--runs",
        action="store_true",
        help="only the notebook runs: the floor, `thbstats run`, papermill's CLI and where a "
        "run's time goes (the table is built first, unmeasured)",
    )
    mode.add_argument(
        "--stress",
        type=int,
        nargs="?",
        const=stress.RUNS,
        metavar="N",
        help=f"only the stress check: N fresh-process loads idle, N under CPU load ({stress.RUNS})",
    )
    p.add_argument(
        "--control",
        action="store_true",
        help="stress check: N more runs of the pre-fix read under load (can it see the abort?)",
    )
    p.add_argument(
        "--only",
        choices=["data"],
        help="data: only the workbook read and `thbstats data` rows (the half-read target)",
    )
    p.add_argument("--results", type=Path, default=RESULTS, help="where bench.md/.json go")
    p.add_argument(
        "--downloads",
        type=Path,
        default=None,
        help="official releases (default: $THBSTATS_DOWNLOADS or data/raw/downloads)",
    )
    return p.parse_args(argv)


def measure(args: argparse.Namespace, ws: workspace.Workspace) -> tuple[list[dict], int]:
    """Run every suite the mode asks for, printing progress to stderr."""
    from thbstats import paths

    downloads = args.downloads or paths.downloads_dir()
    rows: list[dict] = []
    if args.stress is not None:
        return stress.stress(ws.root.parent, args.stress, args.control), 0
    if args.runs:
        print("benchmark: building the table (not measured) ...", file=sys.stderr, flush=True)
        suites.build(ws)
        rows = suites.floor(ws)
        print("benchmark: notebook runs ...", file=sys.stderr, flush=True)
        more, runs = suites.pipeline(ws, full=False)
        return rows + more + breakdown.profile_parts(ws), runs
    steps = [
        ("reader", lambda: suites.reader(downloads, args.quick)),
        ("data and load", lambda: suites.data(ws, args.quick)),
        ("re-export", reexport.rows),
    ]
    if args.only == "data":
        del steps[2:]
    elif not args.quick:
        steps.append(("floor", lambda: suites.floor(ws)))
        steps.append(("mse bootstrap", lambda: mse_bench.rows(downloads)))
    runs = 0
    for name, step in steps:
        print(f"benchmark: {name} ...", file=sys.stderr, flush=True)
        rows += step()
    if not args.quick and not args.only:
        print("benchmark: notebook runs ...", file=sys.stderr, flush=True)
        more, runs = suites.pipeline(ws, args.full)
        rows += more
        print("benchmark: where a run's time goes ...", file=sys.stderr, flush=True)
        rows += breakdown.kernel_alone(ws) + breakdown.profile_parts(ws) + breakdown.html_copy(ws)
        rows += stress.stress(ws.root.parent, stress.RUNS, args.control)
    return rows, runs


def _mode(args: argparse.Namespace) -> str:
    if args.stress is not None:
        return f"stress, {args.stress} runs per case"
    if args.only:
        return f"only {args.only}" + (", quick" if args.quick else "")
    if args.runs:
        return "notebook runs only, 8 runs"
    return "quick" if args.quick else "full" if args.full else "8 runs"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.downloads:
        os.environ["THBSTATS_DOWNLOADS"] = str(args.downloads.resolve())
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="thbstats-bench-") as tmp:
        rows, runs = measure(args, workspace.create(Path(tmp)))
    checks = report.stress_checks(rows) if args.stress is not None else report.targets(rows, runs)
    checks += reexport.checks(rows) if args.stress is None and not args.only else []
    context = {
        "mode": _mode(args),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load average before/after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
        "total": f"{time.perf_counter() - start:.0f} s",
        "command": "make bench"
        + (" (--quick)" if args.quick else " (--full)" if args.full else "")
        + (" (--runs)" if args.runs else "")
        + (f" (--stress {args.stress})" if args.stress is not None else "")
        + (f" (--only {args.only})" if args.only else ""),
    }
    text = report.markdown(rows, checks, context)
    name = "stress" if args.stress is not None else "bench"  # a stress run keeps bench.md
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{name}.md").write_text(text, encoding="utf-8")
    data = {"rows": rows, "targets": checks, "runs": runs, "context": context}
    (args.results / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
