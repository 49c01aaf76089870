"""Metrics against hand-computed values on the hand-made table (tests/figure_fixtures.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from thbstats.analysis import metrics as m

pytest_plugins = ["figure_fixtures"]

GROUP = ["ALB", "AUT", "BEL"]


def test_edition_rank_orders_editions_and_releases():
    assert m.edition_rank("TIP Report 2019") > m.edition_rank("TIP Report 2008")
    assert m.edition_rank("UNODC GLOTIP data 2025-04-14") > m.edition_rank(
        "UNODC GLOTIP data 2023-05-30"
    )
    assert m.edition_rank("TIP Report 2007/2016 (compiled)") == "2016-00-00"


def test_defaults_keep_latest_edition_and_drop_alternatives(tidy_sample):
    d = m.select(tidy_sample, geo="ALB", stage="identified", years=[2015])
    assert d["value"].tolist() == [100.0]  # 2025 release, not the 2023 release's 90
    e = m.select(tidy_sample, geo="TIP:EUR", stage="identified", years=[2015])
    assert e["value"].tolist() == [1100.0]  # TIP 2017 revises TIP 2016; 999 is an alternative
    assert len(m.select(tidy_sample, geo="TIP:EUR", stage="identified", default=False)) == 4


def test_balanced_panel_drops_gappy_countries_and_counts_suppressed(tidy_sample):
    a = m.aggregate(tidy_sample, GROUP, "identified", [2015, 2016, 2017]).set_index("year")
    # AUT has no 2016 figure: the panel is ALB + BEL (BEL's 2017 "<5" still counts as reporting)
    # 2017: ALB 150 + BEL "<5" = 151 to 154, central value 152.5 (the "<5" cell as 2.5)
    assert a["value"].tolist() == [150.0, 180.0, 152.5]
    assert a["n_countries"].tolist() == [2, 2, 2]
    assert a.loc[2017, "n_suppressed"] == 1
    assert (a.loc[2017, "value_min"], a.loc[2017, "value_max"]) == (151.0, 154.0)
    assert a["share"].iloc[0] == pytest.approx(2 / 3)
    assert a["countries"].iloc[0] == "ALB;BEL"


def test_all_reporting_mode_shows_changing_coverage(tidy_sample):
    a = m.aggregate(tidy_sample, GROUP, "identified", [2015, 2016, 2017], mode="all")
    assert a["value"].tolist() == [350.0, 180.0, 412.5]
    assert a["n_countries"].tolist() == [3, 2, 3]
    assert a["group_size"].iloc[0] == 3
    with pytest.raises(ValueError, match="mode"):
        m.aggregate(tidy_sample, GROUP, "identified", [2015], mode="some")


def test_attrition_joint_panel_with_bounds(tidy_sample):
    r = m.attrition(tidy_sample, GROUP, [2015, 2016, 2017])
    # panel ALB + BEL (AUT lacks identified 2016): convicted 37 + (<5 + 11) / identified
    # 370 + (110 + <5); central values count each "<5" as 2.5
    assert (r["numerator"], r["denominator"]) == (50.5, 482.5)
    assert (r["numerator_min"], r["numerator_max"]) == (49.0, 52.0)
    assert r["value"] == pytest.approx(50.5 / 482.5 * 100)
    assert r["low"] == pytest.approx(49 / 484 * 100)  # "<5" counted as 1 above, 4 below
    assert r["high"] == pytest.approx(52 / 481 * 100)
    assert r["n_countries"] == 2 and r["n_suppressed"] == 2
    assert r["mixes_stock_and_flow"] is False


def test_attrition_for_a_printed_region(tidy_sample):
    r = m.attrition(tidy_sample, "TIP:EUR", [2015])
    assert r["value"] == pytest.approx(300 / 1100 * 100)
    assert r["origin"] == "published" and r["citation"] == "tip-2017-regional-law-enforcement"


def test_identified_per_1000_estimated_says_it_mixes_stock_and_flow(tidy_sample):
    r = m.attrition(tidy_sample, "ALB", [2017], "identified", "estimated")
    assert r["per"] == 1000 and r["value"] == pytest.approx(15.0)
    assert r["mixes_stock_and_flow"] is True
    assert "stock" in r["note"] and "flow" in r["note"]


def test_change_between_years(tidy_sample):
    t = m.stage_table(
        tidy_sample, "TIP:EUR", ["identified", "prosecuted", "convicted"], range(2015, 2019)
    )
    s = {st: g.set_index("year")["value"] for st, g in t.groupby("stage")}
    assert m.percent_change(s["prosecuted"], 2015, 2018) == pytest.approx(-52.0)
    assert m.percent_change(s["identified"], 2015, 2018) == pytest.approx((1510 / 1100 - 1) * 100)
    assert m.index_to_base(s["prosecuted"], 2015)[2018] == pytest.approx(48.0)
    avg = m.average_per_year(s["convicted"], 2015, 2018)
    assert avg.value == pytest.approx(270.0) and avg.missing == [2016, 2017]
    assert not avg.complete
    assert math.isnan(m.percent_change(s["convicted"], 2016, 2018))


def test_rates_per_100k(tidy_sample):
    r = m.per_100k(tidy_sample, "ALB", "identified", [2015])
    assert r["rate_per_100k"].iloc[0] == pytest.approx(100 / 2_800_000 * 1e5)
    g = m.per_100k(tidy_sample, ["ALB", "AUT"], "identified", [2015], mode="all")
    assert g["rate_per_100k"].iloc[0] == pytest.approx(300 / 11_800_000 * 1e5)


def test_empty_panel_gives_nan_with_zero_coverage(tidy_sample):
    a = m.aggregate(tidy_sample, GROUP, "prosecuted", [2015])
    assert a["n_countries"].tolist() == [0] and a["value"].isna().all()


def test_real_osce_aggregate_reports_coverage(real_table):
    a = m.aggregate(real_table, "OSCE", ["identified", "convicted"], range(2015, 2019))
    assert (a["group_size"] == 57).all()
    assert a["n_countries"].nunique() == 1 and 0 < a["n_countries"].iloc[0] <= 57
    assert set(a["publication"]) == {"UNODC GLOTIP data 2025-04-14"}


def test_real_tip_world_figures_are_the_printed_ones(real_table):
    t = m.stage_table(real_table, "WORLD", ["prosecuted", "convicted"], [2007, 2016])
    v = t.set_index(["stage", "year"])["value"]
    assert v[("prosecuted", 2007)] == 5682 and v[("convicted", 2007)] == 3427  # TIP 2008
    # TIP 2017, 2016 row: 14,897 (NBC News copy; equals the six regional rows) is the default,
    # the 14,894 of the blog copy is kept as the alternative variant
    assert v[("prosecuted", 2016)] == 14897 and v[("convicted", 2016)] == 9071
    assert isinstance(t, pd.DataFrame)
