"""The impunity ratio ranking's table: every participating State (ranked or with the reason it is
not), the groups, the ratios with their "<5" bounds, and the words of the chart."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.impunity import RATIO_LABELS, ranking
from thbstats.analysis.metrics.ranges import range_label
from thbstats.analysis.rank_rules import MAX_SPREAD
from thbstats.publish.chartdata.common import finish_table
from thbstats.vocabulary import JUSTICE_STAGES

EXPORT_COLUMNS = [
    "rank",
    "rank_best",
    "rank_worst",
    "geo",
    "name",
    "geo_type",
    "window",
    "estimated",
    "estimated_year",
    "population",
    "population_source",
    "population_note",
    *[
        f"{st}{s}"
        for st in JUSTICE_STAGES
        for s in ("", "_min", "_max", "_years", "_n_years", "_n_lt5")
    ],
    "identified_per_1000_estimated",
    "identified_per_1000_estimated_min",
    "identified_per_1000_estimated_max",
    "convicted_per_100_identified",
    "convicted_per_100_identified_min",
    "convicted_per_100_identified_max",
    "convicted_per_100_identified_years",
    "convicted_per_100_identified_unmatched",
    "convicted_per_100_identified_unmatched_min",
    "convicted_per_100_identified_unmatched_max",
    "estimated_per_conviction",
    "estimated_per_conviction_min",
    "estimated_per_conviction_max",
    "estimated_per_100k",
    "identified_per_100k",
    "prosecuted_per_100k",
    "convicted_per_100k",
    "vs_median",
    "rank_note",
    "ratio_note",
    "estimate_kind",
    "flow_kind",
    "citation",
]


def ranking_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking in the columns a spreadsheet reader needs, with its citations per row.

    >>> import thbstats as thb
    >>> t = ranking_table(thb.impunity_ranking(geo="OSCE"))
    >>> t.loc[t["geo"] == "ALB", "citation"].iloc[0]
    'walkfree-gsi-2023-data;unodc-glotip-2025-04-14'
    """
    t = table.copy()
    est = t["estimated_citation"].fillna("").astype(str)
    cols = [t.get(f"{st}_citation", pd.Series("", index=t.index)) for st in JUSTICE_STAGES]
    flow_keys = [
        ";".join(sorted({k for c in cells for k in str(c).split(";") if k and k != "nan"}))
        for cells in zip(*cols, strict=True)
    ]  # the keys of the rows averaged (each flow's own release)
    t["citation"] = [";".join(k for k in pair if k) for pair in zip(est, flow_keys, strict=True)]
    every = ";".join(sorted({k for c in t["citation"] for k in c.split(";") if k}))
    t.loc[t["geo_type"] == "group", "citation"] = every  # a group sums its States' figures
    return t[[c for c in EXPORT_COLUMNS if c in t.columns]]


def _not_ranked(unranked: pd.DataFrame, rank_by: str) -> str:
    """The States not ranked, grouped by reason: too wide (with the bounds), or no ratio."""
    wide = unranked[unranked[rank_by].notna()]
    parts = []
    if len(wide):
        ranges = "; ".join(
            f"{r.name} {range_label(getattr(r, rank_by + '_min'), getattr(r, rank_by + '_max'))}"
            for r in wide.itertuples()
        )
        parts.append(f"too few cases ('<5' cells leave the ratio {MAX_SPREAD:g} times as wide "
                     f"or more): {ranges}")  # fmt: skip
    rest = unranked[unranked[rank_by].isna()]
    parts += [f"{r.name} ({r.rank_note})" for r in rest.itertuples()]
    return "; ".join(parts) or "none"


def _releases(states: pd.DataFrame, stages) -> str:
    """The releases of the rows behind some stages, named (``citations.releases``)."""
    from thbstats import citations

    cols = [states[f"{st}_citation"] for st in stages if f"{st}_citation" in states]
    keys = sorted({k for c in cols for v in c.dropna() for k in str(v).split(";") if k})
    return "; ".join(citations.releases(keys)) or "no figures"


def ranking_data(
    df: pd.DataFrame | None = None,
    *,
    geo: str = "OSCE",
    years=None,
    rank_by: str = "convicted_per_100_identified",
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ranking (``thbstats.analysis.impunity.ranking``) as a chart table with its words.

    >>> import thbstats as thb
    >>> t = ranking_data(thb.load(), geo="OSCE")
    >>> top = t[["rank", "geo", "convicted_per_100_identified"]].head(3).round(1)
    >>> print(top.to_string(index=False))
     rank geo  convicted_per_100_identified
        1 KAZ                         112.3
        2 LTU                         107.3
        3 CZE                          96.6
    """
    t = table if table is not None else ranking(df, geo=geo, years=years, rank_by=rank_by)
    states = t[t["geo_type"] == "country"]
    ranked = states[states["rank"].notna()].sort_values("rank", ascending=False)
    unranked = states[states["rank"].isna()]
    window = str(t["window"].iloc[0])
    med = float(ranked[f"median_{rank_by}"].iloc[0]) if len(ranked) else float("nan")
    listed = _not_ranked(unranked, rank_by)
    label = RATIO_LABELS[rank_by]
    title = f"{label[0].upper() + label[1:]}, OSCE participating States, {window}"
    both = "both stages have" if t["matched"].iloc[0] else "each stage has"
    subtitle = (
        f"Yearly averages over the years of {window} in which {both} a figure; {len(ranked)} "
        "States ranked, whiskers where '<5' cells make the ratio a range"
    )
    flagged = ranked[ranked["ratio_note"].fillna("") != ""].sort_values("rank")
    flagged = flagged if rank_by == "convicted_per_100_identified" else flagged.iloc[0:0]
    above = (
        f" * {', '.join(flagged['name'])}: {flagged['ratio_note'].iloc[0]}." if len(flagged) else ""
    )
    flows = _releases(states, JUSTICE_STAGES)
    est_year = states["estimated_year"].dropna()
    on_day = f"people on one day of {int(est_year.max())}" if len(est_year) else "people on one day"
    kinds = (
        f"Both figures count persons in a year ({flows})"
        if rank_by == "convicted_per_100_identified"
        else f"The estimate counts {on_day} ({_releases(states, ['estimated'])}); victims "
        f"identified and convictions count persons in a year ({flows})"
    )
    note = (
        f"{kinds}. Each State's two figures are averaged over the same years. Open dots: some "
        "years of the window lack a figure. Brackets: the best and worst rank the '<5' ranges "
        f"allow. A State is ranked only when its ratio's upper bound is less than {MAX_SPREAD:g} "
        f"times its lower bound.{above} Not ranked: {listed}."
    )

    def named(rows: pd.DataFrame) -> str:
        return ", ".join(f"{n} {v:,.1f}" for n, v in zip(rows["name"], rows[rank_by], strict=True))

    alt = (
        f"Dot plot of {label} for {len(ranked)} OSCE participating States, {window}, median "
        f"{med:,.1f}. Ranked first: {named(ranked.iloc[::-1].head(3))}; ranked last: "
        f"{named(ranked.head(3))}. Not ranked: {listed}."
    )
    out = ranking_table(t)
    return finish_table(
        out,
        id=f"ranking-{geo}-{rank_by.replace('_', '-')}".lower(),
        kind="ranking",
        title=title,
        subtitle=subtitle,
        note=note,
        alt=alt,
        plotted=out,
        params={"geo": geo, "window": window, "rank_by": rank_by},
        rank_by=rank_by,
        median=med,
        window=window,
    )
