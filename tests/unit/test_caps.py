"""The hostile `thbstats mse` cases under a memory and a time cap: each is refused within 1 GiB
of address space (a decompression bomb of 2 GiB, a search over millions of models, 10^8
resamples), in a subprocess that the harness stops after 300 s (a run-away fails the test rather
than hanging the suite; no timing is asserted)."""

from __future__ import annotations

import gzip
import itertools
import resource
import subprocess
import sys
from pathlib import Path

import pytest

CAP = 1 << 30  # bytes of address space: a sound estimate runs well within it
STOP_AFTER = 300  # seconds: the harness's outer bound, not a measured speed


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def mse(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "thbstats.cli", "mse", *args],
        preexec_fn=_capped,
        capture_output=True,
        text=True,
        timeout=STOP_AFTER,
    )


def lists_table(path: Path, n: int) -> Path:
    """A table of ``n`` lists: every history on one or two lists, 5 people each."""
    rows = [",".join(f"L{i}" for i in range(n)) + ",n"]
    for bits in itertools.product("01", repeat=n):
        if 0 < bits.count("1") <= 2:
            rows.append(",".join(bits) + ",5")
    path.write_text("\n".join(rows) + "\n")
    return path


def bomb(path: Path, gib: int) -> Path:
    """A gzip file (``.rda``) of a few MB that inflates to ``gib`` GiB of zeros (one member,
    compressed once, repeated: a reader inflates the members one after another)."""
    member = gzip.compress(b"\0" * (1 << 24), compresslevel=9)
    with open(path, "wb") as fh:
        for _ in range(gib * 64):
            fh.write(member)
    return path


def refused(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 2, run.stderr[-2000:]
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    return run.stderr


def test_a_sound_table_runs_within_the_cap(tmp_path):
    path = tmp_path / "three.csv"
    path.write_text("A,B,C,n\n1,0,0,30\n0,1,0,20\n0,0,1,25\n1,1,0,10\n1,0,1,8\n0,1,1,6\n1,1,1,2\n")
    run = mse(str(path), "--bootstrap", "200")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "interval" in run.stdout


def test_a_decompression_bomb_is_refused_within_the_cap(tmp_path):
    path = bomb(tmp_path / "bomb.rda", 2)
    assert path.stat().st_size < 4 * 2**20 * 2  # a few MB on disk, 2 GiB inflated
    assert "64 MiB" in refused(mse(str(path)))


@pytest.mark.parametrize("n", [7, 8])
def test_an_exhaustive_search_over_too_many_models_is_refused_within_the_cap(tmp_path, n):
    err = refused(mse(str(lists_table(tmp_path / "t.csv", n)), "--method", "exhaustive"))
    assert f"({n} lists, interactions of up to 2 lists)" in err and "100,000" in err


def test_twenty_lists_are_refused_within_the_cap(tmp_path):
    assert "20 list columns" in refused(mse(str(lists_table(tmp_path / "t.csv", 20))))


def test_a_huge_bootstrap_is_refused_within_the_cap(tmp_path):
    path = lists_table(tmp_path / "t.csv", 3)
    assert "found 100,000,000" in refused(mse(str(path), "--bootstrap", "100000000"))
