"""Errors for bad input: each names the file, the row or cell, the column and what was expected."""

from __future__ import annotations

import errno
import os
from typing import Any


class ThbError(Exception):
    """Base class of the errors thbstats reports to users (printed without a traceback)."""


class InputError(ThbError):
    """A file holds something other than what its reader expects."""

    def __init__(self, file: str, where: Any, column: str | None, expected: str, found: Any = None):
        self.file, self.where, self.column, self.expected, self.found = (
            file,
            where,
            column,
            expected,
            found,
        )
        parts = [one_line(str(file))]  # a file name with a line break stays on the line
        if where is not None and where != "":
            parts.append(
                str(where)
                if str(where).startswith(("cell", "sheet", "row", "key", "line", "part"))
                else f"row {where}"
            )
        if column:
            parts.append(f"column {column!r}")
        msg = ", ".join(parts) + f": expected {expected}"
        if found is not None:
            shown = repr(found)
            if len(shown) > 300:  # a long cell is cut: the message stays one readable line
                shown = f"{shown[:200]}... ({len(str(found)):,} characters)"
            msg += f", found {shown}"
        super().__init__(msg)


class ReleaseError(ThbError):
    """A registered release is missing, or a file does not match the release it claims to be."""


class NoData(ThbError, ValueError):
    """Nothing to draw for these parameters (say, one release where two are compared).

    Raised in a notebook, ``thbstats run`` reports the run as ``empty`` with this message, not as
    failed: a warning, like charts without data.
    """


ADVICE = {
    errno.EROFS: "the disk is read-only: choose a writable folder",
    errno.EACCES: "you may not write there: check its permissions, or choose another folder",
    errno.EPERM: "you may not write there: check its permissions, or choose another folder",
    errno.ENOSPC: "the disk is full: free some space and run the command again",
    errno.EDQUOT: "your disk quota is used up: free some space and run the command again",
    errno.ENOENT: "check the path",
    errno.ENOTDIR: "a file stands where a folder is expected: move it away",
    errno.EEXIST: "a file stands where a folder is expected: move it away",
    errno.EISDIR: "a folder stands where a file is expected: move it away",
}
"""What to do about the operating-system errors a user can meet, by errno."""


def one_line(text: str, keep: str = "") -> str:
    """``text`` on one line, control characters escaped (a file name cannot move the cursor);
    the characters of ``keep`` are kept (``"\\n"``: a message listing several problems).

    >>> one_line("a\\nb\\x7f"), one_line("a\\nb\\x1b", keep="\\n")
    ('a\\\\nb\\\\x7f', 'a\\nb\\\\x1b')
    """
    return "".join(ch if ch.isprintable() or ch in keep else ascii(ch)[1:-1] for ch in text)


def os_refusal(exc: OSError) -> str:
    """An OSError as one line: the file, what went wrong and what to do (nothing built is lost:
    every output is written to a temporary file and renamed into place)."""
    name = exc.filename if exc.filename is not None else "a file"
    reason = exc.strerror or os.strerror(exc.errno) if exc.errno else str(exc)
    advice = ADVICE.get(exc.errno or -1, "check the file and the folder, and run the command again")
    return one_line(f"{name}: {reason}; {advice} (no output was left half-written)")
