"""The dark figure, like for like: published multiple systems estimates (a yearly flow of victims)
beside the victims UNODC counts as identified in the same years.

The estimates are the table's rows with ``stage="estimated"`` and ``form="trafficking"``
(data/raw/mse_estimates.csv, data/raw/dark_figure.csv). A published range (``range_low`` and
``range_high`` rows) becomes one estimate with its interval. An estimate over several years (a
yearly average) is set against identified victims averaged over the same years. Publications
searched for whose figures were not transcribed are listed in ``dark_figure.yml`` beside this
module, so a chart can say what is missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from thbstats.analysis.metrics.select import bounds, has_flag, is_reported, period_label, select

GAPS_FILE = Path(__file__).with_name("dark_figure.yml")
COLUMNS = [
    "geo",
    "name",
    "years",
    "year_start",
    "year_end",
    "estimate",
    "estimate_low",
    "estimate_high",
    "identified",
    "identified_min",
    "identified_max",
    "identified_years",
    "ratio",
    "estimate_citation",
    "identified_citation",
    "flag",
    "note",
]
# thbstats' own estimate from the country's list table, where one is registered and present
# (thbstats.analysis.dark_computed): a year (total / years of the table's period) and in all
COMPUTED = {
    "computed": "per_year",
    "computed_low": "per_year_low",
    "computed_high": "per_year_high",
    "computed_total": "total",
    "computed_total_low": "total_low",
    "computed_total_high": "total_high",
    "computed_observed": "observed",
    "computed_years": "years",
    "computed_n_years": "n_years",
    "computed_method": "method",
    "computed_model": "model",
    "computed_downhill": "downhill_total",
    "computed_n_boot": "n_boot",
    "computed_table": "table_citation",
    "computed_period_citation": "period_citation",
    "computed_period_note": "period_note",
}
COLUMNS += list(COMPUTED)


def gaps() -> list[dict]:
    """Published estimates searched for but not transcribed (country, publication, why).

    >>> [g["geo"] for g in gaps()]
    ['SRB', 'ROU', 'NLD', 'IRL']
    """
    with open(GAPS_FILE, encoding="utf-8") as fh:
        return list(yaml.safe_load(fh).get("gaps", []))


def _estimates(df: pd.DataFrame) -> pd.DataFrame:
    rows = select(df, stage="estimated", form="trafficking", default=False, single_year=False)
    out = []
    for (code, y0, y1, cit), g in rows.groupby(["geo", "year_start", "year_end", "citation"]):
        low, high = (
            g.loc[has_flag(g["flag"], "range_low"), "value"],
            g.loc[has_flag(g["flag"], "range_high"), "value"],
        )
        point = g.loc[~has_flag(g["flag"], "range_low") & ~has_flag(g["flag"], "range_high")]
        lo = float(low.iloc[0]) if len(low) else float("nan")
        hi = float(high.iloc[0]) if len(high) else float("nan")
        value = float(point["value"].iloc[0]) if len(point) else (lo + hi) / 2
        flags = sorted(
            {f for v in g["flag"] for f in str(v).split(";") if f and not f.startswith("range_")}
        )
        out.append(
            {
                "geo": code,
                "name": g["geo_name"].iloc[0],
                "year_start": int(y0),
                "year_end": int(y1),
                "estimate": value,
                "estimate_low": lo,
                "estimate_high": hi,
                "estimate_citation": cit,
                "flag": ";".join(flags + (["range"] if len(low) else [])),
                "note": str(g["note"].iloc[0]) if "note" in g else "",
            }
        )
    return pd.DataFrame(out)


def dark_figure(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per published estimate: the estimate (interval where published), identified
    victims a year in the same years (UNODC, "<5" as bounds) and the ratio estimate / identified.

    >>> import thbstats as thb
    >>> t = dark_figure(thb.load())
    >>> print(t[t["geo"] == "IRL"][["years", "estimate", "identified"]].to_string(index=False))
    years  estimate  identified
     2014      98.0        46.0
     2015     153.0        78.0
     2016     179.0        95.0
    """
    if df is None:
        from thbstats.table import load

        df = load()
    est = _estimates(df)
    if est.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for r in est.to_dict("records"):
        years = list(range(r["year_start"], r["year_end"] + 1))
        ident = select(df, geo=r["geo"], stage="identified", years=years, source="UNODC")
        ident = ident[is_reported(ident)]
        lo, hi = bounds(ident)
        have = sorted(ident["year_start"].astype(int))
        r["years"] = period_label(years)
        r["identified_min"] = lo.mean() if len(ident) else float("nan")
        r["identified_max"] = hi.mean() if len(ident) else float("nan")
        r["identified"] = (r["identified_min"] + r["identified_max"]) / 2
        r["identified_years"] = period_label(have) if have else ""
        r["identified_citation"] = ";".join(sorted(set(ident["citation"])))
        r["ratio"] = r["estimate"] / r["identified"] if r["identified"] else float("nan")
        rows.append(r | _computed(r))
    return pd.DataFrame(rows)[COLUMNS].sort_values(["geo", "year_start"]).reset_index(drop=True)


def _computed(r: dict) -> dict:
    """thbstats' own estimate for the published row's State and years (NaN where none)."""
    from thbstats.analysis.dark_computed import computed_estimates

    own = computed_estimates()
    own = own[
        (own["geo"] == r["geo"])
        & (own["year_start"] <= r["year_end"])
        & (own["year_end"] >= r["year_start"])
    ]
    if own.empty:
        return dict.fromkeys(COMPUTED, float("nan"))
    first = own.iloc[0]
    return {col: first[src] for col, src in COMPUTED.items()}


def for_state(table: pd.DataFrame, code: str) -> pd.DataFrame:
    """The estimates of one State (empty for a group or a State without one).

    >>> import thbstats as thb
    >>> uk = for_state(dark_figure(thb.load()), "GBR")
    >>> print(uk[["years", "estimate_low", "estimate_high", "identified"]].to_string(index=False))
    years  estimate_low  estimate_high  identified
     2013       10000.0        13000.0       816.0
    """
    return table[table["geo"] == code]
