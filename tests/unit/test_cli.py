"""The `thbstats` command line: --version, one help line per command, `make lab LAB_ARGS=...`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import thbstats
from thbstats import cli

ROOT = Path(__file__).resolve().parents[2]


def thbstats_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "thbstats.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ | {"COLUMNS": "80"},
        timeout=60,
    )


def test_version() -> None:
    done = thbstats_cli("--version")
    assert done.returncode == 0 and done.stdout == f"thbstats {thbstats.__version__}\n"


def test_help_lists_every_command_on_one_line() -> None:
    done = thbstats_cli("--help")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    commands = cli.parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) == {
        "data",
        "fetch",
        "register",
        "claims",
        "revisions",
        "mse",
        "briefs",
        "reconcile",
        "run",
    }
    assert set(commands) == set(cli.COMMANDS)
    for name, text in cli.COMMANDS.items():
        assert f"    {name:<11}{text}" in lines, (name, done.stdout)  # one line, not wrapped
    assert "--version" in done.stdout


def outside_make() -> dict[str, str]:
    """The environment without the variables of a calling make (`make test`)."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_lab_passes_extra_jupyter_arguments(tmp_path: Path) -> None:
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: make sets up no virtual environment
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab", "LAB_ARGS=--allow-root --port 9999"]
        + [f"STAMP={stamp}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=outside_make(),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("jupyter lab notebooks/ --allow-root --port 9999")
