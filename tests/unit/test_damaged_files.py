"""Damaged files in the downloads folder said plainly: a damaged extra copy of a present release
is skipped with a warning; a damaged file with a registered release's name and size is that
release, damaged, with what to do; "zip bomb" only for a real decompression ratio."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from helpers import SAMPLE_ROWS, glotip_workbook, make_project, register

import thbstats as thb
from thbstats import cli
from thbstats.digest import sha256_of
from thbstats.errors import InputError
from thbstats.ingest import damaged
from thbstats.ingest.readers import xlsx_safety


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once from one registered workbook, downloads/g.xlsx (with its size)."""
    root = make_project(tmp_path_factory.mktemp("template"))
    src = root / "data/raw/sources.yml"
    entries = yaml.safe_load(src.read_text(encoding="utf-8"))
    src.write_text(yaml.safe_dump({k: v for k, v in entries.items() if "release" not in v}))
    book = glotip_workbook(root / "data/raw/downloads/g.xlsx", SAMPLE_ROWS)
    register(root, "unodc-test", book, size=book.stat().st_size)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THBSTATS_ROOT", str(root))
        mp.delenv("THBSTATS_DOWNLOADS", raising=False)
        assert cli.main(["data"]) == 0
    return root


@pytest.fixture()
def project(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(template, root)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    return root


def damage(src: Path, dst: Path, offset: int | None = None) -> Path:
    """A copy of ``src`` with 64 bytes in the middle of its largest part set to zero."""
    data = bytearray(src.read_bytes())
    if offset is None:
        with zipfile.ZipFile(src) as zf:
            info = max(zf.infolist(), key=lambda i: i.compress_size)
        offset = info.header_offset + 30 + len(info.filename) + info.compress_size // 3
    data[offset : offset + 64] = bytes(64)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(bytes(data))
    return dst


def build(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["data"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_truncated_extra_copy_of_a_present_release_is_skipped_with_a_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    downloads = project / "data/raw/downloads"
    data = (downloads / "g.xlsx").read_bytes()
    copy = downloads / "old" / "g (1).xlsx"
    copy.parent.mkdir()
    copy.write_bytes(data[: len(data) // 2])
    code, out, err = build(capsys)
    assert code == 0, out + err
    assert (
        f"warning: {copy}: skipped, a damaged copy of unodc-test (read from {downloads / 'g.xlsx'}):"
        " expected a complete .xlsx workbook, found a truncated or damaged zip archive (" in err
    )
    assert "; delete it" in err
    assert "release found:   unodc-test (g.xlsx)" in out
    assert thb.load()["citation"].eq("unodc-test").sum() == 3


def test_a_damaged_copy_with_the_release_name_elsewhere_is_skipped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    downloads = project / "data/raw/downloads"
    copy = damage(downloads / "g.xlsx", downloads / "backup" / "g.xlsx")
    code, out, err = build(capsys)
    assert code == 0, out + err
    assert f"warning: {copy}: skipped, a damaged copy of unodc-test" in err
    assert "zip bomb" not in err


def test_a_damaged_file_unlike_any_release_still_stops_the_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a truncated zip whose first part is no part of any release (a workbook written in the same
    # second as the registered one would begin with the same bytes: a truncated copy of it)
    other = project / "data/raw/x.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("xl/other.bin", bytes(range(256)) * 40)
    bad = project / "data/raw/downloads/new.xlsx"
    bad.write_bytes(other.read_bytes()[:2000])
    code, out, err = build(capsys)
    assert code == 2 and f"{bad}: expected a complete .xlsx workbook" in err, out + err


def test_a_damaged_registered_file_is_reported_as_that_release_damaged(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    downloads = project / "data/raw/downloads"
    good = downloads / "g.xlsx"
    registered_sha = sha256_of(good)
    damage(good, good)  # in place: same name, same size, another sha256
    code, out, err = build(capsys)
    assert code == 4, out + err  # the earlier, fuller build is kept
    text = (
        f"{good} has the name and size of unodc-test ({good.stat().st_size:,} bytes) but sha256 "
        f"{sha256_of(good)[:12]}..., not the registered {registered_sha[:12]}...: it is that "
        "release, damaged (a broken copy or download). Delete it, then"
    )
    assert "official releases missing from" in out and "unodc-test (damaged: g.xlsx)" in out
    assert f"release unodc-test is damaged: {text}" in err
    assert "is missing from" not in err

    # built on purpose without it: the summary names the release damaged, not missing
    assert cli.main(["data", "--allow-shrink"]) == 0
    out = capsys.readouterr().out
    assert "release DAMAGED: unodc-test - " in out and text in out
    assert "release MISSING: unodc-test" not in out


def test_damaged_releases_need_the_registered_name_and_size(tmp_path: Path) -> None:
    from thbstats.ingest.readers import Release

    rel = Release("k", "UNODC", "unodc_glotip", "p", "data.xlsx", "0" * 64, "2025-01-01", size=10)
    same = tmp_path / "a" / "DATA.xlsx"
    same.parent.mkdir()
    same.write_bytes(b"x" * 10)
    longer = tmp_path / "data.xlsx"
    longer.write_bytes(b"x" * 11)
    assert damaged.damaged_releases([rel], [longer, same]) == {"k": same}
    assert damaged.damaged_releases([rel], [longer]) == {}


def test_copies_are_told_by_name_or_by_bytes(tmp_path: Path) -> None:
    rng = random.Random(7)
    original = tmp_path / "release.xlsx"
    original.write_bytes(bytes(rng.randrange(256) for _ in range(400_000)))
    present = {"k": original}
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(original.read_bytes()[:150_000])
    flipped = damage(original, tmp_path / "flipped.xlsx", offset=200_000)
    other = tmp_path / "other.xlsx"
    other.write_bytes(bytes(rng.randrange(256) for _ in range(400_000)))
    renamed_elsewhere = tmp_path / "sub" / "release.xlsx"
    renamed_elsewhere.parent.mkdir()
    renamed_elsewhere.write_bytes(b"PK")
    assert damaged.copy_of(cut, present) == "k"
    assert damaged.copy_of(flipped, present) == "k"
    assert damaged.copy_of(renamed_elsewhere, present) == "k"
    assert damaged.copy_of(other, present) is None


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sheet large enough that damage often inflates to a little more than declared."""
    rows = [[f"C{i:05d}", "Country", "Europe", "Southern Europe", "Detected trafficking victims",
             "Total", "Total", "Total", "Total", 2000 + i % 20, "Counts", str(i), "GLOTIP"]
            for i in range(20_000)]  # fmt: skip
    good = glotip_workbook(tmp_path_factory.mktemp("big") / "good.xlsx", rows)
    xlsx_safety.check_xlsx(good)
    return good


@pytest.mark.parametrize("seed", range(8))
def test_64_damaged_bytes_are_damage_not_a_zip_bomb(
    big_workbook: Path, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    with zipfile.ZipFile(big_workbook) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename)
    at = rng.randrange(start + 100, start + info.compress_size - 200)
    bad = damage(big_workbook, tmp_path / "bad.xlsx", at)
    with pytest.raises(InputError) as caught:
        xlsx_safety.check_xlsx(bad)
    message = str(caught.value)
    assert "zip bomb" not in message
    assert "part xl/worksheets/sheet1.xml" in message and "damaged" in message


def test_a_real_ratio_is_a_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * (40 << 20) + "</worksheet>")
    with pytest.raises(InputError, match=r"a ratio over [\d,]+:1 \(a zip bomb\)") as caught:
        xlsx_safety.check_xlsx(path)
    assert "expected a compression ratio of at most 200:1" in str(caught.value)


def test_fetch_says_which_release_a_damaged_file_is(project: Path) -> None:
    from thbstats.ingest.fetch import fetch

    good = project / "data/raw/downloads/g.xlsx"
    registered_sha = sha256_of(good)
    damage(good, good)
    lines: list[str] = []
    fetch(good.parent, offline=True, log=lines.append, look_for_new=False)
    assert [line for line in lines if line.startswith("  DAMAGED")] == [
        f"  DAMAGED unodc-test: {good} has the name and size of unodc-test "
        f"({good.stat().st_size:,} bytes) but sha256 {sha256_of(good)[:12]}..., not the "
        f"registered {registered_sha[:12]}...: "
        f"it is that release, damaged (a broken copy or download). Delete it, then save an "
        f"intact copy into {good.parent}"
    ]
