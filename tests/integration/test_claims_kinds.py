"""What a claim asserts decides its verdict: the concept note's "over 51%", "over 13,500", "just
1,500" and "a 52% decrease", against sums worked out by hand from the UNODC country data (release
2025-04-14, balanced panel 2015-2018); and the words about "<5" cells come from the computation."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from thbstats import geo
from thbstats.analysis import claims, claims_verdicts
from thbstats.publish import claims_report

P2025 = "UNODC GLOTIP data 2025-04-14"
YEARS = [2015, 2016, 2017, 2018]


@pytest.fixture(scope="module")
def table(official_dataset):
    return claims.evaluate(official_dataset)


def _panel(df: pd.DataFrame, group: str, stage: str) -> tuple[pd.Series, pd.Series, int]:
    """Yearly sums (central, "<5" as 2.5) over the members reporting all four years, and the
    number of "<5" cells summed."""
    t = df[
        (df.publication == P2025)
        & df.geo.isin(set(geo.members(group)))
        & (df.stage == stage)
        & (df.form == "all")
        & (df.sex == "all")
        & (df.age == "all")
        & (df.unit == "persons")
        & (df.year_start == df.year_end)
        & df.year_start.isin(YEARS)
    ]
    n = t.groupby("geo").year_start.nunique()
    t = t[t.geo.isin(n[n == len(YEARS)].index)]
    central = ((t.value_min + t.value_max) / 2).groupby(t.year_start).sum()
    lt5 = int(t.flag.str.contains("suppressed_lt5").sum())
    return central, t.value.groupby(t.year_start).count(), lt5


def _row(table: pd.DataFrame, claim: str, group: str) -> pd.Series:
    return table[(table.claim == claim) & (table.check == f"independent: {group}")].iloc[0]


def test_over_is_a_bound_met_by_how_much(official_dataset, table):
    sums, _, lt5 = _panel(official_dataset, "OSCE", "identified")
    rise = (sums[2018] / sums[2015] - 1) * 100
    row = _row(table, "europe-identified-rise-2015-2018", "OSCE")
    assert row.computed == pytest.approx(rise) and round(rise, 1) == 88.4
    # "increasing by over 51%": the bound holds, by 37.4 points, not "reproduced"
    assert (row.verdict, row.difference) == ("bound met", "+37.4 points")
    avg = sums.mean()
    row = _row(table, "europe-identified-average-2015-2018", "OSCE")
    assert row.computed == pytest.approx(avg) and avg == 18781.375 and lt5 == 9
    assert (row.verdict, row.difference) == ("bound met", "+5,281 (+39.1%)")
    row = _row(table, "europe-identified-average-2015-2018", "UN:EUROPE")
    assert round(row.computed, 3) == 10783.625
    assert (row.verdict, row.difference) == ("bound not met", "-2,716 (-20.1%)")
    # were the note's "over 13,500" read as "about 13,500" (5 %, as for 1,500): magnitude differs
    claim = next(c for c in claims.load_claims()["claims"] if c["id"] == row.claim)
    about = claim | {"asserts": "about", "tolerance": 0.05}
    assert claims.judge(about, avg)[0] == "magnitude differs"


def test_about_is_a_figure_within_its_tolerance(official_dataset, table):
    sums, _, _ = _panel(official_dataset, "OSCE", "convicted")
    row = _row(table, "europe-convictions-average-2015-2018", "OSCE")
    # "Europe averaged just 1,500 convictions per year": 1,348 is 10.2 % off, beyond 5 %
    assert row.computed == pytest.approx(sums.mean()) and sums.mean() == 1347.75
    assert (row.verdict, row.difference) == ("magnitude differs", "-152 (-10.2%)")
    sums, _, _ = _panel(official_dataset, "OSCE", "prosecuted")
    row = _row(table, "europe-prosecutions-fall-2015-2018", "OSCE")
    # "a 52% decrease": the OSCE panel changes by -0.3 %, within 1 point of no change at all
    assert round(row.computed, 1) == round((sums[2018] / sums[2015] - 1) * 100, 1) == -0.3
    assert row.verdict == "differs"
    row = _row(table, "europe-prosecutions-fall-2015-2018", "UN:EUROPE")
    assert round(row.computed, 1) == -6.3 and row.verdict == claims.DIRECTION_ONLY


LT5 = re.compile(
    r"(\d+) cells? '<5' counted as 2\.5 each \(1 to 4: the figure lies between (\S+) and (\S+)\)"
)


def test_lt5_words_follow_the_computation(official_dataset, table):
    checked = table[table.check.str.startswith("independent: ") & table.coverage.notna()]
    assert len(checked) >= 25  # every independent check with figures
    for r in checked.itertuples():
        text = f"{r.coverage} {r.explanation}"
        assert "left out" not in text, r.claim
        n_cov = re.search(r"(\d+) cells '<5' counted as 2\.5 \(1 to 4\)", r.coverage)
        m = LT5.search(r.explanation)
        if n_cov is None:  # no "<5" cell in the sums (or a count of countries)
            assert m is None and "'<5' counted" not in r.explanation, r.claim
            continue
        assert m is not None and m.group(1) == n_cov.group(1), r.claim
        claim = next(c for c in claims.load_claims()["claims"] if c["id"] == r.claim)
        unit = "%" if claims_verdicts.is_percent(claim) else ""
        digits = 1 if unit else 0
        want = [claims_verdicts.half_up(x, digits) + unit for x in (r.computed_min, r.computed_max)]
        assert [m.group(2), m.group(3)] == want, r.claim
    _, _, lt5 = _panel(official_dataset, "OSCE", "identified")
    row = _row(table, "europe-identified-rise-2015-2018", "OSCE")
    assert f"{lt5} cells '<5' counted as 2.5 each" in row.explanation
    # no method is written beside the computation in claims.yml
    for c in claims.load_claims()["claims"]:
        assert "<5" not in c.get("differs_because", ""), c["id"]


def test_printed_figures_round_half_up():
    assert claims_verdicts.half_up(116.5) == "117" and claims_verdicts.half_up(115.5) == "116"
    claim = {"asserted": 100, "unit": "persons per year"}
    assert claims_verdicts.figure(claim, 116.5) == "117"
    assert claims_verdicts.difference(claim, 116.5) == "+17 (+16.5%)"
    md = claims_report.markdown_table(pd.DataFrame({"identified_avg": [116.5, 2.5]}))
    assert "| 117 |" in md and "| 3 |" in md
