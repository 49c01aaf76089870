"""Stress check: `thb.load()` in a fresh process, hundreds of times, idle and beside a CPU load.

A run fails when it exits with a code other than 0, is killed by a signal (SIGABRT: "terminate
called without an active exception", a native thread torn down at interpreter exit) or writes
anything to stderr. Such a failure depends on timing, so it is counted here, never in a test.
The control is the read thbstats used before (pandas hands pyarrow a Python file object): it
shows whether the check, on this machine and load, can see the abort at all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .measure import command
from .workspace import Workspace, create

PYTHON = sys.executable
LOAD = "import thbstats as thb; thb.load()"
CONTROL = (
    "import pandas as pd; from thbstats import paths; "
    "pd.read_parquet(paths.processed_dir() / 'thb_figures.parquet', engine='pyarrow')"
)
RUNS = 200


@dataclass
class Outcome:
    """What ``runs`` fresh processes did: exit codes (or signals) and their stderr, counted."""

    runs: int = 0
    seconds: float = 0.0
    exits: Counter[str] = field(default_factory=Counter)
    messages: Counter[str] = field(default_factory=Counter)
    failures: int = 0

    def add(self, code: int, stderr: str) -> None:
        """Count one run."""
        self.runs += 1
        self.exits[_exit(code)] += 1
        if code != 0 or stderr.strip():
            self.failures += 1
            self.messages[stderr.strip().splitlines()[-1][:120] if stderr.strip() else ""] += 1

    def note(self) -> str:
        """``0 of 200 failed`` or ``3 of 200 failed: SIGABRT x3, stderr 'terminate ...' x3``."""
        text = f"{self.failures} of {self.runs} failed"
        parts = [f"{k} x{n}" for k, n in self.exits.items() if k != "exit 0"]
        parts += [f"stderr '{m}' x{n}" for m, n in self.messages.items() if m]
        return text + (": " + ", ".join(parts) if parts else "")


def _exit(code: int) -> str:
    """``exit 0``, ``exit 2`` or the signal's name (``SIGABRT``) for a negative return code."""
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit {code}"


def fresh_runs(code: str, runs: int, env: dict[str, str]) -> Outcome:
    """Run ``python -c code`` ``runs`` times, one after another, each in a fresh process."""
    out = Outcome()
    start = time.perf_counter()
    for _ in range(runs):
        try:
            proc = subprocess.run(
                [PYTHON, "-c", code], env=env, capture_output=True, text=True, timeout=300
            )
        except subprocess.TimeoutExpired:  # a hang is a failure too (the run was killed)
            out.add(-signal.SIGKILL, "hung: killed after 300 s")
            continue
        out.add(proc.returncode, proc.stderr)
    out.seconds = time.perf_counter() - start
    return out


@contextmanager
def cpu_load(processes: int) -> Iterator[None]:
    """``processes`` busy loops beside whatever runs inside the block."""
    burners = [subprocess.Popen([PYTHON, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield
    finally:
        for p in burners:
            p.kill()
            p.wait()


def small_table(parent: Path) -> Workspace:
    """A project root in ``parent`` whose table is built from the transcribed sources alone.

    The small table is where the abort was seen: its read and conversion take a few milliseconds,
    so the main thread reaches interpreter shutdown while a pyarrow worker may still be releasing
    the reader (with the 80,000-row table the conversion takes longer and the race is rarer).
    """
    ws = create(parent / "stress")
    empty = ws.root / "no-downloads"
    empty.mkdir()
    argv = [PYTHON, "-m", "thbstats.cli", "data", "--downloads", str(empty)]
    command(argv, env=ws.env, cwd=ws.root)
    return ws


def stress(parent: Path, runs: int = RUNS, control: bool = False) -> list[dict[str, Any]]:
    """The fresh-process load ``runs`` times idle and ``runs`` times beside one busy loop per core."""
    ws = small_table(parent)
    env = {**os.environ, **ws.env}
    cores = os.cpu_count() or 1
    beside = f"{cores} busy loops beside"
    cases = [
        ("stress: thb.load(), fresh process, idle", LOAD, 0),
        (f"stress: thb.load(), fresh process, {beside}", LOAD, cores),
    ]
    if control:
        name = f"stress control: pandas' own read (pre-fix), fresh process, {beside}"
        cases.append((name, CONTROL, cores))
    rows = []
    for name, code, burners in cases:
        print(f"benchmark: {name} ({runs} runs) ...", file=sys.stderr, flush=True)
        with cpu_load(burners):
            out = fresh_runs(code, runs, env)
        row = {"name": name, "seconds": round(out.seconds, 3), "cpu": None, "peak_mib": None}
        rows.append({**row, "note": out.note(), "runs": out.runs, "failures": out.failures})
    return rows
