"""Property tests (hypothesis): the UNODC value parser and the coverage-honest metrics."""

from __future__ import annotations

import math
import re

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from thbstats import metrics, schema
from thbstats.sources.unodc_glotip import parse_counts

# derandomize: the same examples on every run, so a run never fails where the last one passed
FAST = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def grouped(n: int) -> str:
    return f"{n:,}"


@FAST
@given(
    st.lists(
        st.tuples(st.integers(0, 10**12), st.booleans(), st.sampled_from(["", " ", "\t"])),
        min_size=1,
        max_size=20,
    )
)
def test_well_formed_counts_round_trip(items: list[tuple[int, bool, str]]) -> None:
    text = pd.Series([f"{pad}{grouped(n) if sep else n}{pad}" for n, sep, pad in items])
    value, suppressed, bad = parse_counts(text)
    assert value.tolist() == [float(n) for n, _, _ in items]
    assert not suppressed.any() and not bad.any()


@FAST
@given(st.lists(st.sampled_from(["<5", " <5", "<5 "]), min_size=1, max_size=5))
def test_suppressed_is_nan_and_flagged(cells: list[str]) -> None:
    value, suppressed, bad = parse_counts(pd.Series(cells))
    assert value.isna().all() and suppressed.all() and not bad.any()


WELL_FORMED = re.compile(r"[0-9]+|[0-9]{1,3}(,[0-9]{3})+")


@FAST
@given(
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.from_regex(r"[0-9,. <>-]{1,9}", fullmatch=True),
            st.integers(1000, 10**9).map(
                lambda n: grouped(n).replace(",", ".")
            ),  # continental separators
            st.integers(1000, 10**9).map(lambda n: grouped(n)[:-1]),  # a digit lost
        ),
        min_size=1,
        max_size=10,
    )
)
@example(["\u0663", "\uff11\uff12", "\u00b2", "1,2", "12,34", "1,,000", ",100", "", "<4", "< 5"])
def test_anything_else_is_reported_bad_never_zero(cells: list[str]) -> None:
    value, suppressed, bad = parse_counts(pd.Series(cells))
    for text, v, s, b in zip(cells, value, suppressed, bad, strict=True):
        stripped = text.strip()
        assert [b, s, not math.isnan(v)].count(True) == 1, text  # exactly one reading
        if WELL_FORMED.fullmatch(stripped):
            assert v == float(stripped.replace(",", "")), text
        elif stripped == "<5":
            assert s, text
        else:
            assert b and math.isnan(v), text  # reported, never a silent number (or 0)


# --- metrics ------------------------------------------------------------------------------

COUNTRIES = ["ALB", "AUT", "BEL", "CAN"]
YEARS = [2015, 2016, 2017]
PUB = "UNODC GLOTIP data 2025-04-14"
# a cell: absent (no row), "<5", or a printed count (0 included)
CELL = st.one_of(st.none(), st.just("<5"), st.integers(0, 500))


def table(cells: dict[tuple[str, int, str], object]) -> pd.DataFrame:
    rows = []
    for (geo, year, stage), cell in cells.items():
        if cell is None:
            continue
        rows.append(
            {
                "source": "UNODC",
                "publication": PUB,
                "geo": geo,
                "geo_name": geo,
                "geo_type": "country",
                "year_start": year,
                "year_end": year,
                "stage": stage,
                "form": "all",
                "sex": "all",
                "age": "all",
                "value": float("nan") if cell == "<5" else float(cell),
                "unit": "persons",
                "flag": "suppressed_lt5" if cell == "<5" else "",
                "citation": "unodc-test",
            }
        )
    columns = schema.columns()
    return pd.DataFrame(rows, columns=columns)


def panels(stages: list[str]) -> st.SearchStrategy[dict]:
    keys = [(g, y, s) for g in COUNTRIES for y in YEARS for s in stages]
    return st.fixed_dictionaries({k: CELL for k in keys})


@FAST
@given(panels(["identified", "convicted"]))
def test_balanced_panel_never_includes_a_country_missing_in_a_year(cells: dict) -> None:
    df = table(cells)
    stages = ["identified", "convicted"]
    agg = metrics.aggregate(df, COUNTRIES, stages, YEARS, mode="balanced")
    complete = {
        g for g in COUNTRIES if all(cells[(g, y, s)] is not None for y in YEARS for s in stages)
    }
    for row in agg.itertuples():
        included = set(filter(None, row.countries.split(";")))
        assert included == complete  # the same countries every year and stage
        assert row.n_countries == len(complete)
        printed = [cells[(g, row.year, row.stage)] for g in complete]
        counts = [c for c in printed if c != "<5"]
        n_sup = len(printed) - len(counts)
        if complete:
            assert row.value == sum(counts)  # the sum of the included countries, nothing else
            assert row.n_suppressed == n_sup
            assert (
                row.value_min == sum(counts) + 1 * n_sup <= row.value_max == sum(counts) + 4 * n_sup
            )
        else:
            assert math.isnan(row.value) and math.isnan(row.value_min) and math.isnan(row.value_max)


@FAST
@given(panels(["identified"]))
def test_all_reporting_sums_whoever_reports_each_year(cells: dict) -> None:
    agg = metrics.aggregate(table(cells), COUNTRIES, "identified", YEARS, mode="all")
    for row in agg.itertuples():
        reporting = [g for g in COUNTRIES if cells[(g, row.year, "identified")] is not None]
        counts = [cells[(g, row.year, "identified")] for g in reporting]
        printed = [c for c in counts if c != "<5"]
        assert set(filter(None, row.countries.split(";"))) == set(reporting)
        if reporting:
            assert row.value == sum(printed)
            # the true sum (each "<5" is 1 to 4) lies within the bounds
            assert row.value_min <= sum(printed) + sum(1 for c in counts if c == "<5") * 2.5
            assert row.value_min <= row.value_max


@FAST
@given(panels(["identified", "convicted"]))
def test_attrition_never_divides_by_zero_silently(cells: dict) -> None:
    r = metrics.attrition(table(cells), COUNTRIES, YEARS, "convicted", "identified")
    assert not any(math.isinf(r[k]) for k in ("value", "low", "high") if isinstance(r[k], float))
    assert r["note"]  # every result says what it compares
    if r["denominator"] and r["denominator"] > 0:
        assert math.isclose(r["value"], r["numerator"] / r["denominator"] * 100)
        assert r["low"] <= r["high"]
    else:
        assert math.isnan(r["value"]) and r["n_years"] == 0
        assert "0 year(s)" in r["note"]
