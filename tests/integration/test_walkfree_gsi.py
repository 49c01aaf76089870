"""The Walk Free reader on the real workbooks: values checked against cells of the files."""

from __future__ import annotations

import pytest


def value(df, publication, geo, stage, unit):
    sel = df[
        (df.publication == publication)
        & (df.geo == geo)
        & (df.stage == stage)
        & (df.unit == unit)
        & (df.source == "WALKFREE")
        & (df.geo_type == "country")
    ]
    assert len(sel) == 1
    return sel.iloc[0]


def test_gsi_2023_country_estimates(official_dataset):
    # sheet "GSI 2023 summary data", row 5: Albania, 2,878,000 people, 11.8139... per 1,000, 34,000 in modern slavery
    df = official_dataset
    assert value(df, "Global Slavery Index 2023", "ALB", "estimated", "persons")["value"] == 34_000
    assert value(df, "Global Slavery Index 2023", "ALB", "estimated", "per_1000")[
        "value"
    ] == pytest.approx(11.8139, abs=1e-4)
    assert (
        value(df, "Global Slavery Index 2023", "ALB", "population", "persons")["value"] == 2_878_000
    )
    # row 4: Afghanistan, 505,000
    assert value(df, "Global Slavery Index 2023", "AFG", "estimated", "persons")["value"] == 505_000
    row = value(df, "Global Slavery Index 2023", "AFG", "estimated", "persons")
    assert (
        row["year_start"] == 2021
        and row["form"] == "modern_slavery"
        and row["citation"] == "walkfree-gsi-2023-data"
    )


def test_gsi_2023_countries(official_dataset):
    est = official_dataset[
        (official_dataset.publication == "Global Slavery Index 2023")
        & (official_dataset.stage == "estimated")
        & (official_dataset.unit == "persons")
        & (official_dataset.geo_type == "country")
    ]
    assert len(est) == 160  # 180 rows, 20 without an estimate
    assert est["value"].sum() == pytest.approx(
        49_607_000, rel=0.01
    )  # published: 49.6 million in 2021


def test_gsi_2018_third_party_copy_flagged(official_dataset):
    row = value(official_dataset, "Global Slavery Index 2018", "AFG", "estimated", "persons")
    assert row["value"] == 749_000 and "third_party_copy" in row["flag"]
    est = official_dataset[
        (official_dataset.publication == "Global Slavery Index 2018")
        & (official_dataset.stage == "estimated")
        & (official_dataset.unit == "persons")
        & (official_dataset.geo_type == "country")
    ]
    assert est["value"].sum() == 40_289_000  # SOURCE.md sanity check (published: 40.3 million)
    bound = est[est["flag"].str.contains("suppressed_lt1000")]
    assert len(bound) > 0 and bound["value"].isna().all()


def test_population_source_is_what_each_workbook_says(official):
    from thbstats.errors import InputError
    from thbstats.ingest.readers import walkfree_gsi as gsi

    path = official["walkfree-gsi-2023-data"]
    lay = gsi.layouts()["2023"]
    gsi._check_population_source(path, lay)  # CONTENTS, note 2: "World Population Prospects 2019"
    assert gsi.population_source("Global Slavery Index 2023").startswith(
        "UN World Population Prospects 2019"
    )
    wrong = {**lay, "population_source": {**lay["population_source"], "text": "WPP 2022"}}
    with pytest.raises(InputError, match="population note"):
        gsi._check_population_source(path, wrong)
