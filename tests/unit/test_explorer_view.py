"""What the explorer shows for a selection, on a hand-made table: one State's printed figures,
"<5" kept as 1 to 4, one release at a time, and clear errors for a selection that cannot be shown."""

from __future__ import annotations

import pandas as pd
import pytest

from thbstats.publish import explorer_view as view
from thbstats.publish.explorer_view import Selection

OLD, NEW = "UNODC GLOTIP data 2023-05-30", "UNODC GLOTIP data 2025-04-14"


def table() -> pd.DataFrame:
    rows = [
        # publication, year, stage, form, value, value_min, value_max, flag, latest
        (NEW, 2018, "prosecuted", "all", 54, 54, 54, "", True),
        (NEW, 2021, "prosecuted", "all", None, 1, 4, "suppressed_lt5", True),
        (NEW, 2018, "identified", "sexual", 37, 37, 37, "", True),
        (OLD, 2018, "prosecuted", "all", 50, 50, 50, "revised", False),
    ]
    cols = ["publication", "year_start", "stage", "form", "value", "value_min", "value_max"]
    df = pd.DataFrame(rows, columns=[*cols, "flag", "latest"])
    return df.assign(
        source="UNODC", geo="ALB", geo_name="Albania", geo_type="country", year_end=df["year_start"],
        sex="all", age="all", unit="persons", citation="unodc",
    )  # fmt: skip


def by_year(t: pd.DataFrame) -> dict[int, tuple[float, float]]:
    t = t[t["value"].notna()]
    return {int(r.year): (r.value_min, r.value_max) for r in t.itertuples()}


def test_a_state_in_the_latest_release_keeps_lt5_as_a_range():
    sel = Selection(geo="ALB", start=2018, end=2021, stages=("prosecuted",))
    assert by_year(view.table(table(), sel)) == {2018: (54, 54), 2021: (1, 4)}


def test_an_earlier_release_and_a_form():
    old = Selection(geo="ALB", start=2018, end=2018, stages=("prosecuted",), release=OLD)
    assert by_year(view.table(table(), old)) == {2018: (50, 50)}
    sexual = Selection(geo="ALB", start=2018, end=2018, stages=("identified",), form="sexual")
    assert by_year(view.table(table(), sexual)) == {2018: (37, 37)}
    assert view.releases(table(), "UNODC") == ["latest", NEW, OLD]


@pytest.mark.parametrize(
    ("sel", "message"),
    [
        (Selection(geo="ALB", start=2020, end=2018), "start 2020 is after end 2018"),
        (Selection(geo="ALB", stages=()), "choose at least one stage"),
        (Selection(geo="ALB", form="begging"), "form: expected one of"),
        (Selection(geo="ALB", release="TIP Report 2024"), "is not a release of UNODC"),
    ],
)
def test_a_selection_that_cannot_be_shown_says_why(sel, message):
    with pytest.raises(ValueError, match=message):
        view.table(table(), sel)


def test_chart_ids_are_plain_file_names():
    assert (
        view.chart_id(Selection(geo="TIP:EUR")) == "explore-tip-eur-unodc-latest-all-ipc-2015-2022"
    )
    six = Selection(geo=("DNK", "FIN", "ISL", "NOR", "SWE", "EST"), release=OLD)
    cid = view.chart_id(six)
    assert cid.startswith("explore-6states-") and cid.endswith(
        "-unodc-2023-05-30-all-ipc-2015-2022"
    )
