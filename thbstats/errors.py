"""Errors for bad input: each names the file, the row or cell, the column and what was expected."""

from __future__ import annotations

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
        parts = [str(file)]
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
            msg += f", found {found!r}"
        super().__init__(msg)


class ReleaseError(ThbError):
    """A registered release is missing, or a file does not match the release it claims to be."""


class NoData(ThbError, ValueError):
    """Nothing to draw for these parameters (say, one release where two are compared).

    Raised in a notebook, ``thbstats run`` reports the run as ``empty`` with this message, not as
    failed: a warning, like charts without data.
    """
