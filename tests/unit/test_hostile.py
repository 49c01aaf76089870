"""Hostile input: formulas and line breaks in the CSVs, HTML and remote images in the Markdown and
the offline site, mathtext in chart text, bad cells at the door, bad keys and OS errors refused in
one line. Each case is small and asserts what a user would see."""

from __future__ import annotations

import errno
import io
import os
import re

import matplotlib
import pandas as pd
import pytest
from helpers import glotip_row, glotip_workbook, make_project, only_release, register

from thbstats import cli
from thbstats.csv_out import csv_text, neutralise, write_csv
from thbstats.errors import InputError
from thbstats.ingest.readers.transcribed import read_transcribed
from thbstats.publish.gallery import build_readme
from thbstats.publish.markdown_text import md_text
from thbstats.publish.site.render import markdown_html

matplotlib.use("Agg")

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Albania", "a=b", "", "'=quoted", " x", "2018"])
def test_plain_text_is_left_alone(text):
    assert neutralise(text) == text


def test_csv_quotes_line_breaks_and_keeps_negative_numbers():
    frame = pd.DataFrame(
        {
            "geo_name": ["Alba\rnia", "Kos\novo", 'say "hi", then', "=1+1"],
            "value": [-3.5, 2.0, None, -1.0],
            "year": [2018, 2019, 2020, 2021],
        }
    )
    text = csv_text(frame)
    back = pd.read_csv(io.StringIO(text))
    assert len(back) == len(frame)
    assert back["geo_name"].tolist()[:3] == frame["geo_name"].tolist()[:3]
    assert back["geo_name"].iloc[3] == "'=1+1"
    assert back["value"].iloc[0] == -3.5 and back["value"].iloc[3] == -1.0
    assert back["year"].tolist() == [2018, 2019, 2020, 2021]


def test_plain_frames_keep_their_bytes(tmp_path):
    frame = pd.DataFrame({"geo": ["ALB", "KOS"], "value": [1.5, -2.0]})
    write_csv(tmp_path / "t.csv", frame)
    assert (tmp_path / "t.csv").read_text() == "geo,value\nALB,1.5\nKOS,-2.0\n"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    return root


def _hostile_release(project):
    rows = [
        glotip_row("Detected trafficking victims", "1,282"),
        glotip_row("Persons prosecuted", "17"),
    ]
    # a name or publication with a control character is refused at the door
    # (test_names_at_the_door.py): the formula comes from sources.yml and, after spaces, from the
    # workbook
    rows[1][1] = '  =HYPERLINK("http://127.0.0.1:9/","x")'
    wb = glotip_workbook(project / "data/raw/downloads/g.xlsx", rows)
    register(project, "unodc-test", wb, publication="=cmd|' /C calc'!A0 2025")
    only_release(project, "unodc-test")


def test_table_csv_reads_back_row_for_row_and_neutralised(project):
    import thbstats as thb

    _hostile_release(project)
    assert cli.main(["data"]) == 0
    parquet = thb.load(vintage="all")
    csv = pd.read_csv(project / "data/processed/thb_figures.csv")
    assert len(csv) == len(parquet) == 2
    assert csv["geo_name"].tolist() == [neutralise(v) for v in parquet["geo_name"]]
    assert csv["geo_name"].str.startswith("'  =HYPERLINK").sum() == 1
    assert set(csv["publication"]) == {"'=cmd|' /C calc'!A0 2025"}
    assert set(parquet["publication"]) == {"=cmd|' /C calc'!A0 2025"}  # the raw text stays
    assert csv["value"].tolist() == parquet["value"].tolist()


HEADER = (
    "source,publication,geo,geo_name,geo_type,year_start,year_end,stage,form,sex,age,value,unit,"
    "flag,citation,note"
)
GOOD = (
    "TIP,TIP Report 2019,WORLD,Global,world,2018,2018,prosecuted,all,all,all,11096,persons,,tip-x,n"
)


@pytest.mark.parametrize(
    "field,bad,column,expected",
    [
        (11, "inf", "value", "a plain number in digits"),
        (11, "Infinity", "value", "a plain number in digits"),
        (11, "nan", "value", "a plain number in digits"),
        (11, "1e308", "value", "a plain number in digits"),
        (11, "20000000000", "value", "a number of persons up to 10,000,000,000"),
        (5, "2e3", "year_start", "a whole number written in digits"),
        (6, "2018.0", "year_end", "a whole number written in digits"),
        (3, "Glo\u0085bal", "geo_name", "text without control characters"),
        (3, "Glo\u2028bal", "geo_name", "text without control characters"),
        (15, "a\u202eb", "note", "text without control characters"),
    ],
)
def test_transcribed_cells_are_checked_at_the_door(tmp_path, field, bad, column, expected):
    parts = GOOD.split(",")
    parts[field] = bad
    path = tmp_path / "figures.csv"
    path.write_text(f"{HEADER}\n{','.join(parts)}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_transcribed(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}, row 2, column {column!r}: expected {expected}"), msg


def test_a_rate_above_1000_per_1000_is_refused(tmp_path):
    path = tmp_path / "figures.csv"
    row = GOOD.replace("11096,persons", "1001,per_1000")
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a number of per_1000 up to 1,000, found '1001'"):
        read_transcribed(path)


def test_a_non_xlsx_file_is_described_not_echoed(tmp_path):
    from thbstats.ingest.readers.xlsx_safety import check_xlsx

    secret = tmp_path / "passwords.xlsx"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    with pytest.raises(InputError) as err:
        check_xlsx(secret)
    assert "root" not in str(err.value).replace(str(tmp_path), "")
    assert "a file that is not xlsx (text)" in str(err.value)


def test_markdown_text_escapes_html_links_and_images():
    text = md_text("<script>alert(1)</script> <img src=x onerror=alert(1)> ![x](http://h/p.png)")
    html, _ = markdown_html(f"> {text}\n")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "![x](http://h/p.png)" in html


def test_offline_site_never_loads_a_remote_image():
    html, _ = markdown_html("> a quote ![x](http://127.0.0.1:9/p.png) and ![y](//h/q.png)\n")
    assert "<img" not in html and "remote image not shown" in html


def test_readme_escapes_what_the_manifest_says():
    entry = {
        "id": "x",
        "title": "<script>alert(1)</script>",
        "caption": "<img src=x onerror=alert(1)>",
        "source": "![x](http://127.0.0.1:9/p.png)",
        "alt": "a](http://evil)",
        "files": {"png": "x.png"},
    }
    readme = build_readme([entry])
    assert not re.search(r"(?<!\\)<", readme)  # every < escaped
    html, _ = markdown_html(readme)
    assert re.findall(r"<(?:img|a|script)\b[^>]*>", html) == [
        '<img src="x.png" alt="a](http://evil)" />',
        '<a href="x.png">',
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</h2>" in html


def test_claims_markdown_escapes_quotes_and_sources():
    from thbstats.publish.claims_report import report_markdown

    claims = {
        "documents": {"d": {"title": "<b>Doc</b>", "url": "https://example.org/a_b"}},
        "claims": [
            {
                "id": "c1",
                "document": "d",
                "quote": "![x](http://127.0.0.1:9/p.png) <script>x</script>",
                "where": "p. 1",
            }
        ],
    }
    table = pd.DataFrame({"claim": ["c1"], "citations": [""], "check": ["<i>x</i>"]})
    sens = pd.DataFrame({"a": [1.0]})
    text = report_markdown(table, sens, claims)
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "Source: <https://example.org/a_b>." in text
    html, _ = markdown_html(text)
    assert "<img" not in html and "<script" not in html


@pytest.mark.parametrize("text", ["Cite $...$ here", "$x^2$ and $5", "a $\\frac$ b"])
def test_dollars_print_as_dollars_in_charts(text):
    from matplotlib.figure import Figure

    from thbstats.publish.charts.base import house_style

    with house_style():
        fig = Figure()
        ax = fig.add_subplot()
        ax.set_yticks([0], labels=[text])
        label = fig.text(0.1, 0.02, text)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")  # mathtext would raise ValueError or typeset x^2
    svg = buf.getvalue().decode()
    assert not label.get_parse_math() and not ax.get_yticklabels()[0].get_parse_math()
    assert text in svg


def test_a_chart_with_a_dollar_citation_exports(tmp_path, tidy_sample):
    from matplotlib.text import Text

    from thbstats.publish import charts as ch
    from thbstats.publish import export as ex

    chart = ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018)
    chart.source = "Source: a title with $x^$ and $}$ and $x^2$."  # mathtext: ValueError
    chart.title = "A $\\frac$ title"
    entry = ex.export(chart, tmp_path, formats=("png", "svg"))
    assert (tmp_path / entry["files"]["png"]).stat().st_size > 0
    texts = {t.get_text(): t.get_parse_math() for t in chart.fig.findobj(Text) if t.get_text()}
    assert texts["Source: a title with $x^$ and $}$ and $x^2$."] is False
    assert not any(texts.values())


pytest_plugins = ["figure_fixtures"]


@pytest.mark.parametrize(
    "key",
    ["a: b", "*alias", "[a]", "a\nb", "a\tb", "a\u2028b", "x" * 5000, "lead-", "UPPER", "{x}", ""],
)
def test_register_refuses_a_bad_key_before_writing(project, tmp_path, capsys, key):
    wb = glotip_workbook(
        tmp_path / "new.xlsx", [glotip_row("Persons prosecuted", "17")], release_date="01/06/2026"
    )
    before = (project / "data/raw/sources.yml").read_bytes()
    assert cli.main(["register", str(wb), "--key", key]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "expected a citation key of lower-case letters, digits and hyphens" in err
    assert len(err) < 400
    assert (project / "data/raw/sources.yml").read_bytes() == before


@pytest.mark.parametrize(
    "code,advice",
    [
        (errno.EROFS, "the disk is read-only"),
        (errno.ENOSPC, "the disk is full"),
        (errno.EACCES, "check its permissions"),
    ],
)
def test_data_refuses_os_errors_in_one_line(project, monkeypatch, capsys, code, advice):
    import tempfile

    _hostile_release(project)
    assert cli.main(["data"]) == 0
    capsys.readouterr()
    out = project / "data/processed"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def refuse(prefix="", suffix="", dir=None):  # as mkstemp fails in a read-only folder
        raise OSError(code, os.strerror(code), os.path.join(dir, f"{prefix}abc{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert cli.main(["data", "--allow-shrink"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert advice in err and ".tmp" not in err and f"error: {out / 'audit.csv'}: " in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_register_refuses_a_full_disk_in_one_line(project, tmp_path, monkeypatch, capsys):
    from pathlib import Path

    wb = glotip_workbook(
        tmp_path / "new.xlsx", [glotip_row("Persons prosecuted", "17")], release_date="01/06/2026"
    )
    sources = project / "data/raw/sources.yml"
    before = sources.read_bytes()

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    assert cli.main(["register", str(wb)]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"error: {sources}: No space left on device; the disk is full: free some space "
        "and run the command again (no output was left half-written)\n"
    )
    assert sources.read_bytes() == before
    assert not list(sources.parent.glob(".*.tmp"))


def test_a_file_name_with_del_is_registered_and_printed_escaped(project, tmp_path, capsys):
    import yaml

    wb = glotip_workbook(
        tmp_path / "new\x7f.xlsx",
        [glotip_row("Persons prosecuted", "17")],
        release_date="01/06/2026",
    )
    assert cli.main(["register", str(wb), "--dry-run"]) == 0
    out = capsys.readouterr().out
    entry = yaml.safe_load(out.split("would register")[0])
    assert "new\x7f.xlsx" in next(iter(entry.values()))["seen_at"]


def test_briefs_refuse_a_file_where_their_folder_goes(project, capsys):
    (project / "figures").mkdir()
    (project / "figures" / "briefs").write_text("not a folder")
    _hostile_release(project)
    assert cli.main(["data"]) == 0
    capsys.readouterr()
    assert cli.main(["briefs", "--only", "ALB"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {project / 'figures' / 'briefs'}: File exists; a file stands where a folder is "
        "expected: move it away (no output was left half-written)\n"
    )


def test_a_long_cell_is_shown_cut(tmp_path):
    parts = GOOD.split(",")
    parts[7] = "x" * 5000
    path = tmp_path / "figures.csv"
    path.write_text(f"{HEADER}\n{','.join(parts)}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_transcribed(path)
    msg = str(err.value)
    assert "column 'stage': expected one of estimated" in msg and "(5,000 characters)" in msg
    assert len(msg) < 600


def test_a_file_name_with_a_line_break_or_escape_stays_on_one_line(project, tmp_path, capsys):
    bad = tmp_path / "a\nb\x1b[2J.xlsx"
    bad.write_text("<!DOCTYPE html><html>an error page</html>")
    assert cli.main(["register", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert "a\\nb\\x1b[2J.xlsx: expected an .xlsx workbook (a zip archive)" in err
    assert "an HTML page" in err and "error page</html>" not in err


def test_the_brief_strip_prints_a_dollar_in_a_name_as_a_dollar() -> None:
    import io

    import pandas as pd

    from thbstats.publish.briefs.strip import position_strip

    by = "convicted_per_100_identified"
    table = pd.DataFrame(
        {
            "geo": ["AAA", "BBB"],
            "name": ["Cost $}$ land", "Other"],
            "geo_type": ["country", "country"],
            "rank": [1, 2],
            "rank_by": [by, by],
            by: [20.0, 10.0],
            f"{by}_min": [20.0, 10.0],
            f"{by}_max": [20.0, 10.0],
            f"median_{by}": [15.0, 15.0],
        }
    )
    fig = position_strip(table, "AAA")
    fig.savefig(io.BytesIO(), format="png")  # "$}$" as mathtext would raise ValueError here
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Cost $}$ land" in texts
