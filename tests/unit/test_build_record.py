"""No silent downgrade: a build records its releases, and a later build with less refuses
(exit code 4, data/processed unchanged) unless ``--allow-shrink``; ``make data`` then keeps the
earlier, fuller table and goes on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import glotip_row, glotip_workbook, make_project, register

from thbstats import cli
from thbstats.ingest import build_record
from thbstats.ingest.readers import transcribed

ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join(transcribed.schema.source_columns() + transcribed.EXTRA_COLUMNS)
ROW = (
    "TIP,TIP Report 2008,WORLD,World,world,{year},{year},prosecuted,all,all,all,{value},"
    "persons,,tip-2008-global-law-enforcement,row {year}"
)
ROWS = [glotip_row("Persons prosecuted", str(10 + i), year=2000 + i) for i in range(20)]


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one registered release (20 UNODC rows) and 40 transcribed TIP rows."""
    root = make_project(tmp_path)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    monkeypatch.setenv("THBSTATS_OFFLINE", "1")
    register(root, "unodc-test", glotip_workbook(root / "data/raw/downloads/g.xlsx", ROWS))
    write_tip_rows(root, 40)
    return root


def write_tip_rows(root: Path, n: int) -> None:
    rows = [ROW.format(year=1990 + i, value=7000 + i) for i in range(n)]
    (root / "data/raw/tip.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def processed(root: Path) -> dict[str, bytes]:
    folder = root / "data/processed"  # its cache/ folder holds parses, not outputs
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name[0] != "."}


def data(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["data", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_records_its_releases(project: Path, capsys) -> None:
    assert data(capsys=capsys)[0] == 0
    record = json.loads((project / "data/processed/build_record.json").read_text())
    assert record["releases"]["unodc-test"]["file"] == "g.xlsx"
    assert len(record["releases"]["unodc-test"]["sha256"]) == 64
    assert record["rows_by_source"] == {"TIP": 40, "UNODC": 20} and record["rows"] == 60


def test_a_build_without_a_release_refuses_and_changes_nothing(project: Path, capsys) -> None:
    assert data(capsys=capsys)[0] == 0
    before = processed(project)
    (project / "data/raw/downloads/g.xlsx").rename(project / "g.xlsx")  # the file is gone
    code, out, err = data("--fetch", capsys=capsys)
    assert code == build_record.EXIT_REFUSED == 4
    assert processed(project) == before  # nothing in data/processed changed
    # said in the first lines, before the build starts
    first = out.splitlines()
    assert first[0].startswith("offline: building from the releases already in the downloads")
    notice = next(n for n, line in enumerate(first) if line.startswith("warning: official"))
    assert notice < first.index(next(x for x in first if x.startswith("building the dataset")))
    assert "releases missing from" in first[notice] and "unodc-test" in first[notice]
    assert "refusing to replace data/processed (built from 1 official release(s), 60 rows)" in err
    assert "release unodc-test (UNODC GLOTIP data test, file g.xlsx, sha256 " in err
    assert "UNODC: 20 rows -> 0 (-100%; more than 5% fewer)" in err
    assert "`thbstats fetch`" in err and "--downloads DIR" in err and "--allow-shrink" in err
    # the file back in another folder, named otherwise: found by checksum, the build goes on
    other = project / "elsewhere"
    other.mkdir()
    shutil.move(project / "g.xlsx", other / "renamed.xlsx")
    assert data("--downloads", str(other), capsys=capsys)[0] == 0


def test_allow_shrink_builds_the_smaller_table(project: Path, capsys) -> None:
    assert data(capsys=capsys)[0] == 0
    (project / "data/raw/downloads/g.xlsx").unlink()
    code, out, err = data("--allow-shrink", capsys=capsys)
    assert code == 0, err
    assert "warning: --allow-shrink: release unodc-test" in out
    assert len(pd.read_parquet(project / "data/processed/thb_figures.parquet")) == 40
    record = json.loads((project / "data/processed/build_record.json").read_text())
    assert record["releases"] == {} and record["rows"] == 40
    assert data(capsys=capsys)[0] == 0  # the smaller build is now the reference


@pytest.mark.parametrize(("rows", "refused"), [(39, False), (38, False), (37, True), (10, True)])
def test_a_source_may_shrink_by_five_percent_at_most(
    project: Path, capsys, rows: int, refused: bool
) -> None:
    assert data(capsys=capsys)[0] == 0
    write_tip_rows(project, rows)  # 40 -> 38 is -5%, 37 is -7.5%
    code, _, err = data(capsys=capsys)
    assert code == (4 if refused else 0), err
    assert ("TIP: 40 rows -> " in err) == refused


def test_a_release_registered_under_a_new_key_is_not_lost(project: Path, capsys) -> None:
    assert data(capsys=capsys)[0] == 0
    src = project / "data/raw/sources.yml"
    text = yaml.safe_load(src.read_text())
    text["unodc-renamed"] = text.pop("unodc-test")
    src.write_text(yaml.safe_dump(text, sort_keys=False))
    code, _, err = data(capsys=capsys)
    assert code == 0, err  # same sha256 under another key: nothing lost


def test_a_build_made_before_records_is_protected_by_its_datapackage(project: Path, capsys) -> None:
    assert data(capsys=capsys)[0] == 0
    (project / "data/processed/build_record.json").unlink()  # an older thbstats built this
    (project / "data/raw/downloads/g.xlsx").unlink()
    code, _, err = data(capsys=capsys)
    assert code == 4 and "release unodc-test" in err and "all sources: 60 rows -> 40" in err


def test_a_first_build_without_the_files_builds_what_it_can(project: Path, capsys) -> None:
    (project / "data/raw/downloads/g.xlsx").unlink()
    code, out, err = data(capsys=capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith("warning: official releases missing from")
    assert len(pd.read_parquet(project / "data/processed/thb_figures.parquet")) == 40


def fake_thbstats(tmp_path: Path, code: int) -> Path:
    """A bin folder whose `thbstats` says what it was asked and exits with ``code``."""
    bin_dir = tmp_path / f"bin{code}"
    bin_dir.mkdir()
    script = bin_dir / "thbstats"
    script.write_text(f'#!/bin/sh\necho "thbstats $*"\nexit {code}\n')
    script.chmod(0o755)
    return bin_dir


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("code", [0, 4, 2])
def test_make_data_keeps_the_fuller_build_and_goes_on(tmp_path: Path, code: int) -> None:
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: make sets up no virtual environment
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "data", f"BIN={fake_thbstats(tmp_path, code)}"]
        + [f"STAMP={stamp}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")},
    )
    assert "thbstats data --fetch" in done.stdout
    kept = "make: kept the earlier, fuller dataset in data/processed" in done.stdout
    assert (done.returncode == 0) == (code in (0, 4)), done.stdout + done.stderr
    assert kept == (code == 4)


def test_records_are_compared_by_checksum() -> None:
    old = build_record.Record({"k": {"sha256": "a" * 64}}, {"UNODC": 100}, 100)
    new = build_record.Record({"k2": {"sha256": "a" * 64}}, {"UNODC": 96}, 96)
    assert build_record.problems(old, new, Path("downloads")) == []  # -4%, same file
    new.rows_by_source = {"UNODC": 94}
    assert build_record.problems(old, new, Path("downloads")) == [
        "UNODC: 100 rows -> 94 (-6%; more than 5% fewer)"
    ]
