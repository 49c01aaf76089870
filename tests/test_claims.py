"""The concept note's claims: quantities checked against values worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from thbstats import claims, geo

P2025 = "UNODC GLOTIP data 2025-04-14"


def test_quantities_by_hand():
    v = {2015: 100.0, 2016: 80.0, 2017: 60.0, 2018: 48.0}
    assert claims.quantity("percent_change", v, [2015, 2016, 2017, 2018]) == -52.0
    assert claims.quantity("average", v, [2015, 2016, 2017, 2018]) == 72.0
    assert claims.quantity("total", v, [2015, 2016]) == 180.0
    assert math.isnan(claims.quantity("average", v, [2014, 2015]))


def test_verdicts():
    c = {"asserted": -52, "compare": "approx", "tolerance": 1.0, "tolerance_abs": True}
    assert claims.judge(c, -52.4)[0] == "reproduced"
    assert claims.judge(c, -50.0) == ("differs", "+2.0")
    assert claims.judge(c, math.nan)[0] == "cannot be checked"
    over = {"asserted": 51, "compare": "greater"}
    assert claims.judge(over, 51.5)[0] == "reproduced" and claims.judge(over, 50)[0] == "differs"
    rel = {"asserted": 24_900_000, "compare": "approx", "tolerance": 0.005}
    assert claims.judge(rel, 24_900_000)[0] == "reproduced"
    assert claims.judge(rel, 25_200_000)[0] == "differs"


def _tiny() -> pd.DataFrame:
    base = dict(
        source="TIP",
        publication="TIP Report 2019",
        geo="TIP:EUR",
        geo_name="Europe",
        geo_type="region",
        form="all",
        sex="all",
        age="all",
        unit="persons",
        flag="",
        citation="tip-x",
    )
    rows = [
        dict(base, year_start=y, year_end=y, stage="prosecuted", value=v)
        for y, v in ((2015, 2500.0), (2018, 1200.0))
    ]
    return pd.DataFrame(rows)


def test_cited_source_reproduced_when_the_figures_are_there():
    claim = claims.load_claims()["claims"]
    fall = next(c for c in claim if c["id"] == "europe-prosecutions-fall-2015-2018")
    check = claims.check_cited(_tiny(), fall)
    # (1200 - 2500) / 2500 = -52.0 %
    assert check.computed == pytest.approx(-52.0) and check.verdict == "reproduced"


def test_cited_source_missing_is_not_reproduced(dataset):
    table = claims.evaluate(dataset)
    cited = table[(table.check == "cited source") & table.claim.str.startswith("europe-")]
    # the dataset holds no TIP Europe figures for 2015 and 2018: never "reproduced" from them
    assert (cited.verdict == "cannot be checked").all()
    assert cited.explanation.str.contains("Trafficking in Persons Report, June 2019").all()
    assert set(table.verdict) <= set(claims.VERDICTS)


def test_ilo_claim_from_the_cited_estimate(dataset):
    table = claims.evaluate(dataset)
    row = table[(table.claim == "ilo-forced-labour-2016") & (table.check == "cited source")].iloc[0]
    assert row.computed == 24_900_000 and row.verdict == "reproduced"
    assert "secondary" in row.explanation


def test_osce_prosecutions_by_hand(official_dataset):
    """OSCE balanced panel 2015-2018, persons prosecuted, UNODC 2025 release, worked out directly."""
    df = official_dataset
    osce = set(geo.members("OSCE"))
    t = df[
        (df.publication == P2025)
        & df.geo.isin(osce)
        & (df.stage == "prosecuted")
        & (df.form == "all")
        & (df.sex == "all")
        & (df.age == "all")
        & df.year_start.between(2015, 2018)
    ]
    per_country = t.groupby("geo").year_start.nunique()
    panel = per_country[per_country == 4].index
    sums = t[t.geo.isin(panel)].groupby("year_start")["value"].sum()
    by_hand = (sums[2018] - sums[2015]) / sums[2015] * 100
    table = claims.evaluate(df)
    row = table[
        (table.claim == "europe-prosecutions-fall-2015-2018") & (table.check == "independent: OSCE")
    ].iloc[0]
    assert row.computed == pytest.approx(by_hand)
    assert row.coverage.startswith(f"{len(panel)} of 57 countries")
    assert row.verdict == "differs"  # the UNODC panel shows no 52% fall


def test_sensitivity_covers_groups_modes_releases(official_dataset):
    sens = claims.sensitivity(official_dataset)
    assert len(sens) == 3 * 2 * 2
    assert sens["prosecuted_change_pct"].notna().all()
    eu = sens[(sens.group == "EU27") & (sens.panel == "balanced")]
    assert set(eu.release) == {"UNODC GLOTIP data 2023-05-30", P2025}
