"""The slices that read less than every value: a coverage chart reads whether each figure is
there (``presence``), the claims read their stages' years and the releases they name
(``claims``). A new release that revises only what they do not read leaves their hash alone."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from thbstats.pipeline import config, slices

OLD, NEW = "UNODC GLOTIP data 2023-05-30", "UNODC GLOTIP data 2025-04-14"
FIRST = {("AUT", 2013): 11.0, ("AUT", 2016): 12.0, ("CZE", 2013): 21.0, ("CZE", 2016): 22.0}


def release(publication: str, values: dict, latest: bool = True) -> pd.DataFrame:
    """One UNODC release's persons convicted (a None value: printed as "<5")."""
    return pd.DataFrame(
        [
            {
                "source": "UNODC", "publication": publication, "geo": geo, "geo_name": geo,
                "geo_type": "country", "year_start": year, "year_end": year, "stage": "convicted",
                "form": "all", "sex": "all", "age": "all", "unit": "persons",
                "value": np.nan if v is None else v, "value_min": 1.0 if v is None else v,
                "value_max": 4.0 if v is None else v, "flag": "suppressed_lt5" if v is None else "",
                "citation": "unodc-" + publication[-10:], "latest": latest,
            }
            for (geo, year), v in values.items()
        ]
    )  # fmt: skip


def digest(tmp_path: Path, doc: dict, *parts: pd.DataFrame) -> str:
    table = tmp_path / "t.parquet"
    pd.concat(parts, ignore_index=True).to_parquet(table, index=False)
    spec = json.dumps(doc, sort_keys=True)
    return slices.compute(table, {spec})[spec]


def new_release(changes: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first release, no longer latest, and a newer one repeating it with ``changes``."""
    return release(OLD, FIRST, latest=False), release(NEW, {**FIRST, **changes})


COVERAGE = {"codes": ["AUT", "CZE"], "countries": False, "regions": False, "presence": True}


def test_coverage_reads_which_figures_are_there_not_their_values(tmp_path: Path) -> None:
    before = digest(tmp_path, COVERAGE, release(OLD, FIRST))
    assert digest(tmp_path, COVERAGE, *new_release({("CZE", 2016): 29.0})) == before
    # a figure removed, or printed as "<5" instead, is what the chart shows: redone
    old, new = new_release({})
    assert digest(tmp_path, COVERAGE, old, new[new["geo"] != "AUT"]) != before
    assert digest(tmp_path, COVERAGE, *new_release({("CZE", 2016): None})) != before


CLAIMS = {
    "codes": [], "countries": True, "regions": True,
    "claims": {
        "publications": [OLD],
        "spans": {"convicted": [2015, 2022]},
        "latest": {"convicted": [2015, 2018]},
    },
}  # fmt: skip


def test_the_claims_read_their_stages_years_and_every_row_of_the_releases_they_name(
    tmp_path: Path,
) -> None:
    before = digest(tmp_path, CLAIMS, release(OLD, FIRST))
    assert digest(tmp_path, CLAIMS, *new_release({})) == before  # a repeat: nothing new
    assert digest(tmp_path, CLAIMS, *new_release({("AUT", 2013): 99.0})) == before
    assert digest(tmp_path, CLAIMS, *new_release({("AUT", 2016): 99.0})) != before
    # 2020 only in the named release: the newer release's value is read by no claim
    first = {**FIRST, ("AUT", 2020): 5.0}
    before = digest(tmp_path, CLAIMS, release(OLD, first))
    newer = release(NEW, {**first, ("AUT", 2020): 6.0})
    assert digest(tmp_path, CLAIMS, release(OLD, first, latest=False), newer) == before
    # a claim that names the first release reads all of it, whatever the newest says
    changed_old = release(OLD, {**FIRST, ("AUT", 2013): 99.0})
    assert digest(tmp_path, CLAIMS, changed_old) != before


def test_a_pattern_among_a_runs_inputs_stands_for_the_files_it_matches(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "geo").mkdir()
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")  # marks the project root
    for name in ("b.csv", "a.csv"):
        (tmp_path / "geo" / name).write_text("code\n", encoding="utf-8")
    (tmp_path / "notebooks" / "n.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "notebooks" / "pipeline.yml").write_text(
        'inputs: ["geo/*.csv", none.csv]\nruns:\n  - notebook: n.ipynb\n    name: n\n',
        encoding="utf-8",
    )
    run = config.load_pipeline(tmp_path / "notebooks" / "pipeline.yml", tmp_path).runs[0]
    assert [p.relative_to(tmp_path).as_posix() for p in run.inputs] == [
        "geo/a.csv", "geo/b.csv", "none.csv"
    ]  # fmt: skip
