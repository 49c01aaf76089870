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
import threading
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from helpers import SAMPLE_ROWS, glotip_workbook, make_project, register

from thbstats import cli
from thbstats.sources import transcribed

HEADER = ",".join(transcribed.schema.columns() + transcribed.EXTRA_COLUMNS)
ROW = (
    "TIP,TIP Report 2008,WORLD,World,world,{year},{year},prosecuted,all,all,all,{value},"
    "persons,,tip-2008-global-law-enforcement,row {year}"
)


def env_for(root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "THBSTATS_DOWNLOADS"}
    return env | {"THBSTATS_ROOT": str(root), "THBSTATS_OFFLINE": "1"} | extra


def thbstats(*args: str) -> list[str]:
    return [sys.executable, "-m", "thbstats.cli", *args]


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen, seconds: float = 120) -> None:
    """Poll until ``condition`` holds; fail if the process ends first.

    ``seconds`` only guards against a hang: the condition is a file the process writes when it
    reaches the moment the test waits for, however long that takes on a busy machine.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the process ended (code {proc.returncode}) before the moment to kill it")
        if time.monotonic() > deadline:
            pytest.fail(f"no sign of the awaited moment after {seconds} s (hung?)")
        time.sleep(0.02)


def hold(folder: Path, *outputs: str) -> dict[str, str]:
    """Environment that makes `thbstats data` stop before moving ``outputs`` into place.

    Each held output writes ``<name>.ready`` in ``folder`` and waits until ``release`` removes
    ``<name>`` (see thbstats.atomic).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in outputs:
        (folder / name).touch()
    return {"THBSTATS_TEST_HOLD": str(folder)}


def release(folder: Path, name: str) -> None:
    (folder / name).unlink()


def ready(folder: Path, name: str) -> Callable[[], bool]:
    return lambda: (folder / f"{name}.ready").exists()


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
    gates = tmp_path / "gates"
    proc = subprocess.Popen(
        thbstats("data"),
        env=env_for(root, **hold(gates, "thb_figures.csv")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:  # the parquet file is in place; the CSV is written but not yet moved into place
        wait_for(ready(gates, "thb_figures.csv"), proc)
    finally:
        kill(proc)
    assert list(out.glob(".*.tmp")), "the kill should leave the CSV's temporary file behind"
    now = processed(root)
    assert now["thb_figures.csv"] == old["thb_figures.csv"]  # old, whole
    parquet = pd.read_parquet(out / "thb_figures.parquet")  # new, whole
    assert len(parquet) == len(pd.read_csv(out / "thb_figures.csv")) + 1
    # the next builds recover; two at once take turns (one holds the lock, the other waits)
    assert_second_build_waits(root, tmp_path / "gates2")
    assert not list(out.glob(".*.tmp"))
    assert len(pd.read_csv(out / "thb_figures.csv")) == len(
        pd.read_parquet(out / "thb_figures.parquet")
    )
    assert len(pd.read_parquet(out / "thb_figures.parquet")) == len(parquet)


def assert_second_build_waits(root: Path, gates: Path) -> None:
    """A build held while it holds the lock; a second one says it waits, then both succeed."""
    first = subprocess.Popen(
        thbstats("data"),
        env=env_for(root, **hold(gates, "thb_figures.parquet")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    second = None
    try:
        wait_for(ready(gates, "thb_figures.parquet"), first)  # the first holds the lock now
        second = subprocess.Popen(
            thbstats("data"),
            env=env_for(root),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        said = []
        guard = threading.Timer(300, second.kill)  # a hang guard: a silent wait ends the loop
        guard.start()
        for line in second.stderr:  # ends at its exit if it never says it waits
            said.append(line)
            if "waiting for it to finish" in line:
                break
        guard.cancel()
        assert "another `thbstats data` holds" in "".join(said), "".join(said)
        release(gates, "thb_figures.parquet")
        errs = [
            first.communicate(timeout=300)[1],
            "".join(said) + second.communicate(timeout=300)[1],
        ]
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                kill(proc)
    assert [first.returncode, second.returncode] == [0, 0], errs
    assert "waiting" not in errs[0]


WRITER = """\
import os, time
from pathlib import Path
from thbstats.export import update_manifest
Path(pids).write_text(f"{os.getpid()} {os.getppid()}")  # the kernel and its worker
for i in range(n):
    update_manifest("figures", {"id": f"fig{i:03d}", "title": f"Figure {i}", "files": {},
                                "padding": "x" * 200})
    while i + 1 == hold_after and not Path(go).exists():  # held halfway until the test says go
        time.sleep(0.05)
print("done", n)
"""


def pipeline_project(root: Path) -> Path:
    """A project whose one notebook writes 20 figure entries into figures/manifest.json and,
    after the second, waits for a file ``go`` before writing the rest."""
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
    params = nbformat.v4.new_code_cell("n = 20\nhold_after = 0\ngo = 'go'\npids = 'pids'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(WRITER)]
    nbformat.write(nb, root / "notebooks" / "writer.ipynb")
    parameters = {"hold_after": 2, "go": str(root / "go"), "pids": str(root / "pids")}
    runs = {"runs": [{"notebook": "writer.ipynb", "parameters": parameters}]}
    (root / "notebooks" / "pipeline.yml").write_text(json.dumps(runs))  # JSON is YAML
    return root


def manifest_entries(root: Path) -> int:
    path = root / "figures" / "manifest.json"
    return len(json.loads(path.read_text())["figures"]) if path.exists() else 0


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone(pids: list[int], seconds: float = 120) -> bool:
    """Wait until none of ``pids`` runs; False if one still runs after ``seconds`` (a hang guard:
    the worker notices its runner is gone within a second, the kernel its worker likewise)."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


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
        wait_for(lambda: manifest_entries(root) >= 2, proc)  # the notebook now waits for `go`
        second = subprocess.run(
            thbstats("run", "--root", str(root), "--no-wait"),
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert second.returncode == 3, second.stderr
        assert f"another `thbstats run` (pid {proc.pid}) is running" in second.stderr
        kernel, worker = map(int, (root / "pids").read_text().split())
        kill(proc)
        assert gone([worker, kernel]), "the runner's worker or kernel outlived the runner"
    finally:
        (root / "go").touch()  # an orphan, had one survived, would now write the rest (and end)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # workers the runner started, if any survived
        except ProcessLookupError:
            pass
    assert manifest_entries(root) == 2  # whole JSON, stopped halfway
    for nb in (root / "build" / "notebooks").glob("*.ipynb"):
        nbformat.read(nb, as_version=4)  # any notebook in place is whole
    state = root / "build" / ".runs.json"
    assert not state.exists() or json.loads(state.read_text())
    done = subprocess.run(
        thbstats("run", "--root", str(root), "-j", "1"),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "writer  ok" in done.stdout
    assert manifest_entries(root) == 20
    executed = nbformat.read(root / "build" / "notebooks" / "writer.ipynb", as_version=4)
    assert "done 20" in json.dumps(executed.cells[-1].outputs)
    assert not (root / "build" / ".tmp").exists()
    assert (root / "figures" / "index.html").is_file()
