"""Faults: `thbstats data` and `thbstats run` killed (SIGKILL) halfway, and two runs at once.

Each case runs the real command in a subprocess, kills it in the middle of writing, checks every
output is either the old or the new file (never half-written) and that the next run recovers.
"""

from __future__ import annotations

import json
import os
import shutil
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
from thbstats.ingest.readers import transcribed
from thbstats.publish.site import site_pages

ROOT = Path(__file__).resolve().parents[2]

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
    marker = root / "stopped"
    proc = subprocess.Popen(
        thbstats("data"),
        env=env_for(root, **stop_at("replace thb_figures.csv", marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:  # the parquet file is in place; the CSV is written but not yet moved into place
        wait_for(marker.exists, proc)
    finally:
        kill(proc)
    assert list(out.glob(".*.tmp")), "the kill should leave the CSV's temporary file behind"
    now = processed(root)
    assert now["thb_figures.csv"] == old["thb_figures.csv"]  # old, whole
    parquet = pd.read_parquet(out / "thb_figures.parquet")  # new, whole
    assert len(parquet) == len(pd.read_csv(out / "thb_figures.csv")) + 1
    # the next builds recover; two at once take turns: the first holds the lock (stopped at a
    # test point) until the second says it waits for it
    marker.unlink()
    resume = root / "resume"
    held = stop_at("replace thb_figures.parquet", marker) | {"THBSTATS_TEST_RESUME": str(resume)}
    first = subprocess.Popen(
        thbstats("data"),
        env=env_for(root, **held),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(marker.exists, first)
    second = subprocess.Popen(
        thbstats("data"),
        env=env_for(root),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    waiting = second.stderr.readline()  # blocks until the second process writes its first line
    assert "another `thbstats data` holds" in waiting and "waiting" in waiting, waiting
    resume.touch()
    errs = [proc.communicate(timeout=120)[1] for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errs
    assert not list(out.glob(".*.tmp"))
    assert len(pd.read_csv(out / "thb_figures.csv")) == len(
        pd.read_parquet(out / "thb_figures.parquet")
    )
    assert len(pd.read_parquet(out / "thb_figures.parquet")) == len(parquet)


WRITER = """\
import time
from thbstats import paths
from thbstats.publish.export import update_manifest
from thbstats.testpoints import reached
for i in range(n):  # the kernel runs in notebooks/: the project's figures/ through thbstats.paths
    update_manifest(paths.figures_dir(), {"id": f"fig{i:03d}", "title": f"Figure {i}", "files": {},
                                "padding": "x" * 200})
    if i == 1:
        reached("writer halfway")  # tests: the run is killed here, two entries written
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
    set_pause(root, 0.0)
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
    marker, resume = tmp_path / "stopped", tmp_path / "resume"
    halfway = stop_at("writer halfway", marker) | {"THBSTATS_TEST_RESUME": str(resume)}
    proc = subprocess.Popen(
        thbstats("run", "--root", str(root), "-j", "1"),
        env=env | halfway,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:  # the notebook's kernel stops after two entries, until killed (or resumed)
        wait_for(marker.exists, proc, seconds=120)
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
        kernel = int(marker.read_text())  # the kernel stopped at the test point
        assert _ends(kernel), "the kernel outlived its runner (an orphan could keep writing)"
        resume.touch()  # would let a surviving kernel write 18 more entries
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # workers the runner started, if any survived
        except ProcessLookupError:
            pass
    assert manifest_entries(root) == 2  # whole JSON, stopped halfway, nothing written after
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


def _ends(pid: int, seconds: float = 60) -> bool:
    """True once process ``pid`` has exited (the deadline only bounds a failure)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def stop_at(point: str, marker: Path) -> dict[str, str]:
    """Environment that stops a process at a named test point (thbstats.testpoints)."""
    return {"THBSTATS_TEST_STOP_AT": point, "THBSTATS_TEST_MARKER": str(marker)}


def test_data_killed_while_recording_its_releases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    wb = root / "data/raw/downloads/g.xlsx"
    register(root, "unodc-test", glotip_workbook(wb, SAMPLE_ROWS))
    write_rows(root, 2)
    with monkeypatch.context() as mp:
        mp.setenv("THBSTATS_ROOT", str(root))
        mp.delenv("THBSTATS_DOWNLOADS", raising=False)
        assert cli.main(["data"]) == 0
    out = root / "data/processed"
    recorded = (out / "build_record.json").read_text()
    wb.unlink()  # the release is gone; the user asks for the smaller build explicitly
    marker = tmp_path / "stopped"
    proc = subprocess.Popen(
        thbstats("data", "--allow-shrink"),
        env=env_for(root, **stop_at("build-record", marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:  # the table is written; the record is in its temporary file, not yet in place
        wait_for(marker.exists, proc)
    finally:
        kill(proc)
    assert list(out.glob(".build_record.json.*.tmp"))
    assert (out / "build_record.json").read_text() == recorded  # the old record, whole
    assert len(pd.read_parquet(out / "thb_figures.parquet")) == 2  # the new table, whole
    # the record still names the release: a plain build refuses (and changes nothing)
    before = processed(root)
    refused = subprocess.run(
        thbstats("data"), env=env_for(root), capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 4 and "release unodc-test" in refused.stderr
    assert processed(root) == before and not list(out.glob(".*.tmp"))
    done = subprocess.run(
        thbstats("data", "--allow-shrink"), env=env_for(root), capture_output=True, timeout=120
    )
    assert done.returncode == 0
    assert json.loads((out / "build_record.json").read_text())["releases"] == {}


def figure_entry(root: Path, fid: str, run_id: str) -> None:
    """A figure made by ``run_id`` (files and manifest entry), as an export inside a run."""
    from thbstats.publish import manifest

    folder = root / "figures"
    folder.mkdir(exist_ok=True)
    for ext in ("png", "csv"):
        (folder / f"{fid}.{ext}").write_text(fid)
    with pytest.MonkeyPatch.context() as mp:  # the environment as it was afterwards, exactly
        mp.setenv("THBSTATS_RUN_ID", run_id)
        mp.setenv("THBSTATS_EXECUTION", "1")
        files = {"png": f"{fid}.png", "csv": f"{fid}.csv"}
        manifest.add(folder, {"id": fid, "title": fid, "files": files})


def test_prune_killed_midway_is_finished_by_the_next_prune(tmp_path: Path) -> None:
    root = pipeline_project(tmp_path / "p")
    set_pause(root, 0.0)
    figure_entry(root, "gone-1", "gone[A]")  # runs no longer in pipeline.yml
    figure_entry(root, "gone-2", "gone[B]")
    marker = tmp_path / "stopped"
    proc = subprocess.Popen(
        thbstats("run", "--root", str(root), "-j", "1", "--prune"),
        env=env_for(root, **stop_at("prune", marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:  # the manifest no longer lists them; their files are still there
        wait_for(marker.exists, proc, seconds=120)
    finally:
        kill(proc)
    ids = {f["id"] for f in json.loads((root / "figures/manifest.json").read_text())["figures"]}
    assert "gone-1" not in ids and "gone-2" not in ids and len(ids) == 20
    assert (root / "figures/gone-1.png").exists()  # the kill came before the files went
    done = subprocess.run(
        thbstats("run", "--root", str(root), "--prune"),
        env=env_for(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pruned 4 file(s) that no run of pipeline.yml makes\n" in done.stdout
    assert "\n1 run up to date\n" in done.stdout  # the writer finished before the kill
    left = sorted(p.name for p in (root / "figures").iterdir() if p.is_file() and p.name[0] != ".")
    assert left == ["README.md", "index.html", "manifest.json"]  # the files no entry lists: gone
    assert not any("gone-1" in p.read_text() for p in site_pages(root / "figures"))


SHARED = """\
import time
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from thbstats.publish import export
from thbstats.publish.charts.base import Chart

Path(f"started-{me}").touch()
deadline = time.monotonic() + 120
while not Path(f"started-{other}").exists():  # both runs export at the same time
    assert time.monotonic() < deadline, "the other run never started"
    time.sleep(0.05)
for fid in ("shared", f"{me}-only"):
    fig = plt.figure(figsize=(3, 2))
    fig.add_subplot().plot([1, 2], [1, 2])
    chart = Chart(fig=fig, id=fid, title=fid, subtitle="", source="", alt="", data=pd.DataFrame(
        {"value": [1.0]}), citations=["tip-2008-global-law-enforcement"])
    export.export(chart, "figures", formats=("png",))
"""


def test_two_runs_at_once_with_overlapping_outputs(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "notebooks").mkdir(parents=True)
    (root / "data" / "processed").mkdir(parents=True)
    (root / "data" / "raw").mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    shutil.copy(ROOT / "data/raw/sources.yml", root / "data/raw/sources.yml")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell('me = "left"\nother = "right"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(SHARED)]
    nbformat.write(nb, root / "notebooks" / "shared.ipynb")
    procs = []
    for me, other in (("left", "right"), ("right", "left")):
        yml = f"runs:\n  - notebook: shared.ipynb\n    name: {me}\n    parameters: {{me: {me}, other: {other}}}\n"
        (root / "notebooks" / f"{me}.yml").write_text(yml)
        argv = ["run", "--root", str(root), "--config", str(root / "notebooks" / f"{me}.yml")]
        procs.append(
            subprocess.Popen(
                thbstats(*argv, "--output-dir", str(root / f"build-{me}")),
                env=env_for(root),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outs
    figures = {
        f["id"]: f for f in json.loads((root / "figures/manifest.json").read_text())["figures"]
    }
    assert set(figures) == {"shared", "left-only", "right-only"}
    assert set(figures["shared"]["runs"]) == {"left", "right"}  # made by both, owned by both
    for fid in figures:
        assert (root / "figures" / f"{fid}.png").read_bytes().startswith(b"\x89PNG")
        pd.read_csv(root / "figures" / f"{fid}.csv")
    assert not list((root / "figures").glob(".*.tmp"))
    page = "".join(p.read_text() for p in site_pages(root / "figures"))
    assert all(f'id="{fid}"' in page for fid in figures)
