"""Published claims (concept note, UNODC Global Reports 2022 and 2024): quantities, verdicts and
sensitivity checked against values worked out by hand from the table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from thbstats import citations, geo
from thbstats.analysis import claims, claims_kinds, claims_sensitivity
from thbstats.publish import claims_report

P2025 = "UNODC GLOTIP data 2025-04-14"
P2023 = "UNODC GLOTIP data 2023-05-30"
NEW = [
    "glotip2022-identified-fall-2020",
    "glotip2022-convicted-fall-2020",
    "glotip2022-convicted-fall-2017-2020",
    "glotip2022-sexual-fall-2020",
    "glotip2022-children-share-2020",
    "glotip2024-identified-rise-2019-2022",
    "glotip2024-identified-rise-2020-2022",
    "glotip2024-convicted-rise-2019-2022",
    "glotip2024-children-rise-2019-2022",
    "glotip2024-girls-rise-2019-2022",
    "glotip2024-labour-rise-2019-2022",
    "glotip2024-children-share-2022",
    "glotip2024-women-girls-share-2022",
    "glotip2024-women-girls-share-of-sexual-2022",
    "glotip2024-labour-share-2022",
    "glotip2024-sexual-share-2022",
]


@pytest.fixture(scope="module")
def table(dataset):
    """Every check of every claim, computed once for the module."""
    return claims.evaluate(dataset)


@pytest.fixture(scope="module")
def per_claim(official_dataset):
    """Every claim's sensitivity table, computed once for the module."""
    return claims_sensitivity.claim_sensitivity(official_dataset)


def test_quantities_by_hand():
    v = {2015: 100.0, 2016: 80.0, 2017: 60.0, 2018: 48.0}
    assert claims.quantity("percent_change", v, [2015, 2016, 2017, 2018]) == -52.0
    assert claims.quantity("average", v, [2015, 2016, 2017, 2018]) == 72.0
    assert claims.quantity("total", v, [2015, 2016]) == 180.0
    assert math.isnan(claims.quantity("average", v, [2014, 2015]))


def test_verdicts():
    c = {"asserted": -52, "asserts": "about", "tolerance": 1.0, "tolerance_abs": True,
         "unit": "percent change"}  # fmt: skip
    assert claims.judge(c, -52.4, change=True)[0] == "reproduced"
    assert claims.judge(c, -50.0, change=True) == (claims.DIRECTION_ONLY, "+2.0 points")
    assert claims.judge(c, math.nan)[0] == "cannot be checked"
    over = {"asserted": 51, "asserts": "over", "unit": "percent change"}
    assert claims.judge(over, 51.5, change=True) == ("bound met", "+0.5 points")
    assert claims.judge(over, 50, change=True) == ("bound not met", "-1.0 points")
    rel = {"asserted": 24_900_000, "asserts": "about", "tolerance": 0.005, "unit": "persons"}
    assert claims.judge(rel, 24_900_000)[0] == "reproduced"
    assert claims.judge(rel, 25_200_000) == ("magnitude differs", "+300,000 (+1.2%)")
    with pytest.raises(ValueError, match="unknown asserts 'roughly'"):
        claims.judge({**rel, "asserts": "roughly"}, 1.0)


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


def test_cited_source_missing_is_not_reproduced(table):
    cited = table[(table.check == "cited source") & table.claim.str.startswith("europe-")]
    # the dataset holds no TIP Europe figures for 2015 and 2018: never "reproduced" from them
    assert (cited.verdict == "cannot be checked").all()
    assert cited.explanation.str.contains("Trafficking in Persons Report, June 2019").all()
    assert set(table.verdict) <= set(claims.VERDICTS)


def test_ilo_claim_from_the_cited_estimate(table):
    row = table[(table.claim == "ilo-forced-labour-2016") & (table.check == "cited source")].iloc[0]
    assert row.computed == 24_900_000 and row.verdict == "reproduced"
    assert "secondary" in row.explanation


def test_osce_prosecutions_by_hand(official_dataset, table):
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
    # central values: each "<5" cell counts as 2.5, the midpoint of its bounds 1 and 4
    central = (t["value_min"] + t["value_max"]) / 2
    sums = central[t.geo.isin(panel)].groupby(t["year_start"]).sum()
    by_hand = (sums[2018] - sums[2015]) / sums[2015] * 100
    row = table[
        (table.claim == "europe-prosecutions-fall-2015-2018") & (table.check == "independent: OSCE")
    ].iloc[0]
    assert row.computed == pytest.approx(by_hand)
    assert row.coverage.startswith(f"{len(panel)} of 57 countries")
    assert row.verdict == "differs"  # the UNODC panel shows no 52% fall


def test_sensitivity_covers_groups_modes_releases(official_dataset):
    sens = claims_sensitivity.sensitivity(official_dataset)
    assert len(sens) == 3 * 2 * 2
    assert sens["prosecuted_change_pct"].notna().all()
    eu = sens[(sens.group == "EU27") & (sens.panel == "balanced")]
    assert set(eu.release) == {"UNODC GLOTIP data 2023-05-30", P2025}


def test_direction_verdicts():
    c = {"asserted": -11, "asserts": "about", "tolerance": 2, "tolerance_abs": True,
         "unit": "percent change"}  # fmt: skip
    assert claims.judge(c, -9.8, change=True) == ("reproduced", "+1.2 points")
    assert claims.judge(c, -32.6, change=True) == (claims.DIRECTION_ONLY, "-21.6 points")
    assert claims.judge(c, 4.0, change=True) == ("differs", "+15.0 points")
    assert claims.judge(c, -1.5, change=True)[0] == "differs"  # within 2 points of no change
    assert claims.judge(c, math.nan)[0] == "cannot be checked"
    assert claims.DIRECTION_ONLY in claims.VERDICTS


def _country_rows() -> pd.DataFrame:
    base = dict(
        source="UNODC",
        publication=P2025,
        geo_type="country",
        stage="identified",
        form="all",
        sex="all",
        age="all",
        unit="persons",
        citation="unodc-glotip-2025-04-14",
    )
    rows = [
        dict(base, geo="AAA", year_start=2019, value=100.0, flag=""),
        dict(base, geo="AAA", year_start=2022, value=1000.0, flag="break_in_series"),
        dict(base, geo="BBB", year_start=2019, value=50.0, flag=""),
        dict(base, geo="BBB", year_start=2022, value=60.0, flag=""),
    ]
    df = pd.DataFrame(rows)
    return df.assign(year_end=df.year_start, geo_name=df.geo)


def test_exclusions_by_flag_and_by_country():
    df = _country_rows()
    kept, n = claims_kinds.exclude(df, {"flag": "break_in_series"})
    assert n == 1 and list(kept.geo) == ["AAA", "BBB", "BBB"]
    kept, n = claims_kinds.exclude(df, {"flag": "break_in_series", "scope": "series"})
    assert n == 2 and set(kept.geo) == {"BBB"}
    # a series is one stage of one country in one release, every breakdown (form, sex, age)
    child = df.assign(age="child", flag="")
    kept, n = claims_kinds.exclude(
        pd.concat([df, child]), {"flag": "break_in_series", "scope": "series"}
    )
    assert n == 4 and set(kept.geo) == {"BBB"}
    kept, n = claims_kinds.exclude(df, {"geo": ["BBB"]})
    assert n == 2 and set(kept.geo) == {"AAA"}
    spec = {"kind": "percent_change", "stage": "identified", "years": [2019, 2022]}
    # all rows: (1000 + 60) / (100 + 50) - 1; without the break: BBB alone, 60 / 50 - 1
    whole = claims_kinds.compute(df, spec, "WORLD", P2025)
    assert whole.value == pytest.approx((1060 / 150 - 1) * 100) and whole.n_countries == 2
    no_break = claims_kinds.exclude(df, {"flag": "break_in_series"})[0]
    assert claims_kinds.compute(no_break, spec, "WORLD", P2025).value == pytest.approx(20.0)


def test_share_by_hand_on_a_small_table():
    df = _country_rows()
    extra = df[df.year_start == 2022].assign(age="child", value=[250.0, 15.0], flag="")
    adult = df[df.year_start == 2022].assign(age="adult", value=[750.0, 45.0], flag="")
    df = pd.concat([df, extra, adult], ignore_index=True)
    spec = {
        "kind": "share",
        "stage": "identified",
        "years": [2022],
        "part": {"age": "child"},
        "whole": [{"age": "child"}, {"age": "adult"}],
    }
    q = claims_kinds.compute(df, spec, "WORLD", P2025)
    assert q.value == pytest.approx(265 / 1060 * 100) and q.n_countries == 2
    with pytest.raises(ValueError, match="unknown kind 'ratio'"):
        claims_kinds.compute(df, {**spec, "kind": "ratio"}, "WORLD", P2025)


def test_new_claims_are_described():
    spec = claims.load_claims()
    ids = [c["id"] for c in spec["claims"]]
    assert set(NEW) <= set(ids) and len(ids) == len(set(ids))
    keys = set(citations.all_sources())
    for c in spec["claims"]:
        if c["id"] not in NEW:
            continue
        assert c["document"] in spec["documents"], c["id"]
        assert c["citation"] in keys and c["quote"] and c["seen_at"].startswith("https://"), c["id"]
        assert c["independent"]["kind"] in claims_kinds.KINDS, c["id"]
        assert set(c["sensitivity"]["exclusions"]) <= set(spec["exclusions"]), c["id"]
        assert {"break_in_series", "PAK"} <= set(c["sensitivity"]["exclusions"]), c["id"]


def _unodc(df: pd.DataFrame, pub: str, stage: str = "identified", **dims: str) -> pd.DataFrame:
    want = {"form": "all", "sex": "all", "age": "all", **dims}
    m = (df.publication == pub) & (df.stage == stage) & (df.geo_type == "country")
    for col, v in want.items():
        m &= df[col] == v
    # the default figure of each release: a total its splits outvote gives way to their sum
    t = df[m & (df.year_start == df.year_end) & ~df.flag.str.contains("superseded_by_parts")]
    return t[t.value.notna() | t.flag.str.contains("suppressed_lt|derived")]


def _change_by_hand(df: pd.DataFrame, pub: str, start: int, end: int, **kw) -> tuple[float, int]:
    t = _unodc(df, pub, **kw)
    t = t[t.year_start.isin([start, end])]
    both = t.groupby("geo").year_start.nunique()
    t = t[t.geo.isin(both[both == 2].index)]
    central = (t["value_min"] + t["value_max"]) / 2  # a "<5" cell counts as 2.5
    sums = central.groupby(t["year_start"]).sum()
    return (sums[end] / sums[start] - 1) * 100, int((both == 2).sum())


def _check(table: pd.DataFrame, claim: str) -> pd.Series:
    return table[(table.claim == claim) & (table.check == "independent: WORLD")].iloc[0]


def test_pakistan_jumps_between_releases(official_dataset):
    pak = _unodc(official_dataset[official_dataset.geo == "PAK"], P2025)
    assert pak.set_index("year_start")["value"].to_dict() == {
        2019: 32022.0,
        2020: 20045.0,
        2021: 21253.0,
        2022: 26539.0,
    }
    old = _unodc(official_dataset[official_dataset.geo == "PAK"], P2023).set_index("year_start")
    # a revision, not a break: the 2025 release's series 2019-2022 holds one level
    assert old.loc[2019, "flag"].split(";") == ["suppressed_lt5", "revised"]
    assert old.loc[2020, "value"] == 22.0


def test_glotip2022_detected_victims_fall_by_hand(official_dataset, table, per_claim):
    df = official_dataset
    by_hand, n = _change_by_hand(df, P2023, 2019, 2020)
    row = _check(table, "glotip2022-identified-fall-2020")
    assert row.basis == P2023 and row.computed == pytest.approx(by_hand)
    # -9.4 with each "<5" cell as 2.5 and outvoted totals replaced by their splits' sum
    assert round(by_hand, 1) == -9.4 and n == 112 and row.coverage.startswith("112 of ")
    assert row.verdict == "reproduced"  # -9.4 against -11, within 2 points
    sens = per_claim[per_claim.claim == "glotip2022-identified-fall-2020"].set_index(
        ["release", "variant"]
    )
    # the 2025 release revises 2019-2020: Pakistan's 32,022 -> 20,045 doubles the fall
    later, _ = _change_by_hand(df, P2025, 2019, 2020)
    no_pak, _ = _change_by_hand(df[df.geo != "PAK"], P2025, 2019, 2020)
    assert sens.loc[(P2025, "all rows"), "computed"] == pytest.approx(later)
    assert sens.loc[(P2025, "without Pakistan"), "computed"] == pytest.approx(no_pak)
    assert round(later, 1) == -21.0 and round(no_pak, 1) == -10.5
    assert sens.loc[(P2025, "all rows"), "verdict"] == claims.DIRECTION_ONLY
    assert sens.loc[(P2025, "without Pakistan"), "verdict"] == "reproduced"
    flagged = sens.loc[(P2023, "without series flagged break_in_series")]
    broken = df[(df.publication == P2023) & df.flag.str.contains("break_in_series")]
    series = set(zip(broken.geo, broken.stage, strict=True))
    keep = ~pd.Series(list(zip(df.geo, df.stage, strict=True)), index=df.index).isin(series)
    without, _ = _change_by_hand(df[keep], P2023, 2019, 2020)
    assert flagged.rows_excluded > 0 and flagged.computed == pytest.approx(without)


def test_glotip2022_convictions_fall_by_hand(official_dataset, table):
    by_hand, _ = _change_by_hand(official_dataset, P2023, 2019, 2020, stage="convicted")
    row = _check(table, "glotip2022-convicted-fall-2020")
    assert row.computed == pytest.approx(by_hand) and round(by_hand, 1) == -32.3
    assert row.verdict == claims.DIRECTION_ONLY  # a fall, larger than the report's 27 %
    since, _ = _change_by_hand(official_dataset, P2023, 2017, 2020, stage="convicted")
    row = _check(table, "glotip2022-convicted-fall-2017-2020")
    assert row.computed == pytest.approx(since) and round(since, 1) == -38.6  # -39.5 without "<5"
    assert row.verdict == claims.DIRECTION_ONLY


def test_glotip2024_detected_victims_rise_by_hand(official_dataset, table, per_claim):
    df = official_dataset
    by_hand, n = _change_by_hand(df, P2025, 2019, 2022)
    row = _check(table, "glotip2024-identified-rise-2019-2022")
    assert row.basis == P2025 and row.computed == pytest.approx(by_hand) and n == 100
    # 11.4 with Germany's 2022 as its splits' 1,294-1,296 (not "<5")
    assert round(by_hand, 1) == 11.4 and row.verdict == claims.DIRECTION_ONLY
    since_2020, _ = _change_by_hand(df, P2025, 2020, 2022)
    row = _check(table, "glotip2024-identified-rise-2020-2022")
    # 47.0 against the report's 43 once Germany's 2022 counts as its splits' 1,294-1,296
    assert row.computed == pytest.approx(since_2020) and round(since_2020, 1) == 47.0
    assert row.verdict == claims.DIRECTION_ONLY
    labour, _ = _change_by_hand(df, P2025, 2019, 2022, form="labour")
    row = _check(table, "glotip2024-labour-rise-2019-2022")
    assert row.computed == pytest.approx(labour) and row.verdict == claims.DIRECTION_ONLY
    children, _ = _change_by_hand(df, P2025, 2019, 2022, age="child")
    no_pak, _ = _change_by_hand(df[df.geo != "PAK"], P2025, 2019, 2022, age="child")
    row = _check(table, "glotip2024-children-rise-2019-2022")
    assert row.computed == pytest.approx(children) and row.verdict == "differs"  # -1.6 %
    sens = per_claim[per_claim.claim == "glotip2024-children-rise-2019-2022"]
    sens = sens.set_index("variant")
    assert sens.loc["without Pakistan", "computed"] == pytest.approx(no_pak)
    # 41.3 with each "<5" cell as 2.5 (41.5 counting printed figures only)
    assert round(no_pak, 1) == 41.3 and sens.loc["without Pakistan", "verdict"] == (
        claims.DIRECTION_ONLY
    )
    girls, _ = _change_by_hand(df, P2025, 2019, 2022, sex="female", age="child")
    row = _check(table, "glotip2024-girls-rise-2019-2022")
    assert row.computed == pytest.approx(girls) and round(girls, 1) == 62.8  # 63.5 without "<5"
    assert row.verdict == claims.DIRECTION_ONLY
    row = _check(table, "glotip2024-convicted-rise-2019-2022")
    assert row.verdict == "differs" and row.computed < 0  # the country data show no rise


def _share_by_hand(
    df: pd.DataFrame, pub: str, year: int, part: dict | list[dict], whole: list[dict]
) -> float:
    parts = [part] if isinstance(part, dict) else part
    cells = [_unodc(df, pub, **c) for c in [*parts, *whole]]
    cells = [c[c.year_start == year] for c in cells]
    panel = set.intersection(*(set(c.geo) for c in cells))
    central = [(c["value_min"] + c["value_max"]) / 2 for c in cells]  # "<5" as 2.5
    sums = [v[c.geo.isin(panel)].sum() for c, v in zip(cells, central, strict=True)]
    return sum(sums[: len(parts)]) / sum(sums[len(parts) :]) * 100


def test_glotip_shares_by_hand(official_dataset, table, per_claim):
    df = official_dataset
    child = [{"age": "child"}, {"age": "adult"}]
    share = _share_by_hand(df, P2023, 2020, {"age": "child"}, child)
    row = _check(table, "glotip2022-children-share-2020")
    assert row.computed == pytest.approx(share) and round(share, 1) == 34.5  # 34.4 without "<5"
    assert row.verdict == "reproduced"
    share = _share_by_hand(df, P2025, 2022, {"age": "child"}, child)
    no_pak = _share_by_hand(df[df.geo != "PAK"], P2025, 2022, {"age": "child"}, child)
    row = _check(table, "glotip2024-children-share-2022")
    assert row.computed == pytest.approx(share) and round(share, 1) == 24.5  # 24.4 without "<5"
    assert row.verdict == "magnitude differs"
    sens = per_claim[per_claim.claim == "glotip2024-children-share-2022"].set_index("variant")
    assert sens.loc["without Pakistan", "computed"] == pytest.approx(no_pak)
    sex = [{"sex": "female"}, {"sex": "male"}]
    female = _share_by_hand(df, P2025, 2022, {"sex": "female"}, sex)
    row = _check(table, "glotip2024-women-girls-share-2022")
    # 73.1: the sex totals the 2025 release prints as child + adult parts are summed, not lost
    assert row.computed == pytest.approx(female) and round(female, 1) == 73.0  # 73.1 without "<5"
    forms = [{"form": "sexual"}, {"form": "labour"}, {"form": "other"}]
    labour = _share_by_hand(df, P2025, 2022, {"form": "labour"}, forms)
    row = _check(table, "glotip2024-labour-share-2022")
    assert row.computed == pytest.approx(labour) and row.verdict == "magnitude differs"
    female_sexual = [{"form": "sexual", "sex": "female", "age": a} for a in ("adult", "child")]
    male_sexual = [{"form": "sexual", "sex": "male", "age": a} for a in ("adult", "child")]
    by_hand = _share_by_hand(df, P2025, 2022, female_sexual, female_sexual + male_sexual)
    row = _check(table, "glotip2024-women-girls-share-of-sexual-2022")
    assert row.computed == pytest.approx(by_hand) and round(by_hand, 1) == 89.3  # 90.0 without "<5"
    assert row.verdict == "reproduced"
    cited = table[
        (table.claim == "glotip2024-women-girls-share-2022") & (table.check == "cited source")
    ]
    assert cited.iloc[0].computed == 61.0 and cited.iloc[0].verdict == "reproduced"


def test_report_lists_the_new_claims(official_dataset, tmp_path):
    claims_report.write_report(tmp_path, official_dataset)
    md = (tmp_path / "claims.md").read_text(encoding="utf-8")
    assert "## UNODC, Global Report on Trafficking in Persons 2022" in md
    assert "## UNODC, Global Report on Trafficking in Persons 2024" in md
    for claim in NEW:
        assert f"### {claim}\n" in md, claim
    assert "> The number of victims detected globally fell by 11 per cent in 2020" in md
    assert "Read at: https://www.drugsandalcohol.ie/37994/." in md
    assert md.count("| without Pakistan |") >= len(NEW)
    assert "without series flagged break_in_series" in md
    sens = pd.read_csv(tmp_path / "claims_sensitivity.csv")
    assert set(NEW) <= set(sens.claim) and set(sens.verdict) <= set(claims.VERDICTS)
