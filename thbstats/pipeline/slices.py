"""Dependencies by data: the slice of the table a run reads, as a content hash.

A notebook says which rows it reads in its metadata, ``"thbstats": {"reads": {...}}``:

- ``"geo": true``: the rows of the codes in its ``Geo`` parameters (a group: the group's own rows
  and its members'; ``WORLD``: every country's);
- ``"codes": ["WORLD"]``: rows of these codes, whatever the parameters;
- ``"regions": true``: every row that is not a country's (groups, regions, the world);
- ``"years": ["start", "end"]``: of the yearly flows (identified, prosecuted, ...), only the rows
  whose period meets the span of these year parameters; stocks (``estimated``, ``population``)
  are kept in every year (a chart takes the estimate nearest its year). Without it, every year.

A notebook that says nothing reads the whole table, and its slice is the file itself. A slice is
hashed over its latest figures (the rows ``thb.load()`` returns), each with its key, value,
bounds, unit and flags, and the release it first appeared in with that value: a new release that
repeats a figure leaves the slice unchanged (its charts would change only in the release named in
their source line), one that changes, adds or removes a figure changes it.

Hashes are kept in ``<output>/.slices.json`` with the table's file hash: a rerun with the same
table reads nothing (and imports no pandas).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from thbstats.atomic import write_text_atomic

from .config import Run
from .params import NO_DEFAULT, geo_parameters, notebook_parameters

TABLE = Path("data") / "processed" / "thb_figures.parquet"
CACHE = ".slices.json"
STOCKS = ["estimated", "population"]


def reads(notebook: Path) -> dict[str, Any] | None:
    """The notebook's ``thbstats.reads`` metadata (None: it reads the whole table)."""
    return _reads(notebook, notebook.stat().st_mtime_ns)


@cache
def _reads(notebook: Path, _mtime: int) -> dict[str, Any] | None:
    meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    found = meta.get("thbstats", {}).get("reads")
    return found if isinstance(found, dict) else None


def spec(run: Run, root: Path) -> str | None:
    """The rows a run reads, as canonical JSON (None: the whole table)."""
    declared = reads(run.notebook)
    if declared is None:
        return None
    codes = set(declared.get("codes", []))
    countries = False
    if declared.get("geo"):
        values = {**(notebook_parameters(run.notebook) or {}), **run.parameters}
        for name in geo_parameters(run.notebook):
            value = values.get(name)
            for code in [value] if isinstance(value, str) else value or []:
                if code is NO_DEFAULT or not isinstance(code, str):
                    return None  # a default we cannot read: the whole table
                countries |= code == "WORLD"
                codes |= {code, *_members(code, root)}
    doc = {"codes": sorted(codes), "countries": countries, "regions": bool(declared.get("regions"))}
    if declared.get("years"):
        span = _span(run, declared["years"])
        if span is None:
            return None
        doc["years"] = span
    return json.dumps(doc, sort_keys=True)


def _span(run: Run, names: list[str]) -> list[int] | None:
    """The first and last year of the run's year parameters ``names`` (None: one cannot be read,
    and the run then reads the whole table)."""
    values = {**(notebook_parameters(run.notebook) or {}), **run.parameters}
    years = [values.get(n) for n in names]
    if not years or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
        return None
    return [min(years), max(years)]


def _members(code: str, root: Path) -> list[str]:
    from thbstats import geo

    return [] if code == "WORLD" else geo.listed_members(code, root=root)


def digests(root: Path, output_dir: Path, specs: set[str], table_digest: str) -> dict[str, str]:
    """The hash of each slice of ``root``'s table, from the cache when the table is unchanged
    (none when the table does not read as one: its runs then depend on the whole file)."""
    path = output_dir / CACHE
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    known = cache.get("digests", {}) if cache.get("table") == table_digest else {}
    todo = specs - set(known)
    if todo:
        known = {**known, **compute(root / TABLE, todo)}
        output_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps({"table": table_digest, "digests": known}, indent=0))
    return {s: known[s] for s in specs if s in known}


def compute(table: Path, specs: set[str]) -> dict[str, str]:
    """Hash each slice of the table file (pandas: called only when the table changed)."""
    if not table.is_file():
        return {s: "missing" for s in specs}
    try:
        rows = figures(table)
    except Exception:  # not a table of figures (a stand-in, a damaged file): hash the file
        return {}
    return {s: _digest(rows, json.loads(s)) for s in specs}


def figures(table: Path):
    """The latest figure of each key, with ``origin``: the release that first printed it with
    this value (``thbstats.origins``)."""
    from thbstats import origins

    return origins.read_with_origin(table)


def _digest(rows, doc: dict[str, Any]) -> str:
    """Hash of the rows of one slice, in a fixed order."""
    import pandas as pd

    from thbstats import origins

    keep = rows["geo"].isin(doc["codes"])
    if doc["countries"]:
        keep |= rows["geo_type"].eq("country")
    if doc["regions"]:
        keep |= rows["geo_type"].ne("country")
    if "years" in doc:
        first, last = doc["years"]
        start = pd.to_numeric(rows["year_start"], errors="coerce")
        end = pd.to_numeric(rows["year_end"], errors="coerce")
        keep &= rows["stage"].isin(STOCKS) | ((start <= last) & (end >= first))
    return origins.digest(rows[keep])


def table_of(run: Run, root: Path) -> Path | None:
    """The run's input that is the table (None when it does not read the table)."""
    table = (root / TABLE).resolve()
    return next((p for p in run.inputs if p.resolve() == table), None)
