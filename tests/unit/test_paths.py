"""The project root is found in one place (thbstats.paths): from the working directory upwards,
or $THBSTATS_ROOT; a kernel started in notebooks/ finds the project above it."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import make_project

from thbstats import paths

PACKAGE = Path(__file__).resolve().parents[2] / "thbstats"


def test_the_root_is_found_from_the_notebooks_folder(tmp_path, monkeypatch):
    root = make_project(tmp_path / "p")
    (root / "notebooks").mkdir()
    monkeypatch.delenv(paths.ROOT_VARIABLE, raising=False)
    monkeypatch.chdir(root / "notebooks")
    assert paths.project_root() == root.resolve()
    assert paths.figures_dir() == root.resolve() / "figures"
    assert paths.output_dir("figures") == root.resolve() / "figures"  # not notebooks/figures
    assert paths.project_root(root / "data" / "raw" / "geo") == root.resolve()


def test_pyproject_marks_a_root_and_the_variable_wins(tmp_path, monkeypatch):
    (tmp_path / "q" / "notebooks").mkdir(parents=True)
    (tmp_path / "q" / "pyproject.toml").write_text("[project]\nname = 'q'\n")
    monkeypatch.delenv(paths.ROOT_VARIABLE, raising=False)
    assert paths.find_root(tmp_path / "q" / "notebooks") == (tmp_path / "q").resolve()
    monkeypatch.setenv(paths.ROOT_VARIABLE, str(tmp_path / "elsewhere"))
    assert paths.project_root(tmp_path / "q" / "notebooks") == (tmp_path / "elsewhere").resolve()


def test_no_other_module_reads_or_sets_the_root_variable():
    """Only thbstats.paths reads $THBSTATS_ROOT; nothing sets it to steer path finding."""
    pattern = re.compile(r"environ(\.get)?\(?\[?[\"']THBSTATS_ROOT|THBSTATS_ROOT\s*=|setenv")
    found = {
        str(p.relative_to(PACKAGE)): m.group()
        for p in PACKAGE.rglob("*.py")
        if p.name != "paths.py" and (m := pattern.search(p.read_text(encoding="utf-8")))
    }
    assert found == {}
