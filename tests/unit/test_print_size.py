"""The print-size check and the brief's PDF hygiene on hand-made files: the check finds text
below 7 pt at the placed size, a brief is dated from its data, /Suspects false is found and
removed."""

from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib.figure import Figure
from pypdf import PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject

from thbstats.publish.briefs import pdffile
from thbstats.publish.charts.sizes import drawn_at, placed_scale
from thbstats.publish.printsize import chart_text_sizes, too_small


def _pdf(path, width: float, size: float, text: str = "Source: a publication") -> None:
    fig = Figure(figsize=(width, 3))
    fig.text(0.1, 0.5, text, fontsize=size)
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(path, format="pdf", metadata={"CreationDate": None})


@pytest.mark.parametrize(
    ("width", "size", "printed", "small"),
    [
        (9.0, 9.5, 6.65, True),
        (9.0, 10.0, 7.0, False),
        (6.3, 7.0, 7.0, False),
        (4.0, 6.5, 6.5, True),
    ],
)
def test_text_is_measured_at_a4_text_width(tmp_path, width, size, printed, small):
    _pdf(tmp_path / "c.pdf", width, size)
    texts = chart_text_sizes(tmp_path / "c.pdf")
    assert [t.text for t in texts] == ["Source: a publication"]
    assert texts[0].size == pytest.approx(printed, abs=0.01)
    assert bool(too_small(texts)) is small


def test_rotated_text_measures_its_size(tmp_path):
    fig = Figure(figsize=(6.3, 3))
    fig.text(0.5, 0.5, "Persons per year", fontsize=6, rotation=90)
    fig.savefig(tmp_path / "r.pdf", format="pdf")
    (t,) = chart_text_sizes(tmp_path / "r.pdf")
    assert t.size == pytest.approx(6.0, abs=0.01) and too_small([t]) == [t]


def test_a_placed_chart_gets_the_placed_size_and_scaled_fonts():
    from thbstats.publish.charts.base import house_style, new_figure

    with drawn_at(7.0, 3.0, 0.78), house_style():
        fig = new_figure(9.0, 6.2)
        ticks = matplotlib.rcParams["xtick.labelsize"]
    assert fig.get_size_inches().tolist() == [7.0, 3.0]
    assert ticks == pytest.approx(11 * 0.78)
    assert placed_scale(9.0) == pytest.approx(0.7) and placed_scale(3.0) == 1.0


def _marked_pdf(suspects: bool) -> bytes:
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w._root_object[NameObject("/MarkInfo")] = DictionaryObject(
        {
            NameObject("/Marked"): BooleanObject(True),
            NameObject("/Suspects"): BooleanObject(suspects),
        }
    )
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_suspects_false_is_found_and_cleaned(tmp_path):
    raw = _marked_pdf(False)
    (tmp_path / "raw.pdf").write_bytes(raw)
    assert pdffile.structure_warnings(tmp_path / "raw.pdf") == ["MarkInfo: /Suspects False"]
    cleaned = pdffile.clean(raw)
    assert len(cleaned) == len(raw) and b"/Suspects" not in cleaned
    (tmp_path / "clean.pdf").write_bytes(cleaned)
    assert pdffile.structure_warnings(tmp_path / "clean.pdf") == []


def test_a_broken_file_is_a_finding(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\nnot a pdf")
    found = pdffile.structure_warnings(tmp_path / "bad.pdf")
    assert found and "Error" in found[-1]


def test_brief_date_from_the_newest_release_or_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    keys = ["walkfree-gsi-2023-data", "unodc-glotip-2025-04-14", "unodc-glotip-2023-05-30"]
    assert pdffile.build_timestamp(keys) == 1744588800  # 2025-04-14T00:00:00Z
    assert pdffile.build_timestamp(["walkfree-gsi-2023-data"]) == 1672531200  # 2023-01-01
    assert pdffile.build_timestamp([]) == 946684800  # 2000-01-01: never the clock
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert pdffile.build_timestamp(keys) == 1767225600
