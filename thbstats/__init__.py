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


VINTAGES = ("latest", "all")


def load(
    columns: list[str] | None = None, filters: list | None = None, *, vintage: str = "latest"
) -> pd.DataFrame:
    """The tidy table from data/processed/thb_figures.parquet (run `thbstats data` first).

    ``filters`` are pyarrow filters, e.g. ``[("source", "==", "TIP")]``: a notebook reads only the
    slice it plots. ``vintage="latest"`` (the default) keeps one row per figure, the latest release
    that prints it, so that a group-by never counts a figure twice; ``vintage="all"`` keeps every
    release's rows (flag ``revised`` where a later one changed the value), for revision analysis.
    """
    import pandas as pd

    from thbstats import paths

    if vintage not in VINTAGES:
        raise ValueError(f"vintage: expected one of {', '.join(VINTAGES)}, found {vintage!r}")
    if vintage == "latest":
        only_latest = ("latest", "==", True)
        if filters and isinstance(filters[0], list):  # OR of ANDs: every branch
            filters = [[*branch, only_latest] for branch in filters]
        else:
            filters = [*(filters or []), only_latest]

    path = paths.processed_dir() / "thb_figures.parquet"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: build the dataset first with `thbstats data`"
        )
    try:
        return pd.read_parquet(path, columns=columns, filters=filters, engine="pyarrow")
    except Exception as exc:  # pyarrow's error types vary by version
        if "latest" in str(exc):
            raise FileNotFoundError(
                f"{path} was built by an older thbstats (no 'latest' column): "
                "rebuild it with `thbstats data`"
            ) from exc
        raise


def summary_table(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows per source, publication and stage: a first look at what the dataset holds."""
    from thbstats.build import counts

    return counts(load(vintage="all") if df is None else df)


__all__ = ["load", "summary_table", "__version__"]
