"""Atomic writes: a failed or killed run never leaves a half-written output behind."""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it into place, else delete it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _test_pause(target)
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(target: str | os.PathLike[str], writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result onto ``target`` only when it succeeded."""
    with atomic_path(target) as tmp:
        writer(tmp)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    """Write text to ``target`` atomically (UTF-8)."""
    write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete the temporary files a killed run left in ``folder`` (call it holding the lock)."""
    stale = [p for p in folder.glob(".*.tmp") if p.is_file()] if folder.is_dir() else []
    for p in stale:
        p.unlink(missing_ok=True)
    return stale


@contextmanager
def exclusive(lock_file: Path, what: str) -> Iterator[None]:
    """Hold an exclusive flock on ``lock_file``; wait (saying so) while another process holds it."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"another {what} holds {lock_file}; waiting for it to finish ...",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield  # the lock goes with the file handle, also when the process is killed


def _test_pause(target: Path) -> None:
    """Tests only: with THBSTATS_TEST_HOLD=<folder>, an output whose name is a file in that folder
    is held before it is moved into place: ``<name>.ready`` is written there, and the write goes
    on once the test removes ``<name>``. A test can kill a run at that exact point, or start a
    second run while the first holds the lock, without guessing how long anything takes."""
    folder = os.environ.get("THBSTATS_TEST_HOLD")
    if not folder:
        return
    gate = Path(folder) / target.name
    if gate.exists():
        (Path(folder) / f"{target.name}.ready").write_text(str(os.getpid()))
        while gate.exists():
            time.sleep(0.01)
