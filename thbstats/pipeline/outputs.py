"""Outputs of one run: the HTML rendering, the kernel log, where a failure happened."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path


def render_html(notebook: Path) -> str:
    """The executed notebook as HTML with the code hidden, for readers without Jupyter."""
    import nbformat

    body, _ = _exporter().from_notebook_node(nbformat.read(notebook, as_version=4))
    return body


@cache
def _exporter():  # one per worker process: its templates and filters load once, not per run
    from nbconvert import HTMLExporter

    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


@contextmanager
def stderr_to(log: Path, append: bool = False) -> Iterator[None]:
    """Send this process's stderr (and so the kernel's warnings) to ``log`` for a block
    (``append``: after what an earlier kernel of the same run wrote)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    mode = os.O_APPEND if append else os.O_TRUNC
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | mode, 0o666)
    try:
        os.dup2(fd, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(fd)
        os.close(saved)


def source_index(executed: Path, index: int) -> int:
    """Map papermill's cell index to the index of the same cell in the source notebook.

    papermill counts cells of the executed notebook before it adds its two error cells (one at
    the top, one before the failing cell) to the file it writes; the source notebook also lacks
    the cell of injected parameters. Both kinds are skipped here.
    """
    import nbformat

    cells = [
        c
        for c in nbformat.read(executed, as_version=4).cells
        if "papermill-error-cell-tag" not in c.metadata.get("tags", [])
    ]
    injected = sum(1 for c in cells[:index] if "injected-parameters" in c.metadata.get("tags", []))
    return index - injected


def judge(exported: list[dict]) -> tuple[str, str]:
    """``empty`` (with the reason) when every chart a run exported has no data; else ``ok``."""
    empty = [f for f in exported if f.get("empty")]
    if not empty:
        return "ok", ""
    reasons = "; ".join(sorted({f["empty"] for f in empty}))
    if len(empty) == len(exported):
        return "empty", f"{len(empty)} chart(s) without data: {reasons}"
    return "ok", f"{len(empty)} of {len(exported)} charts without data: {reasons}"


def first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def keep_partial(tmp: Path, target: Path) -> Path | None:
    """Keep a partial output notebook of a failed run, if papermill wrote one."""
    if tmp.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        return target
    return None
