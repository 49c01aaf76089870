"""The re-export measurement of `make bench`: the second export of unchanged charts draws
nothing; its target is a ratio of the two exports of the same run (no timing asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_reexport_rows_and_target(dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))  # benchmarks/ is beside the package, not installed
    from benchmarks import reexport

    first, again = reexport.rows()
    assert first["note"].startswith("3 drawn") and again["note"].startswith("0 drawn")
    (check,) = reexport.checks([first, again])
    assert check["target"] == "re-export of unchanged charts vs first export"
    assert reexport.checks([])[0]["status"] == "n/a"
