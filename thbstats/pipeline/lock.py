"""One `thbstats run` at a time per output folder: an exclusive lock on ``.run.lock``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from thbstats.atomic import file_lock


@contextmanager
def run_lock(output_dir: Path, wait: bool) -> Iterator[None]:
    """Hold ``<output>/.run.lock`` (``thbstats.atomic.file_lock``) so two runs never write the
    same files; the holder's pid is written in it."""
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / ".run.lock"

    def busy(handle: IO[str]) -> None:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        message = (
            f"another `thbstats run` (pid {holder}) is running in {output_dir}; it holds {path}"
        )
        if not wait:
            raise BlockingIOError(message + "; try again when it has finished")
        print(message + "; waiting for it to finish ...", file=sys.stderr, flush=True)

    with file_lock(path, busy=busy) as handle:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
