"""Transcribed-figure CSVs: bad input gets a message naming file, row, column and expectation."""

from __future__ import annotations

import pytest

from thbstats import schema
from thbstats.errors import InputError
from thbstats.ingest.readers.transcribed import read_transcribed

HEADER = ",".join(schema.source_columns() + ["note"])
GOOD = "TIP,TIP Report 2019,WORLD,Global,world,2018,2018,prosecuted,all,all,all,11096,persons,,tip-x,note"


def write(tmp_path, *lines, encoding="utf-8"):
    p = tmp_path / "figures.csv"
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return p


def test_good_row(tmp_path):
    res = read_transcribed(write(tmp_path, HEADER, GOOD))
    assert res.frame["value"].tolist() == [11096.0]


@pytest.mark.parametrize(
    "field,bad,column,expected",
    [
        (11, "11,096", "value", "a plain number"),
        (11, "-5", "value", "a number >= 0"),
        (7, "arrested", "stage", "one of estimated"),
        (8, "organ", "form", "one of all"),
        (5, "1850", "year_start", "a number >= 1990"),
        (4, "continent", "geo_type", "one of country"),
        (13, "estimate", "flag", "one of suppressed_lt5"),
    ],
)
def test_bad_values(tmp_path, field, bad, column, expected):
    parts = GOOD.split(",")
    parts[field] = f'"{bad}"'
    with pytest.raises(InputError) as err:
        read_transcribed(write(tmp_path, HEADER, GOOD.replace("11096", "1"), ",".join(parts)))
    msg = str(err.value)
    assert "figures.csv, row 3" in msg and f"column {column!r}" in msg and expected in msg


def test_duplicate_with_different_value(tmp_path):
    with pytest.raises(InputError, match="duplicate rows 2, 3"):
        read_transcribed(write(tmp_path, HEADER, GOOD, GOOD.replace("11096", "11097")))


def test_missing_column(tmp_path):
    header = HEADER.replace(",unit", "")
    with pytest.raises(InputError, match=r"row 1, column 'unit': expected column 13 headed 'unit'"):
        read_transcribed(write(tmp_path, header, GOOD))


def test_wrong_encoding(tmp_path):
    with pytest.raises(InputError, match=r"row 2, column 'note': expected UTF-8 text"):
        read_transcribed(
            write(tmp_path, HEADER, GOOD.replace("note", "Türkiye"), encoding="latin-1")
        )


def test_empty_file(tmp_path):
    p = tmp_path / "figures.csv"
    p.write_text("")
    with pytest.raises(InputError, match="an empty file"):
        read_transcribed(p)


def test_year_end_before_start(tmp_path):
    with pytest.raises(InputError, match="column 'year_end'"):
        read_transcribed(write(tmp_path, HEADER, GOOD.replace("2018,2018", "2018,2017")))
