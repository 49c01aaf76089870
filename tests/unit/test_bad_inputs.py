"""A corpus of bad and hostile inputs, made here: `thbstats data` refuses each with one message.

Every case starts from a good build (a UNODC-layout workbook and a transcribed CSV), breaks one
input, and checks: exit code 2, exactly one line on stderr naming the file, the row, cell or zip
part, the column where there is one and what was expected; the processed files byte for byte as
they were; no temporary file left behind.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import GLOTIP_HEADER, SAMPLE_ROWS, glotip_workbook, make_project, register

import thbstats as thb
from thbstats import citations, cli
from thbstats.ingest.readers import xlsx_safety

HEADER = (
    "source,publication,geo,geo_name,geo_type,year_start,year_end,stage,form,sex,age,"
    "value,unit,flag,citation,note"
)
ROW = (
    "TIP,TIP Report 2008,WORLD,World,world,2003,2003,prosecuted,all,all,all,7992,persons,,"
    "tip-2008-global-law-enforcement,table row 2003"
)
ROW2 = ROW.replace(",2003,2003,", ",2004,2004,").replace("7992", "6885")
FIELDS = HEADER.split(",")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once from good inputs: downloads/g.xlsx (registered) and figures.csv."""
    root = make_project(tmp_path_factory.mktemp("template"))
    src = root / "data/raw/sources.yml"
    entries = yaml.safe_load(src.read_text(encoding="utf-8"))
    src.write_text(yaml.safe_dump({k: v for k, v in entries.items() if "release" not in v}))
    register(root, "unodc-test", glotip_workbook(root / "data/raw/downloads/g.xlsx", SAMPLE_ROWS))
    write_csv(root, HEADER, ROW, ROW2)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THBSTATS_ROOT", str(root))
        mp.delenv("THBSTATS_DOWNLOADS", raising=False)
        assert cli.main(["data"]) == 0
    shutil.rmtree(root / "data/processed/cache")  # each test parses its (broken) input afresh
    return root


@pytest.fixture()
def project(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the good project, with THBSTATS_ROOT pointing at it."""
    root = tmp_path / "project"
    shutil.copytree(template, root)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    return root


def write_csv(root: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path = root / "data/raw/figures.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def outputs(root: Path) -> dict[str, bytes]:
    folder = root / "data/processed"
    return {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def refused(root: Path, capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    """Run `thbstats data` on a broken project: one message with ``needles``, outputs untouched."""
    before = outputs(root)
    capsys.readouterr()
    code = cli.main(["data"])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    assert outputs(root) == before
    assert not [p.name for p in (root / "data/processed").iterdir() if p.name.endswith(".tmp")]
    return lines[0]


def field(row: str, name: str, value: str) -> str:
    parts = row.split(",")
    parts[FIELDS.index(name)] = value
    return ",".join(parts)


CSV_CASES: dict[str, tuple[list[str], list[str]]] = {
    "non_numeric": (
        [HEADER, ROW, field(ROW2, "value", "about 6900")],
        ["row 3", "column 'value'", "expected a plain number", "'about 6900'"],
    ),
    "negative_count": (
        [HEADER, ROW, field(ROW2, "value", "-6885")],
        ["row 3", "column 'value'", "expected a number >= 0", "'-6885'"],
    ),
    "duplicate_other_value": (
        [HEADER, ROW, ROW2, field(ROW2, "value", "6886")],
        ["row 3, 4", "column 'value'", "expected one row per figure"],
    ),
    "missing_column": (
        [HEADER.replace(",unit", ""), ROW.replace(",persons", "")],
        ["row 1", "column 'unit'", "expected column 13 headed 'unit'"],
    ),
    "unknown_stage": (
        [HEADER, ROW, field(ROW2, "stage", "arrested")],
        ["row 3", "column 'stage'", "expected one of estimated", "'arrested'"],
    ),
    "unknown_form": (
        [HEADER, ROW, field(ROW2, "form", "organ_removal")],
        ["row 3", "column 'form'", "expected one of all", "'organ_removal'"],
    ),
    "year_too_late": (
        [HEADER, ROW, field(field(ROW2, "year_start", "2104"), "year_end", "2104")],
        ["row 3", "column 'year_start'", "expected a number <= 2030", "'2104'"],
    ),
    "year_too_early": (
        [HEADER, field(field(ROW, "year_start", "1899"), "year_end", "1899")],
        ["row 2", "column 'year_start'", "expected a number >= 1990", "'1899'"],
    ),
    "unknown_group": (
        [HEADER, ROW, field(ROW2, "geo", "NARNIA")],
        ["row 3", "column 'geo'", "expected an ISO3 country code or a group code", "'NARNIA'"],
    ),
    "unknown_iso3": (
        [HEADER, ROW, field(field(ROW2, "geo", "XYZ"), "geo_type", "country")],
        ["row 3", "column 'geo'", "expected an ISO3 country code", "'XYZ'"],
    ),
    "unknown_citation": (
        [HEADER, ROW, field(ROW2, "citation", "tip-2099")],
        ["row 3", "column 'citation'", "a key described in data/raw/sources.yml", "'tip-2099'"],
    ),
    "extra_field": (
        [HEADER, ROW, ROW2 + ",stray"],
        ["row 3", "expected 16 comma-separated fields", "'17 fields'"],
    ),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_bad_transcribed_csv(project: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    lines, needles = CSV_CASES[case]
    write_csv(project, *lines)
    refused(project, capsys, "figures.csv", *needles)


def test_csv_in_another_encoding(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(project, HEADER, ROW, ROW2.replace("table row", "Tabelle für"), encoding="latin-1")
    refused(project, capsys, "figures.csv, row 3, column 'note': expected UTF-8 text", "0xfc")


def test_empty_csv(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "data/raw/figures.csv").write_bytes(b"\n \n")
    refused(
        project,
        capsys,
        "figures.csv, row 1, column 'source': expected a header row",
        "an empty file",
    )


# --- official files -----------------------------------------------------------------------


def replace_release(root: Path, make: Callable[[Path], None], name: str = "g2.xlsx") -> Path:
    """Swap the registered workbook for a broken one (registered under the same key)."""
    (root / "data/raw/downloads/g.xlsx").unlink()
    path = root / "data/raw/downloads" / name
    make(path)
    register(root, "unodc-test", path)
    return path


def rewrite_part(src: Path, dst: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Copy an xlsx, passing one part's bytes through ``change``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, change(data) if info.filename == part else data)


def good(path: Path) -> Path:
    return glotip_workbook(path, SAMPLE_ROWS)


def wrong_sheet(path: Path) -> None:
    wrong_sheet_named(path, "Sheet1")


def renamed_column(path: Path) -> None:
    good(path.with_suffix(".tmpx"))
    rewrite_part(
        path.with_suffix(".tmpx"),
        path,
        "xl/worksheets/sheet1.xml",
        lambda b: b.replace(b">txtVALUE<", b">Value<"),
    )
    path.with_suffix(".tmpx").unlink()


def header_up(path: Path) -> None:
    """The publisher dropped the date row: the header is on row 2."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "data_glotip_1"
    for row in [["UNODC"], GLOTIP_HEADER, *SAMPLE_ROWS]:
        wb.active.append(row)
    wb.save(path)


def truncated(path: Path) -> None:
    data = good(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt(path: Path) -> None:
    data = bytearray(good(path).read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start : start + 64] = bytes(64)
    path.write_bytes(bytes(data))


def html_page(path: Path) -> None:
    path.write_text("<!DOCTYPE html><html><body>Service unavailable</body></html>")


def zip_of_csv(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("data_glotip.csv", "Iso3_code,Country\nALB,Albania\n")


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def laughs_in(part: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        good(path.with_suffix(".tmpx"))
        rewrite_part(
            path.with_suffix(".tmpx"),
            path,
            part,
            lambda b: LAUGHS + b.replace(b"Albania", b"&lol9;", 1),
        )
        path.with_suffix(".tmpx").unlink()

    return make


def ratio_bomb(path: Path) -> None:
    """A sheet padded with 8 MiB of spaces between two rows: valid XML, deflates ~1000:1."""
    good(path.with_suffix(".tmpx"))
    rewrite_part(
        path.with_suffix(".tmpx"),
        path,
        "xl/worksheets/sheet1.xml",
        lambda b: b.replace(b"</row>", b"</row>" + b" " * (8 << 20), 1),
    )
    path.with_suffix(".tmpx").unlink()


def lying_sizes(path: Path) -> None:
    """A part whose zip headers declare 1,000 bytes but inflates to far more."""
    data = bytearray(good(path).read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    local = data.index(name) - 30
    central = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02"))
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, local + 22, 1000)
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))


WORKBOOK_CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "wrong_sheet": (
        wrong_sheet,
        ["sheet 'data_glotip_1'", "expected a sheet named 'data_glotip_1'", "found 'Sheet1'"],
    ),
    "header_row_up": (
        header_up,
        [
            "cell A3, column 'Iso3_code'",
            "expected the header 'Iso3_code'",
            "(the header seems to be on row 2)",
            "found 'ALB'",
        ],
    ),
    "renamed_column": (
        renamed_column,
        ["cell L3, column 'txtVALUE'", "expected the header 'txtVALUE'", "found 'Value'"],
    ),
    "truncated": (truncated, ["expected a complete .xlsx workbook", "a truncated or damaged zip"]),
    "corrupt_part": (corrupt, ["part xl/worksheets/sheet1.xml: expected an intact part"]),
    "html_not_xlsx": (
        html_page,
        [
            "expected an .xlsx workbook (a zip archive)",
            "a file that is not xlsx (an HTML page: an error page?)",
        ],
    ),
    "zip_not_xlsx": (zip_of_csv, ["expected an .xlsx workbook", "a zip without xl/ parts"]),
    "laughs_in_sheet": (
        laughs_in("xl/worksheets/sheet1.xml"),
        [
            "part xl/worksheets/sheet1.xml",
            "expected XML without DOCTYPE or entity declarations",
            "<!DOCTYPE lolz",
        ],
    ),
    "laughs_in_workbook": (
        laughs_in("xl/workbook.xml"),
        ["part xl/workbook.xml", "<!DOCTYPE lolz"],
    ),
    "ratio_bomb": (
        ratio_bomb,
        ["part xl/worksheets/sheet1.xml", "expected a compression ratio of at most 200:1"],
    ),
    "lying_sizes": (
        lying_sizes,
        [
            "part xl/worksheets/sheet1.xml",
            "expected the 1,000 bytes its zip directory declares",
            "more when inflated",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(WORKBOOK_CASES))
def test_bad_official_file(project: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    make, needles = WORKBOOK_CASES[case]
    replace_release(project, make)
    refused(project, capsys, "g2.xlsx", *needles)


def test_total_size_cap(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        xlsx_safety, "MAX_UNCOMPRESSED", 8 * 1024
    )  # the workbook inflates to ~19 KiB
    refused(project, capsys, "g.xlsx: expected at most 8 KiB uncompressed", "(a zip bomb)")


def test_calamine_does_not_expand_entities(tmp_path: Path) -> None:
    """Why the prolog check matters less for calamine than for other parsers: it refuses too."""
    import pandas as pd

    path = tmp_path / "l.xlsx"
    laughs_in("xl/worksheets/sheet1.xml")(path)
    with pytest.raises(Exception, match="entity"):
        pd.read_excel(path, sheet_name="data_glotip_1", engine="calamine")


# --- files whose checksum no release registers ---------------------------------------------


def dated(path: Path, day: str, rows: list[list[object]] = SAMPLE_ROWS) -> Path:
    glotip_workbook(path.with_suffix(".tmpx"), rows)
    rewrite_part(
        path.with_suffix(".tmpx"),
        path,
        "xl/worksheets/sheet1.xml",
        lambda b: b.replace(b"<t>14/04/2025</t>", f"<t>{day}</t>".encode()),
    )
    path.with_suffix(".tmpx").unlink()
    return path


def test_new_release_is_read_with_a_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [r[:] for r in SAMPLE_ROWS]
    rows[0][11] = "1,300"
    new = dated(project / "data/raw/downloads/data_glotip.xlsx", "01/06/2026", rows)
    capsys.readouterr()
    assert cli.main(["data"]) == 0
    out, err = capsys.readouterr()
    from thbstats.digest import sha256_of

    key = f"unregistered:{sha256_of(new)[:8]}"
    assert err.startswith(f"warning: {new}: unregistered file (sha256 {sha256_of(new)})")
    assert (
        "read as 'UNODC GLOTIP data 2026-06-01'" in err
        and "Register it in data/raw/sources.yml" in err
    )
    assert f"UNREGISTERED release read: {key} (data_glotip.xlsx)" in out
    df = thb.load()
    rows_new = df[df["publication"] == "UNODC GLOTIP data 2026-06-01"]
    assert len(rows_new) == 3 and set(rows_new["citation"]) == {key}
    assert rows_new.loc[rows_new["stage"] == "identified", "value"].item() == 1300
    assert set(rows_new["flag"]) == {"unregistered", "suppressed_lt5;unregistered"}
    entry = citations.describe(key)  # described for charts and source lines after the build
    assert entry["unregistered"] is True and "data_glotip.xlsx" in entry["title"]
    assert "not checked against the publisher" in entry["locator"]
    pkg = (project / "data/processed/datapackage.json").read_text()
    assert key in pkg


@pytest.mark.parametrize(
    "case,make,needles",
    [
        (
            "bad_header",
            lambda p: renamed_column(p),
            ["cell L3, column 'txtVALUE'", "expected the header 'txtVALUE'"],
        ),
        (
            "no_date",
            lambda p: dated(p, "June 2026"),
            [
                "cell A2, column 'release date'",
                "expected the release date as dd/mm/yyyy",
                "'June 2026'",
            ],
        ),
        (
            "same_date_as_registered",
            lambda p: dated(p, "01/01/2020", SAMPLE_ROWS[:2]),
            [
                "cell A2, column 'release date'",
                "expected the registered file of UNODC GLOTIP data 2020-01-01 (unodc-2020",
                "an altered copy?",
            ],
        ),
        (
            "walkfree_layout",
            lambda p: wrong_sheet_named(p, "GSI 2023 summary data"),
            [
                "sheet 'GSI 2023 summary data'",
                "expected a registered release",
                "like the GSI 2023 layout",
            ],
        ),
        ("not_xlsx", html_page, ["expected an .xlsx workbook (a zip archive)"]),
    ],
)
def test_unregistered_file_is_refused_when_its_layout_fails(
    project: Path, capsys: pytest.CaptureFixture[str], case: str, make, needles: list[str]
) -> None:
    if case == "same_date_as_registered":
        old = dated(project / "data/raw/downloads/old.xlsx", "01/01/2020")
        register(project, "unodc-2020", old, publication="UNODC GLOTIP data 2020-01-01")
        old.unlink()  # registered, and missing: an altered copy of it arrives instead
    path = project / "data/raw/downloads/new.xlsx"
    make(path)
    refused(project, capsys, "new.xlsx", *needles)


def wrong_sheet_named(path: Path, name: str) -> None:
    tmp = good(path.with_suffix(".tmpx"))
    rewrite_part(tmp, path, "xl/workbook.xml", lambda b: b.replace(b"data_glotip_1", name.encode()))
    tmp.unlink()


def test_workbook_of_no_known_layout_is_ignored(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong_sheet_named(project / "data/raw/downloads/notes.xlsx", "My notes")
    capsys.readouterr()
    assert cli.main(["data"]) == 0
    out = capsys.readouterr().out
    assert "unregistered file ignored (no layout thbstats reads):" in out and "notes.xlsx" in out


def test_two_files_of_one_release_are_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dated(project / "data/raw/downloads/a.xlsx", "01/06/2026")
    rows = [r[:] for r in SAMPLE_ROWS][:2]
    dated(project / "data/raw/downloads/b.xlsx", "01/06/2026", rows)
    refused(
        project,
        capsys,
        "b.xlsx",
        "column 'publication'",
        "expected one file per release",
        "UNODC GLOTIP data 2026-06-01, also read from",
        "a.xlsx",
    )
