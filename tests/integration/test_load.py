"""`thb.load()`: the table and its slices, read so that a process using it always exits cleanly.

pyarrow's worker threads may release a reader after the read has returned; a reader holding a
Python file object then needs the GIL, which aborts a process that is already exiting
("terminate called without an active exception", SIGABRT). thb.load() therefore hands pyarrow a
path and pyarrow's own filesystem. How often the old read aborted is measured by the stress check
in the benchmarks (`python -m benchmarks --stress`), not here: a test must not depend on timing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.fs
import pyarrow.parquet
import pytest

import thbstats as thb
from thbstats import schema

ROWS = [  # TIP Report 2008, global law-enforcement table: prosecutions and convictions
    ("TIP", "TIP Report 2008", "WORLD", 2007, "prosecuted", 5682.0),
    ("TIP", "TIP Report 2008", "WORLD", 2007, "convicted", 3427.0),
    ("ILO", "ILO 2012", "WORLD", 2012, "estimated", 20_900_000.0),
]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose data/processed holds a three-row table."""
    rows = [
        {
            "source": source,
            "publication": pub,
            "geo": geo,
            "geo_name": "World",
            "geo_type": "world",
            "year_start": year,
            "year_end": year,
            "stage": stage,
            "form": "all",
            "sex": "all",
            "age": "all",
            "value": value,
            "unit": "persons",
            "citation": "test",
        }
        for source, pub, geo, year, stage, value in ROWS
    ]
    (tmp_path / "data" / "processed").mkdir(parents=True)
    table = schema.coerce(pd.DataFrame(rows))
    table.to_parquet(tmp_path / "data/processed/thb_figures.parquet", index=False)
    monkeypatch.setenv("THBSTATS_ROOT", str(tmp_path))
    return tmp_path


def test_load_reads_the_table_and_its_slices(root: Path) -> None:
    df = thb.load()
    assert list(df.columns) == schema.columns()
    assert df["value"].tolist() == [5682.0, 3427.0, 20_900_000.0]
    tip = thb.load(filters=[("source", "==", "TIP")])
    assert dict(zip(tip["stage"], tip["value"], strict=True)) == {
        "prosecuted": 5682.0,
        "convicted": 3427.0,
    }
    assert thb.load(columns=["stage"])["stage"].tolist() == ["prosecuted", "convicted", "estimated"]


def test_load_hands_pyarrow_a_path_and_its_own_filesystem(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[object, object]] = []
    read_table = pyarrow.parquet.read_table

    def spy(source: object, **kwargs: object) -> object:
        seen.append((source, kwargs.get("filesystem")))
        return read_table(source, **kwargs)

    monkeypatch.setattr(pyarrow.parquet, "read_table", spy)
    assert len(thb.load(filters=[("stage", "==", "convicted")])) == 1
    [(source, filesystem)] = seen
    assert source == str(root / "data/processed/thb_figures.parquet")  # not a Python file object
    assert isinstance(filesystem, pyarrow.fs.LocalFileSystem)


def test_load_missing_table_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("THBSTATS_ROOT", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="build the dataset first with `thbstats data`"):
        thb.load()


@pytest.mark.slow
def test_load_in_a_fresh_process_exits_cleanly(root: Path) -> None:
    """Exit code 0 and nothing on stderr, five times (the stress check runs it hundreds)."""
    code = "import thbstats as thb; print(len(thb.load()))"
    env = {**os.environ, "THBSTATS_ROOT": str(root)}
    for _ in range(5):
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "3\n", "")
