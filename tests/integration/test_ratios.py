"""Like with like and headlines that say what they are, on the official files: ratios over the
years both stages have, funnels over one country set, and the ranking's rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thbstats import geo
from thbstats.analysis.impunity import ranking
from thbstats.analysis.metrics.ranges import number
from thbstats.publish.briefs.content import rank_text
from thbstats.publish.chartdata.funnel import funnel_data
from thbstats.publish.chartdata.ranking import ranking_table

UNODC = "UNODC GLOTIP data 2025-04-14"
WINDOW = [2018, 2019, 2020, 2021, 2022]
FUNNEL = ["estimated", "identified", "prosecuted", "convicted"]


@pytest.fixture(scope="module")
def latest(official_dataset: pd.DataFrame) -> pd.DataFrame:
    return official_dataset[official_dataset["latest"]]


@pytest.fixture(scope="module")
def table(latest: pd.DataFrame) -> pd.DataFrame:
    return ranking(latest, years=WINDOW)


@pytest.fixture(scope="module")
def states(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["geo_type"] == "country"].set_index("geo")


def _flow(latest: pd.DataFrame, iso3: str, stage: str) -> pd.DataFrame:
    """A State's headline cells of one stage in the window, with their bounds (1-4 for "<5")."""
    r = latest[
        (latest["publication"] == UNODC)
        & (latest["geo"] == iso3)
        & (latest["stage"] == stage)
        & (latest[["form", "sex", "age"]] == "all").all(axis=1)
        & (latest["unit"] == "persons")
        & latest["year_start"].isin(WINDOW)
        & (latest["year_start"] == latest["year_end"])
    ]
    lt5 = r["flag"].fillna("").str.contains("suppressed_lt5") & r["value"].isna()
    return pd.DataFrame(
        {"lo": r["value"].where(~lt5, 1.0), "hi": r["value"].where(~lt5, 4.0)}
    ).set_axis(r["year_start"].astype(int))


def _mid(t: pd.DataFrame, years: list[int]) -> float:
    t = t.loc[years]
    return float((t["lo"].mean() + t["hi"].mean()) / 2)


def test_united_kingdom_ratio_over_matched_years(latest, states):
    ident, conv = _flow(latest, "GBR", "identified"), _flow(latest, "GBR", "convicted")
    assert sorted(ident.index) == [2018, 2019, 2020, 2021] and ident.loc[2021, "lo"] == 12700
    assert sorted(conv.index) == [2018, 2019, 2020]
    gbr = states.loc["GBR"]
    assert gbr["convicted_per_100_identified_years"] == "2018-2020"
    matched = _mid(conv, [2018, 2019, 2020]) / _mid(ident, [2018, 2019, 2020]) * 100
    assert gbr["convicted_per_100_identified"] == pytest.approx(matched)  # 213 / 9,398
    assert round(gbr["convicted_per_100_identified"], 2) == 2.27
    unmatched = _mid(conv, [2018, 2019, 2020]) / _mid(ident, list(ident.index)) * 100
    assert gbr["convicted_per_100_identified_unmatched"] == pytest.approx(unmatched)
    assert round(gbr["convicted_per_100_identified_unmatched"], 2) == 2.08


def test_moldova_ratio_over_matched_years(latest, states):
    ident, conv = _flow(latest, "MDA", "identified"), _flow(latest, "MDA", "convicted")
    assert sorted(ident.index) == WINDOW and sorted(conv.index) == [2018, 2019]
    mda = states.loc["MDA"]
    assert mda["convicted_per_100_identified_years"] == "2018-2019"
    assert mda["convicted_per_100_identified"] == pytest.approx(
        _mid(conv, [2018, 2019]) / _mid(ident, [2018, 2019]) * 100
    )
    assert round(mda["convicted_per_100_identified"], 1) == 16.3
    assert round(mda["convicted_per_100_identified_unmatched"], 1) == 33.2  # the old headline
    assert mda["rank"] == 27 and mda["vs_median"] == "below"


def test_unmatched_stays_an_option(latest, states):
    loose = ranking(latest, years=WINDOW, matched=False).set_index("geo")
    assert loose.loc["GBR", "convicted_per_100_identified"] == pytest.approx(
        states.loc["GBR", "convicted_per_100_identified_unmatched"]
    )
    assert "convicted_per_100_identified_unmatched" in ranking_table(states.reset_index()).columns


def _estimates(latest: pd.DataFrame, publication: str, codes: list[str]) -> float:
    e = latest[
        (latest["publication"] == publication)
        & (latest["stage"] == "estimated")
        & (latest["unit"] == "persons")
        & latest["geo"].isin(codes)
    ]
    assert sorted(e["geo"]) == sorted(codes)
    return float(e["value"].sum())


def test_central_asia_funnel_has_one_country_set(latest):
    t = funnel_data(latest, "UN:CENTRAL_ASIA", 2020)
    assert set(t["n_countries"]) == {2} and set(t["group_size"]) == {5}
    est = t.set_index("stage").loc["estimated"]
    # Tajikistan and Turkmenistan, GSI 2023; the five States' 719,000 is no longer set against them
    assert est["value"] == _estimates(latest, "Global Slavery Index 2023", ["TJK", "TKM"])
    assert est["value"] == 205_000
    ident = _flow(latest, "TJK", "identified").loc[2020, "lo"]
    ident += _flow(latest, "TKM", "identified").loc[2020, "lo"]
    assert t.set_index("stage").loc["identified", "value_min"] == ident
    note = t.attrs["chart"].note
    assert "Every stage sums the same 2 of 5 countries" in note
    assert "Tajikistan, Turkmenistan" in note
    for left in ("Kazakhstan (no prosecuted)", "Kyrgyzstan (no convicted)", "Uzbekistan"):
        assert left in note, left


def test_osce_funnel_has_one_country_set(latest):
    t = funnel_data(latest, "OSCE", 2018)
    n = set(t["n_countries"])
    assert n == {36} and set(t["group_size"]) == {57}
    note = t.attrs["chart"].note
    kept = note.split("shown in 2018: ")[1].split(". Left out")[0].split(", ")
    codes = [geo.to_iso3([k])[0] for k in kept]
    assert len(codes) == 36 and "GBR" in codes and "ALB" not in codes
    est = t.set_index("stage").loc["estimated"]
    assert est["publication"] == "Global Slavery Index 2018"
    assert est["value"] == _estimates(latest, "Global Slavery Index 2018", codes)
    assert "Albania (no convicted)" in note and "Andorra (no estimate)" in note
    assert "the same countries for all stages" in t.attrs["chart"].subtitle


def test_kazakhstan_above_100_is_ranked_with_its_note(latest, states, table):
    kaz = states.loc["KAZ"]
    ident, conv = _flow(latest, "KAZ", "identified"), _flow(latest, "KAZ", "convicted")
    years = sorted(set(ident.index) & set(conv.index))
    assert kaz["convicted_per_100_identified"] == pytest.approx(
        _mid(conv, years) / _mid(ident, years) * 100
    )
    assert round(kaz["convicted_per_100_identified"], 1) == 112.3 and kaz["rank"] == 1
    assert "different people and cases" in kaz["ratio_note"]
    text = rank_text(kaz, table)
    assert "a State can convict more persons than it identifies victims" in text
    assert states.loc["GBR", "ratio_note"] == ""


def test_states_whose_convictions_are_only_lt5_are_not_ranked(latest, states):
    only_lt5 = [
        code
        for code in states.index
        if len(c := _flow(latest, code, "convicted"))
        and (c["lo"] == 1).all()
        and (c["hi"] == 4).all()
        and len(_flow(latest, code, "identified"))
    ]
    assert {"DNK", "FIN", "ISL", "KGZ", "MNE"} <= set(only_lt5)
    kgz = states.loc["KGZ"]
    assert kgz["convicted_per_100_identified_max"] == 4 * kgz["convicted_per_100_identified_min"]
    for code in only_lt5:
        r = states.loc[code]
        lo, hi = r["convicted_per_100_identified_min"], r["convicted_per_100_identified_max"]
        assert hi / lo >= 4 - 1e-9, code  # exactly four over an exact denominator
        assert pd.isna(r["rank"]) and r["rank_note"].startswith("too few cases"), code


def test_about_the_median_when_the_range_straddles_it(states, table):
    med = states["median_convicted_per_100_identified"].iloc[0]
    for code in ("LUX", "KGZ", "ISL"):
        r = states.loc[code]
        assert r["convicted_per_100_identified_min"] <= med <= r["convicted_per_100_identified_max"]
        assert r["vs_median"] == "about", code
    lux = states.loc["LUX"]
    assert pd.notna(lux["rank"]) and lux["rank_best"] < lux["rank"] < lux["rank_worst"]
    assert "about the median" in rank_text(lux, table)
    assert states.loc["GBR", "vs_median"] == "below"


def test_rank_intervals_bracket_the_rank(states):
    ranked = states[states["rank"].notna()]
    assert (ranked["rank_best"] <= ranked["rank"]).all()
    assert (ranked["rank"] <= ranked["rank_worst"]).all()
    assert states.loc["KAZ", ["rank_best", "rank_worst"]].tolist() == [1, 1]


def test_no_inf_and_no_invented_population_year(states, table):
    numbers = table.select_dtypes("number")
    assert not np.isinf(numbers.to_numpy(dtype=float)).any()
    lie = states.loc["LIE"]
    assert lie["population"] == 0 and pd.isna(lie["identified_per_100k"])
    assert "printed as 0" in lie["population_note"]
    out = ranking_table(table)
    assert "population_year" not in out.columns
    assert set(out["population_source"].dropna()) == {
        "UN World Population Prospects 2019 (year of the figures not stated in the workbook)"
    }


def test_printed_averages_round_half_up(states):
    deu = states.loc["DEU"]
    assert deu["convicted"] == 116.5  # (68 + 65 + 173 + 160) / 4, UNODC
    assert number(deu["convicted"]) == "117"
    assert number(states.loc["GBR", "identified"]) == "10,224"  # 10,223.5
