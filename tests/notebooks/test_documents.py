"""Every notebook, run as JupyterLab runs it (working directory notebooks/, no THBSTATS_ROOT),
reads as a document: it opens with its question, and each chart is followed by generated text
whose numbers match the table; its figures land in the project's figures/, never in
notebooks/figures/.

The notebooks run once, in a copy of the project (its data/ without the downloads folder), with
their default parameters.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks"
NOTEBOOKS = sorted(p.stem for p in NB.glob("*.ipynb"))


def _copy_project(dest: Path) -> Path:
    (dest / "notebooks").mkdir(parents=True)
    ignore = shutil.ignore_patterns("downloads", ".tmp", "*.lock")
    shutil.copytree(ROOT / "data", dest / "data", ignore=ignore)
    for nb in NB.glob("*.ipynb"):
        shutil.copy(nb, dest / "notebooks" / nb.name)
    return dest


@pytest.fixture(scope="module")
def executed(dataset, tmp_path_factory) -> dict:
    """name -> executed notebook, run from the copy's notebooks/ folder; and the copy's root."""
    project = _copy_project(tmp_path_factory.mktemp("lab") / "project")
    out = {"_root": project}
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("THBSTATS_ROOT", raising=False)  # as in JupyterLab: found from the cwd
        for name in NOTEBOOKS:
            params = {"n_boot": 20} if name == "mse" else {}  # fewer resamples: same cells
            done = project / "executed" / f"{name}.ipynb"
            done.parent.mkdir(exist_ok=True)
            pm.execute_notebook(
                str(project / "notebooks" / f"{name}.ipynb"),
                str(done),
                parameters=params,
                cwd=str(project / "notebooks"),
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=600,  # a cell that hangs fails the test instead of blocking it
            )
            out[name] = nbformat.read(done, as_version=4)
    return out


def _outputs(nb) -> list[dict]:
    """Every display output of the notebook, in order (streams left out)."""
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o]


def _markdown_after_charts(nb) -> list[str]:
    """For each chart (a PNG output), the generated Markdown shown next; fails if there is none."""
    outs = _outputs(nb)
    texts = []
    for i, o in enumerate(outs):
        if "image/png" in o["data"]:
            nxt = outs[i + 1]["data"] if i + 1 < len(outs) else {}
            assert "text/markdown" in nxt, f"chart output {i} is not followed by generated text"
            texts.append(nxt["text/markdown"])
    return texts


def _cell(markdown: str, row: str, year: int) -> str:
    """The cell of a generated year table (| | 2015 | ... |) at ``row`` and ``year``."""
    lines = [ln for ln in markdown.splitlines() if ln.startswith("|")]
    years = [c.strip() for c in lines[0].strip("|").split("|")]
    for ln in lines[2:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        if cells[0] == row:
            return cells[years.index(str(year))]
    raise AssertionError(f"no row {row!r} in {markdown[:200]}")


def _rows(df: pd.DataFrame, **match) -> pd.DataFrame:
    keep = (df["form"] == "all") & (df["sex"] == "all") & (df["age"] == "all")
    for k, v in match.items():
        keep &= df[k].isin(v) if isinstance(v, list | set) else df[k] == v
    return df[keep & df["latest"]]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_notebook_opens_with_its_question_and_follows_each_chart_with_text(executed, name):
    nb = executed[name]
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "**The question.**" in first.source
    assert "**Parameters.**" in first.source
    for text in _markdown_after_charts(nb):
        assert text.startswith("**") and re.search(r"\d{2}", text), text[:300]


def test_the_charts_land_in_the_project_figures_not_in_notebooks(executed):
    root = executed["_root"]
    assert not (root / "notebooks" / "figures").exists()
    ids = {f["id"] for f in json.loads((root / "figures" / "manifest.json").read_text())["figures"]}
    site = "".join(p.read_text() for p in (root / "figures").rglob("*.html"))  # the gallery
    for expected in (
        "funnel-world-2018",
        "trends-alb-2010-2022",
        "coverage-osce-2003-2022",
        "attrition-convicted-osce-2015-2018",
        "divergence-osce-2015-2018",
        "funnel-alb-2022",
    ):
        assert expected in ids
        assert (root / "figures" / f"{expected}.png").is_file()
        assert f'id="{expected}"' in site
    assert (root / "figures" / "claims" / "claims.md").is_file()


def test_the_country_profile_text_gives_the_printed_figures(executed, dataset):
    """ALB prosecuted 2018 = 54 (UNODC 2025 release, cell L443), and the "<5" cells as such."""
    texts = _markdown_after_charts(executed["country_profile"])
    trends = next(t for t in texts if t.startswith("**Long-run trends: Albania"))
    alb = _rows(dataset, geo="ALB", source="UNODC")
    for stage, label in (("prosecuted", "Prosecuted"), ("identified", "Identified victims")):
        for year in (2018, 2021):
            r = alb[(alb["stage"] == stage) & (alb["year_start"] == year)].iloc[0]
            printed = "<5" if r["flag"] == "suppressed_lt5" else f"{r['value']:,.0f}"
            assert _cell(trends, label, year) == printed
    assert _cell(trends, "Prosecuted", 2018) == "54" and _cell(trends, "Prosecuted", 2021) == "<5"


def test_the_world_funnel_text_gives_the_tip_figures(executed, dataset):
    text = _markdown_after_charts(executed["funnel"])[0]
    tip = _rows(dataset, geo="WORLD", source="TIP", year_start=2018)
    for stage, label in (("prosecuted", "Prosecuted"), ("convicted", "Convicted")):
        value = tip.loc[tip["stage"] == stage, "value"].iloc[0]
        assert f"- {label}: **{value:,.0f}** in 2018, TIP Report 2024." in text
    assert "**11,096**" in text  # TIP Report 2024, global law enforcement table


def test_the_tour_sums_a_balanced_panel_with_its_lt5_bounds(executed, dataset):
    """OSCE 2015-2018, UNODC: only the States reporting all three stages in all four years."""
    from thbstats import geo

    text = next(t for t in _markdown_after_charts(executed["start_here"]) if "Index (" in t)
    stages, years = ["identified", "prosecuted", "convicted"], range(2015, 2019)
    rows = _rows(
        dataset, geo=set(geo.members("OSCE")), source="UNODC", stage=stages, unit="persons"
    )
    rows = rows[rows["year_start"].isin(years) & (rows["geo_type"] == "country")]
    rows = rows[rows["value_min"].notna()]
    full = rows.drop_duplicates(["geo", "stage", "year_start"]).groupby("geo").size()
    panel = rows[rows["geo"].isin(full[full == 12].index)]
    for stage, label in zip(stages, ("Identified victims", "Prosecuted", "Convicted"), strict=True):
        cell = panel[(panel["stage"] == stage) & (panel["year_start"] == 2015)]
        lo, hi = cell["value_min"].sum(), cell["value_max"].sum()
        assert _cell(text, label, 2015) == f"{lo:,.0f}-{hi:,.0f}"
    assert f"sum of {panel['geo'].nunique()} of the group's 57 countries" in text
