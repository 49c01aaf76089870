"""The UNODC reader on the real releases: values checked against cells of the published files."""

from __future__ import annotations

import math

import pytest
from helpers import one

from thbstats.ingest.readers import read_release
from thbstats.ingest.releases import registered

P2025 = "UNODC GLOTIP data 2025-04-14"
P2023 = "UNODC GLOTIP data 2023-05-30"


@pytest.fixture(scope="module")
def glotip(official) -> dict[str, object]:
    rels = {r.key: r for r in registered()}
    return {
        key: read_release(rels[key], official[key])
        for key in ("unodc-glotip-2025-04-14", "unodc-glotip-2023-05-30")
    }


def total(df, publication, geo, year, stage, form="all"):
    return one(
        df,
        publication=publication,
        geo=geo,
        year_start=year,
        stage=stage,
        form=form,
        sex="all",
        age="all",
    )


def test_thousands_separator(official_dataset):
    # 2025 release, cell L17287: GBR, Detected trafficking victims, Total, 2018, "6,985"
    assert total(official_dataset, P2025, "GBR", 2018, "identified")["value"] == 6985


def test_values_from_both_releases_are_distinguishable(official_dataset):
    # NLD 2019 detected victims: "1,372" in the 2025 release (L33012), "1,334" in 2023 (L26762)
    assert total(official_dataset, P2025, "NLD", 2019, "identified")["value"] == 1372
    assert total(official_dataset, P2023, "NLD", 2019, "identified")["value"] == 1334
    # DEU 2019 victims of sexual exploitation: 427 (2025, L11942) against 421 (2023, L9852)
    assert total(official_dataset, P2025, "DEU", 2019, "identified", "sexual")["value"] == 427
    assert total(official_dataset, P2023, "DEU", 2019, "identified", "sexual")["value"] == 421


def test_plain_counts(official_dataset):
    assert total(official_dataset, P2025, "USA", 2019, "prosecuted")["value"] == 343  # L45820
    assert total(official_dataset, P2025, "ALB", 2018, "prosecuted")["value"] == 54  # L443
    assert total(official_dataset, P2025, "DEU", 2018, "convicted")["value"] == 68  # L11919
    assert total(official_dataset, P2025, "DEU", 2019, "identified", "labour")["value"] == 43


def test_suppressed_cell_is_kept_flagged_without_value(official_dataset):
    # 2025 release, cell L342: ALB, Persons convicted, Total, 2012, "<5"
    row = total(official_dataset, P2025, "ALB", 2012, "convicted")
    assert math.isnan(row["value"]) and row["flag"] == "suppressed_lt5"
    # and never 0: every empty value is a flagged suppressed count, or a total derived from
    # splits whose sums differ (Germany 2022: 1,294-1,296)
    unodc = official_dataset[official_dataset.source == "UNODC"]
    empty = unodc[unodc["value"].isna()]
    assert len(empty) > 20_000
    flags = empty["flag"].str.split(";")
    assert flags.map(lambda f: "suppressed_lt5" in f or f == ["derived"]).all()
    assert (empty["value_min"] >= 1).all() and (empty["value_max"] >= empty["value_min"]).all()


def test_defective_rows_dropped_and_audited(glotip):
    new, old = glotip["unodc-glotip-2025-04-14"], glotip["unodc-glotip-2023-05-30"]
    n_new = new.audit.groupby("reason").size()
    n_old = old.audit.groupby("reason").size()
    assert n_new["defect:questionnaire_codes"] == 128
    assert "defect:questionnaire_codes" not in n_old
    assert n_new["not_a_country"] == 26  # the Sark rows, blank Iso3_code
    assert not (new.frame["value"] > 1_000_000).any()
    # each dropped row is named by its sheet row: the first questionnaire-code row
    codes = new.audit[new.audit["reason"] == "defect:questionnaire_codes"]
    assert codes["value_before"].str.replace(",", "").str.match(r"^61\d*20[0-3]\d$").any()


def test_no_key_twice_after_parts_are_summed(glotip):
    new = glotip["unodc-glotip-2025-04-14"]
    key = ["geo", "year_start", "stage", "form", "sex", "age"]
    assert not new.frame.duplicated(key).any()


def test_stage_form_sex_age_mapping(glotip):
    f = glotip["unodc-glotip-2025-04-14"].frame
    assert set(f["stage"]) == {"identified", "prosecuted", "convicted", "suspected", "offences"}
    assert set(f["form"]) == {"all", "sexual", "labour", "other"}
    assert set(f["sex"]) == {"all", "female", "male", "other", "unknown"}
    assert set(f["age"]) == {"all", "child", "adult", "unknown"}
    assert set(f.loc[f.stage == "offences", "unit"]) == {"offences"}


def test_un_regions_from_the_file(glotip):
    reg = glotip["unodc-glotip-2025-04-14"].extra["un_regions"].set_index("iso3")
    assert reg.loc["ALB", "region"] == "Europe" and reg.loc["ALB", "subregion"] == "Southern Europe"
    assert reg.loc["KAZ", "subregion"] == "Central Asia"
