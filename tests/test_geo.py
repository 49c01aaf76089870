"""Geography: ISO3 from names with country_converter, groups kept as data."""

from __future__ import annotations

from thbstats import geo


def test_names_to_iso3():
    names = [
        "Netherlands (Kingdom of the)",
        "Türkiye",
        "Bolivia (Plurinational State of)",
        "Macedonia, the former Yugoslav Republic of",
        "Moldova, Republic of",
        "Kosovo",
        "Atlantis",
    ]
    assert geo.to_iso3(names) == ["NLD", "TUR", "BOL", "MKD", "MDA", "XKX", None]


def test_osce_has_57_participating_states():
    osce = geo.members("OSCE")
    assert len(osce) == 57 and len(set(osce)) == 57
    assert {"USA", "CAN", "MNG", "VAT", "RUS", "ALB"} <= set(osce)
    assert "XKX" not in osce
    assert all(geo.is_country(c) for c in osce)


def test_eu27():
    eu = geo.members("EU27")
    assert len(eu) == 27 and "GBR" not in eu and "HRV" in eu
    assert len(geo.members("EU28")) == 28 and "GBR" in geo.members("EU28")


def test_country_is_its_own_member():
    assert geo.members("ALB") == ["ALB"]
    assert geo.name("ALB") == "Albania"


def test_un_regions_from_unodc(official_dataset):
    geo.clear_cache()  # UN regions come from the UNODC file: skipped (or failed) without it
    europe = geo.members("UN:EUROPE")
    assert "DEU" in europe and "ALB" in europe and "USA" not in europe
    assert geo.name("UN:SOUTHERN_EUROPE") == "Southern Europe (UN subregion)"
    assert geo.name("UN:EUROPE") == "Europe (UN region)"


def test_unknown_codes():
    assert not geo.is_known("ATLANTIS") and not geo.is_country("ZZZ")
    assert geo.is_known("OSCE") and geo.is_known("TIP:EUR")
