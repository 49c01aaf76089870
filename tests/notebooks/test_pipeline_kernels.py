"""Kernels that fail before the first cell are retried (bounded, the reason logged), and
`make figures` writes the briefs even when a run fails, exiting non-zero at the end."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest
from test_pipeline import make_project, patch_hooks, run

from thbstats.pipeline import kernel

ROOT = Path(__file__).resolve().parents[2]
ONE_RUN = "runs:\n  - notebook: ok.ipynb\n    name: only\n    parameters: {geo: ALB}\n"
RETRIED = (
    "kernel attempt 1 of 3 failed before the first cell: TestPointFailure: Kernel died before "
    "replying to kernel_info (test point 'kernel start'); retrying"
)


@pytest.fixture(autouse=True)
def fake_hooks(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    lib = tmp_path_factory.mktemp("lib")
    (lib / "__init__.py").write_text('"""thbstats."""\n')
    patch_hooks(monkeypatch, lib)


def fail_first_kernel(mp: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The first kernel start of the run fails (thbstats.testpoints.fail_once)."""
    marker = tmp_path / "failed-once"
    mp.setenv("THBSTATS_TEST_FAIL_AT", "kernel start")
    mp.setenv("THBSTATS_TEST_MARKER", str(marker))
    return marker


@pytest.mark.parametrize("kernels", [[], ["--fresh"]], ids=["warm", "fresh"])
def test_a_kernel_that_fails_to_start_is_retried_and_the_run_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernels: list[str]
) -> None:
    root = make_project(tmp_path / "p", ONE_RUN)
    marker = fail_first_kernel(monkeypatch, tmp_path)
    code, out, err = run(root, "-j", "1", *kernels)
    assert code == 0, out + err
    assert marker.is_file()  # the test point did fail the first kernel
    assert "ok     only" in out and f"    {RETRIED}\n" in out
    record = json.loads((root / "notebooks" / "out" / "only.json").read_text())
    assert record["geo"] == "ALB" and record["run_id"] == "only"
    assert f"thbstats run: {RETRIED}" in (root / "build" / "logs" / "only.log").read_text()
    assert json.loads((root / "build" / ".runs.json").read_text())["runs"]["only"]["status"] == "ok"


def test_a_run_whose_kernels_all_fail_is_reported_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "p", ONE_RUN)
    fail_first_kernel(monkeypatch, tmp_path)
    monkeypatch.setenv(kernel.ATTEMPTS_VARIABLE, "1")  # no retry
    code, out, err = run(root, "-j", "1")
    assert code == 1, out + err
    assert "failed only" in out
    assert "TestPointFailure: Kernel died before replying to kernel_info" in out
    assert "retrying" not in out and not (root / "notebooks" / "out" / "only.json").exists()


def test_a_kernel_that_never_started_is_told_from_one_that_ran_a_cell(tmp_path: Path) -> None:
    import papermill

    src = ROOT / "tests" / "notebooks" / "fixtures" / "ok.ipynb"
    out = tmp_path / "out.ipynb"
    with pytest.raises(Exception, match="no-such-kernel"):  # a kernel that cannot start
        papermill.execute_notebook(str(src), str(out), kernel_name="no-such-kernel")
    assert kernel.never_started(out) and kernel.never_started(tmp_path / "none.ipynb")
    nb = nbformat.read(src, as_version=4)
    nb.cells[1].metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "status": "running"}
    nbformat.write(nb, out)
    assert not kernel.never_started(out)  # a cell began: not retried
    out.write_text('{"cells": [')  # cut short when the kernel died
    assert kernel.never_started(out)


@pytest.mark.parametrize(("value", "expected"), [("5", 5), ("0", 1), ("many", 3), (None, 3)])
def test_kernel_attempts_are_bounded(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int
) -> None:
    if value is None:
        monkeypatch.delenv(kernel.ATTEMPTS_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(kernel.ATTEMPTS_VARIABLE, value)
    assert kernel.attempts() == expected


STUB = """#!/bin/sh
echo "$1" >> "{log}"
[ "$1" = run ] && exit 1
exit 0
"""


def test_make_figures_writes_the_briefs_after_a_failed_run_and_exits_non_zero(
    tmp_path: Path,
) -> None:
    """The real Makefile, with a stand-in `thbstats` whose `run` fails."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    stub = venv / "bin" / "thbstats"
    stub.write_text(STUB.format(log=log))
    stub.chmod(0o755)
    (venv / ".installed").touch()
    os.utime(venv / ".installed", (4e9, 4e9))  # newer than pyproject.toml: no install
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "figures", f"VENV={venv}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0, done.stdout + done.stderr
    assert log.read_text().split() == ["data", "run", "reconcile", "briefs"]
    assert "make: thbstats run failed (exit 1); making the briefs and the site anyway" in (
        done.stdout
    )
    assert "make: figures incomplete (exit 1): see above" in done.stdout
