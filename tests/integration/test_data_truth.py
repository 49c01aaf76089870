"""Data truth one level below the totals, on the real releases: sub-form parts, sex totals,
vintages, the audit trail, consistency checks and breaks in series."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from helpers import one

import thbstats as thb
from thbstats import paths
from thbstats.analysis.metrics.select import has_flag
from thbstats.ingest.readers import read_release
from thbstats.ingest.readers.unodc_glotip import layout
from thbstats.ingest.readers.workbook import read_sheet
from thbstats.ingest.releases import registered

pytestmark = pytest.mark.official
P2025 = "UNODC GLOTIP data 2025-04-14"
P2023 = "UNODC GLOTIP data 2023-05-30"
KEY = ["geo", "year_start", "stage", "form", "sex", "age"]


@pytest.fixture(scope="module")
def raw2025(official) -> pd.DataFrame:
    """The 2025 release's sheet as printed (header row applied), with Excel row numbers."""
    lay = layout()
    cells = read_sheet(official["unodc-glotip-2025-04-14"], lay["sheet"])
    df = cells.iloc[lay["header_row"] :].copy()
    df.columns = lay["columns"]
    df["row"] = df.index + 1
    return df


@pytest.fixture(scope="module")
def read2025(official):
    rel = {r.key: r for r in registered()}["unodc-glotip-2025-04-14"]
    return read_release(rel, official["unodc-glotip-2025-04-14"])


def test_albania_2017_other_forms_is_the_sum_of_its_parts(raw2025, official_dataset):
    # 2025 release, rows 53381-53384: ALB 2017 detected victims, "Other forms of exploitation",
    # Total/Total printed four times: 27, <5, 5, 20 -> 52 + (1 to 4) = 53 to 56
    printed = raw2025[
        (raw2025.Iso3_code == "ALB")
        & (raw2025.Year.astype(str).str.startswith("2017"))
        & (raw2025.Indicator == "Detected trafficking victims")
        & (raw2025.Category == "Other forms of exploitation")
        & (raw2025.Sex == "Total")
        & (raw2025.Age == "Total")
    ]
    assert list(printed["txtVALUE"]) == ["27", "<5", "5", "20"]
    assert list(printed["row"]) == [53381, 53382, 53383, 53384]
    row = one(
        official_dataset,
        publication=P2025,
        geo="ALB",
        year_start=2017,
        stage="identified",
        form="other",
        sex="all",
        age="all",
    )
    assert math.isnan(row["value"])
    assert (row["value_min"], row["value_max"]) == (53, 56)
    assert set(row["flag"].split(";")) == {"suppressed_lt5", "summed_parts"}
    # the child and adult rows the release also prints (48 + 7 = 55) fall within the bounds
    child = one(
        official_dataset,
        publication=P2025,
        geo="ALB",
        year_start=2017,
        stage="identified",
        form="other",
        sex="all",
        age="child",
    )
    adult = one(
        official_dataset,
        publication=P2025,
        geo="ALB",
        year_start=2017,
        stage="identified",
        form="other",
        sex="all",
        age="adult",
    )
    assert row["value_min"] <= child["value"] + adult["value"] == 55 <= row["value_max"]


def test_every_repeated_key_under_a_parts_rule_is_summed_and_checked(raw2025, read2025):
    # independent count: keys the 2025 release prints more than once, outside the citizenship and
    # repatriation breakdowns, among country rows
    raw = raw2025[~raw2025.Dimension.isin(["by citizenship", "by country of repatriation"])]
    raw = raw[raw.Iso3_code.fillna("").str.fullmatch(r"[A-Z]{3}") & raw.Country.notna()]
    k = ["Iso3_code", "Indicator", "Dimension", "Category", "Sex", "Age", "Year"]
    repeated = raw[raw.duplicated(k, keep=False)]
    n_keys = repeated.groupby(k).ngroups
    assert n_keys == 492
    assert read2025.dropped["summed_figures"] == n_keys
    merged = read2025.audit[read2025.audit["action"] == "merged"]
    assert len(merged) == len(repeated)  # every part listed in the audit
    assert set(merged["sheet_row"]) == set(repeated["row"])
    # the parts check against the child + adult split (see unodc_glotip.yml: evidence)
    assert read2025.dropped["parts_agree"] == 232
    assert read2025.dropped["parts_disagree"] == 58


def test_female_total_lost_before_is_back(official_dataset):
    # 2025 release, rows 47792-47793: BGR 2017 detected victims, Female, Age "Total" printed
    # twice (407 and 36): the child (407) and adult (36) rows; the female total is their sum
    row = one(
        official_dataset,
        publication=P2025,
        geo="BGR",
        year_start=2017,
        stage="identified",
        form="all",
        sex="female",
        age="all",
    )
    assert row["value"] == 443 and has_flag(pd.Series([row["flag"]]), "summed_parts").all()


def test_revised_keys_counted_independently(official, official_dataset):
    rels = {r.key: r for r in registered()}
    frames = {
        k: read_release(rels[k], official[k]).frame
        for k in ("unodc-glotip-2023-05-30", "unodc-glotip-2025-04-14")
    }
    old, new = frames["unodc-glotip-2023-05-30"], frames["unodc-glotip-2025-04-14"]

    def shown(df: pd.DataFrame) -> pd.Series:
        return (
            df["value"].astype(str)
            + "|"
            + df["value_min"].astype(str)
            + "|"
            + df["value_max"].astype(str)
        )

    both = old.assign(_s=shown(old)).merge(new.assign(_s=shown(new)), on=KEY + ["unit"])
    changed = int((both["_s_x"] != both["_s_y"]).sum())
    assert len(both) > 18_000 and 1_000 < changed < 3_000
    flagged = official_dataset[
        (official_dataset.publication == P2023) & has_flag(official_dataset["flag"], "revised")
    ]
    assert len(flagged) == changed
    assert not official_dataset.loc[flagged.index, "latest"].any()


def test_load_returns_one_row_per_key(official_dataset):
    df = thb.load()
    assert df["latest"].all() and len(df) < len(official_dataset)
    variant = df["flag"].str.extract(r"(range_low|range_high|alternative|derived)")[0].fillna("")
    key = ["source", "geo", "year_start", "year_end", "stage", "form", "sex", "age", "unit"]
    assert not df.assign(_v=variant).duplicated([*key, "_v"]).any()
    # a naive sum over the default view counts the Netherlands 2019 once (2025 release: 1,372)
    nld = df[
        (df.source == "UNODC")
        & (df.geo == "NLD")
        & (df.year_start == 2019)
        & (df.stage == "identified")
        & (df.form == "all")
        & (df.sex == "all")
        & (df.age == "all")
    ]
    assert nld["value"].sum() == 1372
    with pytest.raises(ValueError, match="vintage"):
        thb.load(vintage="newest")


def _unodc(df: pd.DataFrame, geo: str, stage: str, **kw) -> pd.DataFrame:
    m = (df.source == "UNODC") & (df.geo == geo) & (df.stage == stage)
    for k, v in kw.items():
        m &= df[k] == v
    return df[m]


def test_germany_2022_total_gives_way_to_its_splits(official_dataset):
    # 2025 release: DEU 2022 detected victims "<5" in total; by sex 746 + 541 + 7 of unknown sex
    # (printed only as of unknown age) = 1,294; by age 1,096 + 193 + 7 = 1,296; by form 1,542
    from thbstats.analysis.impunity import flow_averages
    from thbstats.analysis.metrics.select import select

    rows = _unodc(official_dataset, "DEU", "identified", publication=P2025, year_start=2022)
    cells = rows[(rows.form == "all") & (rows.age == "all")]
    assert one(cells, sex="female")["value"] == 746 and one(cells, sex="male")["value"] == 541
    assert one(rows, form="all", sex="unknown", age="unknown")["value"] == 7
    totals = cells[cells.sex == "all"]
    printed = one(totals, flag="suppressed_lt5;inconsistent;superseded_by_parts")
    assert math.isnan(printed["value"]) and (printed["value_min"], printed["value_max"]) == (1, 4)
    made = one(totals, flag="derived")
    assert (made["value_min"], made["value_max"]) == (1294, 1296) and math.isnan(made["value"])
    # every consumer reads the derived figure through the default view
    df = thb.load()
    head = select(df, geo="DEU", stage="identified", years=[2022], source="UNODC")
    assert head["flag"].tolist() == ["derived"] and head["value_max"].tolist() == [1296]
    avg = one(flow_averages(df, ["DEU"], range(2018, 2023)), stage="identified")
    # (493 + 470 + 479 + 564 + 1,294 to 1,296) / 5
    assert (avg["avg_min"], avg["avg_max"], avg["n_lt5"]) == (660.0, 660.4, 0)
    audit = pd.read_csv(paths.processed_dir() / "audit.csv")
    line = audit[(audit.key == "DEU|2022|identified|all|all|all") & (audit.publication == P2025)]
    assert line["reason"].tolist() == [
        "inconsistent: total_contradicted_by_splits: total <5, splits by sex 1,294, by age 1,296, "
        "by form 1,542; the default figure is 1,294-1,296 (derived from the splits by sex and "
        "by age)"
    ]


def test_norway_2019_convictions_by_form_copy_the_victims(official_dataset):
    # 2025 release: NOR 2019 persons convicted 142 sexual, 80 labour, 16 other = the detected
    # victims' split by form; persons convicted in total: 5 (by age: 5 adults)
    d = _unodc(official_dataset, "NOR", "convicted", publication=P2025, year_start=2019)
    victims = _unodc(official_dataset, "NOR", "identified", publication=P2025, year_start=2019)
    for form, n in (("sexual", 142), ("labour", 80), ("other", 16)):
        conv = one(d, form=form, sex="all", age="all")
        assert conv["value"] == n == one(victims, form=form, sex="all", age="all")["value"]
        assert conv["flag"] == "inconsistent"
    total = one(d, form="all", sex="all", age="all")
    assert total["value"] == 5 and total["flag"] == ""


def test_hungary_2017_is_a_one_year_outlier_and_its_neighbours_are_not(official_dataset):
    # identified victims 2016: 489, 2017: 9, 2018: 33 (printed alike by both releases)
    d = _unodc(official_dataset, "HUN", "identified", form="all", sex="all", age="all")
    for pub in (P2023, P2025):
        assert one(d, publication=pub, year_start=2017)["value"] == 9
        assert one(d, publication=pub, year_start=2017)["flag"] == "outlier"
        for y in (2016, 2018):
            assert one(d, publication=pub, year_start=y)["flag"] == ""
    breaks = pd.read_csv(paths.processed_dir() / "breaks_in_series.csv")
    hun = breaks[(breaks.geo == "HUN") & (breaks.stage == "identified")]
    assert hun[["kind", "year", "values", "publications"]].values.tolist() == [
        ["outlier", 2017, "2016: 489; 2017: 9; 2018: 33", f"{P2023};{P2025}"]
    ]
    # only the years at a break are flagged: 67 breaks, 67 latest figures (was every figure of
    # each broken series: 9,021 rows)
    latest = official_dataset[official_dataset.latest & (official_dataset.source == "UNODC")]
    at = has_flag(latest["flag"], "outlier") | has_flag(latest["flag"], "break_in_series")
    assert len(breaks) == at.sum() == 67
    assert breaks["kind"].value_counts().to_dict() == {"level_shift": 39, "outlier": 28}


def test_a_second_release_adds_no_break(official):
    from thbstats import schema
    from thbstats.ingest import derive

    rels = {r.key: r for r in registered()}
    frames = [
        read_release(rels[k], official[k]).frame
        for k in ("unodc-glotip-2023-05-30", "unodc-glotip-2025-04-14")
    ]
    one_release = derive.derive_all(schema.coerce(frames[1]))[2]
    both = derive.derive_all(schema.coerce(pd.concat(frames, ignore_index=True)))[2]
    assert len(one_release) == len(both) == 67
    same = ["geo", "stage", "kind", "year", "values"]
    assert one_release[same].equals(both[same])
    # the same file again as a later release: the same breaks, each printed by both
    again = frames[1].assign(publication="UNODC GLOTIP data 2026-01-01")
    twice = derive.derive_all(schema.coerce(pd.concat([frames[1], again], ignore_index=True)))[2]
    assert twice[same].equals(one_release[same])


def test_pakistan_identified_is_revised_not_a_break(official_dataset):
    # 2019: "<5" in the 2023 release, 32,022 in the 2025 release; the 2025 release's series
    # (32,022, 20,045, 21,253, 26,539) holds one level
    d = _unodc(official_dataset, "PAK", "identified", form="all", sex="all", age="all")
    assert one(d, publication=P2025, year_start=2019)["value"] == 32022
    assert one(d, publication=P2023, year_start=2019)["flag"] == "suppressed_lt5;revised"
    assert not has_flag(d["flag"], "break_in_series").any()
    assert not has_flag(d["flag"], "outlier").any()


def test_audit_counts_match_the_datapackage(official_dataset):
    out = paths.processed_dir()
    audit = pd.read_csv(out / "audit.csv", dtype=str)
    meta = json.loads((out / "datapackage.json").read_text())["thbstats"]
    counted: dict[str, dict[str, int]] = {}
    for (pub, action, reason), n in (
        audit.groupby(["publication", "action", "reason"]).size().items()
    ):
        counted.setdefault(pub, {})[f"{action}:{reason}"] = int(n)
    assert counted == meta["audit"]
    new = meta["audit"][P2025]
    assert new["dropped:defect:questionnaire_codes"] == 128
    assert new["dropped:not_a_country"] == 26
    # every flag added by the build is in the audit: revised rows of the 2023 release
    revised = official_dataset[
        (official_dataset.publication == P2023) & has_flag(official_dataset["flag"], "revised")
    ]
    flagged = audit[(audit.publication == P2023) & audit.reason.str.startswith("revised")]
    assert len(flagged) == len(revised)


def test_aggregate_names_the_dominant_country_and_offers_the_sum_without_breaks(official_dataset):
    from thbstats.analysis.metrics import aggregate
    from thbstats.publish.charts.base import dominance_note, flagged_note

    df = thb.load()
    world = aggregate(df, "WORLD", "identified", [2019], mode="all").iloc[0]
    # Pakistan's 32,022 (2025 release) is the largest figure of the 2019 world sum
    assert world["largest"] == "PAK" and world["n_flagged"] > 0
    assert world["largest_share"] == pytest.approx(32022 / world["value"])
    south = aggregate(df, ["PAK", "IND", "NPL", "BGD", "LKA"], "identified", [2020], mode="all")
    assert south.iloc[0]["largest_share"] > 0.5
    assert "Pakistan makes up" in dominance_note(south)
    # Hungary's 9 identified victims of 2017 are a one-year outlier: the sensitivity leaves them out
    group = ["HUN", "AUT", "SVK"]
    with_hun = aggregate(df, group, "identified", [2017], mode="all")
    without = aggregate(df, group, "identified", [2017], mode="all", exclude=["outlier"])
    assert "HUN" in with_hun.iloc[0]["countries"].split(";")
    assert "HUN" not in without.iloc[0]["countries"].split(";")
    assert with_hun.iloc[0]["value"] - without.iloc[0]["value"] == 9
    assert "a one-year outlier" in flagged_note(with_hun)


def test_funnels_name_what_the_estimate_counts(official_dataset):
    from thbstats.publish.charts.funnel import funnel_chart

    df = thb.load()
    world = funnel_chart(df, "WORLD", 2016)  # ILO 2017: 24.9 million in forced labour
    assert "estimate: people in forced labour, 2016" in world.subtitle
    deu = funnel_chart(df, "DEU", 2021)  # Walk Free GSI 2023: modern slavery
    assert "people in modern slavery (forced labour and forced marriage)" in deu.subtitle
    assert "not victims of trafficking only" in deu.note
    for chart in (world, deu):
        chart.fig.clf()


def test_a_ratio_over_the_estimate_names_what_it_estimates(official_dataset):
    from thbstats.analysis.metrics import attrition

    # Finland: convictions "<5" in 2017, 2018 and 2020; Walk Free GSI 2023: 8,000 (modern slavery)
    a = attrition(thb.load(), "FIN", [2017, 2018, 2019, 2020], "convicted", "estimated")
    assert a["estimate_form"] == "modern_slavery" and a["denominator"] == 8000
    assert "people in modern slavery (forced labour and forced marriage)" in a["note"]
