"""Like with like, by construction: the panel behind every ratio, funnel and change.

:func:`matched_panel` takes the country figures of the stages to compare and keeps only what
compares like with like: the same countries for every stage and, for each country, the same
years for every flow stage (the estimate, a stock, counts for a country when it has one). It names
what it keeps (``countries``, ``years``) and what it leaves out (``left_out``, with the reason).

Two ways to match:

- ``by="country"`` (a ratio per State): each country keeps the years in which every flow stage has
  a figure (its *matched years*); a country with no such year, or without the estimate when the
  estimate is compared, is left out. Convictions of 2018-2020 are then set against identified
  victims of 2018-2020, not of 2018-2021.
- ``by="group"`` (a group's funnel or sum): the countries that have every stage in every year
  (a balanced panel, the estimate included); the others are left out, by name.

A "<5" cell is kept with its bounds (1 to 4): it is a figure, never a gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from thbstats.analysis.metrics.aggregate import members_of
from thbstats.analysis.metrics.select import (
    STOCK_STAGES,
    bounds,
    is_reported,
    is_suppressed,
    select,
)
from thbstats.analysis.metrics.series import estimate
from thbstats.geo import is_country

CELL_COLUMNS = ["geo", "stage", "year", "value_min", "value_max", "lt5", "publication", "citation"]


@dataclass
class Panel:
    """The cells compared (``cells``: one row per country, stage and year kept), the countries
    kept, each country's years (``years``), and the countries left out with the reason.

    >>> import pandas as pd
    >>> p = Panel(pd.DataFrame(), ["TJK"], {"TJK": [2020]}, {"KGZ": "no convicted"})
    >>> p.left_out_text({"KGZ": "Kyrgyzstan"})
    'Kyrgyzstan (no convicted)'
    """

    cells: pd.DataFrame
    countries: list[str]
    years: dict[str, list[int]]
    left_out: dict[str, str] = field(default_factory=dict)
    stages: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    def left_out_text(self, names: dict[str, str] | None = None) -> str:
        """ "Kazakhstan (no convicted 2020), ..." in the order of the codes ("" if none)."""
        names = names or {}
        rows = sorted((names.get(g, g), why) for g, why in self.left_out.items())
        return ", ".join(f"{n} ({why})" for n, why in rows)


def country_cells(
    df: pd.DataFrame,
    countries: Iterable[str],
    stages: Iterable[str],
    years: Iterable[int],
    *,
    source: str | None = "UNODC",
    estimate_publication: str | None = None,
) -> pd.DataFrame:
    """The country figures of ``stages`` (``CELL_COLUMNS``): flows of ``years`` from ``source``,
    and the estimate (persons, one per country) from ``estimate_publication``.

    >>> import thbstats as thb
    >>> c = country_cells(thb.load(), ["FIN"], ["convicted"], [2018, 2019])
    >>> print(c[["geo", "stage", "year", "value_min", "value_max", "lt5"]].to_string(index=False))
    geo     stage  year  value_min  value_max  lt5
    FIN convicted  2018        1.0        4.0 True
    """
    countries, stages = list(countries), list(stages)
    flows = [s for s in stages if s not in STOCK_STAGES]
    rows = select(df, geo=countries, stage=flows, years=sorted(years), source=source)
    rows = rows[(rows["geo_type"] == "country") & is_reported(rows)]
    if "estimated" in stages and estimate_publication is not None:
        est = df[(df["publication"] == estimate_publication) & (df["stage"] == "estimated")]
        est = est[est["geo"].isin(countries) & (est["unit"] == "persons") & est["value"].notna()]
        rows = pd.concat([rows, est.drop_duplicates("geo")])
    lo, hi = bounds(rows)
    out = pd.DataFrame(
        {
            "geo": rows["geo"],
            "stage": rows["stage"],
            "year": rows["year_start"].astype(int),
            "value_min": lo.astype(float),
            "value_max": hi.astype(float),
            "lt5": is_suppressed(rows).to_numpy(),  # a derived range is not "<5"
            "publication": rows["publication"],
            "citation": rows["citation"],
        }
    )
    return out.sort_values(["geo", "stage", "year"]).reset_index(drop=True)[CELL_COLUMNS]


def _why(have: set[tuple[str, int]], stages: list[str], years: list[int], by: str) -> str:
    """What a country lacks: the estimate, a stage, or (in a group) a stage in some years."""
    miss = ["estimate" for s in stages if s in STOCK_STAGES and (s, 0) not in have]
    for s in (s for s in stages if s not in STOCK_STAGES):
        gone = [y for y in years if (s, y) not in have]
        if len(gone) == len(years):
            miss.append(s)
        elif gone and by == "group":
            miss.append(f"{s} {', '.join(map(str, gone))}")
    return "no " + "; no ".join(miss) if miss else "no year with every stage"


def matched_panel(
    cells: pd.DataFrame,
    stages: Iterable[str],
    years: Iterable[int],
    *,
    by: str = "country",
) -> Panel:
    """Keep the cells that compare like with like (see the module): ``by="country"`` keeps each
    country's matched years, ``by="group"`` the countries with every stage in every year.

    The United Kingdom reports convictions for 2018-2020 and identified victims for 2018-2021;
    its convicted-per-identified ratio compares 2018-2020 with 2018-2020:

    >>> import thbstats as thb
    >>> years = range(2018, 2023)
    >>> cells = country_cells(thb.load(), ["GBR"], ["identified", "convicted"], years)
    >>> p = matched_panel(cells, ["identified", "convicted"], years)
    >>> p.countries, p.years["GBR"]
    (['GBR'], [2018, 2019, 2020])
    """
    if by not in ("country", "group"):
        raise ValueError(f"by: expected 'country' or 'group', found {by!r}")
    stages, years = list(stages), sorted(int(y) for y in years)
    flows = [s for s in stages if s not in STOCK_STAGES]
    keep, kept_years, left_out = [], {}, {}
    for code, g in cells[cells["stage"].isin(stages)].groupby("geo", sort=True):
        stock = g["stage"].isin(STOCK_STAGES)
        have = {(s, 0) for s in g.loc[stock, "stage"]}
        have |= set(zip(g.loc[~stock, "stage"], g.loc[~stock, "year"], strict=True))
        both = [y for y in years if all((s, y) in have for s in flows)]
        ok_stock = all((s, 0) in have for s in stages if s in STOCK_STAGES)
        if not ok_stock or not both or (by == "group" and len(both) < len(years)):
            left_out[code] = _why(have, stages, years, by)
            continue
        keep.append(g[stock | g["year"].isin(both)])
        kept_years[code] = both
    out = pd.concat(keep) if keep else cells.iloc[0:0]
    return Panel(out.reset_index(drop=True), sorted(kept_years), kept_years, left_out)


def common_members(
    df: pd.DataFrame,
    members: Iterable[str],
    stages: Iterable[str],
    years: Iterable[int],
    *,
    source: str | None = "UNODC",
    estimate_publication: str | None = None,
) -> Panel:
    """The group panel of ``members``: the countries with every stage in every year (the estimate
    of ``estimate_publication`` included); members with no figure at all are named too.

    Central Asia in 2020: Tajikistan and Turkmenistan report every flow and have an estimate:

    >>> import thbstats as thb
    >>> from thbstats import geo
    >>> p = common_members(thb.load(), geo.members("UN:CENTRAL_ASIA"),
    ...     ["estimated", "identified", "prosecuted", "convicted"], [2020],
    ...     estimate_publication="Global Slavery Index 2023")
    >>> p.countries, p.left_out["KGZ"]
    (['TJK', 'TKM'], 'no convicted')
    """
    members, stages = list(members), list(stages)
    cells = country_cells(
        df, members, stages, years, source=source, estimate_publication=estimate_publication
    )
    p = matched_panel(cells, stages, years, by="group")
    p.stages, p.members = stages, members
    for code in members:
        if code not in p.countries and code not in p.left_out:
            p.left_out[code] = "no figure"
    return p


def group_panel(
    df: pd.DataFrame,
    geo: str | Iterable[str],
    stages: Iterable[str],
    years: Iterable[int],
    *,
    source: str | None = None,
) -> Panel | None:
    """The countries a group's funnel (or flow-over-stock ratio) sums for every stage it shows.

    The stages with a figure for at least one member are compared (a stage with none stays a
    gap); the estimate is the one :func:`thbstats.analysis.metrics.series.estimate` picks near the
    last year, summed over the same countries as the flows. None for a country, or for a group
    whose figures are printed for the group itself (e.g. a world estimate): those cannot be cut
    to a common set, and the caller says so.

    >>> import thbstats as thb
    >>> p = group_panel(thb.load(), "UN:CENTRAL_ASIA",
    ...     ["estimated", "identified", "prosecuted", "convicted"], [2020])
    >>> p.countries, sorted(p.left_out)
    (['TJK', 'TKM'], ['KAZ', 'KGZ', 'UZB'])
    """
    years, stages = sorted(int(y) for y in years), list(stages)
    if isinstance(geo, str) and is_country(geo):
        return None
    flows = [s for s in stages if s not in STOCK_STAGES]
    if isinstance(geo, str):  # flows printed for the group itself: no country set to cut
        printed = select(df, geo=geo, stage=flows, years=years, source=source)
        if is_reported(printed).any():
            return None
    pub = None
    if "estimated" in stages:
        e = estimate(df, geo, near_year=years[-1])
        if e is not None and e["origin"] == "published":
            return None
        pub = e["publication"] if e is not None else None
        stages = stages if e is not None else flows
    members = members_of(geo, df)
    src = source or "UNODC"
    cells = country_cells(df, members, stages, years, source=src, estimate_publication=pub)
    present = [s for s in stages if s in set(cells["stage"])]
    return common_members(df, members, present, years, source=src, estimate_publication=pub)
