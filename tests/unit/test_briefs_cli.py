"""`thbstats briefs` on a table without UNODC country figures (a fresh clone, offline, releases
missing): it says why in words and exits 0, writing nothing and keeping earlier briefs."""

from __future__ import annotations

import argparse

import pandas as pd

from thbstats.publish.briefs import cli

pytest_plugins = ["figure_fixtures"]


def test_no_unodc_figures_no_briefs_and_exit_0(tidy_sample, monkeypatch, capsys, tmp_path):
    import thbstats

    without = tidy_sample[tidy_sample["source"] != "UNODC"]
    assert cli.has_flows(tidy_sample) and not cli.has_flows(without)
    monkeypatch.setattr(thbstats, "load", lambda *a, **k: without)
    monkeypatch.setenv("THBSTATS_ROOT", str(tmp_path))
    args = argparse.Namespace(only=None, force=False, png=False)
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "no UNODC country figures" in out and "no brief written" in out
    assert not (tmp_path / "figures").exists()


def test_has_flows_needs_country_rows_of_a_flow_stage():
    rows = pd.DataFrame(
        {"source": ["UNODC", "UNODC"], "geo_type": ["region", "country"],
         "stage": ["convicted", "estimated"]}
    )  # fmt: skip
    assert not cli.has_flows(rows)
    rows.loc[1, "stage"] = "identified"
    assert cli.has_flows(rows)
