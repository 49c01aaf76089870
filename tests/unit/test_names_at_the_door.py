"""Names with control or invisible characters are refused at the door, wherever they come from:
the UNODC and Walk Free workbooks, and the geography tables in data/raw/geo/ (small hand-made
inputs). Each refusal names the file, the row or line, the column and the character."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import GLOTIP_HEADER, SAMPLE_ROWS, glotip_row, glotip_workbook, make_project

from thbstats import geo
from thbstats.errors import InputError
from thbstats.ingest.readers import Release
from thbstats.ingest.readers.unodc_glotip import read_glotip
from thbstats.ingest.readers.walkfree_gsi import layouts, read_gsi

HIDDEN = {
    "\u200b": "U+200B",  # zero-width space
    "\u202e": "U+202E",  # right-to-left override
    "\u0085": "U+0085",  # next line
    "\u2028": "U+2028",  # line separator
    "\t": "U+0009",
    "\n": "U+000A",  # (a carriage return is stored as a line feed in .xlsx)
}


def release(reader: str, **kw: str) -> Release:
    return Release(
        key="test",
        source=kw.pop("source", "UNODC"),
        reader=reader,
        publication="test publication",
        filename="x.xlsx",
        sha256="0" * 64,
        release_date="2025-04-14",
        **kw,
    )


@pytest.mark.parametrize("char,code", HIDDEN.items(), ids=HIDDEN.values())
@pytest.mark.parametrize("column", ["Country", "Region", "Subregion"])
def test_unodc_names_with_hidden_characters_are_refused(tmp_path, char, code, column):
    bad = glotip_row("Persons prosecuted", "9", iso3="AUT", year=2020)
    at = GLOTIP_HEADER.index(column)
    bad[at] = {"Country": "Aus", "Region": "Eur", "Subregion": "Wes"}[column] + char + "x"
    path = glotip_workbook(tmp_path / "g.xlsx", [*SAMPLE_ROWS, bad])
    with pytest.raises(InputError) as err:
        read_glotip(path, release("unodc_glotip"))
    assert str(err.value) == (
        f"{path}, row 7, column {column!r}: expected text without control characters (tab, line "
        f"breaks, U+0085, zero-width or direction marks), found '{code} at character 4'"
    )


def test_unodc_names_without_hidden_characters_are_read(tmp_path):
    row = glotip_row("Persons prosecuted", "9", iso3="CIV", year=2020)
    row[1] = "Côte d’Ivoire"  # accents, typographic apostrophe and no-break space are names
    row[3] = "Western\u00a0Africa"
    path = glotip_workbook(tmp_path / "g.xlsx", [*SAMPLE_ROWS, row])
    table = read_glotip(path, release("unodc_glotip")).frame
    assert "Côte d’Ivoire" in set(table["geo_name"])


def gsi_workbook(path: Path, country: str, region: str = "Europe and Central Asia") -> Path:
    """A workbook in the layout of GSI 2023 (two countries, the second as given)."""
    from openpyxl import Workbook

    cols = layouts()["2023"]["columns"]
    wb = Workbook()
    contents = wb.active
    contents.title = "CONTENTS"
    contents.append(["2. Population: World Population Prospects 2019"])
    ws = wb.create_sheet("GSI 2023 summary data")
    ws.append(["Global Slavery Index 2023"])
    ws.append([])
    header = [cols["country"], cols["population"], cols["region"], cols["prevalence"]]
    ws.append([*header, cols["number"]])
    ws.append(["France", "65000000", "Europe and Central Asia", "2.1", "135000"])
    ws.append([country, "8000000", region, "1.9", "15000"])
    wb.save(path)
    return path


def test_walkfree_country_with_a_hidden_character_is_refused(tmp_path):
    path = gsi_workbook(tmp_path / "gsi.xlsx", "Austr\u200bia")
    with pytest.raises(InputError) as err:
        read_gsi(path, release("walkfree_gsi", source="WalkFree", edition="2023"))
    assert str(err.value) == (
        f"{path}, row 5, column 'Country': expected text without control characters (tab, line "
        "breaks, U+0085, zero-width or direction marks), found 'U+200B at character 6'"
    )


def test_walkfree_region_with_a_line_separator_is_refused(tmp_path):
    path = gsi_workbook(tmp_path / "gsi.xlsx", "Austria", region="Europe\u2028and Central Asia")
    with pytest.raises(InputError, match=r"row 5, column 'Region': .*found 'U\+2028 at char"):
        read_gsi(path, release("walkfree_gsi", source="WalkFree", edition="2023"))


def test_walkfree_names_without_hidden_characters_are_read(tmp_path):
    path = gsi_workbook(tmp_path / "gsi.xlsx", "Austria")
    table = read_gsi(path, release("walkfree_gsi", source="WalkFree", edition="2023")).frame
    assert sorted(set(table["geo"])) == ["AUT", "FRA"]


@pytest.fixture()
def project(tmp_path):
    root = make_project(tmp_path / "proj")
    geo.clear_cache()
    yield root
    geo.clear_cache()


@pytest.mark.parametrize(
    "file,column,name,at,char",
    [
        ("groups.csv", "name", "OSCE participating States", 4, "\u200b"),
        ("osce_participating_states.csv", "name", "Albania", 3, "\u202e"),
        ("un_regions.csv", "subregion", "Southern Asia", 8, "\u0085"),
        ("memberships.csv", "name", "Denmark", 3, "\t"),
    ],
)
def test_geography_names_with_hidden_characters_are_refused(project, file, column, name, at, char):
    path = project / "data/raw/geo" / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, start=1) if f",{name}," in text)
    text = "".join(lines).replace(f",{name},", f",{name[:at]}{char}{name[at:]},", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        geo.groups(project)  # groups.csv, un_regions.csv
        geo.listed_members("OSCE", project)  # osce_participating_states.csv
        geo.listed_members("NORDIC", project)  # memberships.csv
    assert str(err.value) == (
        f"{path}, line {line}, column {column!r}: expected text without control characters "
        f"(tab, line breaks, U+0085, zero-width or direction marks), found "
        f"'U+{ord(char):04X} at character {at + 1}'"
    )


def test_the_project_geography_tables_are_clean(project):
    assert len(geo.groups(project)) > 13
    assert len(geo.listed_members("OSCE", project)) == 57


def test_thbstats_data_refuses_the_release_in_one_line(tmp_path, monkeypatch, capsys):
    from helpers import only_release, register

    from thbstats import cli

    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    rows = [
        glotip_row("Detected trafficking victims", "1,282"),
        glotip_row("Persons prosecuted", "17"),
    ]
    rows[1][1] = "Alba\u2028nia"
    wb = glotip_workbook(root / "data/raw/downloads/g.xlsx", rows)
    register(root, "unodc-test", wb)
    only_release(root, "unodc-test")
    assert cli.main(["data"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {wb}, row 5, column 'Country': expected text without control characters (tab, "
        "line breaks, U+0085, zero-width or direction marks), found 'U+2028 at character 5'\n"
    )
    assert not (root / "data/processed/thb_figures.csv").exists()


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u2066"])
def test_the_sources_and_claims_files_refuse_hidden_characters_in_their_text(tmp_path, char):
    """A citation or a claim's words reach charts, briefs and reports: a direction mark or a
    zero-width space, which YAML reads as text, is refused where it stands (an escape or a
    line separator YAML refuses, or reads as a line break, itself)."""
    from thbstats import citations
    from thbstats.analysis.claims import load_claims

    sources = tmp_path / "sources.yml"
    entry = "  publisher: UNODC\n  title: Global Report{c}\n  year: 2024\n  url: https://x.org\n"
    sources.write_text("glotip-2024:\n" + entry.format(c=char), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        citations.all_sources(sources)
    assert "sources.yml, key glotip-2024.title: expected text without control" in str(caught.value)
    assert f"U+{ord(char):04X} at character 14" in str(caught.value)

    claims = tmp_path / "claims.yml"
    claims.write_text(f"claims:\n  - id: a\n    quote: 'fell{char} by 11%'\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"claims\.yml, key claims\[0\]\.quote: expected text"):
        load_claims(claims)


def test_the_project_sources_and_claims_files_are_clean():
    """A block's line breaks are its own: the project's files load."""
    from thbstats import citations
    from thbstats.analysis.claims import load_claims

    assert len(citations.all_sources()) > 40
    assert len(load_claims()["claims"]) > 20
