"""Export: reproducible bytes, CSV/XLSX of the plotted data (formula-like text stays text),
manifest entries, atomic writes and the negative cases."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import openpyxl
import pytest

from thbstats.publish import charts as ch
from thbstats.publish import export as ex

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
    col = [c.value for c in ws[1]].index("publication") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.value == '=HYPERLINK("http://x","click")' and cell.data_type == "s"
    assert ws.cell(row=3, column=col).data_type == "s"
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
