"""Each chart for the world, the OSCE, a TIP region and one participating State (real data), the
hand-made table, and the "no data" case."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from chart_contract import check_contract, texts

from thbstats.publish import charts as ch

pytest_plugins = ["figure_fixtures"]

TIP_REGIONS = ["TIP:AF", "TIP:EAP", "TIP:EUR", "TIP:NEA", "TIP:SCA", "TIP:WHA"]
REAL_CASES = {
    "funnel": [
        (ch.funnel_chart, (g, y), {})
        for g, y in [("WORLD", 2014), ("OSCE", 2018), ("TIP:EUR", 2016), ("DEU", 2019)]
    ],
    "divergence": [
        (ch.divergence_chart, a, k)
        for a, k in [
            (("WORLD", 2008, 2014), {}),
            (("OSCE", 2015, 2022), {}),
            (("TIP:EUR", 2003, 2005), {"stages": ("prosecuted", "convicted")}),
            (("DEU", 2015, 2022), {}),
        ]
    ],
    "gap": [
        (ch.gap_bars_chart, a, k)
        for a, k in [
            (("WORLD", 2008, 2014), {}),
            (("OSCE", 2015, 2022), {"periods": [(2015, 2018), (2019, 2022)]}),
            (("TIP:EUR", 2003, 2005), {"stages": ("prosecuted", "convicted")}),
            (("DEU", 2015, 2022), {}),
        ]
    ],
    "trends": [
        (ch.trends_chart, (g, 2003, e), {})
        for g, e in [("WORLD", 2018), ("OSCE", 2022), ("TIP:EUR", 2016), ("DEU", 2022)]
    ],
    "attrition": [
        (ch.attrition_chart, a, {})
        for a in [
            (TIP_REGIONS, 2016, 2016),
            ("OSCE", 2015, 2018),
            (["WORLD", "OSCE", "TIP:EUR", "DEU"], 2014, 2016),
        ]
    ],
    "coverage": [
        (ch.coverage_chart, (g, 2003, 2022), {}) for g in ["WORLD", "OSCE", "TIP:EUR", "DEU"]
    ],
}


@pytest.mark.parametrize("kind", sorted(REAL_CASES))
def test_each_chart_on_real_data(real_table, kind):
    for func, args, kwargs in REAL_CASES[kind]:
        chart = func(real_table, *args, **kwargs)
        try:
            check_contract(chart)
        finally:
            plt.close(chart.fig)


def test_funnel_plots_the_printed_tip_world_figures(real_table):
    c = ch.funnel_chart(real_table, "WORLD", 2014)
    v = c.data.set_index("stage")["value"]
    assert (v["identified"], v["prosecuted"], v["convicted"]) == (44462, 10051, 4443)
    assert v["estimated"] == 24_900_000  # ILO 2017, forced labour (concept note footnote 1)
    body = texts(c)
    assert "44,462" in body and "24,900,000" in body
    assert "per 100 identified" in body and "per 1,000 estimated" in body
    assert c.fig.axes[0].get_xscale() == "log"
    plt.close(c.fig)


def test_funnel_says_when_a_stage_has_no_data(tidy_sample):
    c = ch.funnel_chart(tidy_sample, "AUT", 2016)  # AUT: no identified victims in 2016
    assert "No data for this stage (identified, 2016)" in texts(c)
    assert "identified: no data" in c.alt.lower() or "Identified victims: no data" in c.alt
    check_contract(c)
    plt.close(c.fig)


def test_divergence_says_when_nothing_can_be_indexed(real_table):
    c = ch.divergence_chart(real_table, "TIP:EUR", 2015, 2018)  # the known TIP gap
    assert "No data" in texts(c)
    plt.close(c.fig)


def test_charts_on_hand_made_table(tidy_sample):
    c = ch.gap_bars_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    d = c.data.drop_duplicates("stage").set_index("stage")["average"]
    assert d["identified"] == pytest.approx((1100 + 1510) / 2)
    assert "1,100" in texts(c) and "no data" in texts(c)
    a = ch.attrition_chart(tidy_sample, ["ALB", "AUT", "BEL"], 2015, 2017)
    assert a.data.set_index("geo").loc["ALB", "value"] == pytest.approx(37 / 370 * 100)
    for chart in (
        c,
        a,
        ch.coverage_chart(
            tidy_sample, ["ALB", "AUT", "BEL"], 2015, 2017, stages=("identified", "convicted")
        ),
    ):
        check_contract(chart)
        plt.close(chart.fig)


def test_footer_is_built_from_citations_of_plotted_rows(tidy_sample):
    from thbstats import citations

    c = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    assert c.citations == ["tip-2017-regional-law-enforcement"]
    assert c.source == citations.source_line(c.citations)
    plt.close(c.fig)


def test_profile_funnel_year_has_the_most_stages(real_table):
    from thbstats.publish import profile

    # Türkiye: 2022 has identified victims only; 2021 has all three flows (UNODC 2025-04-14)
    assert profile.latest_year(real_table, "TUR") == 2022
    assert profile.funnel_year(real_table, "TUR") == 2021
    assert profile.funnel_year(real_table, "DEU") == 2019  # 2021-22: no prosecutions
    assert profile.funnel_year(real_table, "ITA") == 2022  # 2 stages; 3 only in 2009-10: stale
    assert profile.funnel_year(real_table, "CHE") == 2021  # 2 stages (2022: 1; 2009: 3)
    assert profile.funnel_year(real_table, "MCO") == 2009  # its only data year
    charts = profile.country_profile(real_table, "TUR")
    f = charts[0].data.set_index("stage")["value"]
    assert charts[0].id == "funnel-tur-2021"
    assert (f["identified"], f["prosecuted"], f["convicted"]) == (402, 285, 72)
    assert profile.country_profile(real_table, "TUR", year=2022)[0].id == "funnel-tur-2022"
    assert [c.drawn for c in charts] == [False, False, False]  # drawn only when shown or saved


def test_a_caption_says_only_what_applies_to_its_chart(real_table):
    """The sentence on the estimate only under a funnel that shows one; no hollow-marker sentence
    on a trend without secondary-source figures (Germany), one where there are (the world)."""
    with_est = ch.funnel_chart(real_table, "DEU", 2019)
    without = ch.funnel_chart(real_table, "DEU", 2019, stages=("identified", "convicted"))
    assert "'Estimated' counts people" in with_est.note
    assert "'Estimated' counts people" not in without.note and "  " not in without.note
    assert "Hollow markers" not in ch.trends_chart(real_table, "DEU", 2003, 2022).note
    assert "Hollow markers" in ch.trends_chart(real_table, "WORLD", 2003, 2018).note
    plt.close("all")
