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


def load(columns: list[str] | None = None, filters: list | None = None) -> pd.DataFrame:
    """The tidy table from data/processed/thb_figures.parquet (run `thbstats data` first).

    ``filters`` are pyarrow filters, e.g. ``[("source", "==", "TIP")]``: a notebook reads only the
    slice it plots.

    The file is opened by pyarrow's own filesystem, not handed over as a Python file object (what
    pandas does for a local path): pyarrow's worker threads may release the reader after the read
    has returned, and releasing a Python file object takes the GIL, which aborts the process
    ("terminate called without an active exception") when the interpreter is already exiting.
    """
    import pandas as pd
    from pyarrow import fs

    from thbstats import paths

    path = paths.processed_dir() / "thb_figures.parquet"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: build the dataset first with `thbstats data`"
        )
    return pd.read_parquet(
        str(path),
        columns=columns,
        filters=filters,
        engine="pyarrow",
        filesystem=fs.LocalFileSystem(),
    )


def summary_table(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows per source, publication and stage: a first look at what the dataset holds."""
    from thbstats.build import counts

    return counts(load() if df is None else df)


__all__ = ["load", "summary_table", "__version__"]
