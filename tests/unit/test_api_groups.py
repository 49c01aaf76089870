"""Named groups are data: a group added to data/raw/geo/ (a line in groups.csv, rows in
memberships.csv) resolves everywhere `geo=` is accepted, without code; unknown codes are errors."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import make_project

import thbstats as thb
from thbstats import geo
from thbstats.analysis.metrics import aggregate, members_of


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    geo.clear_cache()
    yield root
    geo.clear_cache()


def _table() -> pd.DataFrame:
    """Persons convicted in 2020 as the UNODC 2025-04-14 release prints them: Sweden 8, Denmark
    "<5", Estonia 8."""
    rows = [("SWE", 8.0, ""), ("DNK", None, "suppressed_lt5"), ("EST", 8.0, "")]
    return pd.DataFrame(
        [
            {
                "source": "UNODC",
                "publication": "UNODC GLOTIP data 2025-04-14",
                "geo": g,
                "geo_type": "country",
                "year_start": 2020,
                "year_end": 2020,
                "stage": "convicted",
                "form": "all",
                "sex": "all",
                "age": "all",
                "value": v,
                "unit": "persons",
                "flag": f,
                "citation": "unodc-glotip-2025-04-14",
            }
            for g, v, f in rows
        ]
    )


def test_a_group_added_as_data_resolves_everywhere(project):
    geo_dir = project / "data" / "raw" / "geo"
    with open(geo_dir / "groups.csv", "a", encoding="utf-8") as fh:
        fh.write("SCANDINAVIA,Scandinavia,region,Denmark and Sweden (test group),test-key\n")
    with open(geo_dir / "memberships.csv", "a", encoding="utf-8") as fh:
        fh.write("SCANDINAVIA,DNK,Denmark,test-key\nSCANDINAVIA,SWE,Sweden,test-key\n")
    geo.clear_cache()
    assert thb.group("SCANDINAVIA") == ["DNK", "SWE"] == members_of("SCANDINAVIA")
    assert members_of(["SCANDINAVIA", "EST"]) == ["DNK", "EST", "SWE"]
    row = thb.groups().set_index("code").loc["SCANDINAVIA"]
    assert row["n_members"] == 2 and row["citation"] == "test-key"
    t = thb.total(_table(), geo="SCANDINAVIA", stage="convicted", years=[2020]).iloc[0]
    assert (t.value_min, t.value, t.value_max) == (9.0, 10.5, 12.0)  # 8 + "<5"
    assert t.countries == "DNK;SWE" and t.missing == "" and t.n_suppressed == 1


def test_nordic_is_data_with_a_citation():
    g = geo.groups().set_index("code")
    assert g.loc["NORDIC", "citation"] == "norden-official-nordic-cooperation"
    assert thb.group("NORDIC") == ["DNK", "FIN", "ISL", "NOR", "SWE"]


def test_unknown_codes_are_errors_in_the_api():
    with pytest.raises(ValueError, match="found 'SCANDINAVIA'"):
        thb.group("SCANDINAVIA")
    with pytest.raises(ValueError, match="found 'XX'"):
        thb.group(["SWE", "XX"])
    with pytest.raises(ValueError, match="needs the table"):
        thb.group("WORLD")
    assert thb.group("WORLD", _table()) == ["DNK", "EST", "SWE"]


def test_total_over_a_list_names_who_is_missing():
    t = thb.total(_table(), geo=["NORDIC", "EST"], stage="convicted", years=[2020]).iloc[0]
    assert t.geo == "EST;NORDIC" and t.countries == "DNK;EST;SWE" and t.missing == "FIN;ISL;NOR"
    assert (t.value_min, t.value_max) == (17.0, 20.0)
    a = aggregate(_table(), ["NORDIC", "EST"], "convicted", [2020]).iloc[0]
    assert a.countries == t.countries and a.group_size == 6
