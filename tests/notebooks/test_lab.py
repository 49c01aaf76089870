"""`make lab` as a user meets it: JupyterLab starts (as root too), on the notebooks folder, with the
project's own kernel."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _outside_make() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


def test_make_lab_adds_allow_root_only_for_root(tmp_path: Path) -> None:
    stamp = tmp_path / "installed"
    stamp.touch()
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab", f"STAMP={stamp}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=_outside_make(),
    )
    assert done.returncode == 0, done.stderr
    command = done.stdout.strip().splitlines()[-1]
    assert "jupyter lab notebooks/" in command
    assert ("--allow-root" in command) == (os.getuid() == 0)


def test_make_lab_serves_the_notebooks_folder_with_the_project_kernel(dataset, tmp_path: Path):
    stamp = tmp_path / "installed"
    stamp.touch()  # the virtual environment is there: make sets up nothing
    port, token = _free_port(), "thbstats-test"
    args = f"--no-browser --ServerApp.port={port} --IdentityProvider.token={token}"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"STAMP={stamp}", f"LAB_ARGS={args}"],
        cwd=ROOT,
        env=_outside_make(),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "lab.log").open("w"),
        start_new_session=True,  # its own process group: stopped below with everything it started
    )
    base = f"http://127.0.0.1:{port}"
    try:
        listing = None
        for _ in range(120):
            try:
                listing = _get(f"{base}/api/contents?token={token}")
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        assert listing is not None, (tmp_path / "lab.log").read_text()[-2000:]
        names = {item["name"] for item in listing["content"]}
        assert {"start_here.ipynb", "explore.ipynb", "funnel.ipynb"} <= names  # notebooks/
        spec = _get(f"{base}/api/kernelspecs?token={token}")["kernelspecs"]["python3"]
        python = Path(spec["spec"]["argv"][0])
        assert python.parent.samefile(Path(sys.executable).parent)  # the project's environment
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
