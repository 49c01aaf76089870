"""Export: reproducible bytes, CSV/XLSX of the plotted data (formula-like text stays text),
manifest entries, atomic writes and the negative cases."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import openpyxl
import pytest

from thbstats.publish import charts as ch
from thbstats.publish import export as ex
from thbstats.publish.sheets import HEADER_ROW

pytest_plugins = ["figure_fixtures"]


@pytest.fixture
def chart(tidy_sample):
    c = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    yield c
    plt.close(c.fig)


def test_same_figure_twice_gives_identical_bytes(tmp_path, tidy_sample):
    outs = []
    for name in ("a", "b"):  # a fresh figure each time, as a rerun would make
        c = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
        ex.export(c, tmp_path / name)
        plt.close(c.fig)
        outs.append(tmp_path / name)
    for suffix in ("png", "svg", "pdf", "csv", "xlsx"):
        a = (outs[0] / f"divergence-tip-eur-2015-2018.{suffix}").read_bytes()
        b = (outs[1] / f"divergence-tip-eur-2015-2018.{suffix}").read_bytes()
        assert a == b, suffix
    svg = (outs[0] / "divergence-tip-eur-2015-2018.svg").read_text()
    pdf = (outs[0] / "divergence-tip-eur-2015-2018.pdf").read_bytes()
    assert "<dc:date>" not in svg and b"CreationDate" not in pdf and b"ModDate" not in pdf
    png = (outs[0] / "divergence-tip-eur-2015-2018.png").read_bytes()
    assert b"tIME" not in png and b"Software" not in png


def test_png_resolution_and_dpi_floor(tmp_path, chart):
    ex.save_figure(chart, tmp_path / "x.png", "png", dpi=200)
    from PIL import Image

    with Image.open(tmp_path / "x.png") as im:
        assert im.size[0] == int(chart.fig.get_size_inches()[0] * 200)
    with pytest.raises(ValueError, match="dpi"):
        ex.save_figure(chart, tmp_path / "y.png", "png", dpi=72)
    with pytest.raises(ValueError, match="format"):
        ex.save_figure(chart, tmp_path / "y.gif", "gif")
    assert not (tmp_path / "y.png").exists()


def test_xlsx_keeps_formula_like_labels_as_text(tmp_path, chart):
    chart.data.loc[0, "publication"] = '=HYPERLINK("http://x","click")'
    chart.data.loc[1, "publication"] = "+1+2"
    entry = ex.export(chart, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / entry["files"]["xlsx"])
    assert wb.sheetnames == ["data", "Sources"]
    ws = wb["data"]
    head = HEADER_ROW
    col = [c.value for c in ws[head]].index("publication") + 1
    cell = ws.cell(row=head + 1, column=col)
    assert cell.value == '=HYPERLINK("http://x","click")' and cell.data_type == "s"
    assert ws.cell(row=head + 2, column=col).data_type == "s"
    src = [[c.value for c in r] for r in wb["Sources"].iter_rows()]
    assert src[0][0] == "citation" and src[1][0] == "tip-2017-regional-law-enforcement"
    csv = (tmp_path / entry["files"]["csv"]).read_text()
    assert "'=HYPERLINK" in csv and "'+1+2" in csv


def test_manifest_entry_and_replacement(tmp_path, chart):
    ex.export(chart, tmp_path)
    chart.title = "Changed title"
    ex.export(chart, tmp_path)
    figs = json.loads((tmp_path / "manifest.json").read_text())["figures"]
    assert len(figs) == 1
    f = figs[0]
    assert f["title"] == "Changed title" and f["alt"] and f["caption"]
    assert f["sources"] == ["tip-2017-regional-law-enforcement"]
    assert f["parameters"]["geo"] == "TIP:EUR"
    assert set(f["files"]) == {"png", "svg", "pdf", "csv", "xlsx"}
    assert all((tmp_path / n).is_file() for n in f["files"].values())
    assert not list(tmp_path.glob(".*.tmp"))


def test_failed_write_leaves_earlier_output(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("before")

    def boom(path):
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    from thbstats.atomic import write_atomic

    with pytest.raises(RuntimeError):
        write_atomic(target, boom)
    assert target.read_text() == "before" and not list(tmp_path.glob(".*.tmp"))


def test_bad_chart_id_is_refused(tmp_path, chart):
    chart.id = "../escape"
    with pytest.raises(ValueError, match="chart id"):
        ex.export(chart, tmp_path)


def test_xlsx_carries_title_caption_notes_and_source_above_the_data(tmp_path, chart):
    entry = ex.export(chart, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / entry["files"]["xlsx"])["data"]
    rows = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, 5)}
    assert rows == {
        "Title": chart.title,
        "Caption": chart.caption,
        "Notes": chart.note,
        "Source": chart.source,
    }
    assert rows["Source"].startswith("Source: ") and ws.cell(row=5, column=1).value is None
    header = [c.value for c in ws[HEADER_ROW] if c.value is not None]
    assert header == [str(c) for c in chart.data.columns]
    assert ws.max_row == HEADER_ROW + len(chart.data)


def _stamps(folder):
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()
            if p.suffix in {".png", ".svg", ".pdf", ".csv", ".xlsx"}}  # fmt: skip


class Spy:
    """A drawing function that counts its calls."""

    def __init__(self, draw):
        self.draw, self.calls = draw, 0
        self.__module__ = draw.__module__

    def __call__(self, table):
        self.calls += 1
        return self.draw(table)


def test_reexport_of_an_unchanged_chart_is_skipped(tmp_path, tidy_sample):
    first = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    first.draw = spy1 = Spy(first.draw)
    e1 = ex.export(first, tmp_path)
    assert spy1.calls == 1 and len(e1["hash"]) == 64
    before = _stamps(tmp_path)
    assert len(before) == 5
    again = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)  # a fresh run, same input
    again.draw = spy2 = Spy(again.draw)
    e2 = ex.export(again, tmp_path)
    assert spy2.calls == 0 and not again.drawn  # nothing drawn ...
    assert _stamps(tmp_path) == before  # ... and nothing written (same inodes and mtimes)
    assert e2 == e1 and again.png == (tmp_path / e1["files"]["png"]).read_bytes()
    plt.close(first.fig)


def test_changed_or_missing_output_is_exported_again(tmp_path, tidy_sample):
    c = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    e1 = ex.export(c, tmp_path)
    changed = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    changed.data.loc[0, "value"] += 1  # a revised figure: another hash, files rewritten
    changed.draw = spy = Spy(changed.draw)
    e2 = ex.export(changed, tmp_path)
    assert spy.calls == 1 and e2["hash"] != e1["hash"]
    (tmp_path / e2["files"]["svg"]).unlink()  # a file gone: drawn and written again
    again = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    again.data.loc[0, "value"] += 1
    again.draw = spy = Spy(again.draw)
    ex.export(again, tmp_path)
    assert spy.calls == 1 and (tmp_path / e2["files"]["svg"]).is_file()
    for x in (c, changed, again):
        plt.close(x.fig)


def test_chart_without_data_is_listed_not_exported(tmp_path, tidy_sample):
    full = ch.gap_bars_chart(tidy_sample, "BEL", 2015, 2017, source="UNODC")
    ex.export(full, tmp_path)
    assert len(_stamps(tmp_path)) == 5
    empty = ch.gap_bars_chart(tidy_sample, "BEL", 2010, 2012, source="UNODC")  # no figures
    empty.id = full.id  # the same chart, rerun on a table that no longer has its figures
    entry = ex.export(empty, tmp_path)
    assert entry["status"] == "no data" and entry["files"] == {}
    assert entry["empty"] == "no figures in the dataset for BEL, 2010-2012"
    assert entry["searched"] == ["UNODC GLOTIP data 2023-05-30", "UNODC GLOTIP data 2025-04-14"]
    assert _stamps(tmp_path) == {}  # the earlier files went with the data
    assert not empty.drawn
    (listed,) = ex.read_manifest(tmp_path)
    assert listed["status"] == "no data" and listed["files"] == {}
    plt.close(full.fig)


def test_gallery_tolerates_entries_without_files(tmp_path, tidy_sample):
    from thbstats.publish import gallery

    ex.export(ch.gap_bars_chart(tidy_sample, "BEL", 2010, 2012, source="UNODC"), tmp_path)
    full = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    ex.export(full, tmp_path)
    page, readme = gallery.build_gallery(tmp_path)
    bel = (tmp_path / "places" / "BEL.html").read_text()  # the site: a page per place
    tip = (tmp_path / "places" / "TIP-EUR.html").read_text()
    assert "<img " not in bel and "No data: no figures in the dataset for BEL" in bel
    assert "Searched: UNODC GLOTIP data 2023-05-30" in bel
    assert tip.count("<img ") >= 1
    for html in (page.read_text(), bel, tip):
        assert 'src=""' not in html
    assert "![" in readme.read_text() and "]()" not in readme.read_text()
    plt.close(full.fig)
