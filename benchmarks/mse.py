"""MSE bootstrap timing: 1,000 resamples of the six-list UK 2013 table, model selection repeated
in each (BCa, jackknife included), with 2 worker processes. A measurement, not a timed test.

Where R and the reference implementation (the R package MultipleSystemsEstimation) are installed,
the same bootstrap by the reference (one process, its own resamples) is timed beside each row;
elsewhere its rows say why they were skipped. thbstats' rows are always there.

``python -m benchmarks.mse [--n 1000] [--method stepwise]`` prints the rows; ``python -m
benchmarks`` (not ``--quick``) adds them to the results table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
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


# The reference's bootstrap of the same table: stepwise (estimate_population_stepwise) or downhill
# (its internal downhill_bootstrapcal and downhill_jackknifecal), jackknife included
R_SCRIPT = """
suppressMessages(library(MultipleSystemsEstimation))
a <- commandArgs(trailingOnly = TRUE)
e <- new.env(); load(a[1], envir = e); z <- get(ls(e)[1], envir = e); n <- as.integer(a[3])
if (a[2] == "stepwise") {
  r <- estimate_population_stepwise(z, nboot = n, iseed = 1234)
  cat(r$MSEfit$hiermod, round(r$popest), round(r$BCaquantiles[c(1, length(r$BCaquantiles))]), "\n")
} else {
  b <- MultipleSystemsEstimation:::downhill_bootstrapcal(z, nboot = n, iseed = 1234)
  j <- MultipleSystemsEstimation:::downhill_jackknifecal(z)
  cat("downhill", length(b), "resamples", length(j), "jackknife estimates\n")
}
"""


def reference_available() -> str:
    """ "" when Rscript and the reference package load; otherwise why not."""
    if shutil.which("Rscript") is None:
        return "R not installed"
    probe = subprocess.run(
        ["Rscript", "-e", "library(MultipleSystemsEstimation)"], capture_output=True, text=True
    )
    return "" if probe.returncode == 0 else "R package MultipleSystemsEstimation not installed"


def reference_row(path: Path, method: str, n: int) -> dict[str, Any]:
    """The reference's bootstrap of the same table and method, timed (or why it was skipped)."""
    name = f"MSE bootstrap {n} x {method}, UK six lists, reference (R, 1 process)"
    why = reference_available()
    if why:
        return {
            "name": name,
            "seconds": 0.0,
            "cpu": None,
            "peak_mib": None,
            "note": "skipped: " + why,
        }
    m = command(["Rscript", "-e", R_SCRIPT, str(path), method, str(n)])
    note = "model, estimate, 95% BCa: " if method == "stepwise" else ""
    return {
        "name": name,
        "seconds": round(m.seconds, 3),
        "cpu": round(m.cpu, 2),
        "peak_mib": round(m.peak_mib, 1),
        "note": note + m.output.strip().splitlines()[-1],
    }


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
        out.append(reference_row(found[KEY], method, n))
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
