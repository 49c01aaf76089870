"""Timing helpers: best-of-n in this process, and wall time plus peak memory of a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Runs the command as its child and reports its wall time and the peak resident memory of the
# command and everything it waited for (RUSAGE_CHILDREN: a notebook's kernel included).
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[2:]).returncode
seconds = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
report = {"seconds": seconds, "cpu": use.ru_utime + use.ru_stime, "rss_kib": use.ru_maxrss}
open(sys.argv[1], "w").write(json.dumps({**report, "code": code}))
"""


@dataclass(frozen=True)
class Measured:
    """One command: wall and CPU seconds, peak memory in MiB, exit code and its output."""

    seconds: float
    cpu: float
    peak_mib: float
    code: int
    output: str


class CommandFailed(RuntimeError):
    """A benchmarked command exited with an error; the message holds the end of its output."""


def best_of(func: Callable[[], Any], repeat: int = 3) -> float:
    """The shortest of ``repeat`` timings of ``func()``, in seconds."""
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def command(
    argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, check: bool = True
) -> Measured:
    """Run ``argv`` in a fresh process; time it (excluding the wrapper's own start-up)."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        proc = subprocess.run(
            [sys.executable, "-c", _WRAPPER, report.name, *argv],
            env={**os.environ, **(env or {})},
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        data = json.loads(Path(report.name).read_text() or "{}")
    result = Measured(
        data.get("seconds", 0.0),
        data.get("cpu", 0.0),
        data.get("rss_kib", 0) / 1024,
        data.get("code", proc.returncode),
        proc.stdout,
    )
    if check and result.code != 0:
        tail = "\n".join(proc.stdout.splitlines()[-20:])
        raise CommandFailed(f"{' '.join(argv)} exited with {result.code}:\n{tail}")
    return result


def best_command(argv: list[str], repeat: int = 3, **kwargs: Any) -> Measured:
    """The fastest of ``repeat`` runs of a command (its peak memory is the largest seen)."""
    runs = [command(argv, **kwargs) for _ in range(max(1, repeat))]
    fastest = min(runs, key=lambda m: m.seconds)
    peak = max(m.peak_mib for m in runs)
    return Measured(fastest.seconds, fastest.cpu, peak, fastest.code, fastest.output)
