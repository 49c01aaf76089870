"""Every row of the dataset cites a described publication; every description is complete."""

from __future__ import annotations

from thbstats import citations, geo


def test_every_row_cites_a_described_publication(dataset):
    keys = set(citations.all_sources())
    assert set(dataset["citation"]) <= keys
    assert (dataset["citation"] != "").all()


def test_descriptions_are_complete():
    for key, s in citations.all_sources().items():
        assert s["publisher"] and s["title"] and s["licence"], key
        assert s.get("url") or s.get("seen_at"), key


def test_secondary_rows_cite_where_they_were_seen(dataset):
    sec = dataset[dataset["flag"].str.contains("secondary_source")]
    assert len(sec) > 0
    for key in set(sec["citation"]):
        s = citations.describe(key)
        assert s.get("seen_at") or s.get("url"), key


def test_source_line_is_built_from_citations():
    line = citations.source_line(["unodc-glotip-2025-04-14", "unodc-glotip-2025-04-14"])
    assert line.startswith("Source: United Nations Office on Drugs and Crime (UNODC), dataUNODC")
    assert line.count("dataUNODC") == 1


def test_every_geo_is_known(dataset):
    unknown = {g for g in dataset["geo"].unique() if not geo.is_known(g)}
    assert not unknown
