"""The project's own files: dependencies in step, commands documented, notebooks clean."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _norm(spec: str) -> str:
    name, rest = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", spec.strip()).groups()
    return name.lower().replace("_", "-") + rest.replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_norm(d) for d in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_norm(d) for d in env["dependencies"] if isinstance(d, str)} - {"pip"}
    conda = {d for d in conda if not d.startswith("python>") and not d.startswith("python=")}
    assert conda == wanted


NOT_IMPORTED = {
    "jupyterlab": "`make lab` opens it",
    "ipykernel": "the kernel papermill starts for every notebook",
    "defusedxml": "openpyxl parses workbooks with it when it is installed (no XML bombs)",
}
"""Dependencies no module imports, and why they are needed anyway."""
IMPORT_NAMES = {"pyyaml": "yaml", "python-calamine": "python_calamine"}


def test_every_dependency_is_used():
    """A declared dependency is imported by thbstats (or listed in NOT_IMPORTED with a reason)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    code = "\n".join(p.read_text() for p in (ROOT / "thbstats").rglob("*.py"))
    unused = []
    for spec in project["dependencies"]:
        dist = re.match(r"[A-Za-z0-9_.\-]+", spec).group().lower()
        module = IMPORT_NAMES.get(dist, dist.replace("-", "_"))
        if dist not in NOT_IMPORTED and not re.search(
            rf"^\s*(import|from) {module}\b", code, re.MULTILINE
        ):
            unused.append(dist)
    assert unused == []


def test_ci_runs_make_test():  # the README's two commands: tests/unit/test_docs.py
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_notebooks_committed_clean_with_parameters_cell():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and not c.get("execution_count") for c in code), path.name
        assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in code), path.name


def test_no_official_release_committed():
    sums = {
        line.split()[-1]
        for line in (ROOT / "data/raw/sources.yml").read_text().splitlines()
        if line.strip().startswith("sha256:")
    }
    from thbstats.digest import sha256_of

    for p in ROOT.rglob("*.xlsx"):
        if (
            ".venv" in p.parts
            or "downloads" in p.parts
            or "build" in p.parts
            or "figures" in p.parts
        ):
            continue
        assert sha256_of(p) not in sums, p


def test_ruff_lint_is_clean():
    import subprocess
    import sys

    ruff = Path(sys.executable).with_name("ruff")
    res = subprocess.run(
        [str(ruff), "check", "thbstats", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout
