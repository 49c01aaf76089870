"""Property test: every public metric carries "<5" cells as bounds (hypothesis).

Each generated table holds printed counts, gaps and one to three "<5" cells. Every public metric of
``thbstats.analysis.metrics`` (and ``thb.total``/``thb.change``) runs on it and on each table in
which the "<5" cells are replaced by printed extremes (each cell 1 or 4: every combination). The
checks: no missing value where an exact table gives one (a "<5" cell never makes a figure
vanish), ``value_min <= value <= value_max``, and the bounds contain the result of every extreme
combination.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thbstats import schema
from thbstats.analysis import metrics as m
from thbstats.analysis import panel

SETTINGS = settings(
    max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
GEOS = ["ALB", "AUT"]
YEARS = [2015, 2016, 2017]
SERIES = [("identified", "all"), ("convicted", "all"), ("identified", "sexual"),
          ("identified", "labour")]  # fmt: skip
KEYS = [(g, y, s, f) for g in GEOS for y in YEARS for s, f in SERIES]
PUB = "UNODC GLOTIP data 2025-04-14"
Triple = tuple[float, float, float]


def _row(geo: str, year: int, stage: str, form: str, value: float, **kw: str) -> dict:
    base = {"source": "UNODC", "publication": PUB, "geo": geo, "geo_name": geo,
            "geo_type": "country", "year_start": year, "year_end": year, "stage": stage,
            "form": form, "sex": "all", "age": "all", "value": value, "value_min": None,
            "value_max": None, "unit": "persons", "flag": "", "citation": "unodc-test",
            "latest": True}  # fmt: skip
    return base | kw


def table(cells: dict[tuple, object]) -> pd.DataFrame:
    """The tidy table of ``cells`` ("<5" as the build writes it: value empty, bounds 1 and 4),
    with an estimate and a population for each country (stocks, never "<5")."""
    rows = []
    for (geo, year, stage, form), cell in cells.items():
        if cell == "<5":
            rows.append(_row(geo, year, stage, form, math.nan, flag="suppressed_lt5",
                             value_min=1.0, value_max=4.0))  # fmt: skip
        elif cell is not None:
            v = float(cell)
            rows.append(_row(geo, year, stage, form, v, value_min=v, value_max=v))
    for geo in GEOS:
        stock = {"source": "WALKFREE", "publication": "Global Slavery Index 2023"}
        for stage, form, v in (("estimated", "modern_slavery", 9e3), ("population", "all", 2e6)):
            rows.append(_row(geo, 2017, stage, form, v, value_min=v, value_max=v, **stock))
    return pd.DataFrame(rows, columns=schema.columns())


def _series(t: pd.DataFrame, col: str = "value") -> pd.Series:
    return t.set_index("year")[col]


def _rows(t: pd.DataFrame, keys: list[str], cols: tuple[str, str, str]) -> dict[tuple, Triple]:
    return {tuple(r[k] for k in keys): tuple(float(r[c]) for c in cols) for _, r in t.iterrows()}


VALUE = ("value", "value_min", "value_max")


def _select(df: pd.DataFrame) -> dict:
    t = m.select(df, geo=GEOS, stage=["identified", "convicted"], form=None)
    rows = _rows(t, ["geo", "year_start", "stage", "form"], VALUE)
    every = m.with_bounds(m.defaults(df[df["stage"] == "convicted"]))
    return rows | {
        ("with_bounds", *k): v for k, v in _rows(every, ["geo", "year_start"], VALUE).items()
    }


def _bounds(df: pd.DataFrame) -> dict:
    lo, hi = m.bounds(df)
    return {
        i: (float(m.central(a, b)), float(a), float(b))
        for i, a, b in zip(df.index, lo, hi, strict=True)
    }


def _aggregate(mode: str) -> Callable[[pd.DataFrame], dict]:
    def run(df: pd.DataFrame) -> dict:
        t = m.aggregate(df, GEOS, ["identified", "convicted"], YEARS, mode=mode)
        return _rows(t, ["stage", "year"], VALUE)

    return run


def _stage_table(df: pd.DataFrame) -> dict:
    one = m.stage_table(df, "ALB", ["identified", "convicted"], YEARS)
    return _rows(one, ["stage", "year"], VALUE)


def _attrition(denominator: str) -> Callable[[pd.DataFrame], dict]:
    def run(df: pd.DataFrame) -> dict:
        r = m.attrition(df, GEOS, YEARS, "convicted", denominator)
        n = (r["numerator"], r["numerator_min"], r["numerator_max"])
        return {"ratio": (r["value"], r["low"], r["high"]), "numerator": n}

    return run


def _per_100k(df: pd.DataFrame) -> dict:
    out = {}
    for where in ("ALB", tuple(GEOS)):
        t = m.per_100k(df, where if isinstance(where, str) else list(where), "convicted", YEARS)
        cols = ("rate_per_100k", "rate_per_100k_min", "rate_per_100k_max")
        out |= {(where, k): v for k, v in _rows(t, ["year"], cols).items()}
    return out


def _shares(df: pd.DataFrame) -> dict:
    s = m.shares(df, "form", geo=GEOS, years=YEARS)
    return _rows(s, ["part"], ("share", "share_min", "share_max")) | {
        ("count", p): v for p, v in _rows(s, ["part"], VALUE).items()
    }


def _over_years(df: pd.DataFrame) -> dict:
    """Average per year, percent change, index and ratio of the yearly sums and of ALB's rows."""
    out = {}
    agg = m.aggregate(df, GEOS, "convicted", YEARS, mode="all").set_index("year")
    raw = df[(df.geo == "ALB") & (df.stage == "convicted") & (df.form == "all")]
    raw = raw.rename(columns={"year_start": "year"}).set_index("year")  # "<5": value empty
    picked = m.select(df, geo="ALB", stage="convicted").rename(columns={"year_start": "year"})
    for name, t in (("sum", agg), ("raw", raw), ("select", picked.set_index("year"))):
        a = m.average_per_year(t["value"], 2015, 2017, low=t["value_min"], high=t["value_max"])
        out[(name, "average")] = (a.value, a.low, a.high)
        c = m.percent_change_range(t, 2015, 2017)
        out[(name, "change")] = (c.value, c.low, c.high)
        for y, r in m.index_range(t, 2015).iterrows():
            out[(name, "index", y)] = (r["index"], r["index_min"], r["index_max"])
        num, den = m.ranges.at(t, 2017), m.ranges.at(t, 2015)
        r = m.ratio(num, den, 100)
        out[(name, "ratio")] = (r.value, r.low, r.high)
    for name, t in (("select", picked.set_index("year")), ("raw", raw)):
        s, lo, hi = t["value"], t["value_min"], t["value_max"]  # select: "<5" is 2.5, never empty
        plain = m.percent_change(s, 2015, 2017, low=lo, high=hi)
        c = out[(name, "change")]
        out[(name, "plain change")] = (plain, c[1], c[2])
        for y, v in m.index_to_base(s, 2015, low=lo, high=hi).items():
            i = out[(name, "index", y)]
            out[(name, "plain index", y)] = (v, i[1], i[2])
    return out


def _api(df: pd.DataFrame) -> dict:
    t = panel.total(df, geo=GEOS, stage="convicted", years=YEARS, balanced=False)
    c = panel.change(df, geo=GEOS, stage=["identified", "convicted"], start=2015, end=2017)
    return {("total", y): v for (y,), v in _rows(t, ["year"], VALUE).items()} | {
        ("change", s): v for (s,), v in _rows(c, ["stage"], VALUE).items()
    }


METRICS: dict[str, Callable[[pd.DataFrame], dict]] = {
    "select": _select,
    "bounds": _bounds,
    "aggregate balanced": _aggregate("balanced"),
    "aggregate all": _aggregate("all"),
    "stage_table": _stage_table,
    "attrition over identified": _attrition("identified"),
    "attrition over the estimate": _attrition("estimated"),
    "per_100k": _per_100k,
    "shares": _shares,
    "over years": _over_years,
    "thb.total, thb.change": _api,
}
COVERED = {"select", "defaults", "with_bounds", "bounds", "central", "aggregate", "stage_table",
           "attrition", "per_100k", "shares", "average_per_year", "percent_change",
           "percent_change_range", "index_to_base", "index_range", "ratio"}  # fmt: skip
NOT_METRICS = {
    # helpers that compute no figure from the cells: flags, labels, codes, vocabulary
    "FLOW_STAGES", "STOCK_STAGES", "Average", "Range", "edition_rank", "has_flag", "is_country",
    "is_reported", "is_suppressed", "members_of", "number", "period_label", "range_label",
    # stocks, never published as "<5": the estimate and the population
    "estimate", "populations",
}  # fmt: skip


def test_every_public_metric_is_run():
    assert set(m.__all__) - NOT_METRICS == COVERED


def _close(lo: float, v: float, hi: float) -> bool:
    eps = 1e-9 * max(1.0, abs(lo), abs(hi))
    return lo - eps <= v <= hi + eps


CELLS = st.fixed_dictionaries({k: st.one_of(st.none(), st.integers(0, 300)) for k in KEYS})


@SETTINGS
@given(CELLS, st.sets(st.sampled_from(KEYS), min_size=1, max_size=3))
def test_metrics_carry_lt5_cells_as_bounds(cells: dict, lt5: set) -> None:
    ranged = table({k: ("<5" if k in lt5 else v) for k, v in cells.items()})
    ends = itertools.product((1, 4), repeat=len(lt5))
    combos = [dict(zip(sorted(lt5), c, strict=True)) for c in ends]
    exact = [table({k: c.get(k, v) for k, v in cells.items()}) for c in combos]
    for name, run in METRICS.items():
        got = run(ranged)
        for key, (v, lo, hi) in got.items():
            if not math.isnan(v):
                assert _close(lo, v, hi), (name, key, lo, v, hi)
        for t in exact:
            for key, (v, _, _) in run(t).items():
                if math.isnan(v):
                    continue
                r = got.get(key, (math.nan,) * 3)
                assert not math.isnan(r[0]), (name, key, "missing where a '<5' cell is the input")
                assert _close(r[1], v, r[2]), (name, key, r, v)
