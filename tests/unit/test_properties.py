"""Property tests (hypothesis): the UNODC value parser and the coverage-honest metrics."""

from __future__ import annotations

import math
import re

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from thbstats import schema
from thbstats.analysis import metrics
from thbstats.ingest.readers.unodc_glotip import parse_counts

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
            # the sum of the included countries, each "<5" as 2.5 (midpoint of the bounds)
            assert row.value == sum(counts) + 2.5 * n_sup
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
            assert row.value == sum(printed) + 2.5 * (len(counts) - len(printed))
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


# --- "<5" cells as ranges -----------------------------------------------------------------

ONLY_LT5 = st.fixed_dictionaries(
    {(g, y, "convicted"): st.one_of(st.none(), st.just("<5")) for g in COUNTRIES for y in YEARS}
)


def _ordered(lo: float, v: float, hi: float) -> bool:
    eps = 1e-9 * max(1.0, abs(hi))
    return lo - eps <= v <= hi + eps


@FAST
@given(panels(["convicted"]), st.sampled_from(["balanced", "all"]))
def test_aggregate_value_lies_within_its_bounds(cells: dict, mode: str) -> None:
    agg = metrics.aggregate(table(cells), COUNTRIES, "convicted", YEARS, mode=mode)
    for row in agg[agg["n_countries"] > 0].itertuples():
        assert _ordered(row.value_min, row.value, row.value_max)
        if row.n_suppressed:
            assert row.value_min < row.value_max and row.value > 0


@FAST
@given(ONLY_LT5, st.sampled_from(["balanced", "all"]))
def test_no_metric_returns_zero_from_lt5_cells_only(cells: dict, mode: str) -> None:
    df = table(cells)
    agg = metrics.aggregate(df, COUNTRIES, "convicted", YEARS, mode=mode)
    t = agg.set_index("year")
    for row in agg[agg["n_countries"] > 0].itertuples():
        n = row.n_countries
        assert (row.value_min, row.value, row.value_max) == (n, 2.5 * n, 4.0 * n)
    for a, b in ((2015, 2016), (2015, 2017), (2016, 2017)):
        c = metrics.percent_change_range(t, a, b)
        if not math.isnan(c.value):
            assert c.low > -100 and _ordered(c.low, c.value, c.high)
    avg = metrics.average_per_year(t["value"], 2015, 2017, low=t["value_min"], high=t["value_max"])
    if avg.years:
        assert avg.low >= 1 and _ordered(avg.low, avg.value, avg.high)


@FAST
@given(panels(["identified", "convicted"]))
def test_attrition_and_change_lie_within_their_bounds(cells: dict) -> None:
    df = table(cells)
    r = metrics.attrition(df, COUNTRIES, YEARS, "convicted", "identified")
    if not math.isnan(r["value"]):
        assert _ordered(r["low"], r["value"], r["high"])
        assert _ordered(r["numerator_min"], r["numerator"], r["numerator_max"])
    t = metrics.aggregate(df, COUNTRIES, "identified", YEARS, mode="all").set_index("year")
    c = metrics.percent_change_range(t, 2015, 2017)
    if not math.isnan(c.value):
        assert _ordered(c.low, c.value, c.high)
    idx = metrics.index_range(t, 2015).dropna()
    assert all(_ordered(r.index_min, r.index, r.index_max) for r in idx.itertuples())


@FAST
@given(panels(["convicted"]))
def test_attrition_over_the_estimate_keeps_lt5_states(cells: dict) -> None:
    est = table({("ALB", 2017, "estimated"): 10_000})
    df = pd.concat([table(cells), est], ignore_index=True)
    df.loc[df["stage"] == "estimated", ["source", "form"]] = ("WALKFREE", "modern_slavery")
    r = metrics.attrition(df, "ALB", YEARS, "convicted", "estimated")
    reported = [y for y in YEARS if cells[("ALB", y, "convicted")] is not None]
    assert r["n_years"] == len(reported)  # a "<5" year is never dropped
    if reported:
        assert _ordered(r["low"], r["value"], r["high"])
    if any(cells[("ALB", y, "convicted")] == "<5" for y in YEARS):
        assert r["value"] > 0 and r["low"] > 0


PART = st.one_of(st.none(), st.just("<5"), st.integers(1, 300))


@FAST
@given(
    st.fixed_dictionaries(
        {(g, f): PART for g in COUNTRIES for f in ("all", "sexual", "labour", "other")}
    )
)
def test_shares_lie_within_their_bounds_and_sum_to_one(cells: dict) -> None:
    rows = table({(g, 2016, "identified"): v for (g, f), v in cells.items() if f == "all"})
    parts = []
    for form in ("sexual", "labour", "other"):
        t = table({(g, 2016, "identified"): v for (g, f), v in cells.items() if f == form})
        parts.append(t.assign(form=form))
    df = pd.concat([rows, *parts], ignore_index=True)
    s = metrics.shares(df, "form", geo=COUNTRIES, years=[2016])
    if s["n_countries"].iloc[0] == 0:
        assert s["share"].isna().all()
        return
    for r in s.itertuples():
        assert _ordered(r.value_min, r.value, r.value_max)
        assert _ordered(r.share_min, r.share, r.share_max)
        if r.n_suppressed:
            assert r.value > 0 and r.share_min > 0
    assert math.isclose(s["share"].sum(), 1.0)
    assert s["derived"].all()
