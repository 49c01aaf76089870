"""Where a notebook run's time goes: kernel start, imports, reading the table, the charts' data,
the export of their files, the HTML copy. Each part measured on its own, beside the runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .measure import best_of
from .workspace import Workspace

PYTHON = sys.executable
# One country profile as its notebook does it, timed part by part in a fresh process.
PROFILE = """
import json, sys, tempfile, time
t = [time.perf_counter()]
import thbstats as thb
t.append(time.perf_counter())
import pandas, pyarrow.parquet
t.append(time.perf_counter())
from thbstats.publish import export, profile
t.append(time.perf_counter())
df = thb.load(filters=[("geo", "in", [sys.argv[1], "WORLD"])])
t.append(time.perf_counter())
charts = profile.country_profile(df, sys.argv[1], 2010, 2022)
t.append(time.perf_counter())
out = tempfile.mkdtemp()
for chart in charts:
    export.export(chart, out)
t.append(time.perf_counter())
print(json.dumps([b - a for a, b in zip(t, t[1:])]))
"""
PARTS = (
    "import thbstats",
    "import pandas, pyarrow",
    "import thbstats.publish (matplotlib, charts)",
    "thb.load(filters=[geo in (ALB, WORLD)])",
    "charts' data and layout (country_profile)",
    "export: 3 charts x PNG, SVG, PDF + CSV, XLSX",
)


def profile_parts(ws: Workspace, geo: str = "ALB") -> list[dict[str, Any]]:
    """The parts of one country profile in a fresh process (the kernel's work, without a kernel)."""
    from .suites import row

    best: list[float] | None = None
    for _ in range(3):
        proc = subprocess.run(
            [PYTHON, "-c", PROFILE, geo],
            env={**os.environ, **ws.env},
            cwd=ws.root / "notebooks",
            capture_output=True,
            text=True,
            check=True,
        )
        times = json.loads(proc.stdout.strip().splitlines()[-1])
        best = times if best is None or sum(times) < sum(best) else best
    assert best is not None
    note = f"country profile {geo}, fresh process, fastest of 3"
    return [row(f"run part: {name}", s, note=note) for name, s in zip(PARTS, best, strict=True)]


def kernel_alone(ws: Workspace) -> list[dict[str, Any]]:
    """papermill starting a kernel for a notebook with one empty cell (best of 3)."""
    import papermill

    from thbstats.pipeline.outputs import stderr_to

    from .suites import row
    from .workspace import floor_notebook

    notebook = floor_notebook(ws, source="pass", name="kernel.ipynb")
    out = ws.root / "kernel.out.ipynb"

    def run() -> None:
        with stderr_to(ws.root / "kernel.log"):
            papermill.execute_notebook(
                str(notebook), str(out), cwd=str(ws.root), progress_bar=False, log_output=False
            )

    return [
        row("run part: kernel start (papermill, empty cell)", best_of(run, 3), note="best of 3")
    ]


def html_copy(ws: Workspace) -> list[dict[str, Any]]:
    """The runner's HTML copy of one executed country profile (best of 3, exporter warm)."""
    from thbstats.pipeline.outputs import render_html

    from .suites import row

    done = sorted((ws.root / "out-j1" / "notebooks").glob("country_profile*.ipynb"))
    if not done:
        return [row("run part: HTML copy", 0.0, note="skipped: no executed profile")]
    render_html(done[0])  # nbconvert's templates load once per worker
    seconds = best_of(lambda: render_html(done[0]), 3)
    return [row("run part: HTML copy of the executed notebook", seconds, note=Path(done[0]).name)]
