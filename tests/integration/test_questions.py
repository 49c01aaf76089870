"""The researchers' questions of the API, each answered with the public API in at most ten lines,
checked against values computed here, independently, from the table's rows (and "<5" bounds).

(a) How did prosecutions and convictions change 2015-2022 in the Nordic countries, summed
    honestly (the same countries both years, "<5" cells as 1 to 4)?
(b) What share of identified victims in the EU27 in 2021 were exploited for labour and for sexual
    exploitation (shares with bounds and coverage)?
(c) Rank the participating States by estimated victims per conviction a year.
"""

from __future__ import annotations

import pandas as pd
import pytest

import thbstats as thb

P2025 = "UNODC GLOTIP data 2025-04-14"
NORDIC = ["DNK", "FIN", "ISL", "NOR", "SWE"]
EU27 = (
    "AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA LTU LUX LVA MLT NLD POL PRT "
    "ROU SVK SVN SWE"
).split()


def _cells(df: pd.DataFrame, geos, stage: str, years, **dims) -> pd.DataFrame:
    """The release's country rows, one per (geo, year): columns lo, hi (a "<5" cell is 1 to 4;
    a cell the reader summed from "<5" parts carries its bounds in value_min/value_max; a total
    its splits outvote gives way to the row derived from them, which carries its bounds)."""
    want = {"form": "all", "sex": "all", "age": "all", "unit": "persons"} | dims
    t = df[(df.publication == P2025) & df.geo.isin(geos) & (df.stage == stage)]
    t = t[~t.flag.fillna("").str.contains("superseded_by_parts")]
    t = t[t.year_start.isin(list(years)) & (t.year_start == t.year_end)]
    for col, v in want.items():
        t = t[t[col] == v]
    lt5 = t.flag.fillna("").str.contains("suppressed_lt5")
    out = pd.DataFrame(
        {
            "geo": t.geo,
            "year": t.year_start,
            "lo": t.value_min.fillna(t.value.where(~lt5, 1.0)),
            "hi": t.value_max.fillna(t.value.where(~lt5, 4.0)),
        }
    )
    assert not out.duplicated(["geo", "year"]).any()
    return out[out.lo.notna()]


def _expected_change(df: pd.DataFrame, stage: str) -> dict:
    c = _cells(df, NORDIC, stage, [2015, 2022])
    both = sorted(set(c[c.year == 2015].geo) & set(c[c.year == 2022].geo))
    c = c[c.geo.isin(both)]
    s = c.groupby("year")[["lo", "hi"]].sum()
    mid = (s.lo + s.hi) / 2
    return {
        "countries": ";".join(both),
        "missing": ";".join(g for g in NORDIC if g not in both),
        "value_start_min": s.lo[2015],
        "value_start_max": s.hi[2015],
        "value_end_min": s.lo[2022],
        "value_end_max": s.hi[2022],
        "value": (mid[2022] / mid[2015] - 1) * 100,
        "value_min": (s.lo[2022] / s.hi[2015] - 1) * 100,
        "value_max": (s.hi[2022] / s.lo[2015] - 1) * 100,
    }


def test_a_nordic_change_2015_2022_balanced_with_bounds(dataset):
    # --- the answer, as a researcher writes it (3 lines) ---
    df = thb.load()
    c = thb.change(df, geo="NORDIC", stage=["prosecuted", "convicted"], start=2015, end=2022)
    answer = c.set_index("stage")
    # --- checked against the rows ---
    assert thb.group("NORDIC") == NORDIC
    for stage in ("prosecuted", "convicted"):
        want = _expected_change(dataset, stage)
        got = answer.loc[stage]
        assert got["countries"] == want["countries"] and got["missing"] == want["missing"]
        for k in ("value_start_min", "value_start_max", "value_end_min", "value_end_max"):
            assert got[k] == want[k], (stage, k)
        for k in ("value", "value_min", "value_max"):
            assert got[k] == pytest.approx(want[k]), (stage, k)
        assert got["value_min"] <= got["value"] <= got["value_max"]
        assert got["publication"] == P2025 and got["balanced"]
    # the file (2025-04-14 release): convicted DNK 7, NOR 12, SWE "<5" in 2015; all three "<5"
    # in 2022; Finland and Iceland have no row in one of the years
    conv = answer.loc["convicted"]
    assert (conv.value_start_min, conv.value_start_max) == (20.0, 23.0)
    assert (conv.value_end_min, conv.value_end, conv.value_end_max) == (3.0, 7.5, 12.0)
    assert conv.countries == "DNK;NOR;SWE" and conv.missing == "FIN;ISL"
    assert conv.n_suppressed == 4 and "4 '<5' cell(s)" in conv.note
    # prosecuted: DNK 29 + SWE "<5" in 2015; DNK 5 + SWE 26 in 2022 (Norway only in 2022)
    pros = answer.loc["prosecuted"]
    assert (pros.value_start_min, pros.value_start_max, pros.value_end) == (30.0, 33.0, 31.0)
    assert pros.countries == "DNK;SWE" and pros.missing == "FIN;ISL;NOR"
    assert pros.value_min == pytest.approx((31 / 33 - 1) * 100)  # -6.1 %
    assert pros.value_max == pytest.approx((31 / 30 - 1) * 100)  # +3.3 %


def test_a_unbalanced_sum_says_coverage_differs(dataset):
    c = thb.change(geo="NORDIC", stage="prosecuted", start=2015, end=2022, balanced=False)
    row = c.iloc[0]
    assert (row.countries_start, row.countries_end) == ("DNK;SWE", "DNK;NOR;SWE")
    assert (row.value_end_min, row.value_end_max) == (32.0, 35.0)  # + Norway's "<5"
    assert "coverage differs" in row.note and not row.balanced


def test_a_a_misspelt_group_is_an_error_not_an_empty_sum(dataset):
    with pytest.raises(ValueError, match="found 'NORDICS'"):
        thb.change(geo="NORDICS", stage="convicted", start=2015, end=2022)


def _expected_shares(df: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(lo, hi) of each form's sum over the EU27 country-years that report a form in 2021."""
    parts = {
        f: _cells(df, EU27, "identified", [2021], form=f) for f in ("sexual", "labour", "other")
    }
    reporting = set().union(*(set(p.geo) for p in parts.values()))
    return {f: (p.lo.sum(), p.hi.sum()) for f, p in parts.items()}, reporting


def test_b_eu27_2021_shares_by_form_with_bounds_and_coverage(dataset):
    # --- the answer, as a researcher writes it (2 lines) ---
    s = thb.shares(thb.load(), by="form", geo="EU27", years=2021, stage="identified")
    s = s.set_index("part")
    # --- checked against the rows ---
    want, reporting = _expected_shares(dataset)
    irl = _cells(dataset, ["IRL"], "identified", [2021], form="other")  # two "<5" parts summed
    assert (irl.lo.iloc[0], irl.hi.iloc[0]) == (2.0, 8.0)
    lo_all = sum(lo for lo, _ in want.values())
    hi_all = sum(hi for _, hi in want.values())
    mid_all = (lo_all + hi_all) / 2
    for part, (lo, hi) in want.items():
        got = s.loc[part]
        assert (got.value_min, got.value_max) == (lo, hi), part
        assert got.share == pytest.approx((lo + hi) / 2 / mid_all)
        assert got.share_min == pytest.approx(lo / (lo + hi_all - hi))
        assert got.share_max == pytest.approx(hi / (hi + lo_all - lo))
    assert s.share.sum() == pytest.approx(1.0)
    row = s.iloc[0]
    assert row.countries == ";".join(sorted(reporting)) and row.n_countries == len(reporting)
    assert sorted(set(EU27) - reporting) == ["SWE"]  # no 2021 breakdown by form in the file
    assert row.missing == "SWE" and row.n_missing == 1 and row.group_size == 27
    assert row.publication == P2025 and row.n_countries_lt5 == 11
    # the printed totals of the same country-years, beside the sum of the parts
    tot = _cells(dataset, sorted(reporting), "identified", [2021])
    assert (row.total_printed_min, row.total_printed_max) == (tot.lo.sum(), tot.hi.sum())
    # sexual exploitation about 52 %, labour about 31 % of the victims whose form is reported
    assert (round(s.loc["sexual", "share"], 2), round(s.loc["labour", "share"], 2)) == (0.52, 0.31)


def test_b_release_keyword_names_the_release(dataset):
    old = "UNODC GLOTIP data 2023-05-30"
    s = thb.shares(by="form", geo="EU27", years=2021, release=old).set_index("part")
    assert set(s["publication"]) == {old}
    rows = dataset[dataset.publication == old].assign(publication=P2025)
    for part in ("sexual", "labour", "other"):
        want = _cells(rows, EU27, "identified", [2021], form=part)
        got = s.loc[part]
        assert (got.value_min, got.value_max) == (want.lo.sum(), want.hi.sum()), part
    new = thb.shares(by="form", geo="EU27", years=2021).set_index("part")
    assert s.loc["labour", "value"] != new.loc["labour", "value"]  # the 2025 release revised it


def test_a_release_must_be_whole_in_the_table(dataset):
    old = "UNODC GLOTIP data 2023-05-30"
    with pytest.raises(ValueError, match='pass thb.load\\(vintage="all"\\)'):
        thb.change(thb.load(), geo="NORDIC", stage="convicted", start=2015, end=2020, release=old)
    with pytest.raises(ValueError, match="found 'UNODC GLOTIP data 2030'"):
        thb.total(geo="NORDIC", stage="convicted", years=[2015], release="UNODC GLOTIP data 2030")
    # the 2023 release: DNK "<5", NOR "<5", SWE 9 in 2020; the 2025 release revised Sweden to 8
    old_c = thb.change(geo="NORDIC", stage="convicted", start=2015, end=2020, release=old).iloc[0]
    assert old_c.publication == old and old_c.countries == "DNK;NOR;SWE"
    assert (old_c.value_end_min, old_c.value_end_max) == (11.0, 17.0)
    new_c = thb.change(geo="NORDIC", stage="convicted", start=2015, end=2020).iloc[0]
    assert new_c.publication == P2025 and (new_c.value_end_min, new_c.value_end_max) == (10.0, 16.0)


def _osce_states() -> list[str]:
    return thb.group("OSCE")


def test_c_rank_states_by_estimated_victims_per_conviction(dataset):
    """(c) in three lines (Belgium: 11,000 estimated, 344 convictions in 2018-2022 over three years
    with a figure); each State's ratio recomputed here from the GSI 2023 estimate and the
    UNODC convictions of 2018-2022 (averaged over the years with a figure, "<5" as 1 to 4)."""
    r = thb.impunity_ranking(rank_by="estimated_per_conviction")
    states = r[r["geo_type"] == "country"].sort_values("rank")
    answer = states.set_index("geo")

    df = thb.load()
    gsi = df[(df.publication == "Global Slavery Index 2023") & (df.stage == "estimated")]
    gsi = gsi[(gsi.geo_type == "country") & (gsi.unit == "persons")].drop_duplicates("geo")
    est = gsi.set_index("geo")["value"]
    conv = _cells(df, _osce_states(), "convicted", range(2018, 2023))
    avg = conv.groupby("geo")[["lo", "hi"]].mean()
    assert set(answer.index) == set(_osce_states())  # every State listed, ranked or not
    checked = 0
    for geo, row in answer[answer["rank"].notna()].iterrows():
        assert row["estimated_per_conviction_min"] == pytest.approx(est[geo] / avg.hi[geo])
        assert row["estimated_per_conviction_max"] == pytest.approx(est[geo] / avg.lo[geo])
        checked += 1
    assert checked == 44  # States whose convictions are all "<5" are listed, not ranked
    mids = answer.loc[answer["rank"].notna(), "estimated_per_conviction"]
    assert mids.is_monotonic_increasing  # rank 1 = fewest estimated victims per conviction
    assert list(mids.index[:3]) == ["BEL", "FRA", "NLD"]
    assert est["BEL"] == 11000 and avg.loc["BEL", "lo"] == pytest.approx(344 / 3)
    unranked = answer[answer["rank"].isna()]
    assert (unranked["rank_note"] != "").all()
    wide = unranked[unranked["estimated_per_conviction"].notna()]
    assert (
        len(wide)
        and (
            wide["estimated_per_conviction_max"] >= 4 * wide["estimated_per_conviction_min"] - 1e-9
        ).all()
    )
