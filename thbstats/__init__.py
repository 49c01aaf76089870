"""thbstats: trafficking in human beings statistics, from published figures to cited charts.

import thbstats as thb
df = thb.load()            # the tidy table built by `thbstats data`
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

try:
    __version__ = version("thbstats")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"


Geo = str | list[str]
"""A geography: an ISO3 code or a group code (``OSCE``, ``TIP:EUR``, ``UN:EUROPE``), or a list of
them. A notebook declares its geography parameters with it (``geo: Geo = "OSCE"``), and
``thbstats run`` checks their values against ``thbstats.geo`` before any run starts."""

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


def shares(df: pd.DataFrame, by: str = "form", **kwargs) -> pd.DataFrame:
    """Shares of a breakdown (form, sex or age) with "<5" bounds: see ``thbstats.analysis.metrics.shares``."""
    from thbstats.analysis.metrics.shares import shares as _shares

    return _shares(df, by, **kwargs)


def impunity_ranking(df: pd.DataFrame | None = None, **kwargs) -> pd.DataFrame:
    """The impunity ratio of every participating State, ranked: see ``thbstats.analysis.impunity``."""
    from thbstats.analysis.impunity import ranking

    return ranking(df, **kwargs)


def summary_table(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows per source, publication and stage: a first look at what the dataset holds."""
    from thbstats.ingest.build import counts

    return counts(load(vintage="all") if df is None else df)


__all__ = ["Geo", "impunity_ranking", "load", "shares", "summary_table", "__version__"]
