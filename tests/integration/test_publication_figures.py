"""A sample of transcribed figures, checked against the values printed in the cited publications."""

from __future__ import annotations

import pytest

from thbstats import citations
from thbstats.analysis.metrics import defaults


def fig(df, publication, geo, year, stage, form="all", unit="persons", year_end=None):
    sel = df[
        (df.publication == publication)
        & (df.geo == geo)
        & (df.year_start == year)
        & (df.year_end == (year_end or year))
        & (df.stage == stage)
        & (df.form == form)
        & (df.unit == unit)
        & (df.sex == "all")
        & (df.age == "all")
    ]
    sel = defaults(sel)
    assert len(sel) == 1, (publication, geo, year, stage, form, len(sel))
    return sel.iloc[0]


@pytest.mark.parametrize(
    "publication,geo,year,stage,form,unit,value,citation",
    [
        # ILO/Walk Free/IOM 2017, key figures: 24.9 million in forced labour, 40.3 million in modern slavery
        (
            "Global Estimates of Modern Slavery 2017",
            "WORLD",
            2016,
            "estimated",
            "forced_labour",
            "persons",
            24_900_000,
            "gems-2017-childlabour2017",
        ),
        (
            "Global Estimates of Modern Slavery 2017",
            "WORLD",
            2016,
            "estimated",
            "modern_slavery",
            "persons",
            40_300_000,
            "gems-2017-walkfree-execsummary",
        ),
        (
            "Global Estimates of Modern Slavery 2017",
            "WORLD",
            2016,
            "estimated",
            "modern_slavery",
            "per_1000",
            5.4,
            "gems-2017-gsi2018-regional",
        ),
        # TIP Report 2008, Global Law Enforcement Data: 2003 row, 7,992 prosecutions and 2,815 convictions
        (
            "TIP Report 2008",
            "WORLD",
            2003,
            "prosecuted",
            "all",
            "persons",
            7992,
            "tip-2008-global-law-enforcement",
        ),
        (
            "TIP Report 2008",
            "WORLD",
            2003,
            "convicted",
            "all",
            "persons",
            2815,
            "tip-2008-global-law-enforcement",
        ),
        # TIP Report 2008: 2007 row, 5,682 (490) prosecutions, the labour part in parentheses
        (
            "TIP Report 2008",
            "WORLD",
            2007,
            "prosecuted",
            "labour",
            "persons",
            490,
            "tip-2008-global-law-enforcement",
        ),
        # TIP Report 2024 global table, 2018 row: 11,096 prosecutions, 7,481 convictions, 85,613 victims
        (
            "TIP Report 2024",
            "WORLD",
            2018,
            "prosecuted",
            "all",
            "persons",
            11096,
            "tip-2024-global-law-enforcement",
        ),
        (
            "TIP Report 2024",
            "WORLD",
            2018,
            "convicted",
            "all",
            "persons",
            7481,
            "tip-2024-global-law-enforcement",
        ),
        (
            "TIP Report 2024",
            "WORLD",
            2018,
            "identified",
            "all",
            "persons",
            85613,
            "tip-2024-global-law-enforcement",
        ),
        # UNODC GLOTIP 2009: "at least 22,000 victims were detected globally in 2006"
        (
            "UNODC GLOTIP 2009",
            "WORLD",
            2006,
            "identified",
            "all",
            "persons",
            22000,
            "glotip-2009-unodc-page",
        ),
    ],
)
def test_transcribed_value(dataset, publication, geo, year, stage, form, unit, value, citation):
    row = fig(dataset, publication, geo, year, stage, form, unit)
    assert row["value"] == pytest.approx(value)
    assert row["citation"] == citation
    assert citations.describe(citation)["title"]


def test_tip_2019_prosecutions_agree_with_2024_edition(dataset):
    # 11,096 prosecutions in 2018: TIP 2019 (via the OSCE Alliance page) and the TIP 2024 table agree
    a = fig(dataset, "TIP Report 2019", "WORLD", 2018, "prosecuted")
    b = fig(dataset, "TIP Report 2024", "WORLD", 2018, "prosecuted")
    assert a["value"] == b["value"] == 11096


def test_revised_years_keep_both_editions(dataset):
    # data year 2017: TIP 2018 printed 17,880 prosecutions, TIP 2024 prints 17,471; the later is the default
    rows = dataset[
        (dataset.source == "TIP")
        & (dataset.geo == "WORLD")
        & (dataset.year_start == 2017)
        & (dataset.stage == "prosecuted")
        & (dataset.form == "all")
    ]
    assert set(rows["value"]) == {17880, 17471}
    assert defaults(rows)["value"].tolist() == [17471]
    assert "revised" in rows.loc[rows.publication == "TIP Report 2018", "flag"].item()


def _tip_world(dataset, year, stage, form="all"):
    return dataset[
        (dataset.source == "TIP")
        & (dataset.geo == "WORLD")
        & (dataset.year_start == year)
        & (dataset.year_end == year)
        & (dataset.stage == stage)
        & (dataset.form == form)
        & (dataset.unit == "persons")
    ]


def test_tip_2016_prosecutions_both_printed_variants(dataset):
    # TIP Report 2017, Global Law Enforcement Data, 2016 row: printed as 14,894 in the copy at
    # frockman232.blogspot.com (and stopchildtraffic.org) and as 14,897 in NBC News (27 June 2017)
    rows = _tip_world(dataset, 2016, "prosecuted")
    rows = rows[rows.publication == "TIP Report 2017"]
    assert sorted(rows["value"]) == [14894, 14897]
    assert "alternative" in rows.loc[rows.value == 14894, "flag"].item()
    assert "alternative" not in rows.loc[rows.value == 14897, "flag"].item()
    # exactly one default: the variant equal to the sum of the six regional rows
    assert defaults(rows)["value"].tolist() == [14897]
    assert defaults(_tip_world(dataset, 2016, "prosecuted"))["value"].tolist() == [14897]


def test_tip_2017_regional_rows_sum_to_the_default_global_row(dataset):
    # TIP Report 2017 regional tables, data year 2016 (six regions): prosecutions 14,897,
    # convictions 9,071, victims identified 66,520 - the global figures NBC News quotes from the report
    regions = ["TIP:AF", "TIP:EAP", "TIP:EUR", "TIP:NEA", "TIP:SCA", "TIP:WHA"]
    for stage, total in [("prosecuted", 14897), ("convicted", 9071), ("identified", 66520)]:
        reg = dataset[
            (dataset.publication == "TIP Report 2017")
            & dataset.geo.isin(regions)
            & (dataset.year_start == 2016)
            & (dataset.stage == stage)
            & (dataset.form == "all")
        ]
        assert sorted(reg["geo"]) == regions
        assert reg["value"].sum() == total
        assert fig(dataset, "TIP Report 2017", "WORLD", 2016, stage)["value"] == total


@pytest.mark.parametrize(
    "stage,value_2017_edition,value_2016_edition",
    [
        # 2015 row: 19,127 prosecutions and 6,615 convictions in the 2017 edition (NBC News,
        # 27 June 2017); 18,930 and 6,609 in the 2016 edition (compiled table, Human Rights First)
        ("prosecuted", 19127, 18930),
        ("convicted", 6615, 6609),
    ],
)
def test_tip_2017_edition_revises_2015(dataset, stage, value_2017_edition, value_2016_edition):
    rows = _tip_world(dataset, 2015, stage)
    new = fig(dataset, "TIP Report 2017", "WORLD", 2015, stage)
    assert (
        new["value"] == value_2017_edition
        and new["citation"] == "tip-2017-global-law-enforcement-nbc"
    )
    old = rows[rows.publication == "TIP Report 2007/2016 (compiled)"]
    assert old["value"].item() == value_2016_edition
    assert "revised" in old["flag"].item()
    assert defaults(rows)["value"].tolist() == [value_2017_edition]


def test_tip_2017_edition_victims_identified(dataset):
    # TIP Report 2017 (NBC News, 27 June 2017): 77,823 victims identified in 2015, 66,520 in 2016
    assert fig(dataset, "TIP Report 2017", "WORLD", 2015, "identified")["value"] == 77823
    assert fig(dataset, "TIP Report 2017", "WORLD", 2016, "identified")["value"] == 66520
    # the Human Rights First figure of 6,601 convictions for 2015 is kept, never the default
    hrf = dataset[dataset.citation == "tip-2017-global-law-enforcement-hrf"]
    assert hrf["value"].tolist() == [6601]
    assert "alternative" in hrf["flag"].item()


@pytest.mark.parametrize(
    "publication,year,stage,value",
    [
        # TIP Report 2008 global table, 2007 row: '5,682 (490)' and '3,427 (326)'
        ("TIP Report 2008", 2007, "prosecuted", 490),
        ("TIP Report 2008", 2007, "convicted", 326),
        # compiled 2007/2016 global table, 2014 row: 10,051 (418), 4,443 (216), 44,462 (11,438)
        ("TIP Report 2007/2016 (compiled)", 2014, "prosecuted", 418),
        ("TIP Report 2007/2016 (compiled)", 2014, "convicted", 216),
        ("TIP Report 2007/2016 (compiled)", 2014, "identified", 11438),
        # TIP Report 2017: 1,038 forced-labour prosecutions in 2016
        ("TIP Report 2017", 2016, "prosecuted", 1038),
        # TIP Report 2022 global table, 2021 row: 10,572 (1,379) and 5,260 (374) (Financial Crime News)
        ("TIP Report 2022", 2021, "prosecuted", 1379),
        ("TIP Report 2022", 2021, "convicted", 374),
        # TIP Report 2024 global table, 2023 row: 18,774 (3,684), 7,115 (1,256), 133,943 (42,098)
        ("TIP Report 2024", 2023, "prosecuted", 3684),
        ("TIP Report 2024", 2023, "convicted", 1256),
        ("TIP Report 2024", 2023, "identified", 42098),
    ],
)
def test_tip_labour_rows(dataset, publication, year, stage, value):
    labour = fig(dataset, publication, "WORLD", year, stage, form="labour")
    total = fig(dataset, publication, "WORLD", year, stage)
    assert labour["value"] == value
    assert labour["value"] < total["value"]


def test_greta_totals_secondary(dataset):
    row = fig(dataset, "GRETA 9th General Report", "COE:GRETA", 2018, "identified")
    assert row["value"] == 15310 and "secondary_source" in row["flag"]


def test_every_family_is_present(dataset):
    assert {"TIP", "ILO", "UNODC", "WALKFREE", "EUROSTAT", "EC", "GRETA"} <= set(dataset["source"])
