"""``python -m benchmarks [--quick | --full]``: measure, check the targets, write and print.

Everything runs in a temporary project root (data/raw linked, data/processed, build and figures
fresh), so the project's own outputs are never touched. Results go to benchmarks/results/
(bench.md, bench.json) or ``--results DIR``.
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

from . import mse as mse_bench
from . import report, suites, workspace

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
    steps = [
        ("reader", lambda: suites.reader(downloads, args.quick)),
        ("data and load", lambda: suites.data(ws, args.quick)),
    ]
    if not args.quick:
        steps.append(("floor", lambda: suites.floor(ws)))
        steps.append(("mse bootstrap", lambda: mse_bench.rows(downloads)))
    runs = 0
    for name, step in steps:
        print(f"benchmark: {name} ...", file=sys.stderr, flush=True)
        rows += step()
    if not args.quick:
        print("benchmark: notebook runs ...", file=sys.stderr, flush=True)
        more, runs = suites.pipeline(ws, args.full)
        rows += more
    return rows, runs


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.downloads:
        os.environ["THBSTATS_DOWNLOADS"] = str(args.downloads.resolve())
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="thbstats-bench-") as tmp:
        rows, runs = measure(args, workspace.create(Path(tmp)))
    checks = report.targets(rows, runs)
    context = {
        "mode": "quick" if args.quick else "full" if args.full else "8 runs",
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load average before/after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
        "total": f"{time.perf_counter() - start:.0f} s",
        "command": "make bench"
        + (" (--quick)" if args.quick else " (--full)" if args.full else ""),
    }
    text = report.markdown(rows, checks, context)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "bench.md").write_text(text, encoding="utf-8")
    data = {"rows": rows, "targets": checks, "runs": runs, "context": context}
    (args.results / "bench.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
