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


def test_un_regions_resolve_on_a_fresh_clone(tmp_path, monkeypatch):
    """UN codes come from the committed table under data/raw/geo/, before any build."""
    from helpers import make_project

    root = make_project(tmp_path / "clone")  # data/raw only: data/processed is empty
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    geo.clear_cache()
    assert not any((root / "data/processed").iterdir())
    assert geo.is_known("UN:EUROPE") and geo.is_known("UN:SOUTHERN_EUROPE")
    assert not geo.is_known("UN:EUROPA")
    europe = geo.members("UN:EUROPE")
    assert "DEU" in europe and "ALB" in europe and "USA" not in europe
    assert geo.name("UN:SOUTHERN_EUROPE") == "Southern Europe (UN subregion)"
    assert geo.name("UN:EUROPE") == "Europe (UN region)"
    geo.clear_cache()


def test_un_regions_table_agrees_with_the_unodc_file(official):
    """Every country of every registered UNODC release is in the committed table, with the
    region and subregion the release prints; each row cites a UNODC release."""
    import pandas as pd

    from thbstats import paths
    from thbstats.ingest import releases
    from thbstats.ingest.readers import read_release

    table = pd.read_csv(
        paths.raw_dir() / "geo" / geo.UN_REGIONS, dtype=str, keep_default_na=False
    ).set_index("iso3")
    assert table.index.is_unique
    regs = {r.key: r for r in releases.registered() if r.reader == "unodc_glotip"}
    assert set(table["citation"]) <= set(regs)
    for key in sorted(regs, key=lambda k: regs[k].release_date):
        printed = read_release(regs[key], official[key]).extra["un_regions"].set_index("iso3")
        assert set(printed.index) <= set(table.index), key
        mine = table.loc[printed.index, ["region", "subregion"]]
        assert (mine == printed[["region", "subregion"]]).all().all(), key
    newest = max(regs, key=lambda k: regs[k].release_date)
    assert (table["citation"] == newest).sum() > 0.9 * len(table)


def test_un_regions_from_unodc(official_dataset):
    geo.clear_cache()
    europe = geo.members("UN:EUROPE")
    assert "DEU" in europe and "ALB" in europe and "USA" not in europe
    assert geo.name("UN:SOUTHERN_EUROPE") == "Southern Europe (UN subregion)"
    assert geo.name("UN:EUROPE") == "Europe (UN region)"


def test_unknown_codes():
    assert not geo.is_known("ATLANTIS") and not geo.is_country("ZZZ")
    assert geo.is_known("OSCE") and geo.is_known("TIP:EUR")


def test_the_pipeline_country_list_is_computed_from_the_table(dataset):
    """Country profiles: OSCE States with a UNODC figure in the built table (all 57 have one)."""
    from pathlib import Path

    import pandas as pd

    from thbstats.pipeline import lists

    root = Path(__file__).resolve().parents[2]
    osce = pd.read_csv(root / "data/raw/geo/osce_participating_states.csv", dtype=str)["iso3"]
    unodc = set(dataset.loc[dataset["source"] == "UNODC", "geo"])
    expected = sorted(set(osce) & unodc)
    assert lists.osce_with_data(root) == expected
    assert len(expected) == 57 and {"ALB", "USA", "VAT"} <= set(expected)
