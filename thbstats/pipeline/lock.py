"""One `thbstats run` at a time per output folder: an exclusive fcntl.flock on ``.run.lock``."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def run_lock(output_dir: Path, wait: bool) -> Iterator[None]:
    """Hold ``<output>/.run.lock`` (fcntl.flock) so two runs never write the same files."""
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / ".run.lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            message = (
                f"another `thbstats run` (pid {holder}) is running in {output_dir}; it holds {path}"
            )
            if not wait:
                raise BlockingIOError(message + "; try again when it has finished") from None
            print(message + "; waiting for it to finish ...", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
