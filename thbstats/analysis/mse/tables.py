"""List-overlap tables: capture histories and counts, read from an .rda table or a CSV.

A table has t lists; each row is a capture history (0/1 per list) with the number of people
observed with exactly that history. Histories missing from the file are put back as zeros,
so a table always holds the 2^t - 1 observable histories (the all-zero one is what MSE estimates).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from thbstats.errors import InputError


@dataclass(frozen=True)
class CaptureTable:
    """Every observable capture history (rows of ``histories``) and its count.

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> two.lists, two.histories.tolist(), two.counts.tolist(), two.observed
    (('A', 'B'), [[1, 0], [0, 1], [1, 1]], [30, 20, 10], 60)
    """

    lists: tuple[str, ...]
    histories: np.ndarray  # (2^t - 1, t) of 0/1, in a fixed order
    counts: np.ndarray  # (2^t - 1,) of non-negative integers
    name: str = ""

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        """The number of people on at least one list."""
        return int(self.counts.sum())

    def with_counts(self, counts: np.ndarray) -> CaptureTable:
        """The same histories with other counts (a bootstrap resample)."""
        return CaptureTable(self.lists, self.histories, np.asarray(counts), self.name)

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame: one 0/1 column per list and a ``count`` column."""
        df = pd.DataFrame(self.histories, columns=list(self.lists))
        df["count"] = self.counts
        return df


def all_histories(t: int) -> np.ndarray:
    """The 2^t - 1 non-zero capture histories for t lists, fewest lists first.

    >>> all_histories(2).tolist()
    [[1, 0], [0, 1], [1, 1]]
    """
    rows = [h for h in itertools.product((0, 1), repeat=t) if any(h)]
    rows.sort(key=lambda h: (sum(h), [-x for x in h]))
    return np.array(rows, dtype=np.int8)


def drop_empty_lists(table: CaptureTable) -> CaptureTable:
    """The table without the lists nobody is on (they carry no information; a bootstrap resample
    of a small list can be empty).

    >>> import pandas as pd
    >>> t = from_frame(pd.DataFrame({"A": [1, 0, 1, 0, 1, 0, 1], "B": [0, 1, 1, 0, 0, 1, 1],
    ...                              "C": [0, 0, 0, 1, 1, 1, 1], "n": [30, 20, 10, 0, 0, 0, 0]}))
    >>> drop_empty_lists(t).lists
    ('A', 'B')
    """
    on = table.histories.T @ table.counts > 0
    if on.all():
        return table
    keep = np.flatnonzero(on)
    full = all_histories(len(keep))
    index = {tuple(h): k for k, h in enumerate(full.tolist())}
    counts = np.zeros(len(full), dtype=np.int64)
    for h, n in zip(table.histories[:, keep].tolist(), table.counts, strict=True):
        if n:
            counts[index[tuple(h)]] += n
    return CaptureTable(tuple(table.lists[i] for i in keep), full, counts, table.name)


def _binary(path: str, col: pd.Series, row_label) -> None:
    for label, v in col.items():
        if pd.isna(v) or v not in (0, 1):
            raise InputError(path, f"row {row_label(label)}", col.name, "0 or 1", repr(v))


def _check_shape(df: pd.DataFrame, path: str) -> None:
    """Two to MAX_LISTS list columns, a count column and at least one row."""
    lists = df.shape[1] - 1
    if lists < 2:
        found = f"{max(lists, 0)} list column(s)"
        raise InputError(
            path, "line 1", None, "at least two list columns and a count column", found
        )
    if lists > MAX_LISTS:
        raise InputError(
            path, "line 1", None, f"at most {MAX_LISTS} list columns (2**lists capture histories)",
            f"{lists} list columns",
        )  # fmt: skip
    if df.empty:
        raise InputError(path, "row 1", None, "at least one row of counts", "no rows")


def _counts(col: pd.Series, path: str, row_label) -> pd.Series:
    """The counts as numbers: each a finite whole number from 0 to MAX_COUNT."""
    numbers = pd.to_numeric(col, errors="coerce")
    for i, v in col.items():
        n = numbers[i]
        if pd.isna(n) or not np.isfinite(n) or n < 0 or n > MAX_COUNT or n != int(n):
            raise InputError(
                path, f"row {row_label(i)}", col.name,
                f"a non-negative integer count of at most {MAX_COUNT:,}", repr(v),
            )  # fmt: skip
    return numbers


def from_frame(df: pd.DataFrame, path: str = "<table>", first_row: int = 2) -> CaptureTable:
    """A CaptureTable from list columns (0/1) followed by one count column (the last).

    Raises InputError naming the file, the row and the column for a non-binary list entry,
    a negative or non-integer count, a single list, or a count given to the all-zero history.
    Rows are numbered from ``first_row`` (2: a CSV's first data line; 1: an R table's first row).

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> two.observed
    60
    >>> from_frame(pd.DataFrame({"A": [1, 0], "B": [0, 2], "n": [3, 4]}), "lists.csv")
    Traceback (most recent call last):
    ...
    thbstats.errors.InputError: lists.csv, row 3, column 'B': expected 0 or 1, found '2'
    """
    _check_shape(df, path)
    lists, count_col = [str(c) for c in df.columns[:-1]], df.columns[-1]
    df = df.reset_index(drop=True)

    def row_label(i: int) -> int:
        return i + first_row

    for c in df.columns[:-1]:
        _binary(path, df[c], row_label)
    numbers = _counts(df[count_col], path, row_label)
    hist = df.iloc[:, :-1].astype(int).to_numpy()
    counts = numbers.astype(int).to_numpy()
    for i in np.flatnonzero((hist.sum(axis=1) == 0) & (counts > 0)):
        raise InputError(
            path, f"row {row_label(int(i))}", count_col,
            "no count for the all-zero history (nobody on any list is what MSE estimates)",
            str(counts[i]),
        )  # fmt: skip
    full = all_histories(len(lists))
    index = {tuple(h): k for k, h in enumerate(full.tolist())}
    out = np.zeros(len(full), dtype=np.int64)
    for h, n in zip(hist.tolist(), counts, strict=True):
        if any(h):
            out[index[tuple(h)]] += n  # a history listed twice is summed
    if not out.sum():
        raise InputError(
            path, "every row", count_col, "somebody on some list (a positive count)", "all 0"
        )
    return CaptureTable(tuple(lists), full, out, Path(path).stem)


MAX_RDA_BYTES = 64 * 2**20
"""Largest decompressed R data file read (a list table of a few lists is a few kilobytes)."""
MAX_COUNT = 10**12
"""Largest count of one capture history accepted (more than the world's population)."""
MAX_LISTS = 12
"""Most lists read: the model has a cell per capture history, 2**lists of them (4,096 at 12)."""
_OPENERS = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ": "lzma"}


def _decompressed(path: Path, limit: int = MAX_RDA_BYTES) -> bytes:
    """The file's bytes, decompressed (gzip, bzip2, xz or none), refused past ``limit``: a small
    file that inflates to gigabytes is stopped after ``limit`` bytes, not read whole."""
    import bz2
    import gzip
    import lzma

    with open(path, "rb") as fh:
        head = fh.read(6)
    kind = next((k for magic, k in _OPENERS.items() if head.startswith(magic)), None)
    opener = {"gzip": gzip.open, "bz2": bz2.open, "lzma": lzma.open}.get(kind, open)
    with opener(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            str(path), "file", None,
            f"an R data file of at most {limit // 2**20} MiB decompressed",
            f"more than {limit // 2**20} MiB after decompression",
        )  # fmt: skip
    return data


def _read_rda(path: Path) -> pd.DataFrame:
    import io

    import rdata

    objects = rdata.read_rda(io.BytesIO(_decompressed(path)))
    if len(objects) != 1:
        raise InputError(str(path), "file", None, "one table", f"{len(objects)} objects")
    (obj,) = objects.values()
    if hasattr(obj, "to_pandas"):  # an R matrix
        obj = obj.to_pandas()
    if not isinstance(obj, pd.DataFrame):
        raise InputError(
            str(path), "file", None, "a table (data frame or matrix)", type(obj).__name__
        )
    return obj


def read_table(path: str | Path) -> CaptureTable:
    """Read a list-overlap table from an R data file (.rda/.RData) or a CSV.

    Either way: one 0/1 column per list, the last column the count of people with that history.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "two.csv"
    >>> _ = path.write_text("A,B,n\\n1,0,30\\n0,1,20\\n1,1,10\\n")
    >>> t = read_table(path)
    >>> t.lists, t.observed
    (('A', 'B'), 60)
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "file", None, "an existing file", "no such file")
    if path.suffix.lower() in (".rda", ".rdata"):
        try:
            df = _read_rda(path)
        except InputError:
            raise
        except Exception as exc:  # the rdata parser's own errors
            raise InputError(str(path), "file", None, "an R data file", str(exc)) from exc
        return from_frame(df, str(path), first_row=1)
    try:
        df = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "file", None, "a CSV table", str(exc)) from exc
    return from_frame(df, str(path))
