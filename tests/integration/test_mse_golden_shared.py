"""thbstats against the reference implementation on the nine shared list tables (golden file
tests/golden/mse_reference.csv, made with tests/golden/make_reference.R; R is not needed here).

Default stepwise, default downhill, the search over all models and the default method ("auto")
reproduce the reference's model and estimate, relative 1e-6; so does stepwise at 0.05 and
downhill with pairs only.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from mse_golden import SHARED, answer, reference, same

from thbstats.analysis import mse

pytestmark = pytest.mark.official

REFERENCE = reference()
ROWS = REFERENCE[REFERENCE["table"].isin(SHARED)]


@functools.cache
def _run(path: str, method: str, opts: str):
    return answer(mse.read_table(path), method, opts)


def _key(r) -> str:
    return f"{r.table}-{r.method}-{r.options}-{r.package}"


def test_the_golden_file_covers_every_shared_table_with_every_default() -> None:
    for name in SHARED:
        methods = set(ROWS.loc[ROWS["table"] == name, "method"])
        assert {"stepwise", "downhill", "exhaustive", "auto"} <= methods or (
            name == "NewOrl" and {"stepwise", "downhill", "auto"} <= methods
        ), name


@pytest.mark.parametrize("row", [r for _, r in ROWS.iterrows()], ids=_key)
def test_shared_table_agrees_with_the_reference(official: dict[str, Path], row) -> None:
    path = official[SHARED[row.table]]
    got = _run(str(path), row.method, row.options)
    assert not same(row, mse.read_table(path), got), same(row, mse.read_table(path), got)


def test_the_default_of_the_command_is_the_reference_default(official, capsys) -> None:
    from thbstats.cli import main

    rows = ROWS[(ROWS["method"] == "auto")].set_index("table")
    for name in ("Kosovo", "UKdat"):
        assert main(["mse", str(official[SHARED[name]]), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["estimate"] == pytest.approx(rows.loc[name, "estimate"], abs=0.05)
