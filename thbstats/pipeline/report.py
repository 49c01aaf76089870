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
        self.failed += result.status == "failed"
        counts = f"[{self.done}/{self.total} done, {self.running} running, {self.failed} failed]"
        print(
            f"{counts} {result.status:<6} {result.run_id} ({result.seconds:.1f} s)",
            file=self.out,
            flush=True,
        )
        for line in result.retries:
            print(f"    {line}", file=self.out, flush=True)
        detail = failure_text(result, self.root) if result.status == "failed" else result.note
        if detail:
            print("    " + detail.replace("\n", "\n    "), file=self.out, flush=True)


CELL_CONVENTION = "0-based index in the notebook's cells, as listed in the .ipynb file"


def failure_text(result: Result, root: Path | None = None) -> str:
    """Where and why a run failed: the cell (index and first line), the error, the notebook.

    The index counts every cell of the source notebook (markdown included) from 0, in file
    order: ``nbformat.read(path).cells[index]``. "In [n]" is the execution count the executed
    notebook shows beside that cell (it counts the injected parameters cell too).
    """
    lines = []
    if result.cell is not None:
        shown = f"; In [{result.exec_count}] when executed" if result.exec_count else ""
        lines.append(f"cell {result.cell} ({CELL_CONVENTION}{shown}): {result.cell_line}")
    lines.append(result.error.strip().splitlines()[0] if result.error.strip() else "(no error)")
    if result.output is not None:
        lines.append(f"output notebook kept: {_show(result.output, root)}")
    return "\n".join(lines)


def summary(
    results: list[Result], up_to_date: int, root: Path | None, out: TextIO | None = None
) -> None:
    """The runs that executed (run, status, seconds, output or note), then one line of counts."""
    out = out or sys.stdout
    if results:
        table = [("run", "status", "seconds", "output")]
        for r in results:
            shown = r.note if r.status == "empty" else _show(r.output, root) if r.output else ""
            table.append((r.run_id, r.status, f"{r.seconds:.1f}", shown))
        widths = [max(len(row[i]) for row in table) for i in range(3)]
        for n, row in enumerate(table):
            print(
                f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}",
                file=out,
            )
            if n == 0:
                print("  ".join("-" * w for w in widths) + "  ------", file=out)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = [f"{n} {status}" for status, n in counts.items()]
    if up_to_date:
        noun = "run" if up_to_date == 1 else "runs"
        parts.append(f"{up_to_date} {noun} up to date" if not parts else f"{up_to_date} up to date")
    print(", ".join(parts) or "no runs", file=out)


def _show(path: Path, root: Path | None) -> str:
    """A path relative to the project root when it lies inside it."""
    if root is not None:
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            return rel
    return str(path)
