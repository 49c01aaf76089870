"""What a reader sees in the briefs: plain words, no internal paths, the releases named from the
rows shown (a newer release is named when the table holds one), one story per place."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from thbstats import citations
from thbstats.analysis.dark_figure import dark_figure
from thbstats.analysis.impunity import ranking
from thbstats.publish.briefs.build import brief_data, targets

JARGON = ("flow / flow", "flow / stock", "stock / flow", "balanced panel", "figure(s)", "coverage:")
PATH = re.compile(r"\b[\w.-]+/[\w.-]+\.(csv|parquet|yml|xlsx|py)\b|data/processed|data/raw")


def _texts(value) -> list[str]:
    """Every string of a brief's content (its cards, table, captions, caveats, method)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("alt", "cites") for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


@pytest.fixture(scope="module")
def briefs(official_dataset: pd.DataFrame) -> dict[str, dict]:
    df = official_dataset[official_dataset["latest"]]
    table, dark = ranking(df), dark_figure(df)
    return {g: brief_data(df, g, table, dark)[0] for g in targets(df)}


def test_no_brief_or_caption_has_jargon_or_a_path(briefs):
    assert len(briefs) >= 50
    for code, data in briefs.items():
        text = " ".join(_texts({k: v for k, v in data.items() if k != "glossary"}))
        for word in JARGON:
            assert word not in text, (code, word)
        assert not PATH.search(text), (code, PATH.search(text).group(0))
    deu = " ".join(_texts(briefs["DEU"]))
    assert "persons convicted per 100 victims identified" in deu
    assert "Hollow markers" not in deu  # Germany's trend has no secondary-source figure


def test_every_brief_names_its_releases_in_its_text(briefs):
    for code, data in briefs.items():
        for part in ("method", "years"):
            text = " ".join(_texts(data[part]))
            assert (
                "UNODC, dataUNODC: Trafficking in persons, country data, release of 14/04/2025"
                in (data["method"])
            ), code
            assert "release of 14/04/2025" in text, (code, part)
        assert "latest release" not in " ".join(_texts(data)), code
        words = [g["words"] for g in data["glossary"]]
        assert "victims identified in a year" in words, code
        if code in ("OSCE", "EU27"):  # their funnels sum the same States for every stage
            assert "the same countries in every year" in words, code


def test_eu27_brief_prints_no_no_data_beside_a_figure(briefs):
    eu = briefs["EU27"]
    funnel = eu["charts"]["funnel"]
    assert "No data" not in funnel["note"] and "UNODC" in funnel["source"]
    assert "Eurostat" not in funnel["source"]  # one publisher per funnel
    rows = {r[0]: r[1:] for r in eu["years"]["rows"]}
    # both publishers in one table, named: UNODC's sums and Eurostat's EU totals (news 24/01/2024)
    assert rows["Identified victims (Eurostat)"] == ["–", "–", "6,534†", "7,155", "10,093"]
    assert rows["Persons convicted (Eurostat)"] == ["–", "–", "1,295†", "2,517", "2,097"]
    assert rows["Persons prosecuted (UNODC)"][-1] == "4,321-4,327"
    assert "Eurostat" in eu["years"]["source"] and "UNODC" in eu["years"]["source"]
    assert eu["years"]["source"].endswith("† Seen only in a secondary source.")  # 2020: a rendering


def test_no_brief_says_no_data_for_a_stage_its_table_prints(briefs):
    """A funnel stage without a figure has none in any row of the table for that year either."""
    labels = {
        "Identified victims": "identified",
        "Prosecuted": "prosecuted",
        "Convicted": "convicted",
    }
    checked = 0
    for code, data in briefs.items():
        year = data["funnel_year"].split()[0]
        header = data["years"]["header"]
        if year not in header:
            continue
        col = header.index(year)
        for label, stage in labels.items():
            if f"{label}: no data" not in data["charts"]["funnel"]["alt"]:
                continue
            checked += 1
            words = {"identified": "identified victims", "prosecuted": "persons prosecuted",
                     "convicted": "persons convicted"}[stage]  # fmt: skip
            cells = [r[col] for r in data["years"]["rows"] if r[0].lower().startswith(words)]
            assert cells and all(c == "–" for c in cells), (code, stage, cells)
    assert checked >= 5  # funnels with a stage missing in their year (States with two stages)


def test_a_brief_built_from_a_newer_release_names_it(official_dataset, monkeypatch):
    """Relabel the UNODC rows as a later release: the brief's text cites it, never the old one."""
    new_key, old = "unodc-glotip-2026-06-01", "unodc-glotip-2025-04-14"
    every = citations.all_sources()
    entry = dict(every[old], edition="release of 01/06/2026 (data years 2003-2023)", year=2026)
    monkeypatch.setattr(citations, "all_sources", lambda path=None: {**every, new_key: entry})
    df = official_dataset[official_dataset["latest"]].copy()
    unodc = df["citation"] == old
    df.loc[unodc, "citation"] = new_key
    df.loc[unodc, "publication"] = "UNODC GLOTIP data 2026-06-01"
    data, _ = brief_data(df, "DEU", ranking(df), dark_figure(df))
    text = " ".join(_texts(data))
    assert "release of 01/06/2026" in data["method"]
    assert "release of 01/06/2026" in data["headline"][1]["source"]
    assert "release of 01/06/2026" in data["charts"]["trend"]["source"]
    assert "14/04/2025" not in text and "2025-04-14" not in text
