"""A rebuild derives only the (source, geo) parts whose rows changed, and writes what a cold
build writes."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from helpers import make_project

from thbstats.ingest import build, derive

OUTPUTS = ("thb_figures.parquet", "thb_figures.csv", "audit.csv", "breaks_in_series.csv")


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """The transcribed tables of the project, no release."""
    root = make_project(tmp_path / "p", transcribed=True)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.setenv("THBSTATS_DOWNLOADS", str(tmp_path / "none"))
    return root


@pytest.fixture()
def derived(monkeypatch) -> list[set[tuple[str, str]]]:
    """The (source, geo) parts each derivation is given."""
    seen: list[set[tuple[str, str]]] = []
    real = derive.derive_all

    def recording(table):
        seen.append(set(zip(table["source"], table["geo"], strict=True)))
        return real(table)

    monkeypatch.setattr(derive, "derive_all", recording)
    return seen


def _build(root: Path) -> dict[str, bytes]:
    build.build(log=lambda _msg: None, allow_shrink=True)
    return {name: (root / "data/processed" / name).read_bytes() for name in OUTPUTS}


def _edit_tip(root: Path, publication: str, geo: str, year: str, stage: str, value: str) -> None:
    """Change one printed figure of data/raw/tip_law_enforcement.csv."""
    path = root / "data/raw/tip_law_enforcement.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    key = (publication, geo, year, stage)
    hit = [r for r in rows if (r["publication"], r["geo"], r["year_start"], r["stage"]) == key]
    assert len(hit) == 1
    hit[0]["value"] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_an_edit_rederives_its_part_only_and_matches_a_cold_build(project, derived):
    _build(project)
    assert ("TIP", "WORLD") in derived[0] and ("ILO", "WORLD") in derived[0]
    _edit_tip(project, "TIP Report 2008", "WORLD", "2003", "prosecuted", "7993")  # printed 7,992
    rebuilt = _build(project)
    assert derived[1] == {("TIP", "WORLD")}
    shutil.rmtree(project / "data/processed/cache")
    cold = _build(project)
    assert len(derived[2]) > 1
    assert rebuilt == cold
    assert (
        b"TIP Report 2008,WORLD,World,world,2003,2003,prosecuted,all,all,all,7993.0"
        in cold["thb_figures.csv"]
    )


def test_an_unchanged_table_derives_nothing_and_writes_the_same_files(project, derived):
    first = _build(project)
    again = _build(project)
    assert len(derived) == 1 and again == first


def test_changed_checks_make_every_part_stale(project, derived, monkeypatch):
    _build(project)
    monkeypatch.setattr(derive, "_code_version", lambda: "other checks")
    _build(project)
    assert derived[1] == derived[0]
