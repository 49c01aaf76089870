"""The measurements, one function per part of the pipeline; each returns rows for the table.

A row is ``{"name", "seconds", "peak_mib", "note"}``; ``peak_mib`` is None where not measured.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from . import workspace
from .measure import Measured, best_command, best_of, command
from .workspace import Workspace

Row = dict[str, Any]
PYTHON = sys.executable
THBSTATS = [PYTHON, "-m", "thbstats.cli"]
WARM = "warm kernels (the default): one per worker, a fresh namespace per notebook"


def row(
    name: str,
    seconds: float,
    peak_mib: float | None = None,
    note: str = "",
    cpu: float | None = None,
) -> Row:
    """One line of the results table (``cpu``: CPU seconds of a command and its children)."""
    peak = None if peak_mib is None else round(peak_mib, 1)
    cpu = None if cpu is None else round(cpu, 2)
    return {"name": name, "seconds": round(seconds, 3), "cpu": cpu, "peak_mib": peak, "note": note}


def command_row(name: str, m: Measured, note: str = "") -> Row:
    """A table line for a measured command."""
    return row(name, m.seconds, m.peak_mib, note, m.cpu)


def _workbooks(downloads: Path) -> dict[str, Path]:
    """Registered workbooks found in the downloads folder, by citation key (not the MSE tables)."""
    from thbstats.ingest import releases

    found = releases.locate(downloads)[0] if downloads.is_dir() else {}
    return {k: p for k, p in found.items() if p.suffix.lower() in (".xlsx", ".xls")}


def reader(downloads: Path, quick: bool) -> list[Row]:
    """The newest UNODC workbook (quick: the smallest workbook) with openpyxl and with calamine."""
    import pandas as pd

    from thbstats.ingest.readers.unodc_glotip import layout
    from thbstats.ingest.readers.workbook import read_sheet

    found = _workbooks(downloads)
    unodc = sorted(k for k in found if k.startswith("unodc-glotip"))
    if quick and found:
        key = min(found, key=lambda k: found[k].stat().st_size)
        path = found[key]
        sheet = pd.ExcelFile(path, engine="calamine").sheet_names[0]
    elif unodc:
        key, path, sheet = unodc[-1], found[unodc[-1]], layout()["sheet"]
    else:
        return [row("read workbook", 0.0, note=f"skipped: no workbook in {downloads}")]
    what = f"{path.name}, sheet {sheet}"
    fast = best_of(lambda: read_sheet(path, sheet), 3)
    slow = best_of(
        lambda: pd.read_excel(path, sheet_name=sheet, header=None, dtype=str, engine="openpyxl"), 1
    )
    return [
        row("read workbook: pandas + openpyxl", slow, note=what),
        row("read workbook: thbstats reader (calamine)", fast, note="best of 3"),
    ]


def data(ws: Workspace, quick: bool) -> list[Row]:
    """`thbstats data` cold, then thb.load() in a fresh process and in this one."""
    workspace.fresh_processed(ws)
    argv = [*THBSTATS, "data"]
    note = "fresh data/processed, no checksum cache"
    if quick:
        empty = ws.root / "no-downloads"
        empty.mkdir(exist_ok=True)
        argv += ["--downloads", str(empty)]
        note += "; quick: transcribed sources only"
    cold = command(argv, env=ws.env, cwd=ws.root)
    edited = workspace.edit_transcribed(ws)
    rebuild = command(argv, env=ws.env, cwd=ws.root)
    fresh = best_command([PYTHON, "-c", "import thbstats as thb; thb.load()"], env=ws.env)
    pandas = best_command([PYTHON, "-c", "import pandas"])
    os.environ.update(ws.env)
    import thbstats as thb

    thb.load()  # imports pandas and pyarrow once; the timing below is the read alone
    inproc = best_of(thb.load, 3)
    return [
        command_row("thbstats data (cold)", cold, note),
        command_row(
            "thbstats data after editing one transcribed CSV",
            rebuild,
            f"{edited}; parsed releases and unchanged parts from data/processed/cache",
        ),
        command_row("thb.load(), fresh process", fresh, "import included, best of 3"),
        command_row("python -c 'import pandas'", pandas, "part of the line above"),
        row("thb.load(), in process", inproc, note="best of 3"),
    ]


def build(ws: Workspace) -> None:
    """Build the table in the workspace, unmeasured (``--runs``: the notebooks need it)."""
    workspace.fresh_processed(ws)
    command([*THBSTATS, "data"], env=ws.env, cwd=ws.root)


def floor(ws: Workspace) -> list[Row]:
    """A kernel started by papermill that imports pandas and matplotlib (best of 3)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # as the runner does
    import papermill

    from thbstats.pipeline.outputs import stderr_to

    notebook = workspace.floor_notebook(ws)
    out = ws.root / "floor.out.ipynb"

    def run() -> None:
        with stderr_to(ws.root / "floor.log"):  # the kernel's warnings, as the runner does
            papermill.execute_notebook(
                str(notebook), str(out), cwd=str(ws.root), progress_bar=False, log_output=False
            )

    return [row("floor: kernel + import pandas, matplotlib", best_of(run, 3), note="best of 3")]


def pipeline(ws: Workspace, full: bool) -> tuple[list[Row], int]:
    """`thbstats run` -j 1 and -j 2 (warm kernels), -j 2 --fresh, a second (no-op) run, and
    papermill's CLI one run at a time."""
    runs = workspace.pipeline_runs(ws, full)
    if not runs:  # no UNODC release in the downloads folder: no country profiles to run
        return [row("notebook runs", 0.0, note="skipped: no runs (official files missing?)")], 0
    config = workspace.write_pipeline(ws, runs)

    def thbstats_run(jobs: int, out: str) -> list[str]:
        return [
            *THBSTATS,
            "run",
            "-j",
            str(jobs),
            "--config",
            str(config),
            "--root",
            str(ws.root),
            "--output-dir",
            str(ws.root / out),
        ]

    n = len(runs)
    j1 = command(thbstats_run(1, "out-j1"), env=ws.env, cwd=ws.root)
    j2 = command(thbstats_run(2, "out-j2"), env=ws.env, cwd=ws.root)
    fresh = command([*thbstats_run(2, "out-j2-fresh"), "--fresh"], env=ws.env, cwd=ws.root)
    rerun = best_command(thbstats_run(2, "out-j2"), env=ws.env, cwd=ws.root)
    noop = "running " not in rerun.output
    cli = [papermill_cli(ws, i, r) for i, r in enumerate(runs)]
    one = min(cli, key=lambda m: m.seconds)
    total = Measured(
        sum(m.seconds for m in cli), sum(m.cpu for m in cli), max(m.peak_mib for m in cli), 0, ""
    )
    return [
        command_row(f"thbstats run -j 1 ({n} runs)", j1, f"notebook + HTML per run; {WARM}"),
        command_row(f"thbstats run -j 2 ({n} runs)", j2, f"notebook + HTML per run; {WARM}"),
        command_row(
            f"fresh kernels: thbstats run -j 2 --fresh ({n} runs)", fresh, "a new kernel per run"
        ),
        command_row(
            "thbstats run again, nothing changed",
            rerun,
            "best of 3" if noop else "NOT a no-op: something changed between the runs",
        ),
        command_row(f"papermill CLI, one after another ({n} runs)", total, "notebook only"),
        command_row("one notebook run (papermill CLI, kernel included)", one, "fastest run"),
    ], n


def papermill_cli(ws: Workspace, index: int, run: dict[str, Any]) -> Measured:
    """One run with papermill's command line, parameters as YAML (JSON is YAML)."""
    exe = Path(PYTHON).with_name("papermill")
    argv = [str(exe)] if exe.exists() else [PYTHON, "-m", "papermill"]
    out = ws.root / "out-cli" / f"{index:03d}.ipynb"
    out.parent.mkdir(exist_ok=True)
    argv += [
        run["notebook"],
        str(out),
        "-y",
        json.dumps(run["parameters"]),
        "--cwd",
        str(Path(run["notebook"]).parent),  # as `thbstats run` and JupyterLab do
        "--no-progress-bar",
    ]
    return command(argv, env=ws.env, cwd=ws.root)
