"""The impunity ratio per participating State: estimated victims, identified victims, prosecutions
and convictions, and the ratios between them, ranked.

Stocks and flows stay apart. The estimate is a **stock**: Walk Free's Global Slavery Index 2023
count of people in modern slavery on one day of its reference year (2021), with the population it
uses. Identified victims, persons prosecuted and persons convicted are **flows**: UNODC's latest
release, averaged per year over the years of the window that have a figure (the years are named;
a missing year is never filled). A "<5" cell counts as 1 to 4, so every average and ratio is a
range (``*_min``/``*_max``), never 0 and never dropped.

Ratios: identified per 1,000 estimated (flow over stock), convicted per 100 identified (flow over
flow, the like-for-like one, used for the rank by default), estimated victims per conviction a year
(stock over flow), and each stage per 100,000 population. A group's ratio is computed over the
member States that have both figures (``*_states`` counts them), so it compares like with like.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats import geo as geomod
from thbstats.analysis.metrics.select import (
    bounds,
    is_reported,
    is_suppressed,
    period_label,
    select,
)

FLOWS = ("identified", "prosecuted", "convicted")
GROUPS = ("OSCE", "EU27", "TIP:EUR", "UN:EUROPE")
RATIOS = {
    "identified_per_1000_estimated": ("identified", "estimated", 1000.0),
    "convicted_per_100_identified": ("convicted", "identified", 100.0),
    "estimated_per_conviction": ("estimated", "convicted", 1.0),
}
RATIO_LABELS = {
    "identified_per_1000_estimated": "identified victims a year per 1,000 estimated (flow / stock)",
    "convicted_per_100_identified": "persons convicted per 100 identified victims (flow / flow)",
    "estimated_per_conviction": "estimated victims per conviction a year (stock / flow)",
}
HIGHER_IS_BETTER = {
    "identified_per_1000_estimated": True,
    "convicted_per_100_identified": True,
    "estimated_per_conviction": False,
}
ESTIMATE_PUBLICATION = "Global Slavery Index 2023"
WINDOW = 5
"""Default window: the last five data years of the UNODC release."""
MAX_SPREAD = 4.0
"""A ratio whose upper bound exceeds this many times its lower bound ("<5" cells) is not ranked."""


def default_years(df: pd.DataFrame, n: int = WINDOW) -> list[int]:
    """The last ``n`` years for which the UNODC release has country figures of identified victims.

    >>> import thbstats as thb
    >>> default_years(thb.load())
    [2018, 2019, 2020, 2021, 2022]
    """
    rows = df[(df["source"] == "UNODC") & (df["stage"] == "identified")]
    rows = rows[rows["geo_type"] == "country"]
    last = int(rows["year_end"].max())
    return list(range(last - n + 1, last + 1))


def flow_averages(df: pd.DataFrame, states: Iterable[str], years: Iterable[int]) -> pd.DataFrame:
    """Per State and flow stage: yearly average over the years with a figure, with its bounds.

    Germany's identified victims for 2022 are printed as "<5" in total against 1,294 by sex and
    1,296 by age: the default figure is the splits' sum, 1,294-1,296 (flag ``derived``), so their
    average is a range, with no "<5" in it:

    >>> import thbstats as thb
    >>> a = flow_averages(thb.load(), ["DEU"], [2021, 2022])
    >>> print(a[["stage", "avg_min", "avg_max", "years", "n_lt5"]].to_string(index=False))
         stage  avg_min  avg_max     years  n_lt5
     convicted    166.5    166.5 2021-2022      0
    identified    929.0    930.0 2021-2022      0
    """
    years = sorted(int(y) for y in years)
    rows = select(df, geo=list(states), stage=list(FLOWS), years=years, source="UNODC")
    rows = rows[(rows["geo_type"] == "country") & is_reported(rows)]
    lo, hi = bounds(rows)
    rows = rows.assign(_lo=lo, _hi=hi, _lt5=is_suppressed(rows))
    out = []
    for (code, stage), g in rows.groupby(["geo", "stage"]):
        ys = sorted(g["year_start"].astype(int))
        out.append(
            {
                "geo": code,
                "stage": stage,
                "avg_min": g["_lo"].mean(),
                "avg_max": g["_hi"].mean(),
                "years": period_label(ys),
                "n_years": len(ys),
                "n_lt5": int(g["_lt5"].sum()),
                "publication": g["publication"].iloc[0],
                "citation": ";".join(sorted(set(g["citation"]))),
            }
        )
    cols = ["geo", "stage", "avg_min", "avg_max", "years", "n_years", "n_lt5"]
    return pd.DataFrame(out, columns=[*cols, "publication", "citation"])


def estimates(df: pd.DataFrame, publication: str = ESTIMATE_PUBLICATION) -> pd.DataFrame:
    """Walk Free's country estimates (persons, a stock) and the population it uses, by ISO3.

    >>> import thbstats as thb
    >>> print(estimates(thb.load()).loc["DEU", ["estimated", "estimated_year"]].to_string())
    estimated         47000.0
    estimated_year     2021.0
    """
    rows = df[(df["source"] == "WALKFREE") & (df["publication"] == publication)]
    rows = rows[(rows["geo_type"] == "country") & (rows["unit"] == "persons")]
    est = rows[rows["stage"] == "estimated"].drop_duplicates("geo").set_index("geo")
    pop = rows[rows["stage"] == "population"].drop_duplicates("geo").set_index("geo")
    return pd.DataFrame(
        {
            "estimated": est["value"],
            "estimated_year": est["year_start"],
            "estimated_citation": est["citation"],
            "population": pop["value"],
            "population_year": pop["year_start"],
        }
    )


def _state_rows(df: pd.DataFrame, states: list[str], years: list[int]) -> pd.DataFrame:
    flows = flow_averages(df, states, years)
    est = estimates(df)
    out = pd.DataFrame({"geo": states})
    out["name"] = [geomod.name(s) for s in states]
    out["geo_type"] = "country"
    out = out.join(est, on="geo")
    for st in FLOWS:
        f = flows[flows["stage"] == st].set_index("geo")
        out[f"{st}_min"] = out["geo"].map(f["avg_min"])
        out[f"{st}_max"] = out["geo"].map(f["avg_max"])
        out[st] = (out[f"{st}_min"] + out[f"{st}_max"]) / 2
        out[f"{st}_years"] = out["geo"].map(f["years"]).fillna("")
        out[f"{st}_n_years"] = out["geo"].map(f["n_years"]).fillna(0).astype(int)
        out[f"{st}_n_lt5"] = out["geo"].map(f["n_lt5"]).fillna(0).astype(int)
    out["flow_publication"] = out["geo"].map(
        flows.drop_duplicates("geo").set_index("geo")["publication"]
    )
    out["estimated_min"] = out["estimated_max"] = out["estimated"]
    out["states"] = 1
    return out


def _ratios(out: pd.DataFrame) -> pd.DataFrame:
    for name, (num, den, per) in RATIOS.items():
        d_lo, d_hi = out[f"{den}_min"], out[f"{den}_max"]
        ok = (d_lo > 0) & out[num].notna()
        out[name] = (out[num] / out[den] * per).where(ok)
        out[f"{name}_min"] = (out[f"{num}_min"] / d_hi * per).where(ok)
        out[f"{name}_max"] = (out[f"{num}_max"] / d_lo * per).where(ok)
    for st in ("estimated", *FLOWS):
        out[f"{st}_per_100k"] = out[st] / out["population"] * 100_000
    return out


def _group_row(states: pd.DataFrame, code: str) -> dict:
    """A group: sums over members; each ratio over the members that have both of its figures."""
    members = set(geomod.members(code))
    m = states[states["geo"].isin(members)]
    row: dict = {
        "geo": code,
        "name": geomod.name(code),
        "geo_type": "group",
        "states": len(members),
    }
    for st in ("estimated", *FLOWS):
        have = m[m[st].notna()]
        for suffix in ("", "_min", "_max"):
            row[f"{st}{suffix}"] = have[f"{st}{suffix}"].sum() if len(have) else float("nan")
        row[f"{st}_states"] = len(have)
    row["estimated_year"] = m["estimated_year"].dropna().max()
    with_pop = m[m["population"].notna() & m["estimated"].notna()]
    row["population"] = with_pop["population"].sum()
    row["population_year"] = with_pop["population_year"].max()
    for name, (num, den, per) in RATIOS.items():
        both = m[m[num].notna() & m[den].notna() & (m[f"{den}_min"] > 0)]
        row[f"{name}_states"] = len(both)
        if len(both):
            row[name] = both[num].sum() / both[den].sum() * per
            row[f"{name}_min"] = both[f"{num}_min"].sum() / both[f"{den}_max"].sum() * per
            row[f"{name}_max"] = both[f"{num}_max"].sum() / both[f"{den}_min"].sum() * per
    for st in ("estimated", *FLOWS):
        both = with_pop[with_pop[st].notna()]
        pop = both["population"].sum()
        row[f"{st}_per_100k"] = both[st].sum() / pop * 100_000 if pop else float("nan")
    return row


def ranking(
    df: pd.DataFrame | None = None,
    *,
    geo: str = "OSCE",
    years: Iterable[int] | None = None,
    rank_by: str = "convicted_per_100_identified",
    groups: Iterable[str] = GROUPS,
) -> pd.DataFrame:
    """One row per member State of ``geo`` (ranked) and one per group, with the ratios.

    ``rank``: 1 = the most convictions per 100 identified victims (``rank_by`` chooses another
    ratio; for estimated victims per conviction 1 = the fewest). States without the figures of
    ``rank_by`` stay in the table, unranked (``has_data`` False or the ratio empty).
    A State whose ratio "<5" cells leave wider than a factor ``MAX_SPREAD`` is listed, not ranked
    (``rank_note`` says why). ``median_<ratio>``: the median over the ranked member States;
    ``vs_median``: "above", "below" or "at" it (for ``rank_by``). ``window`` names the years
    averaged over.

    Participating States ranked by estimated victims (GSI 2023, a stock) per conviction a year
    (UNODC, averaged over 2018-2022), fewest first:

    >>> import thbstats as thb
    >>> r = thb.impunity_ranking(rank_by="estimated_per_conviction")
    >>> top = r[r["rank"] <= 3].sort_values("rank")
    >>> print(top[["geo", "rank", "ranked_of", "estimated_per_conviction"]].round(0).to_string(index=False))
    geo  rank  ranked_of  estimated_per_conviction
    BEL     1       48.0                      96.0
    FRA     2       48.0                     126.0
    NLD     3       48.0                     129.0
    """
    if rank_by not in RATIOS:
        raise ValueError(f"rank_by: expected one of {', '.join(RATIOS)}, found {rank_by!r}")
    if df is None:
        import thbstats

        df = thbstats.load()
    years = sorted(int(y) for y in years) if years is not None else default_years(df)
    states = _ratios(_state_rows(df, geomod.members(geo), years))
    states["has_data"] = states[[f"{st}_n_years" for st in FLOWS]].sum(axis=1) > 0
    lo, hi = states[f"{rank_by}_min"], states[f"{rank_by}_max"]
    rankable = states[rank_by].notna() & (lo > 0) & (hi <= MAX_SPREAD * lo)
    states["rank_note"] = ""
    states.loc[~states["has_data"], "rank_note"] = "no UNODC figures in the window"
    states.loc[states["has_data"] & states[rank_by].isna(), "rank_note"] = "a stage is missing"
    wide = states[rank_by].notna() & ~rankable
    states.loc[wide, "rank_note"] = "too few cases to rank: '<5' cells leave the ratio between " + (
        lo[wide].round(1).astype(str) + " and " + hi[wide].round(1).astype(str)
    )
    score = (states[rank_by] if HIGHER_IS_BETTER[rank_by] else -states[rank_by]).where(rankable)
    states["rank"] = score.rank(ascending=False, method="min").astype("Int64")
    states["ranked_of"] = int(rankable.sum())
    for name in RATIOS:
        states[f"median_{name}"] = states.loc[rankable, name].median()
    med = states[f"median_{rank_by}"]
    states["vs_median"] = ""
    states.loc[rankable & (states[rank_by] > med), "vs_median"] = "above"
    states.loc[rankable & (states[rank_by] < med), "vs_median"] = "below"
    states.loc[rankable & (states[rank_by] == med), "vs_median"] = "at"
    groups_df = pd.DataFrame([_group_row(states, g) for g in groups])
    out = pd.concat([states.sort_values(["rank", "name"], na_position="last"), groups_df])
    out["rank_by"] = rank_by
    out["window"] = period_label(years)
    out["estimate_kind"] = "stock (people in modern slavery on a day of the reference year)"
    out["flow_kind"] = "flow (persons a year, averaged over the years named)"
    return out.reset_index(drop=True)
