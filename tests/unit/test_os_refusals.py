"""`thbstats briefs` and `thbstats register` in a read-only folder, on a full disk, without
permission: one line naming the file and what to do, exit code 2, no traceback, nothing left
half-written (`thbstats data`: tests/unit/test_hostile.py)."""

from __future__ import annotations

import errno
import os
import tempfile

import pytest
from helpers import SAMPLE_ROWS, glotip_row, glotip_workbook, make_project, only_release, register

from thbstats import cli

CASES = [
    (errno.EROFS, "the disk is read-only"),
    (errno.ENOSPC, "the disk is full"),
    (errno.EACCES, "check its permissions"),
]


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    wb = glotip_workbook(root / "data/raw/downloads/g.xlsx", SAMPLE_ROWS)
    register(root, "unodc-test", wb)
    only_release(root, "unodc-test")
    return root


def refuse_temporary_files(monkeypatch, code: int) -> None:
    def refuse(prefix="", suffix="", dir=None):  # as mkstemp fails in a read-only folder
        raise OSError(code, os.strerror(code), os.path.join(dir, f"{prefix}abc{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert ".tmp" not in err
    return err


@pytest.mark.parametrize("code,advice", CASES)
def test_briefs_refuse_os_errors_in_one_line(project, monkeypatch, capsys, code, advice):
    assert cli.main(["data"]) == 0
    capsys.readouterr()
    refuse_temporary_files(monkeypatch, code)
    assert cli.main(["briefs", "--only", "ALB"]) == 2
    err = one_line(capsys)
    briefs = project / "figures/briefs"
    assert err.startswith(f"error: {briefs / 'ALB.pdf'}: ") and advice in err
    assert not [p.name for p in briefs.iterdir() if not p.name.startswith(".inputs.")]


@pytest.mark.parametrize("code,advice", CASES)
def test_register_refuses_os_errors_in_one_line(
    project, tmp_path, monkeypatch, capsys, code, advice
):
    wb = glotip_workbook(
        tmp_path / "new.xlsx", [glotip_row("Persons prosecuted", "17")], release_date="01/06/2026"
    )
    sources = project / "data/raw/sources.yml"
    before = sources.read_bytes()
    refuse_temporary_files(monkeypatch, code)
    assert cli.main(["register", str(wb)]) == 2
    err = one_line(capsys)
    assert err.startswith(f"error: {sources}: ") and advice in err
    assert sources.read_bytes() == before


def test_briefs_of_a_table_where_no_state_is_ranked_are_written(project, capsys):
    assert cli.main(["data"]) == 0
    assert cli.main(["briefs", "--only", "ALB"]) == 0
    assert "briefs: 1 written" in capsys.readouterr().out
    assert (project / "figures/briefs/ALB.pdf").stat().st_size > 0
