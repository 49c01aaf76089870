"""Faults: `thbstats data` and `thbstats run` killed (SIGKILL) halfway, and two runs at once.

Each case runs the real command in a subprocess, kills it in the middle of writing, checks every
output is either the old or the new file (never half-written) and that the next run recovers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from helpers import SAMPLE_ROWS, glotip_workbook, make_project, register

from thbstats import cli
from thbstats.sources import transcribed

HEADER = ",".join(transcribed.schema.source_columns() + transcribed.EXTRA_COLUMNS)
ROW = (
    "TIP,TIP Report 2008,WORLD,World,world,{year},{year},prosecuted,all,all,all,{value},"
    "persons,,tip-2008-global-law-enforcement,row {year}"
)


def env_for(root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "THBSTATS_DOWNLOADS"}
    return env | {"THBSTATS_ROOT": str(root), "THBSTATS_OFFLINE": "1"} | extra


def thbstats(*args: str) -> list[str]:
    return [sys.executable, "-m", "thbstats.cli", *args]


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen, seconds: float = 30) -> None:
    """Poll until ``condition`` holds; fail if the process ends first or time runs out."""
    deadline = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the process ended (code {proc.returncode}) before the moment to kill it")
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the moment to kill the process")
        time.sleep(0.02)


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def processed(root: Path) -> dict[str, bytes]:
    folder = root / "data/processed"
    return {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def write_rows(root: Path, n: int) -> None:
    rows = [ROW.format(year=2003 + i, value=7000 + i) for i in range(n)]
    (root / "data/raw/tip.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def test_data_killed_while_writing_keeps_old_or_new_files_and_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    register(root, "unodc-test", glotip_workbook(root / "data/raw/downloads/g.xlsx", SAMPLE_ROWS))
    write_rows(root, 1)
    with monkeypatch.context() as mp:  # the first build in this process (faster)
        mp.setenv("THBSTATS_ROOT", str(root))
        mp.delenv("THBSTATS_DOWNLOADS", raising=False)
        assert cli.main(["data"]) == 0
    old = processed(root)
    write_rows(root, 2)  # the next build has one row more
    out = root / "data/processed"
    proc = subprocess.Popen(
        thbstats("data"),
        env=env_for(root, THBSTATS_TEST_SLOW_WRITE="0.3"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:  # the parquet file is in place; the CSV is written but not yet moved into place
        wait_for(lambda: any(out.glob(".thb_figures.csv.*.tmp")), proc)
    finally:
        kill(proc)
    assert list(out.glob(".*.tmp")), "the kill should leave the CSV's temporary file behind"
    now = processed(root)
    assert now["thb_figures.csv"] == old["thb_figures.csv"]  # old, whole
    parquet = pd.read_parquet(out / "thb_figures.parquet")  # new, whole
    assert len(parquet) == len(pd.read_csv(out / "thb_figures.csv")) + 1
    # the next builds recover; two started at once take turns (one lock, the other waits)
    slow = env_for(root, THBSTATS_TEST_SLOW_WRITE="0.3")  # each holds the lock 1.8 s or more
    both = [
        subprocess.Popen(
            thbstats("data"), env=slow, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    errs = [proc.communicate(timeout=60)[1] for proc in both]
    assert [proc.returncode for proc in both] == [0, 0], errs
    assert sum("another `thbstats data` holds" in err and "waiting" in err for err in errs) == 1
    assert not list(out.glob(".*.tmp"))
    assert len(pd.read_csv(out / "thb_figures.csv")) == len(
        pd.read_parquet(out / "thb_figures.parquet")
    )
    assert len(pd.read_parquet(out / "thb_figures.parquet")) == len(parquet)


WRITER = """\
import time
from thbstats.export import update_manifest
for i in range(n):
    update_manifest("figures", {"id": f"fig{i:03d}", "title": f"Figure {i}", "files": {},
                                "padding": "x" * 200})
    time.sleep(pause)
print("done", n)
"""


def pipeline_project(root: Path) -> Path:
    """A project whose one notebook writes 20 figure entries into figures/manifest.json, slowly."""
    (root / "notebooks").mkdir(parents=True)
    (root / "data" / "processed").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    (root / "data" / "processed" / "thb_figures.parquet").write_bytes(b"release 1")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell("n = 20\npause = 0.02")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(WRITER)]
    nbformat.write(nb, root / "notebooks" / "writer.ipynb")
    set_pause(root, 0.25)  # slow enough to kill it halfway
    return root


def set_pause(root: Path, pause: float) -> None:
    yml = f"runs:\n  - notebook: writer.ipynb\n    parameters: {{pause: {pause}}}\n"
    (root / "notebooks" / "pipeline.yml").write_text(yml)


def manifest_entries(root: Path) -> int:
    path = root / "figures" / "manifest.json"
    return len(json.loads(path.read_text())["figures"]) if path.exists() else 0


def test_run_killed_midway_leaves_intact_outputs_and_a_second_run_refuses(tmp_path: Path) -> None:
    root = pipeline_project(tmp_path / "p")
    env = env_for(root)
    proc = subprocess.Popen(
        thbstats("run", "--root", str(root), "-j", "1"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: manifest_entries(root) >= 2, proc, seconds=60)
        second = subprocess.run(
            thbstats("run", "--root", str(root), "--no-wait"),
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 3, second.stderr
        assert f"another `thbstats run` (pid {proc.pid}) is running" in second.stderr
        kill(proc)
        assert _settles(root / "figures" / "manifest.json"), "an orphan kept writing after the kill"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # workers the runner started, if any survived
        except ProcessLookupError:
            pass
    assert 2 <= manifest_entries(root) < 20  # whole JSON, stopped halfway
    for nb in (root / "build" / "notebooks").glob("*.ipynb"):
        nbformat.read(nb, as_version=4)  # any notebook in place is whole
    state = root / "build" / ".runs.json"
    assert not state.exists() or json.loads(state.read_text())
    done = subprocess.run(
        thbstats("run", "--root", str(root), "-j", "1"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "writer  ok" in done.stdout
    assert manifest_entries(root) == 20
    executed = nbformat.read(root / "build" / "notebooks" / "writer.ipynb", as_version=4)
    assert "done 20" in json.dumps(executed.cells[-1].outputs)
    assert not (root / "build" / ".tmp").exists()
    assert (root / "figures" / "index.html").is_file()


def _settles(path: Path, quiet: float = 1.0, seconds: float = 10) -> bool:
    """True once ``path`` is unchanged for ``quiet`` seconds (the killed run's children exited)."""
    deadline = time.monotonic() + seconds
    last, since = path.stat().st_mtime_ns, time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = path.stat().st_mtime_ns
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return True
    return False
