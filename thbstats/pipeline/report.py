"""Progress lines while the pipeline runs and the summary table at the end."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .runner import Result


@dataclass
class Progress:
    """Counts of runs done, running and failed; prints one line per finished run."""

    total: int
    out: TextIO = field(default_factory=lambda: sys.stdout)
    root: Path | None = None
    done: int = 0
    running: int = 0
    failed: int = 0

    def started(self) -> None:
        self.running += 1

    def finished(self, result: Result) -> None:
        """Count a finished run and print its line, with the failing cell when it failed."""
        self.running -= 1
        self.done += 1
        self.failed += result.status != "ok"
        counts = f"[{self.done}/{self.total} done, {self.running} running, {self.failed} failed]"
        print(
            f"{counts} {result.status:<6} {result.run_id} ({result.seconds:.1f} s)",
            file=self.out,
            flush=True,
        )
        if result.status != "ok":
            print(
                "    " + failure_text(result, self.root).replace("\n", "\n    "),
                file=self.out,
                flush=True,
            )


def failure_text(result: Result, root: Path | None = None) -> str:
    """Where and why a run failed: the cell (index and first line), the error, the notebook."""
    lines = []
    if result.cell is not None:
        lines.append(f"cell {result.cell} (0-based, in the source notebook): {result.cell_line}")
    lines.append(result.error.strip().splitlines()[0] if result.error.strip() else "(no error)")
    if result.output is not None:
        lines.append(f"output notebook kept: {_show(result.output, root)}")
    return "\n".join(lines)


def summary(
    rows: list[tuple[str, str, float | None, Path | None]],
    root: Path | None,
    out: TextIO | None = None,
) -> None:
    """Print the table: run id, status (ok/skipped/failed/would run), seconds, output."""
    out = out or sys.stdout
    table = [("run", "status", "seconds", "output")]
    for run_id, status, seconds, output in rows:
        secs = "" if seconds is None else f"{seconds:.1f}"
        table.append((run_id, status, secs, _show(output, root) if output else ""))
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for n, row in enumerate(table):
        print(
            f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}",
            file=out,
        )
        if n == 0:
            print("  ".join("-" * w for w in widths) + "  ------", file=out)
    counts: dict[str, int] = {}
    for _, status, _, _ in rows:
        counts[status] = counts.get(status, 0) + 1
    print(", ".join(f"{n} {status}" for status, n in counts.items()) or "no runs", file=out)


def _show(path: Path, root: Path | None) -> str:
    """A path relative to the project root when it lies inside it."""
    if root is not None:
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            return rel
    return str(path)
