"""The like-with-like panel on hand-made cells: matched years per country, one country set per
group, the left-out named, "<5" kept as a figure."""

from __future__ import annotations

import pandas as pd
import pytest

from thbstats.analysis.metrics.matched import CELL_COLUMNS, matched_panel


def _cells() -> pd.DataFrame:
    rows = [
        # AAA: identified 2018-2021, convicted 2018-2020 ("<5" in 2020), estimate
        *[("AAA", "identified", y, 100.0, 100.0) for y in (2018, 2019, 2020, 2021)],
        ("AAA", "convicted", 2018, 10.0, 10.0),
        ("AAA", "convicted", 2019, 12.0, 12.0),
        ("AAA", "convicted", 2020, 1.0, 4.0),
        ("AAA", "estimated", 2021, 5000.0, 5000.0),
        # BBB: every flow every year, no estimate
        *[("BBB", st, y, 50.0, 50.0) for st in ("identified", "convicted") for y in (2018, 2019)],
        *[("BBB", st, y, 50.0, 50.0) for st in ("identified", "convicted") for y in (2020, 2021)],
        # CCC: identified only; DDD: identified 2018, convicted 2019 (no year with both)
        ("CCC", "identified", 2019, 7.0, 7.0),
        ("DDD", "identified", 2018, 9.0, 9.0),
        ("DDD", "convicted", 2019, 3.0, 3.0),
    ]
    df = pd.DataFrame(rows, columns=["geo", "stage", "year", "value_min", "value_max"])
    df["lt5"] = df["value_min"] != df["value_max"]
    df["publication"], df["citation"] = "p", "c"
    return df[CELL_COLUMNS]


YEARS = [2018, 2019, 2020, 2021]


def test_by_country_keeps_the_years_both_flows_have():
    p = matched_panel(_cells(), ["identified", "convicted"], YEARS)
    assert p.years == {"AAA": [2018, 2019, 2020], "BBB": YEARS}
    assert p.left_out == {"CCC": "no convicted", "DDD": "no year with every stage"}
    aaa = p.cells[(p.cells["geo"] == "AAA") & (p.cells["stage"] == "convicted")]
    assert aaa["value_min"].tolist() == [10.0, 12.0, 1.0]  # the "<5" year is a figure
    assert aaa["value_max"].tolist() == [10.0, 12.0, 4.0]
    ident = p.cells[(p.cells["geo"] == "AAA") & (p.cells["stage"] == "identified")]
    assert ident["year"].tolist() == [2018, 2019, 2020]  # 2021 left out: no conviction figure


def test_the_estimate_is_a_stock_that_every_kept_country_needs():
    p = matched_panel(_cells(), ["estimated", "identified", "convicted"], YEARS)
    assert p.countries == ["AAA"]
    assert p.left_out["BBB"] == "no estimate"
    assert p.cells.loc[p.cells["stage"] == "estimated", "value_min"].tolist() == [5000.0]


def test_by_group_keeps_the_countries_with_every_stage_every_year():
    p = matched_panel(_cells(), ["identified", "convicted"], YEARS, by="group")
    assert p.countries == ["BBB"]
    assert p.left_out["AAA"] == "no convicted 2021"
    assert p.left_out_text({"AAA": "Aland"}).startswith("Aland (no convicted 2021)")


def test_unknown_way_to_match_is_an_error():
    with pytest.raises(ValueError, match="by"):
        matched_panel(_cells(), ["identified"], YEARS, by="year")
