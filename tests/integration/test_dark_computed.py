"""The dark figure computed from a country's list table (thbstats.analysis.dark_computed): the
estimate is the reference implementation's default result (golden file), the period is the one
its sources state, yearly figures are per year of that period; the chart and the briefs of the
United Kingdom and the Netherlands show it beside the published estimate."""

from __future__ import annotations

import pytest
from mse_golden import reference

from thbstats import citations
from thbstats.analysis.dark_computed import computed_estimates, entries
from thbstats.analysis.dark_figure import dark_figure, for_state

pytestmark = pytest.mark.official


def _reference_default(name: str) -> float:
    r = reference()
    return r[(r["table"] == name) & (r["method"] == "auto")]["estimate"].item()


def test_own_estimates_are_the_reference_default_over_the_table_period(official) -> None:
    t = computed_estimates().set_index("geo")
    uk, nl = t.loc["GBR"], t.loc["NLD"]
    # United Kingdom: the 2013 lists (Home Office 2014: 'potential victims in the UK in 2013')
    assert (uk["years"], uk["n_years"], uk["observed"]) == ("2013", 1, 2744)
    assert uk["total"] == pytest.approx(_reference_default("UKdat"), rel=1e-6)
    assert uk["per_year"] == uk["total"] and uk["method"] == "stepwise"
    assert 10_000 <= uk["per_year"] <= 13_000  # inside the Home Office's published range
    assert uk["total_low"] < uk["total"] < uk["total_high"]
    # the Netherlands: 2010-2015, six years; a year is the total over six
    assert (nl["years"], nl["n_years"], nl["observed"]) == ("2010-2015", 6, 8234)
    assert nl["total"] == pytest.approx(_reference_default("Ned"), rel=1e-6)
    assert nl["per_year"] == pytest.approx(nl["total"] / 6)
    assert nl["per_year_low"] == pytest.approx(nl["total_low"] / 6)
    assert nl["observed_per_year"] == pytest.approx(8234 / 6)


def test_each_period_cites_a_registered_publication_that_names_it() -> None:
    known = citations.all_sources()
    for e in entries():
        assert e["period_citation"] in known and e["table"] in known, e
        period = str(e["year_start"]) + (
            f"-{e['year_end']}" if e["year_end"] > e["year_start"] else ""
        )
        assert period in citations.source_line([e["period_citation"]]), e


def test_the_chart_and_the_briefs_show_the_own_estimate(official_dataset) -> None:
    from thbstats.publish.briefs.content import dark_sources, dark_text
    from thbstats.publish.chartdata.common import meta
    from thbstats.publish.chartdata.dark_figure import dark_figure_data

    dark = dark_figure(official_dataset)
    uk, nl = for_state(dark, "GBR"), for_state(dark, "NLD")
    uk_text, nl_text = dark_text(uk), dark_text(nl)
    assert "10,000-13,000" in uk_text and "Computed by thbstats" in uk_text
    assert "(2013; 2,744 listed)" in uk_text and "11,418" in uk_text
    assert "2010-2015; 8,234 listed, 1,372 a year" in nl_text
    assert "18,523 a year (111,139 in all" in nl_text and "about 6,250" in nl_text
    assert any("2010-2015" in s for s in dark_sources(nl))  # the period's source, a footnote
    assert "Computed by thbstats" not in dark_text(for_state(dark, "IRL"))
    table = dark_figure_data(official_dataset)
    assert table.set_index("geo").loc["NLD", "computed_label"].startswith("18,523 (")
    assert "Hatched: thbstats' own" in meta(table).note
    assert "mse-netherlands-six-lists" in meta(table).citations
