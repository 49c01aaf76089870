"""Lists the pipeline computes from the project's data, named in pipeline.yml as ``{query: NAME}``.

A query is a plain function registered in :data:`QUERIES` by name, never a module path read from
the YAML file: pipeline.yml stays data and can run no code of its choosing. Each takes the project
root and returns the items of a ``foreach`` (for example one country-profile run per item).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

TABLE = Path("data") / "processed" / "thb_figures.parquet"


class ListError(Exception):
    """A query cannot be computed (the table is not built, or cannot be read): says why."""


def sources_geos(root: Path, source: str) -> set[str]:
    """Geography codes with at least one figure of ``source`` in the built table (any release).

    Reads one column of the rows of one source (pyarrow only: no pandas import, so a rerun with
    nothing to do stays quick).
    """
    import pyarrow.parquet as pq

    path = root / TABLE
    if not path.is_file():
        raise ListError(f"{TABLE} not found: build the dataset first with `thbstats data`")
    try:  # ParquetFile, not read_table(filters=...): the dataset module would import pandas
        with pq.ParquetFile(str(path)) as file:
            table = file.read(columns=["source", "geo"])
    except Exception as exc:  # a damaged or foreign file: say which and why
        raise ListError(f"cannot read {TABLE}: {exc}") from None
    pairs = zip(table.column("source").to_pylist(), table.column("geo").to_pylist(), strict=True)
    return {g for s, g in pairs if s == source}


def osce_with_data(root: Path) -> list[str]:
    """OSCE participating States (data/raw/geo/) with a UNODC country figure in the built table,
    sorted by code: the country-profile runs."""
    from thbstats import geo

    present = sources_geos(root, "UNODC")
    return [code for code in geo.members("OSCE", root=root) if code in present]


QUERIES: dict[str, Callable[[Path], list[str]]] = {
    "osce_with_data": osce_with_data,
}
"""The lists pipeline.yml may ask for with ``{query: NAME}``; a new list adds one entry here."""


def compute(name: str, root: Path) -> list[str]:
    """The items of query ``name`` for the project at ``root``; KeyError names the known ones."""
    if name not in QUERIES:
        raise KeyError(f"unknown query {name!r}; known: {', '.join(sorted(QUERIES))}")
    return QUERIES[name](root)
