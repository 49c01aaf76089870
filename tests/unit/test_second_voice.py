"""The second voice's double read: a narrative figure enters the table only when two readers read
it alike; the rest is listed for review with the reason (hand-made readings)."""

from __future__ import annotations

import pandas as pd
import pytest

from thbstats.errors import InputError
from thbstats.ingest.readers import second_voice as sv

HEADER = "edition,geo,geo_name,url,reporting_year,year_words,stage,form,value,unit,unit_words,quote"
URL = "https://www.state.gov/reports/2021-trafficking-in-persons-report/germany/"


def row(value="472", *, stage="investigated", form="all", unit="persons", year="2019", url=URL):
    quote = f'"State governments completed 313 pre-trial trafficking investigations of {value} suspects"'
    return f"2021,DEU,Germany,{url},{year},in 2019,{stage},{form},{value},{unit},suspects,{quote}"


def readings(tmp_path, *files: list[str]) -> pd.DataFrame:
    paths = []
    for i, lines in enumerate(files, start=1):
        p = tmp_path / f"tip_reading_{i}.csv"
        p.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
        paths.append(p)
    return sv.read_readings(paths)


def test_two_readers_alike_enter_the_table(tmp_path):
    agreed, review = sv.double_read(readings(tmp_path, [row()], [row()]))
    rows = sv.tip_rows(agreed)
    assert rows[
        ["geo", "year_start", "stage", "value", "unit", "flag", "citation"]
    ].values.tolist() == [
        [
            "DEU",
            "2019",
            "suspected",
            "472",
            "persons",
            "second_voice",
            "tip-2021-country-narratives",
        ]
    ]
    assert "read alike by readers 1 and 2" in rows["note"].iloc[0]
    assert review.empty


def test_one_reader_or_two_readings_go_to_review(tmp_path):
    agreed, review = sv.double_read(
        readings(tmp_path, [row("472"), row("11", stage="convicted")], [row("427")])
    )
    assert agreed.empty
    assert sorted(review["reason"].str.split(" \\(").str[0]) == [
        "read by one reader only",
        "read differently",
    ]
    differ = review[review["reason"].str.startswith("read differently")].iloc[0]
    assert differ["readings"] == "reader 1: 472; reader 2: 427"


def test_no_calendar_year_is_the_reporting_period(tmp_path):
    agreed, review = sv.double_read(readings(tmp_path, [row(year="")], [row(year="")]))
    rows = sv.tip_rows(agreed)  # TIP 2021: April 2020 to March 2021, never a calendar year
    assert rows[["year_start", "year_end", "flag"]].values.tolist() == [
        ["2020", "2021", "second_voice;reporting_period"]
    ]
    assert review.empty


def test_other_forms_are_summed_and_flagged(tmp_path):
    begging, crime = row("1", form="other"), row("19", form="other")
    agreed, _ = sv.double_read(readings(tmp_path, [begging, crime], [crime, begging]))
    rows = sv.tip_rows(agreed)
    assert rows["value"].tolist() == ["20"]
    assert rows["flag"].iloc[0] == "second_voice;summed_parts"


def test_two_figures_under_one_total_are_not_summed(tmp_path):
    lines = [row("11", stage="identified"), row("17", stage="identified")]
    agreed, review = sv.double_read(readings(tmp_path, lines, lines))
    assert agreed.empty and review["reason"].iloc[0].startswith("two figures under one key")


def test_a_copy_elsewhere_is_flagged(tmp_path):
    copy = "https://www.ecoi.net/en/document/2055190.html"
    agreed, _ = sv.double_read(readings(tmp_path, [row(url=copy)], [row(url=copy)]))
    assert sv.tip_rows(agreed)["flag"].iloc[0] == "second_voice;third_party_copy"


@pytest.mark.parametrize(
    "bad,column,expected",
    [
        (row("4,72").replace('"4,72"', "4,72"), None, "fields"),
        (row("forty"), "value", "a whole number in digits"),
        (row(stage="arrested"), "stage", "investigated|prosecuted"),
        (row(unit="defendants"), "unit", "persons|cases"),
        (row(year="2019.0"), "reporting_year", "a year or nothing"),
        (row().replace("Germany", "Germ\u2028any"), "geo_name", "control characters"),
    ],
)
def test_bad_readings_name_file_line_and_column(tmp_path, bad, column, expected):
    with pytest.raises(InputError) as exc:
        readings(tmp_path, [row(), bad])
    msg = str(exc.value)
    assert "tip_reading_1.csv" in msg and expected in msg
    if column:
        assert f"'{column}'" in msg and "row 3" in msg


def test_a_year_inferred_by_the_reader_is_no_year(tmp_path):
    inferred = row().replace("in 2019", "(not stated in sentence; compared with 2018)")
    agreed, review = sv.double_read(readings(tmp_path, [inferred], [row()]))
    assert agreed.empty
    assert sorted(review["reporting_year"]) == ["", "2019"]
