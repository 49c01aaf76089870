"""Warm kernels (``thbstats run --warm``): one kernel per worker serves its runs, and each notebook
starts as in a new kernel: no name, figure, matplotlib setting or warning filter of the notebook
before it, its execution count from 1, its own run id and working directory."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from test_pipeline import make_project, run

WARM = """
runs:
  - notebook: leaves.ipynb
    name: first
  - notebook: finds.ipynb
    name: second
  - notebook: fails.ipynb
    parameters: {n: 2}
  - notebook: finds_again.ipynb
    name: after_a_failure
  - notebook: exports.ipynb
    name: gap
    parameters: {geo: [EST, LVA]}
"""

LEAVES = """
import json, os, warnings
import matplotlib
import matplotlib.pyplot as plt
from pathlib import Path
leak = 1
matplotlib.rcParams["lines.linewidth"] = 9.0
matplotlib.use("Agg")
warnings.simplefilter("ignore")
plt.figure()
Path("out").mkdir(exist_ok=True)
Path("out", os.environ["THBSTATS_RUN_ID"] + ".json").write_text(json.dumps({"pid": os.getpid()}))
"""

FINDS = """
import json, os, warnings
import matplotlib
import matplotlib.pyplot as plt
from pathlib import Path
record = {
    "pid": os.getpid(),
    "leak": "leak" in globals(),
    "linewidth": matplotlib.rcParams["lines.linewidth"],
    "backend": matplotlib.get_backend(),
    "figures": len(plt.get_fignums()),
    "ignored": ("ignore", None, Warning, None, 0) in warnings.filters,
    "cwd": os.getcwd(),
}
Path("out").mkdir(exist_ok=True)
Path("out", os.environ["THBSTATS_RUN_ID"] + ".json").write_text(json.dumps(record))
"""


def notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)


@pytest.mark.slow
def test_one_warm_kernel_runs_each_notebook_as_if_new(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", WARM)
    (root / "data" / "raw").mkdir()
    shutil_sources(root)
    notebook(root / "notebooks" / "leaves.ipynb", LEAVES)
    notebook(root / "notebooks" / "finds.ipynb", FINDS)
    notebook(root / "notebooks" / "finds_again.ipynb", FINDS)
    code, out, err = run(root, "-j", "1", "--warm")
    assert code == 1, out + err  # fails.ipynb fails, the others run
    assert "running 5 of 5 runs" in out
    seen = {p.stem: json.loads(p.read_text()) for p in (root / "notebooks" / "out").glob("*.json")}
    assert seen["first"]["pid"] == seen["second"]["pid"]  # the same kernel
    defaults = {"leak": False, "linewidth": 1.5, "figures": 0, "ignored": False}
    for name in ("second", "after_a_failure"):
        assert {k: seen[name][k] for k in defaults} == defaults, name
        assert seen[name]["backend"] != "agg" and seen[name]["cwd"] == str(root / "notebooks")
    executed = nbformat.read(root / "build" / "notebooks" / "second.ipynb", as_version=4)
    assert [c.execution_count for c in executed.cells if c.cell_type == "code"] == [1]
    manifest = json.loads((root / "figures" / "manifest.json").read_text())["figures"]
    assert [(f["id"], list(f["runs"])) for f in manifest] == [("gap-est+lva-2015-2019", ["gap"])]
    cold = make_project(tmp_path / "cold", WARM)
    (cold / "data" / "raw").mkdir()
    shutil_sources(cold)
    notebook(cold / "notebooks" / "leaves.ipynb", LEAVES)
    notebook(cold / "notebooks" / "finds.ipynb", FINDS)
    notebook(cold / "notebooks" / "finds_again.ipynb", FINDS)
    run(cold, "-j", "1", "--only", "gap")
    svg = "gap-est+lva-2015-2019.svg"
    assert (root / "figures" / svg).read_bytes() == (cold / "figures" / svg).read_bytes()


def shutil_sources(root: Path) -> None:
    import shutil

    shutil.copy(Path(__file__).resolve().parents[2] / "data/raw/sources.yml", root / "data/raw")
