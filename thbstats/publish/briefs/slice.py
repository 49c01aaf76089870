"""What each brief reads, as a hash: a brief is rewritten only when its slice, its code or its
options changed.

A brief's slice is:

- ``rows``: the table's figures of its geography (a State's rows; a group's own rows and its
  members'), each with the release that first printed it with its value (``thbstats.origins``):
  a new release that repeats them leaves the brief as it is, naming the release it was made from;
- ``ranking``: its row of the ranking table (averages, ratios, rank, ranks its ranges allow,
  median, window), the release names left out as above;
- ``strip``: the ratio of every ranked State, which the brief's strip draws: a change inside the
  ranking's years touches every brief, a change outside them none but the brief of the State;
- ``dark``: its rows of the dark-figure table; ``funnel_year``: the year its funnel shows.

The code is the thbstats source (the runner's ``pipeline`` folder left out), the registered
sources' descriptions and the geography lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from thbstats import geo as geomod
from thbstats import origins, paths
from thbstats.digest import chunks_digest, text_digest

CODE_PATTERNS = ("*.py", "*.yml", "*.yaml", "*.typ", "*.html", "*.mplstyle", "*.csv", "*.json")
NOT_CODE = {"pipeline", "__pycache__"}


def _is_release_name(column: str) -> bool:
    """Columns that name a release: left out of the slice (the rows' origins stand for them)."""
    return column.endswith("_citation") or column.endswith("publication")


def code_digest() -> str:
    """sha256 of the code and data a brief is made with, besides the table."""
    pkg = Path(__file__).resolve().parents[2]
    files = [p for pat in CODE_PATTERNS for p in pkg.rglob(pat)]
    files = [p for p in files if not NOT_CODE & set(p.relative_to(pkg).parts)]
    raw = paths.raw_dir()
    files += [raw / "sources.yml", *(raw / "geo").glob("*")]
    return chunks_digest(
        f"{f.name}\0".encode() + f.read_bytes() + b"\0" for f in sorted(set(files)) if f.is_file()
    )


def _records(frame: pd.DataFrame) -> str:
    keep = [c for c in frame.columns if not _is_release_name(str(c))]
    return frame[keep].to_json(orient="records", double_precision=15, date_format="iso")


def strip_values(table: pd.DataFrame) -> str:
    """The ranked States' ratios the strip draws, in the order it draws them."""
    by = str(table["rank_by"].iloc[0])
    ranked = table[(table["geo_type"] == "country") & table["rank"].notna()]
    return _records(ranked[["geo", by, f"median_{by}"]].assign(rank_by=by))


def digests(
    figures: pd.DataFrame,
    geos: Iterable[str],
    table: pd.DataFrame,
    dark: pd.DataFrame,
    funnel_years: dict[str, int],
) -> dict[str, str]:
    """The hash of each brief's slice, by geography (``figures``: ``origins.with_origin``)."""
    strip = strip_values(table)
    by_geo = {g: [g, *geomod.members(g)] for g in geos}
    wanted = {c for codes in by_geo.values() for c in codes}
    rows = figures[figures["geo"].isin(wanted)]
    out = {}
    for g, codes in by_geo.items():
        doc = {
            "rows": origins.digest(rows, codes),
            "ranking": _records(table[table["geo"] == g]),
            "strip": strip,
            "dark": _records(dark[dark["geo"] == g]) if len(dark) else "[]",
            "funnel_year": funnel_years[g],
        }
        text = json.dumps(doc, sort_keys=True)
        out[g] = text_digest(text)
    return out


def tables_digest(tables: Iterable[pd.DataFrame]) -> str:
    """The hash of the ranking and dark-figure tables the exports draw, and of the code."""
    first = [code_digest().encode()]
    return chunks_digest([*first, *(_records(t).encode() + b"\0" for t in tables)])


def why_stale(state: dict, code: str, parts: dict[str, str], out: Path, png: float | None) -> str:
    """Why the brief ``code`` must be written ('' when up to date): ``state`` is the briefs'
    record (``.inputs.json``), ``parts`` its code and slice hashes, ``png`` the PNG's pixels per
    inch when one is asked for."""
    if not (out / f"{code}.pdf").is_file():
        return "not written yet"
    last = state.get("_parts", {}).get(code, {})
    if state.get(code) != combined(parts):
        changed = [k for k in ("code", "slice") if last.get(k) != parts[k]]
        return f"{' and '.join(changed) or 'inputs'} changed"
    if png is not None and (
        state.get("_png", {}).get(code) != png or not (out / f"{code}.png").is_file()
    ):
        return "PNG asked for"
    return ""


def combined(parts: dict[str, str]) -> str:
    """The one hash recorded per brief in ``.inputs.json``: of its code and its slice."""
    return text_digest(f"{parts['code']}\0{parts['slice']}")
