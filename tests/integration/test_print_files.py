"""Briefs and exported charts as files a reader prints: every text at least 7 pt where it is
placed (read back from the PDFs), brief PDFs that a strict reader and poppler read without a
warning, dated from the data, and byte-identical when built again from the same inputs."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest
from pypdf import PdfReader

from thbstats.publish import charts as ch
from thbstats.publish.briefs.pdffile import structure_warnings
from thbstats.publish.charts.dark_figure import dark_figure_chart
from thbstats.publish.charts.ranking import ranking_chart
from thbstats.publish.export import export
from thbstats.publish.printsize import chart_text_sizes, text_sizes, too_small

pytest_plugins = ["figure_fixtures"]

CHARTS = [
    (ch.trends_chart, ("DEU", 2010, 2022), {"source": "UNODC"}),
    (ch.trends_chart, ("OSCE", 2003, 2022), {}),
    (ch.gap_bars_chart, ("TUR", 2010, 2022), {"source": "UNODC"}),
    (ch.gap_bars_chart, ("OSCE", 2015, 2022), {"periods": [(2015, 2018), (2019, 2022)]}),
    (ch.funnel_chart, ("DEU", 2018), {}),
    (ch.funnel_chart, ("TUR", 2022), {}),
    (ch.divergence_chart, ("OSCE", 2015, 2022), {}),
    (ch.attrition_chart, ("OSCE", 2015, 2018), {}),
    (ch.coverage_chart, ("OSCE", 2003, 2022), {}),
    (ch.coverage_chart, ("WORLD", 2003, 2022), {}),
    (ch.revisions_chart, (), {}),
    (ch.revisions_by_stage_chart, (), {}),
    (ranking_chart, (), {}),
    (dark_figure_chart, (), {}),
]


def explorer_chart(df: pd.DataFrame, geo: str) -> ch.Chart:
    """The explorer's view of ``geo`` (exported from the notebook's Export button)."""
    from thbstats.publish import explorer_view

    sel = explorer_view.Selection(geo=geo)
    return explorer_view.chart(explorer_view.table(df, sel), sel)


def slide_bars(df: pd.DataFrame, geo: str, start: int, end: int) -> ch.Chart:
    """Year-by-year bars drawn a slide wide (9 inches) rather than at A4 text width."""
    from functools import partial

    from thbstats.publish.chartdata import gap_bars_data

    table = gap_bars_data(df, geo, start, end, source="UNODC")
    return ch.Chart.of(table, partial(ch.gap_bars_figure, width_in=9.0))


CHARTS += [(explorer_chart, ("OSCE",), {}), (slide_bars, ("DEU", 2010, 2022), {})]
BRIEFS = ["DEU", "TUR", "EU27", "OSCE"]
UNODC_RELEASE = "D:20250414000000"  # the newest release a brief cites: UNODC, 14 April 2025


@pytest.fixture(scope="module")
def every_vintage() -> pd.DataFrame:
    import thbstats

    return thbstats.load(vintage="all")


@pytest.mark.parametrize(("func", "args", "kwargs"), CHARTS, ids=lambda v: str(v)[:30])
def test_exported_chart_text_is_at_least_7pt_at_a4_text_width(
    real_table, every_vintage, tmp_path, func, args, kwargs
):
    table = every_vintage if func.__name__.startswith("revisions") else real_table
    chart = func(table, *args, **kwargs)
    entry = export(chart, tmp_path, formats=("pdf",))
    texts = chart_text_sizes(tmp_path / entry["files"]["pdf"])
    assert len(texts) > 10  # the chart's words are text in the PDF, so they are measured
    assert too_small(texts) == [], too_small(texts)[:5]
    title = max(texts, key=lambda t: t.size)  # 16 pt on a chart of at most 9 inches
    assert title.size >= 10 and chart.title.startswith(title.text[:12]), title


@pytest.fixture(scope="module")
def briefs(official_dataset, tmp_path_factory):
    from thbstats.publish.briefs import build

    out = tmp_path_factory.mktemp("briefs")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)  # dated from the data
        build(official_dataset, only=BRIEFS, out_dir=out)
    return out / "briefs"


@pytest.mark.parametrize("code", BRIEFS)
def test_brief_text_and_its_charts_print_at_least_7pt(briefs, code):
    texts = text_sizes(briefs / f"{code}.pdf")
    assert too_small(texts) == [], too_small(texts)[:5]
    # chart text is typeset at the size it was drawn: an axis label (12 pt on a 9-inch slide)
    # at the brief's text width prints at 12 * 7.0 / 9 = 9.3 pt, not scaled down to 4-5 pt
    # (chart text is set glyph by glyph, spaces left out: the glyphs of that size, joined)
    at_93 = "".join(t.text for t in texts if 9.0 <= t.size <= 9.6)
    assert "Persons(logscale)" in at_93 and "Datayear" in at_93


@pytest.mark.parametrize("code", BRIEFS)
def test_brief_pdf_reads_without_warnings_and_is_dated_from_its_data(briefs, code):
    path = briefs / f"{code}.pdf"
    assert structure_warnings(path) == []
    meta = PdfReader(path, strict=True).metadata
    assert meta["/CreationDate"].startswith(UNODC_RELEASE), meta["/CreationDate"]
    assert meta["/ModDate"].startswith(UNODC_RELEASE)
    if shutil.which("pdftotext"):  # poppler, where installed (CI installs it)
        run = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
        )
        assert run.stderr == "" and "Year by year" in run.stdout


def test_a_second_build_gives_the_same_bytes(official_dataset, briefs, tmp_path, monkeypatch):
    from thbstats.publish.briefs import build

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again = build(official_dataset, only=["DEU", "EU27"], out_dir=tmp_path, force=True)
    assert again["written"] == ["DEU", "EU27"]
    for code in ("DEU", "EU27"):
        for name in (f"{code}.pdf", f"{code}.html", f"{code}-funnel.svg", f"{code}-trend.svg"):
            assert (tmp_path / "briefs" / name).read_bytes() == (briefs / name).read_bytes(), name
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the builder's date wins
    build(official_dataset, only=["DEU"], out_dir=tmp_path, force=True)
    dated = PdfReader(tmp_path / "briefs" / "DEU.pdf").metadata["/CreationDate"]
    assert dated.startswith("D:20260101000000"), dated
