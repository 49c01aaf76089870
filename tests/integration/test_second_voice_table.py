"""The second voice in the built table: TIP narrative figures read alike by two readers, shown
beside UNODC's, reconciled with them, and never a default figure (values from the narratives and
the UNODC release)."""

from __future__ import annotations

import pandas as pd
import pytest

from thbstats import paths
from thbstats.analysis.claims import evaluate, load_claims
from thbstats.analysis.metrics.select import defaults, has_flag
from thbstats.analysis.reconcile import never_agree, reconcile, summary


@pytest.fixture(scope="module")
def latest(official_dataset: pd.DataFrame) -> pd.DataFrame:
    return official_dataset[official_dataset["latest"]]


def _tip(df: pd.DataFrame, geo: str, year: int, stage: str = "identified") -> pd.DataFrame:
    return df[
        (df["source"] == "TIP") & (df["geo"] == geo) & (df["year_start"] == year)
        & (df["stage"] == stage) & (df["form"] == "all")
    ]  # fmt: skip


def test_belgium_2020_from_the_2021_narrative(latest):
    # "In 2020, the government formally identified and assisted 91 victims" (TIP Report 2021)
    row = _tip(latest, "BEL", 2020)
    assert row[["publication", "value", "unit", "flag", "citation"]].values.tolist() == [
        ["TIP Report 2021", 91.0, "persons", "second_voice", "tip-2021-country-narratives"]
    ]


def test_second_voice_is_never_the_default(latest):
    bel = latest[(latest["geo"] == "BEL") & (latest["year_start"] == 2020)
                 & (latest["stage"] == "identified") & (latest["form"] == "all")
                 & (latest["sex"] == "all") & (latest["age"] == "all")]  # fmt: skip
    picked = defaults(bel)
    assert picked[["source", "value"]].values.tolist() == [["UNODC", 88.0]]
    assert not has_flag(defaults(latest)["flag"], "second_voice").any()


def test_the_words_of_each_figure_are_kept():
    words = pd.read_csv(paths.processed_dir() / "second_voice_words.csv", dtype=str)
    bel = words[(words["geo"] == "BEL") & (words["year_start"] == "2020")
                & (words["stage"] == "identified") & (words["form"] == "all")]  # fmt: skip
    assert bel["quote"].tolist() == [
        "In 2020, the government formally identified and assisted 91 victims"
    ]
    assert bel["url"].str.contains("2021-trafficking-in-persons-report/belgium").all()


def test_reconciliation_scores_like_with_like(latest):
    table = reconcile(latest)
    pick = table.set_index(["geo", "stage", "year_start", "second"]).sort_index()
    bel = pick.loc[("BEL", "identified", 2020, "TIP")].iloc[0]
    assert (bel["first_value"], bel["second_value"], bel["within_10pct"]) == (88.0, 91.0, True)
    bgr = pick.loc[("BGR", "identified", 2018, "TIP")].iloc[
        0
    ]  # 442 against "identified 376 victims"
    assert (bgr["first_value"], bgr["second_value"], bool(bgr["within_10pct"])) == (442, 376, False)
    assert round(bgr["relative"], 3) == -0.149
    cases = table[~table["same_unit"]]
    assert cases["within_10pct"].isna().all()  # cases against persons: listed, never scored
    stats = summary(table).set_index(["first", "second", "stage"])
    # Germany's suspects: the narratives' 550 (2017), 602 (2018), 472 (2019) beside UNODC's
    # 552, 602, 472 (the 2020 narrative itself recalls "552 suspects in 2017")
    deu = pick.loc[("DEU", "suspected")]
    persons = deu[deu["second_unit"] == "persons"]
    assert persons["second_value"].tolist() == [550, 602, 472]
    assert persons["first_value"].tolist() == [552, 602, 472]
    assert persons["within_10pct"].all()
    assert len(pick.loc[("BEL", "identified", 2020)]) == 1  # one comparison per figure
    assert stats.loc[("UNODC", "TIP", "suspected"), "other_unit"] >= 3  # 338, 386, 313 cases
    assert "BGR" in set(never_agree(table)["geo"])


def test_footnote_3_checked_from_the_narratives_as_far_as_they_go(official_dataset):
    claims = {"claims": [c for c in load_claims()["claims"] if c.get("narratives")]}
    assert len(claims["claims"]) == 4  # the concept note's footnote 3: four figures
    t = evaluate(official_dataset, claims)
    narr = t[t["check"] == "narratives: TIP:EUR"]
    assert len(narr) == 4
    # no State of the TIP Europe region has narrative figures read alike for 2015 and 2018
    assert narr["coverage"].str.startswith("0 of 38 States print every year").all()
    assert set(narr["verdict"]) == {"cannot be checked"}
    rise = narr[narr["claim"] == "europe-identified-rise-2015-2018"].iloc[0]
    assert "BGR" in rise["coverage"] and "FIN" in rise["coverage"]
