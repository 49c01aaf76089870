"""MSE bootstrap timing: 1,000 resamples of the six-list UK 2013 table, model selection repeated
in each (BCa, jackknife included), with 2 worker processes. A measurement, not a timed test.

``python -m benchmarks.mse [--n 1000] [--method stepwise]`` prints the rows; ``python -m
benchmarks`` (not ``--quick``) adds them to the results table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .measure import command

KEY = "mse-uk-2013-six-lists"
SCRIPT = (
    "import sys; from thbstats.analysis import mse; t = mse.read_table(sys.argv[1]); "
    "r = mse.estimate(t, sys.argv[2], bootstrap=int(sys.argv[3]), seed=1234, workers=2); "
    "print(r.model, round(r.estimate), round(r.ci_low), round(r.ci_high))"
)


def rows(
    downloads: Path, n: int = 1000, methods: tuple[str, ...] = ("stepwise", "downhill")
) -> list[dict[str, Any]]:
    """One row per selection method: wall and CPU seconds, peak memory, the interval found."""
    from thbstats.ingest import releases

    found = releases.locate(downloads)[0] if downloads.is_dir() else {}
    if KEY not in found:
        return [
            {
                "name": "MSE bootstrap (UK six lists)",
                "seconds": 0.0,
                "cpu": None,
                "peak_mib": None,
                "note": f"skipped: {KEY} not in the downloads folder",
            }
        ]
    out = []
    for method in methods:
        m = command([sys.executable, "-c", SCRIPT, str(found[KEY]), method, str(n)])
        out.append(
            {
                "name": f"MSE bootstrap {n} x {method}, UK six lists (2 workers)",
                "seconds": round(m.seconds, 3),
                "cpu": round(m.cpu, 2),
                "peak_mib": round(m.peak_mib, 1),
                "note": "model, estimate, 95% BCa: " + m.output.strip().splitlines()[-1],
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    from thbstats import paths

    p = argparse.ArgumentParser(prog="python -m benchmarks.mse", description=__doc__)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--method", action="append", choices=("stepwise", "downhill", "exhaustive"))
    p.add_argument("--downloads", type=Path, default=None)
    args = p.parse_args(argv)
    methods = tuple(args.method or ("stepwise", "downhill"))
    for r in rows(args.downloads or paths.downloads_dir(), args.n, methods):
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
