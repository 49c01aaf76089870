"""Charts usable as they are: no text over a plotted mark, legends off the data, the x axis ends
at the last year with data, year-by-year bars at A4 text width, a funnel stage without data is a
note (never a bar). Drawn from the real table; the overlap check is shown to catch an overlap."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from thbstats.publish import charts as ch
from thbstats.publish.charts.base import WIDTH

pytest_plugins = ["figure_fixtures"]


def text_overlaps(fig):
    from figure_fixtures import text_overlaps

    return text_overlaps(fig)


def drawn(fig):
    from figure_fixtures import drawn

    return drawn(fig)


CASES = [
    (ch.trends_chart, ("DEU", 2010, 2022), {"source": "UNODC"}),
    (ch.trends_chart, ("TUR", 2010, 2022), {"source": "UNODC"}),
    (ch.trends_chart, ("OSCE", 2003, 2022), {}),
    (ch.gap_bars_chart, ("DEU", 2010, 2022), {"source": "UNODC"}),
    (ch.gap_bars_chart, ("TUR", 2010, 2022), {"source": "UNODC"}),
    (ch.gap_bars_chart, ("OSCE", 2015, 2022), {"periods": [(2015, 2018), (2019, 2022)]}),
    (ch.funnel_chart, ("DEU", 2018), {}),
    (ch.funnel_chart, ("TUR", 2021), {}),
    (ch.funnel_chart, ("TUR", 2022), {}),
    (ch.funnel_chart, ("WORLD", 2014), {}),
    (ch.divergence_chart, ("OSCE", 2015, 2022), {}),
    (ch.attrition_chart, ("OSCE", 2015, 2018), {}),
    (ch.coverage_chart, ("OSCE", 2003, 2022), {}),
    (ch.coverage_chart, ("WORLD", 2003, 2022), {}),
    (ch.revisions_chart, (), {}),
    (ch.revisions_by_stage_chart, (), {}),
]


@pytest.mark.parametrize(("func", "args", "kwargs"), CASES, ids=lambda v: str(v)[:30])
def test_no_text_overlaps_a_plotted_mark(real_table, func, args, kwargs):
    chart = func(real_table, *args, **kwargs)
    assert text_overlaps(chart.fig) == []


def test_the_overlap_check_finds_a_legend_over_points():
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [10, 10, 10], marker="o", label="a long legend label over the points")
    ax.set_ylim(9, 11)
    ax.legend(loc="center")
    ax.annotate("on the point", (1, 10), ha="center", va="center")
    found = text_overlaps(fig)
    assert any(f.startswith("'legend'") for f in found), found
    assert any(f.startswith("'on the point'") for f in found), found


def test_trend_legend_above_the_plot_and_axis_ends_at_the_last_year(real_table):
    c = ch.trends_chart(real_table, "DEU", 2010, 2022, source="UNODC")
    last = int(c.data.loc[c.data["value"].notna(), "year"].max())
    assert last == 2022  # DEU: identified victims '<5' in 2022 (UNODC GLOTIP 2025-04-14)
    ax = c.fig.axes[0]
    r = drawn(c.fig)
    assert ax.get_legend().get_window_extent(r).y0 >= ax.get_window_extent(r).y1
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert max(ticks) == 2022 and min(ticks) == 2010
    assert ax.spines["bottom"].get_bounds()[1] < 2023
    t = ch.trends_chart(real_table, "TUR", 2010, 2018, source="UNODC")
    assert max(t.fig.axes[0].get_xticks()) <= 2018


def test_gap_bars_at_a4_text_width(real_table):
    c = ch.gap_bars_chart(real_table, "DEU", 2010, 2022, source="UNODC")
    w, h = c.fig.get_size_inches()
    assert w == WIDTH["text"] == 6.3 and h < 9.0
    sizes = [t.get_fontsize() for t in c.fig.axes[0].texts]
    assert min(sizes) >= 7  # readable at 100% on the page


def test_funnel_stage_without_data_is_a_note_not_a_bar(real_table):
    c = ch.funnel_chart(real_table, "TUR", 2022)  # UNODC: no prosecutions or convictions in 2022
    ax = c.fig.axes[0]
    bars = [p for p in ax.patches if p.get_width() > 0]
    values = c.data["value"].dropna()
    assert len(bars) == len(values) == 2
    assert max(p.get_width() for p in bars) == pytest.approx(values.max())
    notes = [t.get_text() for t in ax.texts if t.get_text().startswith("No data")]
    assert notes == [
        "No data for this stage (prosecuted, 2022)",
        "No data for this stage (convicted, 2022)",
    ]


def test_gap_bars_at_slide_width(real_table, tmp_path):
    from functools import partial

    from thbstats.publish import export
    from thbstats.publish.chartdata import gap_bars_data

    table = gap_bars_data(real_table, "DEU", 2010, 2022, source="UNODC")
    text = ch.draw_gap_bars(table)
    slide = ch.Chart.of(table, partial(ch.gap_bars_figure, width_in=WIDTH["slide"]))
    assert slide.fig.get_size_inches()[0] == WIDTH["slide"] == 9.0
    assert text_overlaps(slide.fig) == []
    assert export.fingerprint(text) != export.fingerprint(slide)  # another size, another file
