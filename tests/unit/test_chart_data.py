"""Chart tables without matplotlib: the values, bounds, labels and words each chart draws,
checked against sums and ratios computed here by hand from the hand-made table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from thbstats.publish import chartdata as cd
from thbstats.publish.chartdata.common import caption, sentences

pytest_plugins = ["figure_fixtures"]

TESTS = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
import pandas as pd
from figure_fixtures import sample_rows
from thbstats import schema
from thbstats.publish import chartdata as cd
df = schema.coerce(pd.DataFrame(sample_rows()))
tables = [
    cd.funnel_data(df, "ALB", 2016),
    cd.trends_data(df, "ALB", 2015, 2017),
    cd.divergence_data(df, "TIP:EUR", 2015, 2018),
    cd.gap_bars_data(df, "TIP:EUR", 2015, 2018),
    cd.attrition_data(df, ["ALB", "AUT", "BEL"], 2015, 2017),
    cd.coverage_data(df, ["ALB", "AUT", "BEL"], 2015, 2017),
]
assert all(t.attrs["chart"].title for t in tables)
assert "matplotlib" not in sys.modules, sorted(m for m in sys.modules if "matplotlib" in m)
print("ok")
"""


def test_chart_tables_are_made_without_matplotlib():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(tests=str(TESTS))], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_funnel_table(tidy_sample):
    t = cd.funnel_data(tidy_sample, "ALB", 2016).set_index("stage")
    assert t.loc["estimated", "value"] == 10000  # Walk Free 2021, the estimate nearest 2016
    assert (t.loc["identified", "value"], t.loc["convicted", "value"]) == (120, 12)
    assert t["value"].isna().sum() == 1 and pd.isna(t.loc["prosecuted", "value_max"])
    assert (
        t.loc["identified", "ratio_label"]
        == f"{120 / 10000 * 1000:.1f} identified\nper 1,000 estimated"
    )
    # the ratio skips the stage without data: convicted per 100 identified
    assert (
        t.loc["convicted", "ratio_label"] == f"{12 / 120 * 100:.1f} convicted\nper 100 identified"
    )
    assert t.loc["estimated", "stage_label"] == "Estimated:\nmodern slavery"
    m = cd.meta(t)
    assert m.id == "funnel-alb-2016"
    assert m.citations == ["unodc-glotip-2025-04-14", "walkfree-gsi-2023-data"]
    assert "No data for prosecuted (2016)." in m.note
    assert "UNODC GLOTIP data 2025-04-14" in m.searched


def test_funnel_table_carries_lt5_bounds(tidy_sample):
    t = cd.funnel_data(tidy_sample, "BEL", 2017).set_index("stage")
    assert (t.loc["identified", "value_min"], t.loc["identified", "value_max"]) == (1, 4)
    assert t.loc["identified", "value_label"] == "1-4 (published as '<5')"
    assert t.loc["convicted", "value"] == 6
    lo, hi = 6 / 4 * 100, 6 / 1 * 100
    assert t.loc["convicted", "ratio_label"] == f"{lo:.0f}-{hi:.0f} convicted\nper 100 identified"


def test_trend_and_divergence_tables(tidy_sample):
    t = cd.trends_data(tidy_sample, "ALB", 2015, 2017)
    ends = t[t["end_label"] != ""].set_index("stage")
    assert ends.loc["identified", ["year", "end_label"]].tolist() == [2017, "150"]
    assert ends.loc["convicted", ["year", "end_label"]].tolist() == [2017, "15"]
    d = cd.divergence_data(tidy_sample, "TIP:EUR", 2015, 2018)
    idx = d.set_index(["stage", "year"])["index"]
    assert idx[("identified", 2018)] == pytest.approx(1510 / 1100 * 100)
    assert idx[("convicted", 2018)] == pytest.approx(240 / 300 * 100)
    assert cd.meta(d).citations == ["tip-2017-regional-law-enforcement"]


def test_gap_table_averages(tidy_sample):
    g = cd.gap_bars_data(tidy_sample, "TIP:EUR", 2015, 2018)
    avg = g.drop_duplicates("stage").set_index("stage")
    assert avg.loc["identified", "average"] == pytest.approx((1100 + 1510) / 2)
    assert avg.loc["convicted", "average"] == pytest.approx((300 + 240) / 2)
    assert avg.loc["convicted", "average_label"] == (
        "Convicted, average 2015-2018: 270 a year (no figure for 2016, 2017)"
    )
    assert g.set_index(["stage", "year"]).loc[("identified", 2015), "label"] == "1,100"


def test_attrition_table_ranks_and_ranges(tidy_sample):
    a = cd.attrition_data(tidy_sample, ["ALB", "AUT", "BEL"], 2015, 2017).set_index("geo")
    assert a.loc["ALB", "value"] == pytest.approx((10 + 12 + 15) / (100 + 120 + 150) * 100)
    assert a.loc["AUT", "value"] == pytest.approx((20 + 30) / (200 + 260) * 100)  # 2016: no victims
    # BEL: '<5' counts 2.5 in the central value, 1 or 4 at the bounds
    assert a.loc["BEL", "value"] == pytest.approx((2.5 + 5 + 6) / (50 + 60 + 2.5) * 100)
    assert a.loc["BEL", "low"] == pytest.approx((1 + 5 + 6) / (50 + 60 + 4) * 100)
    assert a.loc["BEL", "high"] == pytest.approx((4 + 5 + 6) / (50 + 60 + 1) * 100)
    assert a["rank"].to_dict() == {"BEL": 1, "AUT": 2, "ALB": 3}


def test_coverage_table_status(tidy_sample):
    c = cd.coverage_data(tidy_sample, ["ALB", "AUT", "BEL"], 2015, 2017)
    s = c.set_index(["geo", "stage", "year"])["status"]
    assert s[("AUT", "identified", 2016)] == 0 and s[("BEL", "identified", 2017)] == 1
    assert s[("ALB", "convicted", 2015)] == 2 and s[("BEL", "prosecuted", 2015)] == 0


def test_words_end_with_one_full_stop():
    assert sentences("Labels give the figures. ", "", " .") == "Labels give the figures."
    assert caption("Title", "sub · x", "Note ends here. ") == "Title. sub · x. Note ends here."
    assert caption("Why?", "", "") == "Why?"


def test_caption_of_every_table_is_clean(tidy_sample):
    for t in (cd.gap_bars_data(tidy_sample, "TIP:EUR", 2015, 2018),
              cd.funnel_data(tidy_sample, "AUT", 2016),
              cd.divergence_data(tidy_sample, "TIP:EUR", 2015, 2018)):  # fmt: skip
        m = cd.meta(t)
        text = caption(m.title, m.subtitle, m.note)
        assert text.endswith(".") and not text.endswith("..")
        assert ". ." not in text and ".." not in text and "  " not in text


def test_every_table_carries_its_model_with_its_kind(tidy_sample):
    from dataclasses import FrozenInstanceError

    made = {
        "funnel": cd.funnel_data(tidy_sample, "ALB", 2016),
        "trends": cd.trends_data(tidy_sample, "ALB", 2015, 2017),
        "divergence": cd.divergence_data(tidy_sample, "TIP:EUR", 2015, 2018),
        "gap": cd.gap_bars_data(tidy_sample, "TIP:EUR", 2015, 2018),
        "attrition": cd.attrition_data(tidy_sample, ["ALB", "AUT", "BEL"], 2015, 2017),
        "coverage": cd.coverage_data(tidy_sample, ["ALB", "AUT", "BEL"], 2015, 2017),
    }
    for kind, table in made.items():
        spec = cd.meta(table)
        assert isinstance(spec, cd.ChartSpec) and spec.kind == kind
        assert spec.id.startswith(kind)
    assert cd.meta(made["funnel"]).geography == "ALB"
    with pytest.raises(FrozenInstanceError):
        cd.meta(made["funnel"]).title = "changed in place"  # a chart changes its words whole
    with pytest.raises(ValueError, match="model of a chart"):
        cd.meta(tidy_sample)


def test_a_chart_reads_its_words_from_its_table(tidy_sample):
    from thbstats.publish.charts import funnel_chart

    chart = funnel_chart(tidy_sample, "ALB", 2016)
    chart.note = "A note."
    assert cd.meta(chart.data).note == "A note." and chart.spec.note == "A note."
    assert chart.caption.endswith("A note.")
