"""Outputs follow their inputs: each run owns the figures it exported, a rerun drops what it no
longer makes, ``--prune`` removes figures of runs gone from pipeline.yml, the gallery lists only
the current figures, and a run whose charts have no data is reported as empty (with the reason).

The notebook exports real charts through ``thbstats.publish.export`` in a small project.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import stat
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import nbformat
import pytest

from thbstats import pipeline
from thbstats.publish.site import site_pages

ROOT = Path(__file__).resolve().parents[2]
CHART_CODE = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from thbstats.publish import export
from thbstats.publish.charts.base import Chart

fig = plt.figure(figsize=(3, 2))
fig.add_subplot().plot([1, 2], [1, 2])
chart = Chart(
    fig=fig, id=f"{label}-{year}", title=f"{label} in {year}", subtitle="", source="Source: test",
    alt="a line", data=pd.DataFrame({"year": [year], "value": [float("nan") if empty else 1.0]}),
    citations=[] if empty else ["tip-2008-global-law-enforcement"],
    params={"geo": label.upper(), "year": year},
)
export.export(chart, out_dir, formats=("png", "svg"))
"""
PIPELINE = """\
runs:
  - notebook: chart.ipynb
    name: chart
    parameters: {{year: {year}}}
    foreach: {{label: [{labels}]}}
{twin}  - notebook: chart.ipynb
    name: nodata
    parameters: {{label: ata, year: 2018, empty: true}}
"""
TWIN = """  - notebook: chart.ipynb
    name: twin
    parameters: {label: a, year: 2018}
"""


def chart_project(root: Path) -> Path:
    """A project with one chart notebook and the real sources.yml (for the Sources sheet)."""
    (root / "notebooks").mkdir(parents=True)
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "processed").mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    shutil.copy(ROOT / "data/raw/sources.yml", root / "data/raw/sources.yml")
    (root / "data" / "processed" / "thb_figures.parquet").write_bytes(b"release 1")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(
        'label = "a"\nyear = 2018\nempty = False\nout_dir = "figures"'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(CHART_CODE)]
    nbformat.write(nb, root / "notebooks" / "chart.ipynb")
    return root


def set_pipeline(root: Path, year: int, labels: str, twin: bool) -> None:
    text = PIPELINE.format(year=year, labels=labels, twin=TWIN if twin else "")
    (root / "notebooks" / "pipeline.yml").write_text(text)


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    pipeline.add_arguments(parser)
    args = parser.parse_args(["--root", str(root), "-j", "2", *argv])
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = pipeline.main(args)
    return code, out.getvalue(), err.getvalue()


def manifest(root: Path) -> dict[str, dict]:
    doc = json.loads((root / "figures" / "manifest.json").read_text())
    return {f["id"]: f for f in doc["figures"]}


def figure_files(root: Path) -> set[str]:
    return {p.name for p in (root / "figures").iterdir() if p.is_file() and p.name[0] != "."}


def site_text(root: Path) -> str:
    """Every page of the gallery site (start page, place pages, report pages) as one text."""
    return "".join(p.read_text() for p in site_pages(root / "figures"))


def gallery_ids(root: Path) -> set[str]:
    page = site_text(root)
    return {part.split('"')[0] for part in page.split('<figure id="')[1:]}


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def wrong_modes(folder: Path, file_mode: int = 0o644, dir_mode: int = 0o755) -> dict[str, str]:
    """Files and folders under ``folder`` whose mode is not the expected one."""
    wrong = {}
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != (dir_mode if path.is_dir() else file_mode):
            wrong[str(path.relative_to(folder))] = oct(mode)
    return wrong


@pytest.mark.slow
def test_outputs_follow_parameters_and_the_pipeline(tmp_path: Path, umask_022: None) -> None:
    root = chart_project(tmp_path / "p")
    # two runs that would write the same files are refused before anything runs
    set_pipeline(root, 2018, "a, b", twin=True)
    code, out, err = run(root)
    assert code == 2 and "runs chart[a] and twin would write the same files" in err, out + err
    assert not (root / "figures").exists() and not (root / "build" / "notebooks").exists()

    set_pipeline(root, 2018, "a, b", twin=False)
    code, out, err = run(root)
    assert code == 0, out + err
    # every output gets the mode the umask gives a new file or folder (0644, 0755 under 022)
    for folder in (root / "figures", root / "build"):
        assert (folder / "manifest.json").exists() or (folder / ".runs.json").exists()
        assert wrong_modes(folder) == {}, folder
    figures = manifest(root)
    assert set(figures) == {"a-2018", "b-2018", "ata-2018"}
    assert set(figures["a-2018"]["runs"]) == {"chart[a]"}
    assert set(figures["b-2018"]["runs"]) == {"chart[b]"}
    # no data: the run is ok (exit 0) but reported as empty, with the reason, here and in the gallery
    reason = "no figures in the dataset for ATA, 2018"
    assert figures["ata-2018"]["empty"] == reason
    assert "nodata    empty " in out and f"1 chart(s) without data: {reason}" in out
    assert "2 ok, 1 empty" in out
    assert f"No data: {reason}" in (root / "figures" / "places" / "ATA.html").read_text()
    assert f"**No data:** {reason}" in (root / "figures" / "README.md").read_text()

    # the year changes and run chart[b] leaves the pipeline (no --prune yet)
    set_pipeline(root, 2019, "a", twin=False)
    code, out, err = run(root)
    assert code == 0, out + err
    assert "running 1 of 2 runs" in out
    figures = manifest(root)
    assert "a-2018" not in figures and "a-2018.png" not in figure_files(root)  # no run makes it
    assert set(figures["a-2019"]["runs"]) == {"chart[a]"}
    assert "b-2018" in figures and "b-2018.png" in figure_files(root)
    assert "note: 1 figure(s) in figures/ belong to no run of pipeline.yml (b-2018)" in out
    assert "`thbstats run --prune` removes them" in out

    # --prune removes what no run of the pipeline makes: figures, build files, records
    (root / "figures" / "stray-2017.png").write_bytes(b"from an older thbstats")
    code, out, err = run(root, "--dry-run", "--prune")
    assert "would prune b-2018  (made by chart[b], not in pipeline.yml)" in out
    assert "would prune build/html/chart[b].html  (no run makes it)" in out
    code, out, err = run(root, "--prune")
    assert code == 0, out + err
    assert "pruned 3 file(s) of runs no longer in pipeline.yml from build/" in out
    assert "pruned 5 file(s) that no run of pipeline.yml makes (figures b-2018)" in out
    assert "\n2 runs up to date\n" in out
    assert not list((root / "build").glob("*/chart[[]b].*"))
    assert "chart[b]" not in json.loads((root / "build" / ".runs.json").read_text())["runs"]
    assert set(manifest(root)) == {"a-2019", "ata-2018"}
    assert figure_files(root) == {  # a chart without data is listed, with no files
        f"a-2019.{ext}" for ext in ("png", "svg", "csv", "xlsx")
    } | {"manifest.json", "index.html", "README.md"}
    assert manifest(root)["ata-2018"]["files"] == {}
    assert gallery_ids(root) == {"a-2019", "ata-2018"}
    code, out, err = run(root, "--prune")
    assert (code, out) == (0, "2 runs up to date\n")  # nothing left to prune: one line


@pytest.mark.slow
def test_a_notebook_that_raises_nodata_is_empty_not_failed(tmp_path: Path) -> None:
    root = chart_project(tmp_path / "p")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell("from thbstats.errors import NoData"),
        nbformat.v4.new_code_cell('raise NoData("UNODC: expected two releases to compare")'),
    ]
    nbformat.write(nb, root / "notebooks" / "compare.ipynb")
    (root / "notebooks" / "pipeline.yml").write_text("runs:\n  - compare.ipynb\n")
    code, out, err = run(root)
    assert code == 0, out + err
    assert "no data: UNODC: expected two releases to compare" in out
    assert "0 failed" in out and "1 empty" in out
    assert (root / "build" / "notebooks" / "compare.ipynb").is_file()  # kept as a normal run
    assert not (root / "build" / "notebooks" / "compare.failed.ipynb").exists()
    assert run(root) == (0, "1 run up to date\n", "")  # recorded as done
