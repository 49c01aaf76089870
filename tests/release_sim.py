"""A new UNODC release, simulated on a copy of the built table: it repeats every figure of the
latest UNODC release, except a few headline figures it changes. Used to count what a rebuild
redoes (runs, briefs) after such a release."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import yaml
from helpers import ROOT

LATEST = "UNODC GLOTIP data 2025-04-14"
LATEST_KEY = "unodc-glotip-2025-04-14"
NEW = "UNODC GLOTIP data 2026-01-15"
NEW_KEY = "unodc-glotip-2026-01-15"


def project(tmp: Path, table: Path) -> Path:
    """A project in ``tmp``: the real sources.yml (with the simulated release's citation),
    geo/, notebooks/ and pipeline.yml, and a copy of the built table ``table``."""
    raw = tmp / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copytree(ROOT / "data/raw/geo", raw / "geo")
    sources = yaml.safe_load((ROOT / "data/raw/sources.yml").read_text(encoding="utf-8"))
    entry = {k: v for k, v in sources[LATEST_KEY].items() if k != "release"}
    sources[NEW_KEY] = entry | {"edition": "release of 15/01/2026 (simulated)", "year": 2026}
    (raw / "sources.yml").write_text(yaml.safe_dump(sources, sort_keys=False), encoding="utf-8")
    (tmp / "data" / "processed").mkdir()
    shutil.copy(table, tmp / "data/processed/thb_figures.parquet")
    shutil.copy(ROOT / "data/claims.yml", tmp / "data/claims.yml")
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks", ignore=shutil.ignore_patterns(".*"))
    return tmp


def headline(df: pd.DataFrame, stage: str, geo: str, year: int) -> pd.Series:
    """The latest UNODC release's row of one headline figure (all forms, sexes and ages)."""
    return (
        (df["publication"] == LATEST)
        & (df["stage"] == stage)
        & (df["geo"] == geo)
        & (df["year_start"] == year)
        & (df["year_end"] == year)
        & (df["form"] == "all")
        & (df["sex"] == "all")
        & (df["age"] == "all")
        & (df["unit"] == "persons")
    )


def new_release(every: pd.DataFrame, changes: dict[tuple[str, int], float], stage: str):
    """``every`` (all vintages) with a new UNODC release: the latest release's current figures
    repeated, the ``stage`` headline figure of each (State, year) in ``changes`` set to its
    value. The repeated rows become the latest; the earlier release's stay, not latest."""
    repeated = every[(every["publication"] == LATEST) & every["latest"]].copy()
    for (geo, year), value in changes.items():
        hit = headline(repeated, stage, geo, year)
        assert hit.sum() == 1, (geo, year, stage)
        repeated.loc[hit, ["value", "value_min", "value_max"]] = value
    repeated["publication"] = NEW
    repeated["citation"] = NEW_KEY
    out = every.copy()
    out.loc[(out["publication"] == LATEST) & out["latest"], "latest"] = False
    return pd.concat([out, repeated], ignore_index=True)


def write(df: pd.DataFrame, root: Path) -> None:
    """Replace the project's table (a temporary file, then a rename)."""
    path = root / "data/processed/thb_figures.parquet"
    df.to_parquet(path.with_suffix(".tmp"), index=False)
    path.with_suffix(".tmp").replace(path)
