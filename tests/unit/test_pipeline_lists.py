"""Lists the pipeline computes from the table (``{query: NAME}`` in pipeline.yml)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from helpers import make_project

from thbstats.pipeline import config, lists

YML = """
lists:
  states: {query: osce_with_data}
runs:
  - notebook: nb.ipynb
    name: profile
    foreach: {geo: states}
"""


def _project(tmp_path: Path, rows: list[tuple[str, str]] | None, yml: str = YML) -> Path:
    """The real geo/ tables, a table holding ``rows`` (source, geo), a notebook and pipeline.yml."""
    root = make_project(tmp_path)
    (root / "notebooks").mkdir()
    (root / "notebooks" / "nb.ipynb").write_text("{}")
    (root / "notebooks" / "pipeline.yml").write_text(yml)
    if rows is not None:
        (root / "data" / "processed").mkdir(parents=True, exist_ok=True)
        table = pd.DataFrame(rows, columns=["source", "geo"]).assign(value=1.0)
        table.to_parquet(root / "data" / "processed" / "thb_figures.parquet", index=False)
    return root


def _osce(root: Path) -> set[str]:
    path = root / "data" / "raw" / "geo" / "osce_participating_states.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["iso3"] for row in csv.DictReader(handle)}


def test_osce_with_data_keeps_osce_states_with_a_unodc_figure(tmp_path: Path) -> None:
    rows = [("UNODC", "AUT"), ("UNODC", "ALB"), ("UNODC", "ALB"), ("TIP", "DEU")]
    rows += [("UNODC", "BRA"), ("UNODC", "OSCE")]  # not a participating State; a group code
    root = _project(tmp_path, rows)
    assert {"ALB", "AUT", "DEU"} <= _osce(root) and "BRA" not in _osce(root)
    assert lists.osce_with_data(root) == ["ALB", "AUT"]  # DEU: a TIP figure only
    runs = config.load_pipeline(root / "notebooks" / "pipeline.yml", root).runs
    assert [r.run_id for r in runs] == ["profile[ALB]", "profile[AUT]"]
    assert runs[0].parameters == {"geo": "ALB"}


def test_a_table_without_unodc_rows_gives_no_runs(tmp_path: Path) -> None:
    root = _project(tmp_path, [("TIP", "ALB")])
    assert config.load_pipeline(root / "notebooks" / "pipeline.yml", root).runs == []


def test_without_a_built_table_the_error_says_how_to_build_it(tmp_path: Path) -> None:
    root = _project(tmp_path, None)
    with pytest.raises(config.ConfigError, match=r"lists 'states': .*thbstats data"):
        config.load_pipeline(root / "notebooks" / "pipeline.yml", root)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{query: os.getcwd}", r"unknown query 'os.getcwd'; known: osce_with_data"),
        ("{query: osce_with_data, column: iso3}", r"expected a list, \{csv"),
        ("{call: 'thbstats.pipeline.lists:osce_with_data'}", r"unknown key\(s\) 'call'"),
    ],
)
def test_only_registered_queries_are_run(tmp_path: Path, spec: str, message: str) -> None:
    root = _project(tmp_path, [("UNODC", "ALB")], YML.replace("{query: osce_with_data}", spec))
    with pytest.raises(config.ConfigError, match=message):
        config.load_pipeline(root / "notebooks" / "pipeline.yml", root)


def test_the_project_pipeline_computes_its_country_list() -> None:
    text = (Path(__file__).resolve().parents[2] / "notebooks" / "pipeline.yml").read_text()
    assert "osce_with_data: {query: osce_with_data}" in text and "processed/osce" not in text
