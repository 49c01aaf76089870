"""A "<5" year is never lost from a period: Luxembourg's persons convicted, 2017-2019 against
2020-2022, in the UNODC country data (release 2025-04-14).

The file prints 8 (2017), 20 (2018), then "<5" for 2019, 2020, 2021 and 2022 (2022 also flagged
``inconsistent`` by the build). Each "<5" is 1 to 4 persons, 2.5 central, so the averages per year
are 29-32 / 3 (30.5 / 3 central) and 1-4 (2.5): a fall of 58.6 % to 90.6 % (75.4 % central), not
"no figure" for 2020-2022.
"""

from __future__ import annotations

import pandas as pd
import pytest

from thbstats.analysis import metrics as m
from thbstats.publish.chartdata.bars import gap_bars_data

P2025 = "UNODC GLOTIP data 2025-04-14"


@pytest.fixture(scope="module")
def lux(official_dataset: pd.DataFrame) -> pd.DataFrame:
    latest = official_dataset[official_dataset["latest"]]
    rows = m.select(latest, geo="LUX", stage="convicted", years=range(2017, 2023), source="UNODC")
    return rows.set_index("year_start").sort_index()


def test_the_file_prints_two_counts_then_four_lt5(official_dataset, lux):
    assert (lux["publication"] == P2025).all()
    raw = official_dataset[
        official_dataset.latest
        & (official_dataset.geo == "LUX")
        & (official_dataset.stage == "convicted")
        & (official_dataset.form == "all")
        & (official_dataset.sex == "all")
        & (official_dataset.age == "all")
        & official_dataset.year_start.between(2017, 2022)
    ].set_index("year_start")
    # the table keeps what was printed: the "<5" years have no value, bounds 1 and 4
    assert raw.loc[[2017, 2018], "value"].tolist() == [8.0, 20.0]
    assert raw.loc[2019:2022, "value"].isna().all()
    assert all("suppressed_lt5" in f for f in raw.loc[2019:2022, "flag"])
    # select: every year carries a value, "<5" as 2.5 between 1 and 4
    assert lux["value"].tolist() == [8.0, 20.0, 2.5, 2.5, 2.5, 2.5]
    assert lux["value_min"].tolist() == [8.0, 20.0, 1.0, 1.0, 1.0, 1.0]
    assert lux["value_max"].tolist() == [8.0, 20.0, 4.0, 4.0, 4.0, 4.0]


def test_period_averages_keep_the_lt5_years(lux):
    avg = {}
    for start, end in ((2017, 2019), (2020, 2022)):
        for name, value in (("select", lux["value"]), ("bounds only", lux["value"] * float("nan"))):
            a = m.average_per_year(value, start, end, low=lux["value_min"], high=lux["value_max"])
            assert a.complete and a.years == list(range(start, end + 1)), (name, start)
            avg[(name, start)] = a
    first, second = avg[("select", 2017)], avg[("select", 2020)]
    assert (first.low, first.value, first.high) == pytest.approx((29 / 3, 30.5 / 3, 32 / 3))
    assert (second.low, second.value, second.high) == (1.0, 2.5, 4.0)
    assert avg[("bounds only", 2020)] == second  # the table's empty values: the same answer
    t = pd.DataFrame(
        {
            "value": [first.value, second.value],
            "value_min": [first.low, second.low],
            "value_max": [first.high, second.high],
        },
        index=[2019, 2022],
    )
    c = m.percent_change_range(t, 2019, 2022)
    assert (round(c.low, 1), round(c.value, 1), round(c.high, 1)) == (-90.6, -75.4, -58.6)


def test_gap_bars_show_both_periods(official_dataset):
    latest = official_dataset[official_dataset["latest"]]
    t = gap_bars_data(
        latest, "LUX", 2017, 2022, stages=["convicted"], periods=[(2017, 2019), (2020, 2022)]
    )
    avgs = t.drop_duplicates(["start", "end"]).set_index("start")
    assert avgs.loc[2020, ["average", "average_min", "average_max"]].tolist() == [2.5, 1.0, 4.0]
    assert avgs.loc[2020, "n_years"] == 3 and avgs.loc[2020, "missing"] == ""
    assert avgs.loc[2017, "average_min"] == pytest.approx(29 / 3)
