"""`thbstats mse` on hostile tables and options: one-line refusals before any work, never a
traceback (decompression bombs, counts that are no counts, too many lists, options out of range)."""

from __future__ import annotations

import gzip

import pytest

from thbstats.analysis.mse.tables import MAX_LISTS, MAX_RDA_BYTES
from thbstats.cli import main

THREE = "A,B,C,n\n1,0,0,30\n0,1,0,20\n0,0,1,25\n1,1,0,10\n1,0,1,8\n0,1,1,6\n1,1,1,2\n"


def _refused(capsys, *argv: str) -> str:
    assert main(["mse", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_a_gzip_bomb_named_rda_is_stopped_at_the_limit(tmp_path, capsys) -> None:
    bomb = tmp_path / "bomb.rda"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        chunk = b"\0" * 2**20
        for _ in range(MAX_RDA_BYTES // 2**20 + 2):
            fh.write(chunk)
    assert bomb.stat().st_size < 200_000  # a small file that inflates past the limit
    err = _refused(capsys, str(bomb))
    assert "bomb.rda" in err and "64 MiB" in err


@pytest.mark.parametrize(
    ("count", "why"),
    [("inf", "'inf'"), ("9.3e18", "'9.3e+18'"), ("-3", "'-3'"), ("2.5", "'2.5'")],
)
def test_a_count_that_is_no_count_is_refused_with_its_row(tmp_path, capsys, count, why) -> None:
    path = tmp_path / "t.csv"
    path.write_text(THREE.replace("1,1,0,10", f"1,1,0,{count}"))
    err = _refused(capsys, str(path))
    assert "row 5" in err and "column 'n'" in err and why in err
    assert "at most 1,000,000,000,000" in err


def test_a_header_only_and_an_all_zero_table_are_refused(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("A,B,C,n\n")
    assert "no rows" in _refused(capsys, str(empty))
    zeros = tmp_path / "zeros.csv"
    zeros.write_text("A,B,C,n\n1,0,0,0\n0,1,0,0\n0,0,1,0\n")
    assert "all 0" in _refused(capsys, str(zeros))


def test_too_many_lists_are_refused_before_the_histories_are_built(tmp_path, capsys) -> None:
    n = 20
    header = ",".join(f"L{i}" for i in range(n)) + ",n\n"
    row = ",".join("1" if i == 0 else "0" for i in range(n)) + ",5\n"
    path = tmp_path / "wide.csv"
    path.write_text(header + row)
    err = _refused(capsys, str(path))
    assert f"at most {MAX_LISTS} list columns" in err and "20 list columns" in err


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--pthresh", "nan", "--pthresh: expected a p-value above 0 and at most 1, found nan"),
        ("--pthresh", "2", "found 2.0"),
        ("--pthresh", "0", "found 0.0"),
        ("--bootstrap", "100000000", "expected 0 to 20,000 resamples, found 100,000,000"),
        ("--bootstrap", "-1", "found -1"),
        ("--maxorder", "0", "--maxorder: expected a whole number of at least 1"),
        ("--ntop", "0", "--ntop: expected a whole number of at least 1"),
    ],
)
def test_options_out_of_range_are_refused_before_the_file_is_read(capsys, option, value, said):
    # the file does not exist: the options are checked first
    assert said in _refused(capsys, "no-such-table.csv", option, value)


def test_a_sound_table_still_gives_its_estimate(tmp_path, capsys) -> None:
    path = tmp_path / "t.csv"
    path.write_text(THREE)
    assert main(["mse", str(path), "--method", "stepwise"]) == 0
    assert "observed   101" in capsys.readouterr().out
