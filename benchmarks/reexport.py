"""Re-export of unchanged charts: the second export of the same three charts (fresh Chart objects
from the same tables, as a rerun of a notebook makes them) against the first, in this process.

``python -m benchmarks.reexport`` prints the rows for the project's own table; ``python -m
benchmarks`` adds them (and the target) to the results.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL = 0.10  # a skipped export reads the manifest and hashes the table: well under a tenth


def _charts(df) -> list:
    from thbstats.publish import charts

    return [  # TIP's world figures: transcribed, so present in --quick runs too
        charts.funnel_chart(df, "WORLD", 2014),
        charts.trends_chart(df, "WORLD", 2003, 2018),
        charts.gap_bars_chart(df, "WORLD", 2008, 2014),
    ]


def rows() -> list[dict[str, Any]]:
    """Seconds of the first export and of the re-export (tables made before each, not timed)."""
    import thbstats as thb
    from thbstats.publish import export

    df = thb.load()
    timed = []
    with tempfile.TemporaryDirectory(prefix="thbstats-reexport-") as out:
        for _ in range(2):
            made = _charts(df)
            start = time.perf_counter()
            for chart in made:
                export.export(chart, Path(out))
            timed.append((time.perf_counter() - start, sum(c.drawn for c in made)))
    (first, drawn1), (second, drawn2) = timed
    ratio = second / first if first else 0.0
    return [
        {"name": "export: 3 charts, first", "seconds": round(first, 3), "cpu": None,
         "peak_mib": None, "note": f"{drawn1} drawn; PNG, SVG, PDF, CSV, XLSX each"},
        {"name": "export: same 3 charts again", "seconds": round(second, 3), "cpu": None,
         "peak_mib": None, "note": f"{drawn2} drawn; {ratio:.1%} of the first export"},
    ]  # fmt: skip


def checks(measured: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The target of issue 13: a re-export of an unchanged chart is skipped."""
    from .report import _check

    s = {r["name"]: r["seconds"] for r in measured}
    first, again = s.get("export: 3 charts, first"), s.get("export: same 3 charts again")
    ratio = again / first if first and again is not None else None
    passed = None if ratio is None else ratio < GOAL
    return [_check("re-export of unchanged charts vs first export", ratio,
                   f"skipped (< {GOAL:.0%})", passed, f"{ratio or 0:.1%}")]  # fmt: skip


if __name__ == "__main__":
    for r in rows():
        print(json.dumps(r))
    sys.exit(0)
