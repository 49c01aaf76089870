"""Parsed releases cached by checksum: a hit skips the reader; a changed layout, file or entry
parses again; a damaged cache is ignored; cold and cached builds write the same table."""

from __future__ import annotations

import dataclasses
import filecmp
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import SAMPLE_ROWS, glotip_row, glotip_workbook, make_project, register

from thbstats.ingest import build, release_cache
from thbstats.ingest.readers import READERS


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project with one registered UNODC-layout workbook and no other release."""
    root = make_project(tmp_path / "p")
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    wb = glotip_workbook(root / "data/raw/downloads/g.xlsx", SAMPLE_ROWS)
    register(root, "unodc-test", wb)
    src = root / "data/raw/sources.yml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data = {k: v for k, v in data.items() if "release" not in v or k == "unodc-test"}
    src.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture()
def calls(monkeypatch, tmp_path) -> list[str]:
    """Count the UNODC reader's parses; its layout file is a copy the test may edit."""
    layout = tmp_path / "unodc_glotip.yml"
    shutil.copy(READERS["unodc_glotip"].layout, layout)
    seen: list[str] = []
    real = READERS["unodc_glotip"]

    def counting(path, release):
        seen.append(path.name)
        return real.read(path, release)

    monkeypatch.setitem(
        READERS, "unodc_glotip", dataclasses.replace(real, read=counting, layout=layout)
    )
    return seen


def _build() -> pd.DataFrame:
    build.build(log=lambda _msg: None, allow_shrink=True)
    import thbstats as thb

    return thb.load(vintage="all")


def test_a_cache_hit_skips_the_reader_and_gives_the_same_table(project, calls):
    processed = project / "data" / "processed"
    first = _build()
    assert calls == ["g.xlsx"]
    shutil.copy(processed / "thb_figures.parquet", project / "cold.parquet")
    shutil.copy(processed / "audit.csv", project / "cold_audit.csv")
    again = _build()
    assert calls == ["g.xlsx"]  # not parsed a second time
    assert again.loc[again["stage"] == "identified", "value"].item() == 1282
    assert again.equals(first)
    assert filecmp.cmp(processed / "thb_figures.parquet", project / "cold.parquet", shallow=False)
    assert filecmp.cmp(processed / "audit.csv", project / "cold_audit.csv", shallow=False)


def test_a_changed_layout_file_parses_again(project, calls):
    _build()
    layout = READERS["unodc_glotip"].layout
    layout.write_text(layout.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _build()
    assert calls == ["g.xlsx", "g.xlsx"]
    _build()
    assert calls == ["g.xlsx", "g.xlsx"]  # the new key is cached in turn


def test_a_damaged_cache_is_ignored_and_replaced(project, calls):
    _build()
    meta = release_cache.cache_dir() / "unodc-test" / "meta.json"
    meta.write_text("{not json", encoding="utf-8")
    df = _build()
    assert calls == ["g.xlsx", "g.xlsx"]
    assert df.loc[df["stage"] == "prosecuted", "value"].item() == 17
    (release_cache.cache_dir() / "unodc-test" / "frame.parquet").write_bytes(b"damaged")
    _build()
    assert len(calls) == 3


def test_the_key_follows_the_file_the_layout_the_entry_and_the_reader(tmp_path, monkeypatch):
    a = glotip_workbook(tmp_path / "a.xlsx", SAMPLE_ROWS)
    b = glotip_workbook(tmp_path / "b.xlsx", [*SAMPLE_ROWS, glotip_row("Persons prosecuted", "9")])
    layout = READERS["unodc_glotip"].layout
    other = tmp_path / "layout.yml"
    other.write_text(layout.read_text(encoding="utf-8") + "#\n", encoding="utf-8")
    key = release_cache.cache_key(a, layout, "entry")
    assert key == release_cache.cache_key(a, layout, "entry")
    assert key != release_cache.cache_key(b, layout, "entry")
    assert key != release_cache.cache_key(a, other, "entry")
    assert key != release_cache.cache_key(a, layout, "another entry")
    monkeypatch.setattr(release_cache, "reader_version", lambda: "another reader")
    assert key != release_cache.cache_key(a, layout, "entry")


def test_the_reader_version_covers_the_reader_modules_and_its_layouts() -> None:
    covered = {
        p.name for pattern in release_cache.READER_CODE for p in release_cache.PACKAGE.glob(pattern)
    }
    assert {"unodc_glotip.py", "walkfree_gsi.py", "workbook.py", "schema.yml"} <= covered
    for reader in READERS.values():
        assert reader.layout is None or Path(reader.layout).is_file()
