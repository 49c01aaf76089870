"""The generated text under a chart, on hand-made chart tables: every number it prints comes
from the table, a "<5" cell reads as 1 to 4 (never 0), gaps and flags are said in words."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from thbstats.publish import narrative
from thbstats.publish.charts import Chart
from thbstats.publish.narrative_series import describe_series, figure_text, spans


def series(rows: list[tuple], **extra) -> pd.DataFrame:
    """(stage, year, value_min, value_max, flag) rows as a stage_table of one printed series."""
    t = pd.DataFrame(rows, columns=["stage", "year", "value_min", "value_max", "flag"])
    t["value"] = (t["value_min"] + t["value_max"]) / 2
    t["n_suppressed"] = ((t["value_min"] == 1) & (t["value_max"] == 4)).astype(int)
    base = {"origin": "published", "publication": "UNODC GLOTIP data 2025-04-14"}
    return t.assign(**(base | extra))


def chart(id_: str, data: pd.DataFrame, title: str = "A chart") -> Chart:
    return Chart(
        fig=Figure(), id=id_, title=title, subtitle="", source="Source: X.", alt="", data=data
    )


@pytest.mark.parametrize(
    ("lo", "hi", "text"),
    [
        (54, 54, "54"),
        (1, 4, '"<5" (1 to 4)'),
        (1421, 1436, "1,421 to 1,436"),
        (None, None, "no figure"),
    ],
)
def test_a_figure_reads_as_printed(lo, hi, text):
    assert (
        figure_text(float("nan") if lo is None else lo, float("nan") if hi is None else hi) == text
    )


def test_spans_of_years():
    assert spans([2019, 2015, 2016, 2017]) == "2015-2017, 2019"
    assert spans([]) == ""


def test_a_series_gives_every_year_its_gaps_change_and_lt5_cells():
    t = series(
        [
            ("prosecuted", 2017, 91, 91, ""),
            ("prosecuted", 2018, 54, 54, ""),
            ("prosecuted", 2020, 1, 4, "suppressed_lt5"),
            ("convicted", 2018, 5, 5, "inconsistent"),
        ]
    )
    text = describe_series(t, "Albania")
    assert "| Prosecuted | 91 | 54 | – | <5 |" in text
    assert "| Convicted | – | 5 | – | – |" in text
    # 91 -> 1-4: -99% to -96%, never -100%
    assert (
        '**Prosecuted**: 91 in 2017, "<5" (1 to 4) in 2020; change over the period -99% to -96%'
        in text
    )
    assert "no figure for 2019" in text
    assert 'published as "<5" (1 to 4 persons each) (prosecuted 2020)' in text
    assert "Flagged as inconsistent with their own release: convicted 2018." in text
    assert "Figures as printed in UNODC GLOTIP data 2025-04-14." in text


def test_a_sum_says_its_coverage_and_its_dominant_country():
    t = series([("identified", 2015, 100, 106, ""), ("identified", 2016, 200, 200, "")])
    t = t.assign(
        origin="aggregate",
        n_countries=[26, 26],
        group_size=[57, 57],
        mode="balanced",
        n_suppressed=[2, 0],
        n_flagged=[3, 0],
        largest=["USA", "USA"],
        largest_share=[0.6, 0.4],
        flag="",
    )
    text = describe_series(t, "OSCE")
    assert "sum of 26 of the group's 57 countries" in text and "balanced panel" in text
    assert "| Identified victims | 100-106 | 200 |" in text
    assert '2 country figure(s) were published as "<5"' in text
    assert "The sums include 3 country figure(s) flagged" in text
    assert "United States makes up more than half of the sum in 2015." in text


def test_a_funnel_names_stock_and_flow_and_gives_its_ratios_as_ranges():
    data = pd.DataFrame(
        {
            "stage": ["estimated", "identified", "prosecuted", "convicted"],
            "value": [34000, 112, 8, 2.5],
            "value_min": [34000, 112, 8, 1],
            "value_max": [34000, 112, 8, 4],
            "period": ["2021", "2022", "2022", "2022"],
            "kind": ["stock", "flow", "flow", "flow"],
            "publication": ["Global Slavery Index 2023"] + ["UNODC GLOTIP data 2025-04-14"] * 3,
            "n_suppressed": [0, 0, 0, 1],
            "origin": "published",
            "form": ["modern_slavery", "all", "all", "all"],
        }
    )
    text = narrative.describe(chart("funnel-alb-2022", data, "The impunity gap: Albania, 2022"))
    assert "Estimated victims, modern slavery: **34,000** in 2021 (a stock" in text
    assert 'Convicted: **"<5" (1 to 4)** in 2022' in text
    assert "Convicted per 100 identified victims: **0.9 to 3.6**" in text  # 1/112 .. 4/112
    assert "An estimate is a stock at one point in time" in text
    assert text.rstrip().endswith("*Source: X.*")


def test_a_funnel_without_a_stage_says_it_is_a_gap():
    data = pd.DataFrame(
        {
            "stage": ["identified", "convicted"],
            "value": [10.0, float("nan")],
            "value_min": [10.0, float("nan")],
            "value_max": [10.0, float("nan")],
            "period": ["2020", ""],
            "kind": "flow",
            "publication": ["P", ""],
            "n_suppressed": 0,
            "origin": "published",
            "form": "all",
        }
    )
    text = narrative.describe(chart("funnel-x-2020", data))
    assert "Convicted: **no figure** in the dataset (a gap, not 0)." in text


def test_an_unknown_chart_kind_falls_back_to_its_caption():
    c = chart("custom-1", pd.DataFrame(), "Something")
    assert narrative.describe(c).startswith("**Something.**")


def test_parameters_in_words():
    text = narrative.parameters_text(geo=["ALB", "TIP:EUR"], start=2015, out_dir="figures")
    assert text.startswith("**This run.** geography: Albania (`ALB`), Europe (TIP Report region)")
    assert "start: 2015" in text and "written to `figures/` of the project" in text


def test_verdicts_are_counted_and_the_differing_ones_listed():
    checks = pd.DataFrame(
        {
            "claim": ["a", "a", "b"],
            "check": ["cited source", "independent: OSCE", "cited source"],
            "asserted": [-52.0, -52.0, 100.0],
            "computed": [float("nan"), -0.3, 100.0],
            "difference": ["", "+51.7", "+0.0"],
            "verdict": ["cannot be checked", "differs", "reproduced"],
        }
    )
    text = narrative.verdicts_text(checks)
    assert text.startswith("**3 checks of 2 published claims.**")
    assert "- `a` (independent: OSCE): asserted -52, computed -0.3, difference +51.7." in text
    assert "`b`" not in text


def test_breaks_are_told_by_kind_and_year_for_the_years_shown_only():
    t = series(
        [
            ("identified", 2016, 489, 489, ""),
            ("identified", 2017, 9, 9, "outlier"),
            ("identified", 2018, 33, 33, ""),
            ("prosecuted", 2017, 20, 20, "break_in_series"),
            ("convicted", 2022, 1294, 1296, "derived"),
        ]
    )
    text = describe_series(t, "Hungary")
    assert "Identified victims: a one-year outlier in 2017 (a jump of tenfold or more" in text
    assert "Prosecuted: a change of level from 2017 (a jump of tenfold or more" in text
    assert "Flagged as derived from their splits by sex and by age" in text
    shown = describe_series(t[t["year"] != 2017], "Hungary")
    assert "outlier" not in shown and "change of level" not in shown
