"""Every notebook of notebooks/ runs top to bottom through papermill and exports what it should."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks"


def run(name: str, tmp_path: Path, **params) -> dict:
    out_dir = tmp_path / "figures"
    pm.execute_notebook(
        str(NB / f"{name}.ipynb"),
        str(tmp_path / f"{name}.out.ipynb"),
        parameters={**params, "out_dir": str(out_dir)},
        cwd=str(ROOT),
        kernel_name="python3",
        progress_bar=False,
    )
    path = out_dir / "manifest.json"
    manifest = json.loads(path.read_text()) if path.is_file() else {"figures": []}
    return {f["id"]: f for f in manifest["figures"]} | {"_dir": out_dir}


@pytest.fixture(autouse=True)
def _root(dataset, monkeypatch):
    monkeypatch.setenv("THBSTATS_ROOT", str(ROOT))


def test_every_notebook_is_tested():
    tested = {"coverage", "funnel", "trends", "attrition", "country_profile", "claims", "revisions"}
    tested |= {"mse"}  # run by tests/test_mse_notebook.py
    tested |= {"start_here", "explore"}  # run by test_documents.py (explorer: test_explorer.py)
    assert {p.stem for p in NB.glob("*.ipynb")} == tested


def test_funnel_world(official_dataset, tmp_path):
    figs = run("funnel", tmp_path, geo="WORLD", year=2018)
    fig = figs["funnel-world-2018"]
    assert set(fig["files"]) == {"png", "svg", "pdf", "csv", "xlsx"}
    data = pd.read_csv(figs["_dir"] / fig["files"]["csv"])
    # TIP Report 2024 global table: 11,096 prosecuted in 2018; ILO/Walk Free 2017: 24.9 million
    assert 11096 in data["value"].tolist() and 24_900_000 in data["value"].tolist()
    assert fig["source"].startswith("Source: ")


def test_coverage(tmp_path):
    figs = run("coverage", tmp_path, geo="EU27", start=2015, end=2018)
    assert any(k.startswith("coverage-eu27") for k in figs)


def test_trends_divergence_gap(official_dataset, tmp_path):
    figs = run(
        "trends",
        tmp_path,
        geo="OSCE",
        start=2015,
        end=2018,
        base_year=2015,
        trend_start=2015,
        trend_end=2018,
    )
    kinds = {k.split("-")[0] for k in figs if k != "_dir"}
    assert kinds == {"divergence", "gap", "trends"}


def test_attrition_regions(tmp_path):
    figs = run("attrition", tmp_path, geo=["TIP:AF", "TIP:EUR"], start=2016, end=2016)
    assert len([k for k in figs if k != "_dir"]) == 1


def test_country_profile(official_dataset, tmp_path):
    figs = run("country_profile", tmp_path, geo="ALB", start=2015, end=2022)
    ids = sorted(k for k in figs if k != "_dir")
    assert ids == ["funnel-alb-2022", "gap-alb-2015-2022", "trends-alb-2015-2022"]
    data = pd.read_csv(figs["_dir"] / "trends-alb-2015-2022.csv")
    row = data[(data["stage"] == "prosecuted") & (data["year"] == 2018)]
    assert row["value"].tolist() == [54]  # UNODC 2025 release, cell L443


def test_claims(official_dataset, tmp_path):
    figs = run("claims", tmp_path)
    assert (tmp_path / "figures/claims/claims.md").is_file()
    # the concept note's charts are drawn; the funnel and trends runs export them
    assert set(figs) == {"_dir"}


def test_revisions(official_dataset, tmp_path):
    figs = run("revisions", tmp_path)
    ids = sorted(k for k in figs if k != "_dir")
    assert ids == [
        "revisions-by-stage-unodc-2023-05-30-2025-04-14",
        "revisions-unodc-identified-2023-05-30-2025-04-14",
    ]
    data = pd.read_csv(figs["_dir"] / "revisions-by-stage-unodc-2023-05-30-2025-04-14.csv")
    assert data["changed"].sum() == 1969 and data["overlapping"].sum() == 35104
    summary = figs["_dir"] / "revisions/unodc-2023-05-30-2025-04-14-summary.csv"
    assert pd.read_csv(summary).set_index("stage").loc["all", "changed"] == 1969


def test_a_notebook_run_from_the_notebooks_folder_writes_to_the_project_figures(
    dataset, tmp_path, monkeypatch
):
    """JupyterLab starts kernels in notebooks/: the default out_dir is the project's figures/."""
    import shutil

    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "raw", project / "data" / "raw", ignore=_no_downloads)
    (project / "data" / "processed").mkdir()
    shutil.copy(
        ROOT / "data/processed/thb_figures.parquet", project / "data/processed/thb_figures.parquet"
    )
    shutil.copy(NB / "coverage.ipynb", project / "notebooks" / "coverage.ipynb")
    monkeypatch.delenv("THBSTATS_ROOT")  # as in JupyterLab: the root is found from the cwd
    pm.execute_notebook(
        str(project / "notebooks" / "coverage.ipynb"),
        str(tmp_path / "coverage.out.ipynb"),
        parameters={"geo": "EU27", "start": 2015, "end": 2018},
        cwd=str(project / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
    )
    manifest = json.loads((project / "figures" / "manifest.json").read_text())
    assert any(f["id"].startswith("coverage-eu27") for f in manifest["figures"])
    assert not (project / "notebooks" / "figures").exists()


def _no_downloads(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "downloads"]
