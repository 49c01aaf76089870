"""The impunity ratio and the dark figure on a hand-made table, values computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from figure_fixtures import SUP, UNODC, _row

from thbstats.analysis import dark_figure as dark
from thbstats.analysis.impunity import ranking

GSI = "Global Slavery Index 2023"


def _table() -> pd.DataFrame:
    rows = []
    # AUT: identified 100, 120 (2021-2022); convicted 10, "<5"
    for y, ident, conv in ((2021, 100, 10), (2022, 120, None)):
        rows.append(_row("UNODC", UNODC, "AUT", y, "identified", ident, citation="u"))
        flag = SUP if conv is None else ""
        rows.append(_row("UNODC", UNODC, "AUT", y, "convicted", conv, flag=flag, citation="u"))
    # BEL: identified 200 (2022 only); convicted 50 (2022)
    rows.append(_row("UNODC", UNODC, "BEL", 2022, "identified", 200, citation="u"))
    rows.append(_row("UNODC", UNODC, "BEL", 2022, "convicted", 50, citation="u"))
    # DEU: identified "<5" and convicted "<5" in 2022: a ratio of 25 to 400, not ranked
    rows.append(_row("UNODC", UNODC, "DEU", 2022, "identified", None, flag=SUP, citation="u"))
    rows.append(_row("UNODC", UNODC, "DEU", 2022, "convicted", None, flag=SUP, citation="u"))
    for geo, est, pop in (("AUT", 17000, 9_000_000), ("BEL", 11000, 11_500_000)):
        rows.append(
            _row("WALKFREE", GSI, geo, 2021, "estimated", est, citation="w", form="modern_slavery")
        )
        rows.append(_row("WALKFREE", GSI, geo, 2021, "population", pop, citation="w"))
    df = pd.DataFrame(rows)
    df["value"] = pd.to_numeric(df["value"])
    return df


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return ranking(_table(), geo="EU27", years=[2021, 2022], groups=("EU27",)).set_index("geo")


def test_state_averages_carry_lt5_as_bounds(table):
    aut = table.loc["AUT"]
    assert aut["identified"] == 110.0 and aut["identified_years"] == "2021-2022"
    # convicted: 10 and "<5" (1-4) -> average 5.5 to 7.0
    assert (aut["convicted_min"], aut["convicted_max"]) == (5.5, 7.0)
    assert aut["convicted_n_lt5"] == 1
    assert aut["convicted_per_100_identified_min"] == pytest.approx(5.5 / 110 * 100)
    assert aut["convicted_per_100_identified_max"] == pytest.approx(7.0 / 110 * 100)
    assert aut["estimated_per_conviction"] == pytest.approx(17000 / 6.25)
    assert aut["identified_per_1000_estimated"] == pytest.approx(110 / 17000 * 1000)
    assert aut["identified_per_100k"] == pytest.approx(110 / 9_000_000 * 100_000)


def test_rank_median_and_states_not_ranked(table):
    assert table.loc["BEL", "rank"] == 1 and table.loc["AUT", "rank"] == 2  # 25 > 5.7
    assert table.loc["BEL", "ranked_of"] == 2
    assert table.loc["BEL", "median_convicted_per_100_identified"] == pytest.approx(
        (25 + 6.25 / 110 * 100) / 2
    )
    assert table.loc["BEL", "vs_median"] == "above" and table.loc["AUT", "vs_median"] == "below"
    deu = table.loc["DEU"]
    assert pd.isna(deu["rank"]) and "between 25 and 400" in deu["rank_note"]
    fra = table.loc["FRA"]  # a member without figures stays in the table
    assert not fra["has_data"] and fra["rank_note"] == "no UNODC figures in the window"


def test_group_ratio_uses_states_with_both_figures(table):
    eu = table.loc["EU27"]
    # identified: 110 + 200 + 2.5 (DEU "<5"); convicted over AUT, BEL, DEU: 6.25 + 50 + 2.5
    assert eu["identified"] == pytest.approx(312.5)
    assert eu["convicted_per_100_identified"] == pytest.approx(58.75 / 312.5 * 100)
    assert eu["convicted_per_100_identified_states"] == 3
    assert eu["estimated"] == 28000 and pd.isna(eu["rank"])


def test_ratio_over_matched_years_and_the_unmatched_column():
    df = _table()
    # NLD: identified 100 (2021) and 300 (2022); convicted 30 in 2022 only
    for y, ident in ((2021, 100), (2022, 300)):
        df.loc[len(df)] = _row("UNODC", UNODC, "NLD", y, "identified", ident, citation="u")
    df.loc[len(df)] = _row("UNODC", UNODC, "NLD", 2022, "convicted", 30, citation="u")
    df["value"] = pd.to_numeric(df["value"])
    t = ranking(df, geo="EU27", years=[2021, 2022], groups=("EU27",)).set_index("geo")
    nld = t.loc["NLD"]
    assert nld["convicted_per_100_identified"] == pytest.approx(30 / 300 * 100)  # 2022 only
    assert nld["convicted_per_100_identified_years"] == "2022"
    assert nld["convicted_per_100_identified_unmatched"] == pytest.approx(30 / 200 * 100)
    assert nld["identified"] == 200  # the headline average keeps every year with a figure
    loose = ranking(df, geo="EU27", years=[2021, 2022], groups=("EU27",), matched=False)
    loose = loose.set_index("geo")
    assert loose.loc["NLD", "convicted_per_100_identified"] == pytest.approx(15.0)
    # the group sums each State's matched averages: AUT 6.25/110, BEL 50/200, NLD 30/300 and
    # DEU's "<5" over "<5" (2.5/2.5 central)
    eu = t.loc["EU27"]
    assert eu["convicted_per_100_identified_states"] == 4
    assert eu["convicted_per_100_identified"] == pytest.approx(
        (6.25 + 50 + 30 + 2.5) / (110 + 200 + 300 + 2.5) * 100
    )


def test_rank_rules_on_the_hand_made_table(table):
    # a factor of four or more is too wide (DEU: 25 to 400); exact ratios rank with no interval
    assert table.loc["BEL", "rank_best"] == table.loc["BEL", "rank_worst"] == 1
    assert table.loc["AUT", "ratio_note"] == "" and pd.isna(table.loc["DEU", "rank_best"])


def test_unknown_ratio_is_an_error():
    with pytest.raises(ValueError, match="rank_by"):
        ranking(_table(), rank_by="victims")


def test_dark_figure_sets_a_range_against_identified_of_the_same_years():
    df = _table()
    for flag, v in (("range_low", 300), ("range_high", 500)):
        r = _row(
            "HOMEOFFICE",
            "MSE",
            "AUT",
            2021,
            "estimated",
            v,
            flag=flag,
            citation="h",
            form="trafficking",
        )
        df = pd.concat([df, pd.DataFrame([r | {"note": ""}])], ignore_index=True)
    t = dark.dark_figure(df).set_index("geo")
    assert (t.loc["AUT", "estimate_low"], t.loc["AUT", "estimate_high"]) == (300, 500)
    assert t.loc["AUT", "identified"] == 100 and t.loc["AUT", "ratio"] == 4.0
    assert {g["geo"] for g in dark.gaps()} >= {"SRB", "ROU"}
