"""Breaks where they happen, on small hand-made series: one-year outliers apart from changes of
level, the year concerned only, once per figure whatever the number of releases."""

from __future__ import annotations

import pandas as pd

from thbstats import schema
from thbstats.analysis.metrics.select import has_flag
from thbstats.ingest import breaks, checks, derive

CFG = checks.rules()["breaks"]


def series(values: dict[int, object], pub: str = "UNODC GLOTIP data 2025-04-14", **kw) -> list:
    """Totals of one country and stage, one per year ("<5" for a suppressed cell)."""
    base = {
        "source": "UNODC",
        "publication": pub,
        "geo": "AAA",
        "geo_name": "AAA",
        "geo_type": "country",
        "stage": "identified",
        "form": "all",
        "sex": "all",
        "age": "all",
        "unit": "persons",
        "citation": "unodc-glotip-2025-04-14",
    } | kw
    return [
        base
        | {
            "year_start": y,
            "year_end": y,
            "value": None if v == "<5" else float(v),
            "flag": "suppressed_lt5" if v == "<5" else "",
        }
        for y, v in values.items()
    ]


def build(*parts: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, _lines, found = derive.derive_all(
        schema.coerce(pd.DataFrame([r for p in parts for r in p]))
    )
    return rows, found


def flagged(rows: pd.DataFrame, flag: str) -> list[int]:
    return sorted(rows.loc[has_flag(rows["flag"], flag), "year_start"].astype(int).tolist())


def bounds(values: list[float]) -> list[tuple[float, float]]:
    return [(v, v) for v in values]


def test_a_dip_and_its_return_are_one_outlier_not_two_breaks():
    # the shape of Hungary's identified victims 2014-2022 (2025 release)
    hun = {2014: 294, 2015: 507, 2016: 489, 2017: 9, 2018: 33, 2019: 91, 2020: 239, 2021: 201}
    rows, found = build(series(hun))
    assert flagged(rows, "outlier") == [2017] and flagged(rows, "break_in_series") == []
    assert found[["kind", "year", "values"]].values.tolist() == [
        ["outlier", 2017, "2016: 489; 2017: 9; 2018: 33"]
    ]


def test_a_lasting_new_level_flags_its_first_year_only():
    rows, found = build(series({2016: 12, 2017: 19, 2018: 269, 2019: 206, 2020: 134, 2021: 171}))
    assert flagged(rows, "break_in_series") == [2018] and flagged(rows, "outlier") == []
    assert found["kind"].tolist() == ["level_shift"]


def test_a_spike_whose_return_is_the_jump_is_the_outlier():
    # 2019 is 6.9 times the year before (no jump), 2020 drops tenfold: 2019 is the odd year
    assert breaks.classify(bounds([5, 16, 15, 103, 5, 23, 11]), CFG) == [("outlier", 3)]


def test_a_jump_into_the_last_year_is_a_change_of_level():
    assert breaks.classify(bounds([40, 35, 30, 12, 184]), CFG) == [("level_shift", 4)]


def test_small_counts_and_lt5_do_not_make_breaks():
    rows, found = build(series({2017: "<5", 2018: 40, 2019: "<5", 2020: 25}))
    assert found.empty and not has_flag(rows["flag"], "outlier").any()


def test_offences_are_checked_too():
    rows, found = build(
        series({2016: 647, 2017: 57, 2018: 47, 2019: 49}, stage="offences", unit="offences")
    )
    assert found[["stage", "kind", "year"]].values.tolist() == [["offences", "level_shift", 2017]]


def test_a_second_release_printing_the_same_figures_adds_no_break():
    hun = {2015: 507, 2016: 489, 2017: 9, 2018: 33, 2019: 91, 2020: 239}
    one, found_one = build(series(hun))
    both, found_both = build(series(hun, pub="UNODC GLOTIP data 2023-05-30"), series(hun))
    assert len(found_one) == len(found_both) == 1
    assert found_both["publications"].iloc[0] == (
        "UNODC GLOTIP data 2023-05-30;UNODC GLOTIP data 2025-04-14"
    )
    # the figure is flagged in each release that prints it, and nowhere else
    assert flagged(both, "outlier") == [2017, 2017]
    # a release that revised the outlier away: the old figure is revised, not an outlier
    fixed = {**hun, 2017: 300}
    rows, found = build(series(hun, pub="UNODC GLOTIP data 2023-05-30"), series(fixed))
    assert found.empty and flagged(rows, "revised") == [2017]
