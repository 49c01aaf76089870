""" "<5" cells carried as ranges through sums, changes, ratios, averages, shares and charts.

Real cases from the UNODC 2025-04-14 release (persons, all forms, sexes and ages), worked out by
hand from the file's rows; small hand-made tables for the shares rules.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import thbstats as thb
from thbstats import schema
from thbstats.analysis import metrics as m
from thbstats.publish import charts as ch

pytest_plugins = ["figure_fixtures"]

P2025 = "UNODC GLOTIP data 2025-04-14"
NORDIC = ["DNK", "FIN", "ISL", "NOR", "SWE"]
LT5 = "suppressed_lt5"


def _cells(df: pd.DataFrame, stage: str, years, geos=NORDIC, **dims) -> dict:
    """(geo, year) -> printed value or "<5", from the release's rows."""
    want = {"form": "all", "sex": "all", "age": "all"} | dims
    t = df[(df.publication == P2025) & df.geo.isin(geos) & (df.stage == stage)]
    t = t[t.year_start.isin(list(years)) & (t.year_start == t.year_end)]
    for col, v in want.items():
        t = t[t[col] == v]
    return {
        (r.geo, r.year_start): ("<5" if LT5 in str(r.flag) else r.value) for r in t.itertuples()
    }


def test_nordic_convictions_2022_all_lt5_is_a_range_not_zero(real_table):
    cells = _cells(real_table, "convicted", range(2015, 2023))
    # the file: in 2022 Denmark, Norway and Sweden each published "<5"; Finland and Iceland no row
    assert {g: cells.get((g, 2022)) for g in NORDIC} == {
        "DNK": "<5",
        "FIN": None,
        "ISL": None,
        "NOR": "<5",
        "SWE": "<5",
    }
    assert (cells[("DNK", 2015)], cells[("NOR", 2015)], cells[("SWE", 2015)]) == (7, 12, "<5")
    a = m.aggregate(real_table, NORDIC, "convicted", range(2015, 2023), mode="all")
    t = a.set_index("year")
    y22 = t.loc[2022]
    assert (y22.value_min, y22.value, y22.value_max) == (3.0, 7.5, 12.0)  # 3 x "<5", never 0
    assert y22.n_suppressed == 3 and y22.countries == "DNK;NOR;SWE"
    assert (t.loc[2015, "value_min"], t.loc[2015, "value_max"]) == (20.0, 23.0)  # 7 + 12 + <5
    c = m.percent_change_range(t, 2015, 2022)  # not -100 %
    assert c.value == pytest.approx((7.5 / 21.5 - 1) * 100)  # -65.1 %
    assert c.low == pytest.approx((3 / 23 - 1) * 100)  # -87.0 %
    assert c.high == pytest.approx((12 / 20 - 1) * 100)  # -40.0 %
    # 2015-2022 summed: 116 to 179 persons convicted, 147.5 central
    assert (t["value_min"].sum(), t["value"].sum(), t["value_max"].sum()) == (116, 147.5, 179)
    avg = m.average_per_year(t["value"], 2015, 2022, low=t["value_min"], high=t["value_max"])
    assert (avg.low, avg.value, avg.high) == (14.5, 18.4375, 22.375) and avg.complete


def test_nordic_balanced_panel_change_is_a_range(real_table):
    # every year 2015-2022 only Denmark and Sweden report; 2022 is "<5" + "<5"
    a = m.aggregate(real_table, NORDIC, "convicted", range(2015, 2023)).set_index("year")
    assert set(a["countries"]) == {"DNK;SWE"}
    assert tuple(a.loc[2022, ["value_min", "value", "value_max"]]) == (2.0, 5.0, 8.0)
    c = m.percent_change_range(a, 2015, 2022)  # 2015: 7 + <5 = 8 to 11
    assert (c.low, c.high) == pytest.approx(((2 / 11 - 1) * 100, 0.0))
    assert c.value == pytest.approx((5 / 9.5 - 1) * 100)


def test_state_with_only_lt5_convictions_stays_in_the_ranking(real_table):
    cells = _cells(real_table, "convicted", range(2017, 2021), ["FIN"])
    assert cells == {("FIN", 2017): "<5", ("FIN", 2018): "<5", ("FIN", 2020): "<5"}
    r = m.attrition(real_table, "FIN", range(2017, 2021), "convicted", "estimated")
    assert r["denominator"] == 8000  # Global Slavery Index 2023, Finland, 2021
    assert (r["numerator_min"], r["numerator"], r["numerator_max"]) == (1.0, 2.5, 4.0)
    assert (r["low"], r["value"], r["high"]) == pytest.approx((0.125, 0.3125, 0.5))
    assert r["n_suppressed"] == 3 and r["years"] == "2017, 2018, 2020"
    c = ch.attrition_chart(real_table, NORDIC, 2017, 2020, denominator="estimated")
    try:
        fin = c.data.set_index("geo").loc["FIN"]
        assert fin["value"] == pytest.approx(0.3125)
        ticks = [t.get_text() for t in c.fig.axes[0].get_yticklabels()]
        assert "Finland" in ticks and "Finland 0.3 (0.1-0.5)" in c.alt
        assert "published as '<5'" in c.note and "(top" not in c.subtitle
    finally:
        plt.close(c.fig)


def test_share_with_a_lt5_part_carries_bounds(real_table):
    parts = (("all", "all"), ("female", "all"), ("male", "all"), ("other", "all"))
    by_sex = {
        s: _cells(real_table, "identified", [2021], ["SWE"], sex=s, age=a)[("SWE", 2021)]
        for s, a in (*parts, ("unknown", "unknown"))
    }
    assert by_sex == {"all": 134, "female": 77, "male": 51, "other": "<5", "unknown": 6}
    s = thb.shares(real_table, "sex", geo="SWE", years=2021).set_index("part")
    assert list(s.index) == ["female", "male", "other", "unknown"]
    # parts: 77 + 51 + <5 + 6 = 135 to 138 (central 136.5), above the printed total 134
    assert (s.loc["female", "share_min"], s.loc["female", "share_max"]) == (77 / 138, 77 / 135)
    assert s.loc["female", "share"] == pytest.approx(77 / 136.5)
    assert (s.loc["other", "value_min"], s.loc["other", "value"], s.loc["other", "value_max"]) == (
        1.0,
        2.5,
        4.0,
    )
    assert (s.loc["other", "share_min"], s.loc["other", "share_max"]) == (1 / 135, 4 / 138)
    row = s.iloc[0]
    assert (row.parts_total_min, row.parts_total_max, row.total_printed) == (135, 138, 134)
    assert row.n_disagree == 1 and row.disagree == "SWE 2021" and row.n_countries_lt5 == 1
    assert row.derived and "Derived" in row.note and row.publication == P2025
    assert s["share"].sum() == pytest.approx(1.0)


# --- shares on a hand-made table ----------------------------------------------------------


def _table(rows: list[tuple]) -> pd.DataFrame:
    out = []
    for geo, form, value in rows:
        out.append(
            {
                "source": "UNODC",
                "publication": P2025,
                "geo": geo,
                "geo_name": geo,
                "geo_type": "country",
                "year_start": 2020,
                "year_end": 2020,
                "stage": "identified",
                "form": form,
                "sex": "all",
                "age": "all",
                "value": None if value == "<5" else value,
                "unit": "persons",
                "flag": LT5 if value == "<5" else "",
                "citation": "unodc-glotip-2025-04-14",
            }
        )
    return schema.coerce(pd.DataFrame(out))


FORMS = _table(
    [
        ("ALB", "all", 100),
        ("ALB", "sexual", 60),
        ("ALB", "labour", "<5"),
        ("ALB", "other", 30),
        ("AUT", "all", 50),
        ("AUT", "sexual", 50),  # no labour or other row: read as 0
    ]
)


def test_shares_denominator_is_the_sum_of_the_parts():
    s = m.shares(FORMS, "form", geo=["ALB", "AUT"], years=[2020]).set_index("part")
    assert s.loc["sexual", "value"] == 110 and s.loc["labour", "value"] == 2.5
    assert s.loc["sexual", "share"] == pytest.approx(110 / 142.5)  # 110 + 2.5 + 30
    assert s.loc["sexual", "share_min"] == pytest.approx(110 / 144)  # labour at 4
    assert s.loc["sexual", "share_max"] == pytest.approx(110 / 141)  # labour at 1
    assert s.loc["labour", "n_suppressed"] == 1 and s.loc["labour", "n_absent"] == 1
    row = s.iloc[0]
    assert row.total_printed == 150 and (row.parts_total_min, row.parts_total_max) == (141, 144)
    assert row.n_disagree == 1 and row.disagree == "ALB 2020"  # 91-94 against 100
    assert row.n_countries == 2 and row.countries == "ALB;AUT" and row.countries_lt5 == "ALB"


def test_shares_absent_drop_and_bad_arguments():
    s = m.shares(FORMS, "form", geo=["ALB", "AUT"], years=2020, absent="drop")
    assert s["countries"].iloc[0] == "ALB"
    assert s.set_index("part").loc["sexual", "share"] == pytest.approx(60 / 92.5)
    with pytest.raises(ValueError, match="by"):
        m.shares(FORMS, "citizenship", geo="ALB", years=2020)
    with pytest.raises(ValueError, match="absent"):
        m.shares(FORMS, "form", geo="ALB", years=2020, absent="guess")


def test_bounds_prefer_the_table_columns(tidy_sample):
    t = tidy_sample.assign(value_min=float("nan"), value_max=float("nan"))
    bel = (t.geo == "BEL") & (t.year_start == 2017) & (t.stage == "identified")
    t.loc[bel, ["value_min", "value_max"]] = (3.0, 12.0)  # a sum of three "<5" parts
    lo, hi = m.bounds(t)
    assert (lo[bel].item(), hi[bel].item()) == (3.0, 12.0)
    conv = (t.geo == "BEL") & (t.year_start == 2015) & (t.stage == "convicted")
    assert (lo[conv].item(), hi[conv].item()) == (1.0, 4.0)  # fallback: the flag rule
    a = m.aggregate(t, ["ALB", "BEL"], "identified", [2017]).iloc[0]
    assert (a.value_min, a.value, a.value_max) == (153.0, 157.5, 162.0)  # 150 + [3, 12]


def test_gap_bars_draw_lt5_years_as_ranges_not_no_data(tidy_sample):
    c = ch.gap_bars_chart(tidy_sample, ["ALB", "BEL"], 2015, 2017, source="UNODC")
    try:
        from matplotlib.text import Text

        body = "\n".join(t.get_text() for t in c.fig.findobj(Text))
        # 2017 identified: ALB 150 + BEL "<5" -> 151-154; 2015 convicted: 10 + "<5" -> 11-14
        assert "151-154" in body and "11-14" in body and "no data" not in body
        assert "Contains 2 country figures published as '<5'" in c.note
        d = c.data.drop_duplicates("stage").set_index("stage")
        assert d.loc["convicted", "average_min"] == pytest.approx((11 + 17 + 21) / 3)
        assert d.loc["convicted", "average_max"] == pytest.approx((14 + 17 + 21) / 3)
    finally:
        plt.close(c.fig)


def test_rates_funnel_and_trends_carry_a_lt5_cell(tidy_sample):
    r = m.per_100k(tidy_sample, "BEL", "convicted", [2015]).iloc[0]  # "<5", 11.5 million people
    assert (r.rate_per_100k_min, r.rate_per_100k, r.rate_per_100k_max) == pytest.approx(
        (1 / 115, 2.5 / 115, 4 / 115)
    )
    from matplotlib.text import Text

    f = ch.funnel_chart(tidy_sample, "BEL", 2015, ("identified", "convicted"))
    t = ch.trends_chart(tidy_sample, "BEL", 2015, 2017, source="UNODC")
    try:
        body = "\n".join(x.get_text() for x in f.fig.findobj(Text))
        assert "1-4 (published as '<5')" in body and "No data" not in body
        assert "2.0-8.0 convicted\nper 100 identified" in body  # 1/50 to 4/50
        ends = [x.get_text() for x in t.fig.axes[0].texts]
        assert "1-4" in ends  # identified 2017: "<5"
        assert "1-4 in 2017" in t.alt
    finally:
        plt.close(f.fig)
        plt.close(t.fig)


def test_shares_exclude_leaves_a_country_year_out_not_zero():
    flagged = FORMS.copy()
    alb_labour = (flagged.geo == "ALB") & (flagged.form == "labour")
    flagged.loc[alb_labour, "flag"] = "suppressed_lt5;inconsistent"
    s = m.shares(flagged, "form", geo=["ALB", "AUT"], years=2020)
    assert s["n_inconsistent"].iloc[0] == 1
    s = m.shares(flagged, "form", geo=["ALB", "AUT"], years=2020, exclude=["inconsistent"])
    assert s["countries"].iloc[0] == "AUT" and s.set_index("part").loc["sexual", "share"] == 1.0
    none = m.shares(flagged, "form", geo=["BEL"], years=2020)
    assert none["value"].isna().all() and none["n_countries"].iloc[0] == 0
