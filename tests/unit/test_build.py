"""`thbstats data` end to end on small projects: outputs, summary, and failures that lose nothing."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from helpers import SAMPLE_ROWS, glotip_workbook, make_project, only_release, register

import thbstats as thb
from thbstats import cli
from thbstats.errors import InputError
from thbstats.ingest import build


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    return root


def test_build_writes_table_csv_and_datapackage(project, capsys):
    wb = glotip_workbook(project / "data/raw/downloads/g.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb)
    only_release(project, "unodc-test")
    (project / "data/processed/osce_with_data.csv").write_text("iso3,name\nALB,Albania\n")
    assert cli.main(["data"]) == 0
    out = capsys.readouterr().out
    assert "release found:   unodc-test" in out and "thb_figures: 3 rows" in out
    df = thb.load()
    assert df.loc[df.stage == "identified", "value"].item() == 1282
    conv = df[df.stage == "convicted"].iloc[0]
    assert math.isnan(conv["value"]) and conv["flag"] == "suppressed_lt5"
    csv = pd.read_csv(project / "data/processed/thb_figures.csv")
    assert len(csv) == 3
    pkg = json.loads((project / "data/processed/datapackage.json").read_text())
    assert pkg["resources"][0]["schema"]["fields"][0]["name"] == "source"
    assert [s["id"] for s in pkg["sources"]] == ["unodc-test"]
    assert (
        (project / "data/processed/un_regions.csv")
        .read_text()
        .startswith("iso3,name,region,subregion")
    )
    # the pipeline computes its country list from the table (thbstats.pipeline.lists); an
    # earlier version's file goes
    assert not (project / "data/processed/osce_with_data.csv").exists()


def test_missing_release_is_reported(project, capsys):
    assert cli.main(["data"]) == 0
    out = capsys.readouterr().out
    assert "release MISSING: unodc-glotip-2025-04-14" in out
    assert cli.main(["data", "--require-all"]) == 3


def test_moved_header_fails_and_keeps_previous_outputs(project, capsys):
    good = glotip_workbook(project / "data/raw/downloads/g.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", good)
    only_release(project, "unodc-test")
    assert cli.main(["data"]) == 0
    before = {
        p.name: p.read_bytes()
        for p in (project / "data/processed").iterdir()
        if p.is_file() and not p.name.startswith(".")
    }
    good.unlink()
    bad = glotip_workbook(project / "data/raw/downloads/g2.xlsx", SAMPLE_ROWS, header_row=4)
    register(project, "unodc-test", bad)
    assert cli.main(["data"]) == 2
    err = capsys.readouterr().err
    assert "g2.xlsx" in err and "cell A3" in err and "'Iso3_code'" in err and "row 4" in err
    after = {
        p.name: p.read_bytes()
        for p in (project / "data/processed").iterdir()
        if p.is_file() and not p.name.startswith(".")
    }
    assert before == after
    assert not list((project / "data/processed").glob("*.tmp"))


def test_bad_value_names_the_cell(project):
    rows = [r[:] for r in SAMPLE_ROWS]
    rows[2][11] = "seventeen"
    wb = glotip_workbook(project / "data/raw/downloads/g.xlsx", rows)
    register(project, "unodc-test", wb)
    only_release(project, "unodc-test")
    with pytest.raises(
        InputError,
        match=r"g\.xlsx, cell L6, column 'txtVALUE': expected a count .* found 'seventeen'",
    ):
        build.build(log=lambda _m: None)


def test_unknown_indicator_names_row_and_column(project):
    rows = [r[:] for r in SAMPLE_ROWS]
    rows[0][4] = "Victims rescued"
    wb = glotip_workbook(project / "data/raw/downloads/g.xlsx", rows)
    register(project, "unodc-test", wb)
    only_release(project, "unodc-test")
    with pytest.raises(
        InputError, match=r"row 4, column 'Indicator': expected one of .* found 'Victims rescued'"
    ):
        build.build(log=lambda _m: None)


def test_not_an_xlsx(project):
    f = project / "data/raw/downloads/g.xlsx"
    f.write_text("Iso3_code,Country\n")
    register(project, "unodc-test", f)
    only_release(project, "unodc-test")
    with pytest.raises(InputError, match="expected an .xlsx workbook"):
        build.build(log=lambda _m: None)


def test_transcribed_figures_are_included(tmp_path, monkeypatch):
    root = make_project(tmp_path, transcribed=True)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    build.build(log=lambda _m: None)
    df = thb.load()
    assert {"TIP", "ILO", "UNODC", "EUROSTAT", "GRETA"} <= set(df["source"])
