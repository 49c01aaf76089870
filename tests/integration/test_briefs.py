"""The ranking, the dark figure and the briefs on the built table, checked by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from pypdf import PdfReader

from thbstats import citations, geo
from thbstats.analysis.dark_figure import dark_figure
from thbstats.analysis.impunity import ranking

UNODC = "UNODC GLOTIP data 2025-04-14"
WINDOW = [2018, 2019, 2020, 2021, 2022]


@pytest.fixture(scope="module")
def latest(official_dataset: pd.DataFrame) -> pd.DataFrame:
    return official_dataset[official_dataset["latest"]]


@pytest.fixture(scope="module")
def table(latest: pd.DataFrame) -> pd.DataFrame:
    return ranking(latest, years=WINDOW).set_index("geo")


def _by_hand(
    latest: pd.DataFrame, iso3: str, stage: str, years: list[int] = WINDOW
) -> tuple[float, float, list[int]]:
    r = latest[
        (latest["source"] == "UNODC")
        & (latest["publication"] == UNODC)
        & (latest["geo"] == iso3)
        & (latest["stage"] == stage)
        & (latest["form"] == "all")
        & (latest["sex"] == "all")
        & (latest["age"] == "all")
        & (latest["unit"] == "persons")
        & latest["year_start"].isin(years)
        & (latest["year_start"] == latest["year_end"])
    ]
    flags = r["flag"].fillna("").str.split(";")
    r = r[
        ~flags.map(lambda f: "superseded_by_parts" in f).astype(bool)
    ]  # its derived row stands in
    lt5 = r["flag"].fillna("").str.contains("suppressed_lt5") & r["value"].isna()
    derived = r["flag"] == "derived"
    lo = r["value"].where(~lt5, 1.0).where(~derived, r["value_min"])
    hi = r["value"].where(~lt5, 4.0).where(~derived, r["value_max"])
    return lo.mean(), hi.mean(), sorted(r["year_start"].astype(int))


def test_germany_averages_and_ratio_by_hand(latest, table):
    deu = table.loc["DEU"]
    lo_i, hi_i, years = _by_hand(latest, "DEU", "identified")
    lo_c, hi_c, c_years = _by_hand(latest, "DEU", "convicted")
    # 2022 is printed as "<5" in total against 1,294 by sex and 1,296 by age: the splits' sum
    assert years == WINDOW
    assert c_years == [2018, 2019, 2021, 2022]  # no conviction figure for 2020
    assert (deu["identified_min"], deu["identified_max"]) == pytest.approx((lo_i, hi_i))
    assert deu["identified_min"] == pytest.approx((493 + 470 + 479 + 564 + 1294) / 5)
    assert deu["identified_max"] == pytest.approx((493 + 470 + 479 + 564 + 1296) / 5)
    assert (deu["convicted_min"], deu["convicted_max"]) == pytest.approx((lo_c, hi_c))
    mid = lambda a, b: (a + b) / 2  # noqa: E731
    # the ratio sets convictions against identified victims of the same four years
    lo_m, hi_m, _ = _by_hand(latest, "DEU", "identified", c_years)
    assert deu["convicted_per_100_identified_years"] == "2018, 2019, 2021, 2022"
    assert deu["convicted_per_100_identified"] == pytest.approx(
        mid(lo_c, hi_c) / mid(lo_m, hi_m) * 100
    )
    assert deu["convicted_per_100_identified_unmatched"] == pytest.approx(
        mid(lo_c, hi_c) / mid(lo_i, hi_i) * 100
    )
    assert deu["estimated"] == 47000 and deu["estimated_year"] == 2021  # GSI 2023
    assert deu["estimated_per_conviction"] == pytest.approx(47000 / mid(lo_c, hi_c))


def test_every_state_with_data_is_ranked_or_says_why(latest, table):
    states = table[table["geo_type"] == "country"]
    assert set(states.index) == set(geo.members("OSCE"))
    for iso3, r in states.iterrows():
        both = all(_by_hand(latest, iso3, st)[2] for st in ("identified", "convicted"))
        if both:
            assert pd.notna(r["rank"]) or r["rank_note"].startswith("too few cases"), iso3
        else:
            assert pd.isna(r["rank"]) and r["rank_note"], iso3
    ranked = states[states["rank"].notna()]
    assert sorted(ranked["rank"].astype(int)) == list(range(1, len(ranked) + 1))
    assert {"OSCE", "EU27", "TIP:EUR", "UN:EUROPE"} <= set(table.index)


def test_each_dark_figure_row_cites_a_publication_with_page_or_table(latest):
    rows = latest[(latest["stage"] == "estimated") & (latest["form"] == "trafficking")]
    assert set(rows["geo"]) >= {"GBR", "NLD", "IRL"}
    for key in set(rows["citation"]):
        d = citations.describe(key)
        locator = str(d.get("locator", "")).lower()
        assert "page" in locator or "table" in locator, key
        if not d.get("primary", True):
            flagged = rows.loc[rows["citation"] == key, "flag"]
            assert flagged.str.contains("secondary_source").all(), key
    t = dark_figure(latest).set_index(["geo", "year_start"])
    assert t.loc[("IRL", 2016), "identified"] == 95  # the brief's "reported number" too
    assert t.loc[("NLD", 2010), "ratio"] == pytest.approx(6250 / t.loc[("NLD", 2010), "identified"])


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_brief_pdf_has_name_numbers_and_sources_and_a_rerun_skips(official_dataset, tmp_path):
    from thbstats.publish.briefs import build

    first = build(official_dataset, only=["DEU", "ALB", "OSCE"], out_dir=tmp_path)
    assert first["written"] == ["DEU", "ALB", "OSCE"]
    out = tmp_path / "briefs"
    for code, name in (("DEU", "Germany"), ("ALB", "Albania"), ("OSCE", "OSCE")):
        reader = PdfReader(out / f"{code}.pdf")
        assert 1 <= len(reader.pages) <= 2
        text = _text(out / f"{code}.pdf")
        assert name in text
        assert "Global Slavery Index 2023" in text  # the source footnotes
        assert "United Nations Office on Drugs and Crime" in text
        html = (out / f"{code}.html").read_text()
        assert name in html and (out / f"{code}-funnel.svg").is_file()
        assert "<table>" in html and "Global Slavery Index 2023" in html
        assert all((out / f"{code}-{k}.svg").is_file() for k in ("funnel", "trend", "strip"))
    deu = _text(out / "DEU.pdf")
    # headline numbers: GSI 47,000; identified 493 ... 564 and 2022 as its splits' sum
    for printed in ("47,000", "493", "470", "479", "564", "1,294-1,296", "2018-2022"):
        assert printed in deu, printed
    # convictions a year: (68 + 65 + 173 + 160) / 4 = 116.5, printed half up
    assert '<div class="value">117</div>' in (out / "DEU.html").read_text()
    flat = " ".join(deu.split())
    r = ranking(official_dataset).set_index("geo").loc["DEU"]
    assert f"Rank {int(r['rank'])} of {int(r['ranked_of'])} participating States" in flat
    assert (
        "Identified victims 2022: UNODC GLOTIP data 2025-04-14 prints '<5' in total, against its "
        "splits by sex (1,294) and by age (1,296)." in flat
    )
    alb = _text(out / "ALB.pdf")
    assert "34,000" in alb and "159" in alb
    index = json.loads((out / "index.json").read_text())["briefs"]
    assert {b["code"] for b in index} == {"DEU", "ALB", "OSCE"}
    assert all(b["pdf"] == f"{b['code']}.pdf" and b["has_data"] for b in index)
    again = build(official_dataset, only=["DEU", "ALB", "OSCE"], out_dir=tmp_path)
    assert again["written"] == [] and again["skipped"] == ["DEU", "ALB", "OSCE"]


def test_unknown_code_is_refused(official_dataset):
    from thbstats.publish.briefs import targets

    with pytest.raises(ValueError, match="XYZ"):
        targets(official_dataset, ["XYZ"])
    assert targets(official_dataset, ["tip-eur", "deu"]) == ["TIP:EUR", "DEU"]


def test_ranking_and_dark_figure_export_their_data(official_dataset, tmp_path):
    from thbstats.publish.charts.dark_figure import dark_figure_chart
    from thbstats.publish.charts.ranking import ranking_chart
    from thbstats.publish.export import export, read_manifest

    entry = export(ranking_chart(official_dataset), tmp_path, formats=("svg",))
    csv = pd.read_csv(tmp_path / entry["files"]["csv"])
    assert len(csv) == len(geo.members("OSCE")) + 4  # every State, ranked or not, and 4 groups
    assert (tmp_path / entry["files"]["xlsx"]).is_file()
    assert "Not ranked: " in entry["caption"] and "San Marino" in entry["caption"]
    dark = export(dark_figure_chart(official_dataset), tmp_path, formats=("svg",))
    assert {e["id"] for e in read_manifest(tmp_path)} == {entry["id"], dark["id"]}
    assert "Serbia" in dark["caption"] or "SRB" in dark["caption"]
