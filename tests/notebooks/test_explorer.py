"""The explorer of notebooks/explore.ipynb, driven headlessly: set the widgets' values as a user
would, check the data table against figures computed here from the tidy table, and export the
view into the project's figures/ (and its gallery)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, monkeypatch, dataset) -> Path:
    """A copy of the project's data/ with the kernel in its notebooks/ folder, as in JupyterLab."""
    dest = tmp_path / "project"
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("downloads"))
    (dest / "notebooks").mkdir()
    monkeypatch.delenv("THBSTATS_ROOT", raising=False)
    monkeypatch.chdir(dest / "notebooks")
    return dest


@pytest.fixture
def explorer(project):
    from thbstats.publish.explorer import Explorer

    return Explorer()


def headline(df: pd.DataFrame, **match) -> pd.DataFrame:
    keep = (df["sex"] == "all") & (df["age"] == "all") & (df["source"] == "UNODC")
    for k, v in match.items():
        keep &= df[k].isin(v) if isinstance(v, list | set | tuple) else df[k] == v
    return df[keep]


def by_year(t: pd.DataFrame, stage: str) -> dict[int, tuple[float, float]]:
    d = t[(t["stage"] == stage) & t["value"].notna()]
    return {int(r.year): (r.value_min, r.value_max) for r in d.itertuples()}


def test_a_state_its_years_its_stages_and_a_form(explorer, dataset):
    explorer.where.value = "ALB"
    explorer.years.value = (2017, 2019)
    explorer.stages.value = ("identified", "convicted")
    explorer.form.value = "sexual"
    latest = dataset[dataset["latest"]]
    rows = headline(latest, geo="ALB", form="sexual", year_start=[2017, 2018, 2019])
    for stage in ("identified", "convicted"):
        want = rows[rows["stage"] == stage]
        assert by_year(explorer.table, stage) == {
            int(r.year_start): (r.value_min, r.value_max) for r in want.itertuples()
        }
    assert by_year(explorer.table, "identified") == {2017: (37, 37), 2018: (37, 37), 2019: (65, 65)}
    assert set(explorer.table["year"]) <= {2017, 2018, 2019}
    assert explorer.chart.title == "Albania, 2017-2019: identified victims, convicted"


def test_a_group_is_a_balanced_panel_of_its_states(explorer, dataset):
    from thbstats import geo

    explorer.where.value = "EU27"
    explorer.years.value = (2015, 2018)
    explorer.stages.value = ("prosecuted",)
    latest = dataset[dataset["latest"]]
    rows = headline(
        latest, geo=set(geo.members("EU27")), form="all", stage="prosecuted", unit="persons"
    )
    rows = rows[rows["year_start"].between(2015, 2018) & rows["value_min"].notna()]
    every_year = rows.groupby("geo")["year_start"].nunique()
    panel = rows[rows["geo"].isin(every_year[every_year == 4].index)]
    want = panel.groupby("year_start")[["value_min", "value_max"]].sum()
    got = explorer.table.set_index("year")
    assert (got["n_countries"] == panel["geo"].nunique()).all()
    for year in range(2015, 2019):
        assert (got.loc[year, "value_min"], got.loc[year, "value_max"]) == tuple(want.loc[year])


def test_a_list_of_states_summed_as_reported_keeps_lt5_as_ranges(explorer, dataset):
    """Denmark, Norway and Sweden convicted 2022: each "<5", so 3-12, never 0."""
    explorer.states.value = ("DNK", "NOR", "SWE")
    explorer.stages.value = ("convicted",)
    explorer.years.value = (2015, 2022)
    explorer.mode.value = "all"
    latest = dataset[dataset["latest"]]
    rows = headline(latest, geo=["DNK", "NOR", "SWE"], form="all", stage="convicted")
    rows = rows[rows["year_start"].between(2015, 2022) & rows["value_min"].notna()]
    want = rows.groupby("year_start")[["value_min", "value_max"]].sum()
    got = by_year(explorer.table, "convicted")
    assert got == {int(y): (r.value_min, r.value_max) for y, r in want.iterrows()}
    assert got[2022] == (3, 12)
    assert "| 3-12 |" in explorer.describe()


def test_an_earlier_release_gives_its_own_figures(explorer, dataset):
    explorer.where.value = "ALB"
    explorer.stages.value = ("identified",)
    explorer.years.value = (2015, 2021)
    old = "UNODC GLOTIP data 2023-05-30"
    assert old in explorer.release.options
    explorer.release.value = old
    rows = headline(dataset, geo="ALB", form="all", stage="identified", publication=old)
    rows = rows[rows["year_start"].between(2015, 2021)]
    assert by_year(explorer.table, "identified") == {
        int(r.year_start): (r.value_min, r.value_max) for r in rows.itertuples()
    }
    assert set(explorer.table["publication"].dropna()) == {old}
    explorer.source.value = "TIP"  # another source: its releases, from the latest
    assert explorer.release.value == "latest" and "TIP Report 2024" in explorer.release.options


def test_the_export_button_writes_the_view_into_the_project_figures(explorer, project):
    explorer.where.value = "ALB"
    explorer.stages.value = ("identified", "prosecuted")
    explorer.export_button.click()
    figures = project / "figures"
    entry = next(
        f
        for f in json.loads((figures / "manifest.json").read_text())["figures"]
        if f["id"] == explorer.chart.id
    )
    for name in entry["files"].values():
        assert (figures / name).is_file()
    data = pd.read_csv(figures / entry["files"]["csv"])
    row = data[(data["stage"] == "prosecuted") & (data["year"] == 2018)]
    assert row["value"].tolist() == [54]  # UNODC 2025 release, cell L443
    assert explorer.chart.id in (figures / "places" / "ALB.html").read_text()  # its place page
    assert not (project / "notebooks" / "figures").exists()
    assert "exported" in explorer.status.value


def test_a_selection_without_stages_says_so(explorer):
    explorer.stages.value = ()
    with pytest.raises(ValueError, match="choose at least one stage"):
        explorer.table  # noqa: B018
