"""Warm kernels (``thbstats run``'s default): one kernel per worker serves its runs, and each
notebook starts as in a new kernel: no name, figure, matplotlib setting, warning filter,
environment variable, ``sys.path`` entry, numpy error setting or logging handler of the notebook
before it, its execution count from 1, its own run id and working directory; a kernel whose
notebook failed is replaced; the figures are byte for byte those of a new kernel per run
(``--fresh``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from test_pipeline import make_project, run

from thbstats.publish import manifest as figure_manifest

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
  - notebook: dies.ipynb
    name: dies
  - notebook: finds_after_death.ipynb
    name: after_a_death
  - notebook: exports.ipynb
    name: gap
    parameters: {geo: [EST, LVA]}
"""

LEAVES = """
import json, logging, os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
import numpy
from pathlib import Path
leak = 1
matplotlib.rcParams["lines.linewidth"] = 9.0
matplotlib.use("Agg")
warnings.simplefilter("ignore")
plt.figure()
os.environ["THBSTATS_LEAK"] = "1"
sys.path.append("leaked-path")
numpy.seterr(all="raise")
logging.basicConfig(level=logging.DEBUG)
Path("out").mkdir(exist_ok=True)
Path("out", os.environ["THBSTATS_RUN_ID"] + ".json").write_text(json.dumps({"pid": os.getpid()}))
"""

FINDS = """
import json, logging, os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
import numpy
from pathlib import Path
record = {
    "pid": os.getpid(),
    "leak": "leak" in globals(),
    "linewidth": matplotlib.rcParams["lines.linewidth"],
    "backend": matplotlib.get_backend(),
    "figures": len(plt.get_fignums()),
    "ignored": ("ignore", None, Warning, None, 0) in warnings.filters,
    "cwd": os.getcwd(),
    "environ": "THBSTATS_LEAK" in os.environ,
    "path": "leaked-path" in sys.path,
    "numpy": numpy.geterr()["divide"],
    "handlers": len(logging.root.handlers),
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
    notebook(root / "notebooks" / "dies.ipynb", "import os\nos._exit(1)")
    notebook(root / "notebooks" / "finds_after_death.ipynb", FINDS)
    code, out, err = run(root, "-j", "1")  # warm kernels are the default
    assert code == 1, out + err  # fails.ipynb fails, dies.ipynb kills its kernel, the others run
    assert "running 7 of 7 runs" in out and "failed dies" in out
    seen = {p.stem: json.loads(p.read_text()) for p in (root / "notebooks" / "out").glob("*.json")}
    assert seen["first"]["pid"] == seen["second"]["pid"]  # the same kernel
    assert seen["after_a_failure"]["pid"] != seen["second"]["pid"]  # replaced after the failure
    assert seen["after_a_death"]["pid"] != seen["after_a_failure"]["pid"]  # and after a death
    defaults = {"leak": False, "linewidth": 1.5, "figures": 0, "ignored": False}
    defaults |= {"environ": False, "path": False, "numpy": "warn", "handlers": 0}
    for name in ("second", "after_a_failure", "after_a_death"):
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
    notebook(cold / "notebooks" / "dies.ipynb", "import os\nos._exit(1)")
    notebook(cold / "notebooks" / "finds_after_death.ipynb", FINDS)
    code, out, err = run(cold, "-j", "1", "--fresh", "--only", "gap")
    assert code == 0, out + err
    made = same_files(root / "figures", cold / "figures", "gap-est+lva-2015-2019")
    assert [name.rsplit(".", 1)[1] for name in made] == ["csv", "svg", "xlsx"]


def same_files(warm: Path, fresh: Path, prefix: str) -> list[str]:
    """The files of the figures whose id starts with ``prefix``: the manifests list the same
    figures (their runs name each execution: not compared) and each file is the same, byte for
    byte."""
    entries = [
        [
            {k: v for k, v in f.items() if k != "runs"}
            for f in figure_manifest.read(folder)
            if f["id"].startswith(prefix)
        ]
        for folder in (warm, fresh)
    ]
    assert entries[0] == entries[1]
    names = sorted(name for f in entries[0] for name in f["files"].values())
    for name in names:
        assert (warm / name).read_bytes() == (fresh / name).read_bytes(), name
    return names


def shutil_sources(root: Path) -> None:
    shutil.copy(Path(__file__).resolve().parents[2] / "data/raw/sources.yml", root / "data/raw")


PROFILES = """
runs:
  - notebook: country_profile.ipynb
    name: profile
    foreach: {geo: [ALB, DEU]}
"""


def profile_project(root: Path) -> Path:
    """A project root with the built table, data/raw and the country profile notebook."""
    project = Path(__file__).resolve().parents[2]
    (root / "notebooks").mkdir(parents=True)
    shutil.copytree(project / "data" / "raw", root / "data" / "raw", symlinks=True)
    processed = project / "data" / "processed"
    shutil.copytree(processed, root / "data" / "processed", ignore=shutil.ignore_patterns("cache"))
    shutil.copy(project / "pyproject.toml", root)
    shutil.copy(project / "notebooks" / "country_profile.ipynb", root / "notebooks")
    (root / "notebooks" / "pipeline.yml").write_text(PROFILES)
    return root


@pytest.mark.slow
def test_country_profiles_are_byte_identical_warm_and_fresh(official_dataset, tmp_path) -> None:
    """Two real profiles in one warm kernel (the default), then each in a new kernel: the
    second profile, run after the first in the same kernel, exports the same bytes (PNG, SVG,
    PDF, CSV, XLSX) as in a kernel of its own."""
    warm, fresh = profile_project(tmp_path / "warm"), profile_project(tmp_path / "fresh")
    code, out, err = run(warm, "-j", "1")
    assert code == 0, out + err
    code, out, err = run(fresh, "-j", "1", "--fresh")
    assert code == 0, out + err
    names = same_files(warm / "figures", fresh / "figures", "")
    assert len(names) == 2 * 3 * 5  # two States, three charts, PNG, SVG, PDF, CSV, XLSX
