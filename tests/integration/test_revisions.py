"""Revisions between releases: tiny synthetic tables, load(vintage=...), and the two real UNODC
releases, whose changed figures are counted again straight from the workbooks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from thbstats.analysis import revisions

OLD, NEW = "UNODC GLOTIP data 2023-05-30", "UNODC GLOTIP data 2025-04-14"
CITE = {OLD: "unodc-glotip-2023-05-30", NEW: "unodc-glotip-2025-04-14"}


def row(pub: str, geo: str, year: int, cell: str, stage: str = "identified", **dims) -> dict:
    """A tidy UNODC row as the reader writes it; ``cell`` is the published text ("12", "<5")."""
    lt5 = cell == "<5"
    return {
        "source": "UNODC",
        "publication": pub,
        "geo": geo,
        "geo_name": geo.title(),
        "geo_type": "country",
        "year_start": year,
        "year_end": year,
        "stage": stage,
        "form": dims.get("form", "all"),
        "sex": dims.get("sex", "all"),
        "age": dims.get("age", "all"),
        "value": math.nan if lt5 else float(cell),
        "unit": "persons",
        "flag": "suppressed_lt5" if lt5 else "",
        "citation": dims.get("citation", CITE.get(pub, "")),
    }


@pytest.fixture
def tiny() -> pd.DataFrame:
    return pd.DataFrame(
        [
            row(OLD, "ALB", 2019, "<5"),
            row(NEW, "ALB", 2019, "7"),  # "<5" -> 7: changed
            row(OLD, "ALB", 2020, "<5"),
            row(NEW, "ALB", 2020, "<5"),  # "<5" -> "<5": unchanged
            row(OLD, "ALB", 2021, "12"),
            row(NEW, "ALB", 2021, "<5"),  # 12 -> "<5": changed
            row(OLD, "DEU", 2019, "100"),
            row(NEW, "DEU", 2019, "100"),  # unchanged
            row(OLD, "DEU", 2020, "100"),
            row(NEW, "DEU", 2020, "150"),  # changed by +50
            row(OLD, "DEU", 2020, "9", stage="convicted"),  # removed
            row(NEW, "DEU", 2021, "4", stage="convicted"),  # added
            row(NEW, "DEU", 2021, "<5", stage="prosecuted"),  # added, as "<5"
            row("UNODC GLOTIP 2024", "DEU", 2020, "80"),  # a report headline, not a release
            row(NEW, "DEU", 2018, "70", citation="glotip-2009-unodc-page"),  # transcribed: left out
        ]
    )


def status(rev: revisions.Revisions, geo: str, year: int, stage: str = "identified") -> str:
    k = rev.keys
    hit = k[(k["geo"] == geo) & (k["year_start"] == year) & (k["stage"] == stage)]
    assert len(hit) == 1
    return hit["status"].iloc[0]


def test_lt5_is_a_value_of_its_own(tiny):
    rev = revisions.compare(tiny)
    assert (rev.old, rev.new) == (OLD, NEW)
    assert status(rev, "ALB", 2019) == "changed"
    assert status(rev, "ALB", 2020) == "unchanged"
    assert status(rev, "ALB", 2021) == "changed"
    k = rev.keys.set_index(["geo", "year_start", "stage"])
    assert k.loc[("ALB", 2019, "identified"), "change_kind"] == "from <5"
    assert k.loc[("ALB", 2021, "identified"), "change_kind"] == "to <5"
    assert k.loc[("ALB", 2019, "identified"), ["old_cell", "new_cell"]].tolist() == ["<5", "7"]
    assert k.loc[("DEU", 2020, "identified"), "change"] == 50


def test_added_and_removed_keys(tiny):
    rev = revisions.compare(tiny)
    assert status(rev, "DEU", 2020, "convicted") == "removed"
    assert status(rev, "DEU", 2021, "convicted") == "added"
    assert status(rev, "DEU", 2021, "prosecuted") == "added"
    assert not (rev.keys["year_start"] == 2018).any()  # a transcribed row is no release's figure
    s = rev.summary().set_index("stage")
    counts = ["overlapping", "unchanged", "changed", "added", "removed"]
    assert s.loc["all", counts].tolist() == [5, 2, 3, 2, 1]
    assert s.loc["identified", "changed_to_or_from_lt5"] == 2
    assert s.loc["identified", "share_changed"] == 0.6


def test_totals_and_largest_leave_lt5_out(tiny):
    rev = revisions.compare(tiny)
    t = rev.totals("identified").set_index("geo")
    sums = ["old_sum", "new_sum", "old_revised", "new_revised", "change"]
    assert t.loc["DEU", sums].tolist() == [200, 250, 100, 150, 50]
    assert t.loc["DEU", "years_revised"] == "2020" and t.loc["DEU", "rel_change"] == 0.5
    assert t.loc["ALB", ["n_years", "n_lt5", "old_sum", "change"]].tolist() == [0, 3, 0, 0]
    assert rev.largest(5)["geo"].tolist() == ["DEU"]
    assert rev.largest(5, "relative", min_base=101).empty


def test_named_releases_and_refusals(tiny):
    rev = revisions.compare(tiny, old=OLD, new=NEW)
    assert rev.citations == [CITE[OLD], CITE[NEW]]
    with pytest.raises(ValueError, match="old: expected a release of UNODC"):
        revisions.compare(tiny, old="UNODC GLOTIP 2024")
    with pytest.raises(ValueError, match="expected two releases"):
        revisions.compare(tiny[tiny["publication"] != OLD])
    latest_only = tiny.assign(latest=True)  # as thb.load() returns it: one vintage per key
    with pytest.raises(ValueError, match='thb.load\\(vintage="all"\\)'):
        revisions.compare(latest_only)
    twice = pd.concat([tiny, tiny.iloc[[1]]])
    with pytest.raises(ValueError, match="one figure per key"):
        revisions.compare(twice)


def test_a_newer_unregistered_release_becomes_the_default(tiny):
    newest = "UNODC GLOTIP data 2026-01-15"
    extra = pd.DataFrame(
        [row(newest, "DEU", 2020, "160", citation="unregistered:0123abcd")]
    ).assign(flag="unregistered")
    rev = revisions.compare(pd.concat([tiny, extra], ignore_index=True))
    assert (rev.old, rev.new) == (NEW, newest)
    assert status(rev, "DEU", 2020) == "changed"
    assert revisions.release_files(tiny) == [OLD, NEW]


# load(vintage=...)


@pytest.fixture
def project(tmp_path, monkeypatch):
    from helpers import make_project

    root = make_project(tmp_path)
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    return root


def test_load_vintages(project):
    import thbstats as thb

    rows = pd.DataFrame([row(OLD, "DEU", 2020, "100"), row(NEW, "DEU", 2020, "150")])
    path = project / "data/processed/thb_figures.parquet"
    rows.to_parquet(path)
    assert len(thb.load()) == 2  # no `latest` column: every row
    rows.assign(latest=[False, True]).to_parquet(path)
    assert thb.load()["publication"].tolist() == [NEW]
    assert thb.load(["value"], [("geo", "==", "DEU")])["value"].tolist() == [150]
    assert thb.load(filters=[[("geo", "==", "DEU")], [("geo", "==", "FRA")]])["value"].tolist() == [
        150
    ]
    assert len(thb.load(vintage="all")) == 2
    with pytest.raises(ValueError, match="vintage: expected one of latest, all, found 'newest'"):
        thb.load(vintage="newest")


# the real releases


def _workbook_keys(path) -> pd.DataFrame:
    """Figures of one data_glotip.xlsx read straight with pandas, filtered as the reader does.

    Kept: Dimension "Total" or "by form of exploitation" (citizenship and repatriation rows are
    not in the table, and the 128 defective rows of the 2025 release are all citizenship rows),
    rows with an ISO3 code and a country name (not the Sark rows). A key printed several times is
    one figure made of parts (both releases repeat keys only under "Other forms of exploitation"
    and in the sex totals split by age): its cell is the sum, or the range of the sum where a part
    is "<5" (each 1 to 4).
    """
    raw = pd.read_excel(path, sheet_name="data_glotip_1", header=2, dtype=str, engine="calamine")
    raw = raw[raw["Dimension"].isin(["Total", "by form of exploitation"])]
    raw = raw[raw["Iso3_code"].fillna("").str.fullmatch(r"[A-Z]{3}") & raw["Country"].notna()]
    cell = raw["txtVALUE"].str.strip().str.replace(",", "", regex=False)
    lt5 = cell.eq("<5")
    raw = raw.assign(
        lo=pd.to_numeric(cell.where(~lt5, "1")), hi=pd.to_numeric(cell.where(~lt5, "4"))
    )
    key = ["Iso3_code", "Year", "Indicator", "Category", "Sex", "Age"]
    g = raw.groupby(key).agg(lo=("lo", "sum"), hi=("hi", "sum"), n=("lo", "size"))
    g["cell"] = [
        f"{lo:.0f}" if lo == hi else ("<5" if (lo, hi) == (1, 4) else f"{lo:.0f}-{hi:.0f}")
        for lo, hi in zip(g["lo"], g["hi"], strict=True)
    ]
    return g.reset_index()[[*key, "cell"]]


@pytest.fixture(scope="module")
def real(official_dataset):
    import thbstats as thb

    return revisions.compare(thb.load(vintage="all"))


def test_changed_figures_counted_from_the_workbooks(official, real):
    old = _workbook_keys(official["unodc-glotip-2023-05-30"])
    new = _workbook_keys(official["unodc-glotip-2025-04-14"])
    both = old.merge(new, on=["Iso3_code", "Year", "Indicator", "Category", "Sex", "Age"])
    changed = both[both["cell_x"] != both["cell_y"]]  # "<5" is compared as the text "<5"
    s = real.summary().set_index("stage")
    assert (real.old, real.new) == (OLD, NEW)
    assert s.loc["all", "overlapping"] == len(both) == 35_104
    assert s.loc["all", "changed"] == len(changed) == 1_969
    assert s.loc["all", "added"] == len(new) - len(both) == 10_904
    assert s.loc["all", "removed"] == len(old) - len(both) == 394

    def with_lt5(cell: pd.Series) -> pd.Series:  # "<5", or the range of a sum with "<5" parts
        return cell.eq("<5") | cell.str.contains("-", regex=False)

    lt5 = with_lt5(changed["cell_x"]) != with_lt5(changed["cell_y"])
    assert s.loc["all", "changed_to_or_from_lt5"] == lt5.sum() == 466
    by_indicator = changed["Indicator"].value_counts()
    assert s.loc["identified", "changed"] == by_indicator["Detected trafficking victims"] == 1_276
    assert s.loc["convicted", "changed"] == by_indicator["Persons convicted"] == 255
    assert s.loc["prosecuted", "changed"] == by_indicator["Persons prosecuted"] == 122
    assert s.loc["suspected", "changed"] == 269 and s.loc["offences", "changed"] == 47
    # figures that are exact numbers in both releases: 18,639, of which 1,384 changed
    numbers = both[~with_lt5(both["cell_x"]) & ~with_lt5(both["cell_y"])]
    assert len(numbers) == 18_639 and (numbers["cell_x"] != numbers["cell_y"]).sum() == 1_384


def test_revised_cells_of_the_real_releases(real):
    k = real.keys.set_index(["geo", "year_start", "stage", "form", "sex", "age"])
    # Pakistan, detected victims 2020: "22" (2023 release, L27883) -> "20,045" (2025, L34528)
    pak = k.loc[("PAK", 2020, "identified", "all", "all", "all")]
    assert (pak["old_cell"], pak["new_cell"], pak["change"]) == ("22", "20,045", 20_023)
    # Pakistan 2019: "<5" (L27867) -> "32,022" (L34481)
    pak19 = k.loc[("PAK", 2019, "identified", "all", "all", "all")]
    assert (pak19["status"], pak19["change_kind"], pak19["new_value"]) == (
        "changed",
        "from <5",
        32_022,
    )
    # Ukraine 2019-2020: 1,345 + 1,680 (L36098, L36111) -> 262 + 152 (L44986, L45017)
    ukr = real.totals("identified").set_index("geo").loc["UKR"]
    assert ukr[["old_revised", "new_revised", "years_revised"]].tolist() == [3025, 414, "2019-2020"]


def test_revision_charts_and_report(real, official_dataset, tmp_path):
    import matplotlib.pyplot as plt
    from chart_contract import check_contract

    from thbstats.publish import charts, export, revisions_report

    for chart in (charts.revisions_chart(), charts.revisions_by_stage_chart()):  # every vintage
        try:
            check_contract(chart)
            entry = export.export(chart, tmp_path)
            assert set(entry["files"]) == {"png", "svg", "pdf", "csv", "xlsx"}
        finally:
            plt.close(chart.fig)
    data = pd.read_csv(tmp_path / "revisions-unodc-identified-2023-05-30-2025-04-14.csv")
    assert data["geo"].iloc[0] == "PAK" and data["new_revised"].iloc[0] == 20_045
    written = revisions_report.write_report(real, tmp_path / "revisions")
    names = {p.name for p in written}
    assert "unodc-2023-05-30-2025-04-14.xlsx" in names
    sheets = pd.read_excel(tmp_path / "revisions/unodc-2023-05-30-2025-04-14.xlsx", sheet_name=None)
    assert len(sheets["changed"]) == 1_969 and list(sheets) == list(revisions_report.BOOK)
    added = pd.read_csv(tmp_path / "revisions/unodc-2023-05-30-2025-04-14-added.csv")
    assert len(added) == 10_904
    assert sheets["Sources"]["citation"].tolist() == [CITE[OLD], CITE[NEW]]
    assert "changed 1,969 (5.6%; 466 to or from '<5')" in revisions_report.summary_text(real)


def test_a_release_dropped_into_the_downloads_folder_is_compared(project, monkeypatch, capsys):
    """A registered release and a newer, unregistered file: `thbstats revisions` compares them."""
    from helpers import SAMPLE_ROWS, glotip_row, glotip_workbook, register
    from openpyxl import load_workbook

    from thbstats import cli

    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    downloads = project / "data/raw/downloads"
    old = glotip_workbook(downloads / "old.xlsx", SAMPLE_ROWS)
    register(project, "test-glotip", old, publication="UNODC GLOTIP data 2025-04-14")
    rows = [glotip_row("Detected trafficking victims", "1,300")]  # 1,282 -> 1,300
    rows += [glotip_row("Persons convicted", "7"), SAMPLE_ROWS[2]]  # "<5" -> 7; 17 -> 17
    rows += [glotip_row("Detected trafficking victims", "9", year=2020)]  # added
    new = glotip_workbook(downloads / "new.xlsx", rows)
    wb = load_workbook(new)
    wb.active["A2"] = "01/06/2026"
    wb.save(new)
    assert cli.main(["data"]) == 0
    capsys.readouterr()
    assert cli.main(["revisions", "--output", str(project / "out")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("UNODC: UNODC GLOTIP data 2025-04-14 -> UNODC GLOTIP data 2026-06-01")
    assert "figures in both releases 3: unchanged 1, changed 2 (66.7%; 1 to or from '<5')" in out
    assert "added 1; removed 0" in out
    changed = pd.read_csv(project / "out/unodc-2025-04-14-2026-06-01-changed.csv")
    assert sorted(changed["new_cell"]) == ["1,300", "7"]
    assert changed["new_citation"].str.startswith("unregistered:").all()
