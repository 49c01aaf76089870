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
(stock over flow), and each stage per 100,000 population. Each ratio compares like with like
(:mod:`thbstats.analysis.metrics.matched`): a State's two flows are averaged over the same years,
those where both have a figure (``<ratio>_years``); the version over each stage's own years stays
in ``<ratio>_unmatched`` (or ``matched=False``). A group's ratio is computed over the member States
that have both figures (``*_states`` counts them). Which States are ranked, and what a ranked
ratio says, follows :mod:`thbstats.analysis.rank_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats import geo as geomod
from thbstats.analysis.metrics.matched import country_cells, matched_panel
from thbstats.analysis.metrics.select import period_label
from thbstats.analysis.rank_rules import apply_rules
from thbstats.vocabulary import FUNNEL_STAGES, JUSTICE_STAGES, RANKING_GROUPS

RATIOS = {
    "identified_per_1000_estimated": ("identified", "estimated", 1000.0),
    "convicted_per_100_identified": ("convicted", "identified", 100.0),
    "estimated_per_conviction": ("estimated", "convicted", 1.0),
}
RATIO_LABELS = {
    "identified_per_1000_estimated": "victims identified a year per 1,000 estimated victims",
    "convicted_per_100_identified": "persons convicted per 100 victims identified",
    "estimated_per_conviction": "estimated victims per conviction a year",
}
HIGHER_IS_BETTER = {
    "identified_per_1000_estimated": True,
    "convicted_per_100_identified": True,
    "estimated_per_conviction": False,
}
ESTIMATE_PUBLICATION = "Global Slavery Index 2023"
WINDOW = 5
NAN = float("nan")
"""Default window: the last five data years of the UNODC release."""


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
    cells = country_cells(df, states, JUSTICE_STAGES, years)
    out = []
    for (code, stage), g in cells.groupby(["geo", "stage"]):
        out.append(
            {
                "geo": code,
                "stage": stage,
                "avg_min": g["value_min"].mean(),
                "avg_max": g["value_max"].mean(),
                "years": period_label(g["year"]),
                "n_years": len(g),
                "n_lt5": int(g["lt5"].sum()),
                "publication": g["publication"].iloc[0],
                "citation": ";".join(sorted(set(g["citation"]))),
            }
        )
    cols = ["geo", "stage", "avg_min", "avg_max", "years", "n_years", "n_lt5"]
    return pd.DataFrame(out, columns=[*cols, "publication", "citation"])


def estimates(df: pd.DataFrame, publication: str = ESTIMATE_PUBLICATION) -> pd.DataFrame:
    """Walk Free's country estimates (persons, a stock) and the population it uses, by ISO3.

    ``population_source`` is what the workbook says of its population (it names no year); a
    population printed as 0 (Liechtenstein) gives no rate, and ``population_note`` says so.

    >>> import thbstats as thb
    >>> e = estimates(thb.load())
    >>> print(e.loc["DEU", ["estimated", "estimated_year", "population"]].to_string())
    estimated            47000.0
    estimated_year        2021.0
    population        83784000.0
    >>> print(e.loc["DEU", "population_source"])
    UN World Population Prospects 2019 (year of the figures not stated in the workbook)
    >>> print(e.loc["LIE", "population_note"])
    population printed as 0 in the Global Slavery Index 2023 workbook: no rate per 100,000
    """
    from thbstats.ingest.readers.walkfree_gsi import population_source

    rows = df[(df["source"] == "WALKFREE") & (df["publication"] == publication)]
    rows = rows[(rows["geo_type"] == "country") & (rows["unit"] == "persons")]
    est = rows[rows["stage"] == "estimated"].drop_duplicates("geo").set_index("geo")
    pop = rows[rows["stage"] == "population"].drop_duplicates("geo").set_index("geo")
    out = pd.DataFrame(
        {
            "estimated": est["value"],
            "estimated_year": est["year_start"],
            "estimated_citation": est["citation"],
            "population": pop["value"],
        }
    )
    out["population_source"] = population_source(publication)
    out["population_note"] = ""
    zero = out["population"] == 0
    out.loc[zero, "population_note"] = (
        f"population printed as 0 in the {publication} workbook: no rate per 100,000"
    )
    return out


def _averages(panel_cells: pd.DataFrame) -> pd.DataFrame:
    """Per (geo, stage): the yearly average's bounds over the cells kept."""
    return panel_cells.groupby(["geo", "stage"])[["value_min", "value_max"]].mean()


def _state_rows(df: pd.DataFrame, states: list[str], years: list[int]) -> pd.DataFrame:
    flows = flow_averages(df, states, years)
    est = estimates(df)
    out = pd.DataFrame({"geo": states})
    out["name"] = [geomod.name(s) for s in states]
    out["geo_type"] = "country"
    out = out.join(est, on="geo")
    for st in JUSTICE_STAGES:
        f = flows[flows["stage"] == st].set_index("geo")
        out[f"{st}_min"] = out["geo"].map(f["avg_min"])
        out[f"{st}_max"] = out["geo"].map(f["avg_max"])
        out[st] = (out[f"{st}_min"] + out[f"{st}_max"]) / 2
        out[f"{st}_years"] = out["geo"].map(f["years"]).fillna("")
        out[f"{st}_n_years"] = out["geo"].map(f["n_years"]).fillna(0).astype(int)
        out[f"{st}_n_lt5"] = out["geo"].map(f["n_lt5"]).fillna(0).astype(int)
        out[f"{st}_citation"] = out["geo"].map(f["citation"]).fillna("")
    first = flows.drop_duplicates("geo").set_index("geo")
    out["flow_publication"] = out["geo"].map(first["publication"])
    out["estimated_min"] = out["estimated_max"] = out["estimated"]
    out["states"] = 1
    return out


def _matched(df: pd.DataFrame, out: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Each ratio's numerator and denominator over the State's matched years (``<ratio>_num``,
    ``<ratio>_den`` with ``_min``/``_max``; ``<ratio>_years`` names the years)."""
    stages = list(FUNNEL_STAGES)  # the estimate and the justice stages
    cells = country_cells(df, out["geo"], stages, years, estimate_publication=ESTIMATE_PUBLICATION)
    for name, (num, den, _per) in RATIOS.items():
        p = matched_panel(cells, [num, den], years, by="country")
        avg = _averages(p.cells)
        for part, st in (("num", num), ("den", den)):
            a = avg.xs(st, level="stage") if st in avg.index.get_level_values(1) else None
            for b in ("min", "max"):
                out[f"{name}_{part}_{b}"] = (
                    out["geo"].map(a[f"value_{b}"]) if a is not None else NAN
                )
            out[f"{name}_{part}"] = (out[f"{name}_{part}_min"] + out[f"{name}_{part}_max"]) / 2
        labels = {g: period_label(ys) for g, ys in p.years.items()}
        out[f"{name}_years"] = out["geo"].map(labels).fillna("")
    return out


def _ratio_columns(out: pd.DataFrame, name: str, num: str, den: str, per: float, tag: str) -> None:
    d_lo = out[f"{den}_min"]
    ok = (d_lo > 0) & out[num].notna()
    out[f"{name}{tag}"] = (out[num] / out[den] * per).where(ok)
    out[f"{name}{tag}_min"] = (out[f"{num}_min"] / out[f"{den}_max"] * per).where(ok)
    out[f"{name}{tag}_max"] = (out[f"{num}_max"] / d_lo * per).where(ok)


def _ratios(out: pd.DataFrame, matched: bool = True) -> pd.DataFrame:
    for name, (num, den, per) in RATIOS.items():
        _ratio_columns(out, name, num, den, per, "_unmatched")
        if not matched:  # each stage over its own years, in the groups' sums too
            out[f"{name}_years"] = ""
            for s in ("", "_min", "_max"):
                out[f"{name}_num{s}"], out[f"{name}_den{s}"] = out[f"{num}{s}"], out[f"{den}{s}"]
        _ratio_columns(out, name, f"{name}_num", f"{name}_den", per, "")
    pop = out["population"].where(out["population"] > 0)
    for st in FUNNEL_STAGES:
        out[f"{st}_per_100k"] = out[st] / pop * 100_000
    return out


def _group_row(states: pd.DataFrame, code: str) -> dict:
    """A group: sums over members; each ratio over the members that have both of its figures
    (each State's numerator and denominator over its matched years)."""
    members = set(geomod.members(code))
    m = states[states["geo"].isin(members)]
    row: dict = {
        "geo": code,
        "name": geomod.name(code),
        "geo_type": "group",
        "states": len(members),
    }
    for st in FUNNEL_STAGES:
        have = m[m[st].notna()]
        for suffix in ("", "_min", "_max"):
            row[f"{st}{suffix}"] = have[f"{st}{suffix}"].sum() if len(have) else float("nan")
        row[f"{st}_states"] = len(have)
    row["estimated_year"] = m["estimated_year"].dropna().max()
    with_pop = m[(m["population"] > 0) & m["estimated"].notna()]
    row["population"] = with_pop["population"].sum()
    row["population_source"] = next(iter(m["population_source"].dropna()), "")  # may be none
    for name, (_num, _den, per) in RATIOS.items():
        num, den = f"{name}_num", f"{name}_den"
        both = m[m[name].notna()]
        row[f"{name}_states"] = len(both)
        if len(both):
            row[name] = both[num].sum() / both[den].sum() * per
            row[f"{name}_min"] = both[f"{num}_min"].sum() / both[f"{den}_max"].sum() * per
            row[f"{name}_max"] = both[f"{num}_max"].sum() / both[f"{den}_min"].sum() * per
    for st in FUNNEL_STAGES:
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
    groups: Iterable[str] = RANKING_GROUPS,
    matched: bool = True,
) -> pd.DataFrame:
    """One row per member State of ``geo`` (ranked) and one per group, with the ratios.

    ``rank``: 1 = the most convictions per 100 identified victims (``rank_by`` chooses another
    ratio; for estimated victims per conviction 1 = the fewest). States without the figures of
    ``rank_by`` stay in the table, unranked (``has_data`` False or the ratio empty). The rules of
    :mod:`thbstats.analysis.rank_rules` decide who is ranked (``rank_note`` says why not), give
    ``rank_best``/``rank_worst``, ``ratio_note`` (a ratio above 100), ``median_<ratio>`` (over the
    ranked States) and ``vs_median`` ("above", "below", "at" or "about"). ``matched=False`` divides
    each stage's average over its own years (kept anyway in ``<ratio>_unmatched``). ``window``
    names the years averaged over.

    Participating States ranked by estimated victims (GSI 2023, a stock) per conviction a year
    (UNODC, averaged over 2018-2022), fewest first:

    >>> import thbstats as thb
    >>> r = thb.impunity_ranking(rank_by="estimated_per_conviction")
    >>> top = r[r["rank"] <= 3].sort_values("rank")
    >>> print(top[["geo", "rank", "ranked_of", "estimated_per_conviction"]].round(0).to_string(index=False))
    geo  rank  ranked_of  estimated_per_conviction
    BEL     1       44.0                      96.0
    FRA     2       44.0                     126.0
    NLD     3       44.0                     129.0
    """
    if rank_by not in RATIOS:
        raise ValueError(f"rank_by: expected one of {', '.join(RATIOS)}, found {rank_by!r}")
    if df is None:
        from thbstats.table import load

        df = load()
    years = sorted(int(y) for y in years) if years is not None else default_years(df)
    states = _state_rows(df, geomod.members(geo), years)
    states = _ratios(_matched(df, states, years), matched)
    states["has_data"] = states[[f"{st}_n_years" for st in JUSTICE_STAGES]].sum(axis=1) > 0
    states = apply_rules(states, rank_by, HIGHER_IS_BETTER[rank_by])
    for name in RATIOS:
        states[f"median_{name}"] = states.loc[states["rank"].notna(), name].median()
    groups_df = pd.DataFrame([_group_row(states, g) for g in groups])
    out = pd.concat([states.sort_values(["rank", "name"], na_position="last"), groups_df])
    out["rank_by"] = rank_by
    out["window"] = period_label(years)
    out["matched"] = matched
    out["estimate_kind"] = "stock (people in modern slavery on a day of the reference year)"
    out["flow_kind"] = "flow (persons a year, averaged over the years named)"
    return out.reset_index(drop=True)
