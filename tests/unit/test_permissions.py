"""Outputs get the mode the user's umask gives a new file (0644 under umask 022), not mkstemp's
0600: atomic writes, the processed dataset and exported figures, in folders they create."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_project

from thbstats.atomic import current_umask, new_file_mode, write_text_atomic


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request: pytest.FixtureRequest):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_writes_follow_the_umask(tmp_path: Path, umask: int) -> None:
    assert current_umask() == umask
    assert new_file_mode() == 0o666 & ~umask
    target = tmp_path / "new" / "folder" / "out.json"
    write_text_atomic(target, "{}")
    assert mode(target) == 0o666 & ~umask  # 0644 under 022
    assert mode(target.parent) == mode(target.parent.parent) == 0o777 & ~umask  # 0755 under 022
    write_text_atomic(target, "{ }")  # replacing keeps following the umask
    assert mode(target) == 0o666 & ~umask
    assert not list(target.parent.glob(".*.tmp"))


@pytest.mark.slow
def test_processed_files_are_0644_under_umask_022(tmp_path: Path) -> None:
    root = make_project(tmp_path, transcribed=True)
    env = {k: v for k, v in os.environ.items() if k != "THBSTATS_DOWNLOADS"}
    done = subprocess.run(
        [sys.executable, "-m", "thbstats.cli", "data"],
        env=env | {"THBSTATS_ROOT": str(root), "THBSTATS_OFFLINE": "1"},
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = root / "data" / "processed"
    files = [p for p in out.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {
        "thb_figures.parquet",
        "datapackage.json",
        "build_record.json",
    }
    assert {p.name: oct(mode(p)) for p in files if mode(p) != 0o644} == {}
