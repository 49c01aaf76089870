"""A sample of transcribed figures, checked against the values printed in the cited publications."""

from __future__ import annotations

import pytest

from thbstats import citations
from thbstats.metrics import defaults


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


def test_greta_totals_secondary(dataset):
    row = fig(dataset, "GRETA 9th General Report", "COE:GRETA", 2018, "identified")
    assert row["value"] == 15310 and "secondary_source" in row["flag"]


def test_every_family_is_present(dataset):
    assert {"TIP", "ILO", "UNODC", "WALKFREE", "EUROSTAT", "EC", "GRETA"} <= set(dataset["source"])
