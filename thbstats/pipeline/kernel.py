"""A kernel that fails to start, or dies before its first cell, is retried a bounded number of
times; the reason of each retry goes to the run's log and its progress line.

Such a failure says nothing about the notebook (a port taken by another kernel: "ZMQError:
address already in use", "Kernel died before replying"), so a fresh kernel usually runs it. A
kernel that dies once a cell has started is not retried: the cell may be the cause, and running
it again could repeat its side effects.
"""

from __future__ import annotations

import os
from pathlib import Path

ATTEMPTS_VARIABLE = "THBSTATS_KERNEL_ATTEMPTS"
ATTEMPTS = 3  # kernel starts per run: the first and two retries


def attempts() -> int:
    """How many kernels a run may start (``THBSTATS_KERNEL_ATTEMPTS``, default 3, at least 1)."""
    try:
        return max(1, int(os.environ.get(ATTEMPTS_VARIABLE, ATTEMPTS)))
    except ValueError:
        return ATTEMPTS


def never_started(notebook: Path) -> bool:
    """True when no cell of papermill's output notebook began (or papermill wrote none).

    papermill writes the notebook before it starts the kernel and stamps each cell's
    ``metadata.papermill.start_time`` when the cell begins.
    """
    import nbformat

    if not notebook.exists():
        return True
    try:
        cells = nbformat.read(notebook, as_version=4).cells
    except Exception:  # half written when the kernel died: nothing ran that we can see
        return True
    return not any(c.metadata.get("papermill", {}).get("start_time") for c in cells)


def note_retry(log: Path, attempt: int, total: int, reason: str) -> str:
    """Append why a kernel is retried to the run's log; return the line for the progress."""
    line = f"kernel attempt {attempt} of {total} failed before the first cell: {reason}; retrying"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"thbstats run: {line}\n")
    return line
