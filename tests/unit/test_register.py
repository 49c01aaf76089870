"""`thbstats register FILE`: one command writes the sources.yml entry, the rest of the file intact."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import ROOT, SAMPLE_ROWS, glotip_workbook, make_project, register

from thbstats import cli
from thbstats.digest import sha256_of
from thbstats.ingest import releases


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    return root


def without(project: Path, *keys: str) -> str:
    """Drop entries from the project's sources.yml (as text: blocks end at the next key)."""
    src = project / "data/raw/sources.yml"
    out, skip = [], False
    for line in src.read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1] not in (" ", "#", "\n") and line.strip():
            skip = line.split(":")[0] in keys
        if not skip:
            out.append(line)
    src.write_text("".join(out), encoding="utf-8")
    return "".join(out)


@pytest.mark.parametrize(
    "key", ["unodc-glotip-2025-04-14", "unodc-glotip-2023-05-30", "walkfree-gsi-2023-data"]
)
def test_registering_an_official_file_gives_back_its_entry(official, project, capsys, key):
    real = yaml.safe_load((ROOT / "data/raw/sources.yml").read_text(encoding="utf-8"))[key]
    before = without(project, key)
    assert cli.main(["register", str(official[key])]) == 0
    text = (project / "data/raw/sources.yml").read_text(encoding="utf-8")
    assert text.startswith(before)  # the rest of the file kept byte for byte
    entry = yaml.safe_load(text)[key]
    for field in ("source", "reader", "publication", "release_date", "sha256", "size"):
        assert str(entry["release"][field]) == str(real["release"][field]), field
    if key.startswith("unodc"):  # described like the previous release of the same publisher
        assert entry["publisher"] == real["publisher"] and entry["licence"] == real["licence"]
    else:  # another Walk Free edition: its own title and sheet
        assert entry["title"].startswith("The Global Slavery Index 2023, data workbook")
        assert entry["locator"] == "sheet 'GSI 2023 summary data'"
    assert f"registered {key} in " in capsys.readouterr().out
    rel = {r.key: r for r in releases.registered()}[key]
    assert rel.sha256 == sha256_of(official[key])


def test_register_takes_the_publisher_address_and_pinned_urls(project, tmp_path, capsys):
    new = glotip_workbook(tmp_path / "data_glotip.xlsx", SAMPLE_ROWS, release_date="01/06/2026")
    pin = "https://web.archive.org/web/20260602000000id_/https://example.org/data_glotip.xlsx"
    assert cli.main(["register", str(new), "--url", pin, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would register unodc-glotip-2026-06-01" in out
    assert "unodc-glotip-2026-06-01" not in (project / "data/raw/sources.yml").read_text()
    assert cli.main(["register", str(new), "--url", pin]) == 0
    entry = releases.citations.describe("unodc-glotip-2026-06-01")
    assert entry["edition"] == "release of 01/06/2026" and entry["year"] == 2026
    assert entry["release"]["filename"] == "data_glotip_release-2026-06-01.xlsx"
    assert [a["kind"] for a in entry["release"]["addresses"]] == ["publisher", "pinned"]
    assert entry["release"]["addresses"][0]["url"].startswith("https://dataunodc.un.org/")
    assert entry["release"]["addresses"][1]["url"] == pin


def test_register_refuses_a_registered_file_an_altered_copy_and_an_unknown_layout(
    project, tmp_path, capsys
):
    src = project / "data/raw/sources.yml"
    first = glotip_workbook(tmp_path / "a.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", first, publication="UNODC GLOTIP data 2025-04-14")
    before = src.read_text(encoding="utf-8")
    assert cli.main(["register", str(first)]) == 2
    assert "already registered as unodc-test" in capsys.readouterr().err
    altered = glotip_workbook(tmp_path / "b.xlsx", SAMPLE_ROWS[:2])  # the same date in A2
    assert cli.main(["register", str(altered)]) == 2
    assert "found 'UNODC GLOTIP data 2025-04-14', registered as" in capsys.readouterr().err
    from openpyxl import Workbook

    other = tmp_path / "notes.xlsx"
    Workbook().save(other)
    assert cli.main(["register", str(other)]) == 2
    assert "expected a workbook whose layout a reader knows" in capsys.readouterr().err
    assert cli.main(["register", str(tmp_path / "absent.xlsx")]) == 2
    assert "absent.xlsx: expected a release file to register" in capsys.readouterr().err
    moving = "https://raw.githubusercontent.com/someone/repo/main/data_glotip.xlsx"
    new = glotip_workbook(tmp_path / "c.xlsx", SAMPLE_ROWS, release_date="01/06/2026")
    assert cli.main(["register", str(new), "--url", moving]) == 2
    assert f"--url {moving}: expected a pinned address" in capsys.readouterr().err
    assert cli.main(["register", str(tmp_path / "absent.xlsx")]) == 2
    assert "absent.xlsx: expected a release file to register" in capsys.readouterr().err
    assert src.read_text(encoding="utf-8") == before
