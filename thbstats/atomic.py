"""Atomic writes: a failed or killed run never leaves a half-written output behind."""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from thbstats.testpoints import reached


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it into place, else delete it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}."
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    except OSError as exc:
        _rename(exc, target, prefix)
        raise
    os.fchmod(fd, new_file_mode())  # mkstemp makes 0600; the output gets what open() would give
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        reached(f"replace {target.name}")  # tests: a kill here leaves the temporary file
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except OSError as exc:
        _rename(exc, target, prefix)
        raise
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _rename(exc: OSError, target: Path, prefix: str) -> None:
    """Make ``exc`` name the output ``target`` rather than its hidden temporary file (or nothing,
    as a write to a full disk does); an error about another file is left as it is."""
    name = Path(exc.filename).name if isinstance(exc.filename, str) else None
    if exc.filename is None or (name or "").startswith(prefix):
        exc.filename = str(target)


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode a new file gets from ``open()`` under the current umask (0644 under 022)."""
    return 0o666 & ~current_umask()


def write_atomic(target: str | os.PathLike[str], writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result onto ``target`` only when it succeeded."""
    with atomic_path(target) as tmp:
        writer(tmp)


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes to ``target`` atomically."""
    write_atomic(target, lambda p: p.write_bytes(data))


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
def file_lock(
    lock_file: Path, *, shared: bool = False, busy: Callable[[IO[str]], None] | None = None
) -> Iterator[IO[str]]:
    """Hold an flock on ``lock_file`` (the one lock of thbstats; released when a process dies).

    ``busy(handle)`` is called when another process holds the lock, before waiting for it: it
    may say so, or raise to give up.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    with open(lock_file, "a+") as fh:
        try:
            fcntl.flock(fh, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if busy is not None:
                busy(fh)
            fcntl.flock(fh, mode)
        yield fh  # the lock goes with the file handle, also when the process is killed


@contextmanager
def exclusive(lock_file: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file``; wait (saying so) while another process holds it."""

    def say(_fh: IO[str]) -> None:
        print(
            f"another {what} holds {lock_file}; waiting for it to finish ...",
            file=sys.stderr,
            flush=True,
        )

    with file_lock(lock_file, busy=say):
        yield
