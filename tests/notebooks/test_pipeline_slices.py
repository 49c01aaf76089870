"""Dependencies by data: a run whose notebook says which rows it reads is redone only when the
hash of that slice of the table changes; a new release that repeats a figure changes no slice."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from test_pipeline import make_project, patch_hooks, run

from thbstats.pipeline import config, slices

STATES = ["ALB", "AUT", "BEL", "CYP", "DEU", "EST"]
PIPELINE = f"""
runs:
  - notebook: exports.ipynb
    name: gap
    foreach: {{geo: {json.dumps(STATES)}}}
  - notebook: ok.ipynb
    name: whole_table
"""
OLD, NEW = "UNODC GLOTIP data 2023-05-30", "UNODC GLOTIP data 2025-04-14"


def rows(publication: str, values: dict[tuple[str, int], float]) -> list[dict]:
    citation = "unodc-" + publication[-10:]
    return [
        {
            "source": "UNODC", "publication": publication, "geo": geo, "geo_name": geo,
            "geo_type": "country", "year_start": year, "year_end": year, "stage": "convicted",
            "form": "all", "sex": "all", "age": "all", "value": v, "value_min": v, "value_max": v,
            "unit": "persons", "flag": "", "citation": citation, "latest": True,
        }
        for (geo, year), v in values.items()
    ]  # fmt: skip


FIRST = {(g, y): float(10 * i + y - 2015) for i, g in enumerate(STATES) for y in (2015, 2016)}


def write_table(root: Path, *releases: tuple[str, dict]) -> None:
    frame = pd.DataFrame([r for pub, values in releases for r in rows(pub, values)])
    path = root / "data" / "processed" / "thb_figures.parquet"
    frame.to_parquet(path.with_suffix(".tmp"), index=False)
    os.replace(path.with_suffix(".tmp"), path)


@pytest.fixture(autouse=True)
def fake_hooks(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    lib = tmp_path_factory.mktemp("lib")
    (lib / "__init__.py").write_text('"""thbstats."""\n')
    patch_hooks(monkeypatch, lib)
    monkeypatch.setattr("test_pipeline.KNOWN_GEO", {"OSCE", *STATES})


def mtimes(root: Path) -> dict[str, int]:
    folders = [root / "figures", root / "build" / "notebooks", root / "build" / "html"]
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for f in folders for p in f.iterdir()}


def test_a_spec_names_the_rows_a_run_reads(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PIPELINE)
    runs = {r.run_id: r for r in config.load_pipeline(root / "notebooks/pipeline.yml", root).runs}
    assert slices.spec(runs["gap[ALB]"], root) == json.dumps(
        {"codes": ["ALB"], "countries": False, "regions": False}
    )
    assert slices.spec(runs["whole_table"], root) is None  # says nothing: the whole table


def test_a_repeated_figure_changes_no_slice_a_changed_one_does(tmp_path: Path) -> None:
    table = tmp_path / "t.parquet"
    one = {"codes": ["ALB"], "countries": False, "regions": False}
    specs = {json.dumps(one), json.dumps(one | {"codes": ["AUT"]})}
    pd.DataFrame(rows(OLD, FIRST)).to_parquet(table)
    before = slices.compute(table, specs)
    pd.DataFrame(rows(OLD, FIRST) + rows(NEW, FIRST)).to_parquet(table)  # repeated in full
    assert slices.compute(table, specs) == before
    changed = FIRST | {("AUT", 2016): 99.0}
    pd.DataFrame(rows(OLD, FIRST) + rows(NEW, changed)).to_parquet(table)
    after = slices.compute(table, specs)
    assert after[json.dumps(one)] == before[json.dumps(one)]
    assert (
        after[json.dumps(one | {"codes": ["AUT"]})] != before[json.dumps(one | {"codes": ["AUT"]})]
    )


@pytest.mark.slow
def test_a_new_release_reruns_only_the_runs_whose_slice_changed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PIPELINE)
    (root / "data" / "raw").mkdir()
    (root / "data" / "raw" / "sources.yml").write_text(
        (Path(__file__).resolve().parents[2] / "data/raw/sources.yml").read_text()
    )
    write_table(root, (OLD, FIRST))
    code, out, err = run(root, "-j", "2")
    assert code == 0 and "running 7 of 7 runs" in out, out + err
    before = mtimes(root)

    # a new release: two States changed, one gains a year, one loses a year, two repeated
    second = FIRST | {("ALB", 2016): 77.0, ("AUT", 2015): 5.0, ("BEL", 2017): 3.0}
    del second[("CYP", 2016)]
    write_table(root, (OLD, FIRST), (NEW, second))
    code, out, err = run(root, "--dry-run")
    assert sorted(line.split()[2] for line in out.splitlines() if line.startswith("would run")) == [
        "gap[ALB]", "gap[AUT]", "gap[BEL]", "whole_table",
    ]  # fmt: skip
    assert "would run  gap[ALB]  (input data changed)" in out
    code, out, err = run(root, "-j", "2")
    assert code == 0 and "running 4 of 7 runs (2 at a time); 3 up to date" in out, out + err
    after = mtimes(root)
    untouched = [k for k in before if re.search(r"\[(CYP|DEU|EST)\]|-(cyp|deu|est)-", k)]
    assert len(untouched) == 15  # three runs: svg, csv, xlsx, executed notebook, HTML
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    redone = [k for k in before if "alb" in k.lower() and k.startswith("build")]
    assert all(after[k] != before[k] for k in redone) and redone
    code, out, err = run(root)
    assert (code, out) == (0, "7 runs up to date\n")


def test_a_slice_of_years_ignores_flows_of_other_years_and_keeps_every_estimate(
    tmp_path: Path,
) -> None:
    table = tmp_path / "t.parquet"
    doc = {"codes": ["ALB"], "countries": False, "regions": False, "years": [2016, 2016]}
    estimate = {**rows(OLD, {("ALB", 2010): 1000.0})[0], "stage": "estimated"}
    pd.DataFrame(rows(OLD, FIRST) + [estimate]).to_parquet(table)
    before = slices.compute(table, {json.dumps(doc)})
    pd.DataFrame(rows(OLD, FIRST | {("ALB", 2015): 99.0}) + [estimate]).to_parquet(table)
    assert slices.compute(table, {json.dumps(doc)}) == before  # 2015: outside the years read
    pd.DataFrame(rows(OLD, FIRST) + [estimate | {"value_max": 1200.0}]).to_parquet(table)
    assert slices.compute(table, {json.dumps(doc)}) != before  # an estimate of any year counts
    pd.DataFrame(rows(OLD, FIRST | {("ALB", 2016): 99.0}) + [estimate]).to_parquet(table)
    assert slices.compute(table, {json.dumps(doc)}) != before


def test_the_years_a_notebook_declares_come_from_its_parameters(official_dataset) -> None:
    # the pipeline's list of States is computed from the built table
    root = Path(__file__).resolve().parents[2]
    pipeline = config.load_pipeline(root / "notebooks/pipeline.yml", root)
    runs = {r.run_id: r for r in pipeline.runs}
    assert json.loads(slices.spec(runs["funnel[OSCE]"], root) or "{}")["years"] == [2018, 2018]
    tip = json.loads(slices.spec(runs["attrition_tip_regions"], root) or "{}")
    assert tip["years"] == [2016, 2016] and "ALB" in tip["codes"]
    assert json.loads(slices.spec(runs["trends[OSCE]"], root) or "{}")["years"] == [2003, 2022]
