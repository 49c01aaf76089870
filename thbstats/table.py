"""The built table: :func:`load` reads data/processed/thb_figures.parquet (``thbstats data``).

Below every analysis module, so that each of them, and the package (``thbstats.load``), read the
table the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

VINTAGES = ("latest", "all")
"""Accepted values of ``load(vintage=...)``."""


def load(
    columns: list[str] | None = None, filters: list | None = None, *, vintage: str = "latest"
) -> pd.DataFrame:
    """The tidy table from data/processed/thb_figures.parquet (run `thbstats data` first).

    ``filters`` are pyarrow filters, e.g. ``[("source", "==", "TIP")]``: a notebook reads only the
    slice it plots. ``vintage="latest"`` keeps the latest release's figure of each key (the rows
    whose boolean column ``latest`` is true, when the table has that column); ``vintage="all"``
    returns every release's rows, e.g. to compare releases (``thbstats.analysis.revisions``).

    The file is opened by pyarrow's own filesystem, not handed over as a Python file object (what
    pandas does for a local path): pyarrow's worker threads may release the reader after the read
    has returned, and releasing a Python file object takes the GIL, which aborts the process
    ("terminate called without an active exception") when the interpreter is already exiting.

    >>> import thbstats as thb
    >>> df = thb.load()
    >>> every = thb.load(vintage="all")
    >>> len(every) > len(df), bool(df["latest"].all())
    (True, True)
    >>> sorted(thb.load(filters=[("source", "==", "TIP")])["source"].unique())
    ['TIP']
    """
    import pandas as pd
    from pyarrow import fs

    from thbstats import paths

    if vintage not in VINTAGES:
        raise ValueError(f"vintage: expected one of {', '.join(VINTAGES)}, found {vintage!r}")
    path = paths.processed_dir() / "thb_figures.parquet"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: build the dataset first with `thbstats data`"
        )
    if vintage == "latest":
        import pyarrow.parquet as pq

        if "latest" in pq.read_schema(path).names:
            filters = _and_filter(filters, ("latest", "==", True))
    return pd.read_parquet(
        str(path),
        columns=columns,
        filters=filters,
        engine="pyarrow",
        filesystem=fs.LocalFileSystem(),
    )


def _and_filter(filters: list | None, condition: tuple) -> list:
    """``filters`` (pyarrow: a list of tuples, or a list of such lists joined by OR) AND ``condition``."""
    if not filters:
        return [condition]
    if all(isinstance(f, list) for f in filters):
        return [[*f, condition] for f in filters]
    return [*filters, condition]
