"""Dependencies by data: the slice of the table a run reads, as a content hash.

A notebook says which rows it reads in its metadata, ``"thbstats": {"reads": {...}}``:

- ``"geo": true``: the rows of the codes in its ``Geo`` parameters (a group: the group's own rows
  and its members'; ``WORLD``: every country's);
- ``"codes": ["WORLD"]``: rows of these codes, whatever the parameters;
- ``"regions": true``: every row that is not a country's (groups, regions, the world);
- ``"years": ["start", "end"]``: of the yearly flows (identified, prosecuted, ...), only the rows
  whose period meets the span of these year parameters; stocks (``estimated``, ``population``)
  are kept in every year (a chart takes the estimate nearest its year). Without it, every year.
- ``"claims": true``: also what the claims of ``data/claims.yml`` read
  (``analysis.claims_reads``): every row of the stages they read in the releases they name, of
  every vintage, and the latest figures of the stages and years of the checks that name none;
- ``"presence": true``: only whether each figure is there, printed, "<5" or flagged, not its
  value (a coverage chart): a release that revises a value leaves the slice unchanged.

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
    found = _codes(run, root) if declared.get("geo") else (set(), False)
    if found is None:
        return None
    codes, countries = found
    doc: dict[str, Any] = {
        "codes": sorted(codes | set(declared.get("codes", []))),
        "countries": countries or bool(declared.get("countries")),
        "regions": bool(declared.get("regions")),
    }
    if declared.get("presence"):
        doc["presence"] = True
    if declared.get("claims"):
        doc["claims"] = _claims(root)
        if doc["claims"] is None:
            return None  # no claims file to read: the whole table
    if declared.get("years"):
        span = _span(run, declared["years"])
        if span is None:
            return None
        doc["years"] = span
    return json.dumps(doc, sort_keys=True)


def _codes(run: Run, root: Path) -> tuple[set[str], bool] | None:
    """The codes of the run's geography parameters with their groups' members, and whether one
    is ``WORLD`` (every country); None when a default cannot be read (the whole table)."""
    codes: set[str] = set()
    countries = False
    values = {**(notebook_parameters(run.notebook) or {}), **run.parameters}
    for name in geo_parameters(run.notebook):
        value = values.get(name)
        for code in [value] if isinstance(value, str) else value or []:
            if code is NO_DEFAULT or not isinstance(code, str):
                return None
            countries |= code == "WORLD"
            codes |= {code, *_members(code, root)}
    return codes, countries


def _span(run: Run, names: list[str]) -> list[int] | None:
    """The first and last year of the run's year parameters ``names`` (None: one cannot be read,
    and the run then reads the whole table)."""
    values = {**(notebook_parameters(run.notebook) or {}), **run.parameters}
    years = [values.get(n) for n in names]
    if not years or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
        return None
    return [min(years), max(years)]


def _claims(root: Path) -> dict[str, Any] | None:
    """What the claims file of ``root`` reads: its named releases and each stage's years (None
    when there is no claims file that reads as one)."""
    from thbstats.analysis.claims import load_claims
    from thbstats.analysis.claims_reads import reads as claims_reads

    try:
        return claims_reads(load_claims(root / "data" / "claims.yml"))
    except Exception:  # missing or not a claims file: the whole table, the safe side
        return None


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
        every = _read(table)
        rows = origins_of(every)
    except Exception:  # not a table of figures (a stand-in, a damaged file): hash the file
        return {}
    return {s: _digest(rows, json.loads(s), every) for s in specs}


def _read(table: Path):
    import pandas as pd

    return pd.read_parquet(table)


def origins_of(every):
    """The latest figure of each key, with ``origin``: the release that first printed it with
    this value (``thbstats.origins``)."""
    from thbstats import origins

    return origins.with_origin(every)


def _digest(rows, doc: dict[str, Any], every=None) -> str:
    """Hash of the rows of one slice, in a fixed order."""
    from thbstats import origins, schema

    if doc.get("presence") and every is not None:
        rows = _presence(every)
    keep = rows["geo"].isin(doc["codes"])
    if doc["countries"]:
        keep |= rows["geo_type"].eq("country")
    if doc["regions"]:
        keep |= rows["geo_type"].ne("country")
    found = origins.digest(rows[keep & _in_years(rows, doc)])
    if "claims" not in doc or every is None:
        return found
    named = every[every["publication"].isin(doc["claims"]["publications"])]
    named = named[_stages_read(named, doc["claims"]["spans"])]
    columns = list(dict.fromkeys([*schema.FIGURE_KEY, "publication", *origins.VALUE_COLUMNS]))
    return origins.digest_text(found + origins.digest(named[columns].astype(str)))


def _in_years(rows, doc: dict[str, Any]):
    """Rows whose period meets the slice's years: the notebook's span for every flow, the span
    of each stage the claims read as the latest figure, and stocks in every year (everything
    when neither is given)."""
    import pandas as pd

    if "years" not in doc and "claims" not in doc:
        return pd.Series(True, index=rows.index)
    keep = rows["stage"].isin(STOCKS)
    if "years" in doc:
        keep |= _meets(rows, doc["years"])
    for stage, span in doc.get("claims", {}).get("latest", {}).items():
        at = rows["stage"].eq(stage) if stage != "*" else pd.Series(True, index=rows.index)
        keep |= at & (_meets(rows, span) if span else True)
    return keep


def _meets(rows, span: list[int]):
    import pandas as pd

    first, last = span
    start = pd.to_numeric(rows["year_start"], errors="coerce")
    end = pd.to_numeric(rows["year_end"], errors="coerce")
    return (start <= last) & (end >= first)


def _stages_read(rows, spans: dict[str, Any]):
    """Rows of the stages the claims read, in every year (a series flag anywhere counts)."""
    if "*" in spans:
        return rows["stage"].notna() | rows["stage"].isna()
    return rows["stage"].isin(list(spans))


def _presence(every):
    """What a coverage chart shows of each figure of the newest release of its source: there
    or not, "<5" or flagged; not its value (a release that revises values leaves it alone)."""
    import pandas as pd

    from thbstats import schema

    rows = every[every["latest"].astype(bool)] if "latest" in every else every
    newest = rows.groupby("source")["publication"].transform(lambda p: schema.newest(p.unique()))
    rows = rows[rows["publication"] == newest]
    present = pd.to_numeric(rows["value"], errors="coerce").notna()
    columns = [*schema.FIGURE_KEY, "geo_type", "unit", "flag"]
    return rows[list(dict.fromkeys(columns))].astype(str).assign(present=present.astype(str))


def table_of(run: Run, root: Path) -> Path | None:
    """The run's input that is the table (None when it does not read the table)."""
    table = (root / TABLE).resolve()
    return next((p for p in run.inputs if p.resolve() == table), None)
