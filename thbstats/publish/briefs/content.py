"""What a brief says: headline numbers with years and sources, the rank, the dark figure and the
caveats, in plain words, from the ranking table and the tidy table. Rendering is elsewhere."""

from __future__ import annotations

import pandas as pd

from thbstats import citations
from thbstats import geo as geomod
from thbstats.analysis.impunity import RATIO_LABELS
from thbstats.analysis.metrics.ranges import number, range_label
from thbstats.analysis.metrics.select import has_flag, select
from thbstats.publish import care
from thbstats.publish.briefs.sources import cited, release_text, source
from thbstats.publish.chartdata.dark_figure import computed_sentence, estimate_text
from thbstats.vocabulary import JUSTICE_STAGES, STAGE_WORDS


def file_code(geo: str) -> str:
    """File name stem of a brief: the ISO3 code, or OSCE, EU27, TIP-EUR."""
    return geo.replace(":", "-")


def _int(x) -> int:
    return 0 if x is None or pd.isna(x) else int(x)


def _n(x: float) -> str:
    return "no figure" if pd.isna(x) else number(x)


def _rng(row: pd.Series, col: str) -> str:
    lo, hi, mid = row.get(f"{col}_min"), row.get(f"{col}_max"), row.get(col)
    if pd.isna(mid):
        return "no figure"
    return range_label(lo, hi) if pd.notna(lo) and pd.notna(hi) else _n(mid)


def funnel_year(df: pd.DataFrame, geo: str) -> int:
    """The funnel's year: the profile's rule (``publish.profile.funnel_year``), else the release's
    last year."""
    from thbstats.publish.profile import funnel_year as profile_year

    year = profile_year(df, geo)
    return year if year is not None else int(df.loc[df["source"] == "UNODC", "year_end"].max())


def _headline(row: pd.Series, window: str, table: pd.DataFrame | None = None) -> list[dict]:
    est_year = row.get("estimated_year")
    cards = [
        {
            "label": "Estimated victims (on one day)",
            "value": _n(row.get("estimated")),
            "detail": (
                f"modern slavery, {int(est_year)}"
                + (
                    f", sum over {_int(row.get('estimated_states'))} of {int(row['states'])} States"
                    if row["geo_type"] != "country"
                    else ""
                )
            )
            if pd.notna(est_year)
            else f"not estimated in {release_text(row, table, ['estimated'])}",
            "source": source(cited(row, table, "estimated")),
        }
    ]
    for st in JUSTICE_STAGES:
        years = row.get(f"{st}_years")
        years = years if isinstance(years, str) else ""
        if row["geo_type"] != "country":
            n = _int(row.get(f"{st}_states"))
            years = f"{window}, sum of {n} States' averages" if n else ""
        cards.append(
            {
                "label": f"{STAGE_WORDS[st].capitalize()} a year",
                "value": _rng(row, st),
                "detail": f"average {years}" if years else f"no figure {window}",
                "source": source(cited(row, table, st)),
            }
        )
    seen: list[str] = []
    for c in cards:  # one footnote per source; a repeated source points to its first note
        c["first"] = c["source"] not in seen
        if c["first"]:
            seen.append(c["source"])
        c["num"] = seen.index(c["source"]) + 1
    return cards


def rank_text(row: pd.Series, table: pd.DataFrame) -> str:
    """The ratio over its matched years, its rank (with the ranks its '<5' ranges allow) among
    participating States, its place against the median ("about" when its range straddles it),
    and what a ratio above 100 means."""
    by = str(row["rank_by"])
    label = RATIO_LABELS[by]
    window = row["window"]
    if pd.isna(row.get(by)):
        return (
            f"No ratio can be given: {STAGE_WORDS['convicted']} or {STAGE_WORDS['identified']} "
            f"have no UNODC figure in {window}."
        )
    med = table.loc[table["geo_type"] == "country", f"median_{by}"].iloc[0]
    value = _rng(row, by)
    if row["geo_type"] != "country":
        n = row.get(f"{by}_states")
        return (
            f"{value} {label}, {window} (OSCE median {_n(med)}). Computed over the {int(n)} "
            "member States that have both figures, each over the years in which it has both."
        )
    years = row.get(f"{by}_years")
    over = f"over {years} (the years of {window} with both figures; " if years else f"{window} ("
    text = f"{value} {label}, {over}OSCE median {_n(med)})."
    if by == "convicted_per_100_identified" and str(row.get("ratio_note") or ""):
        text += f" Above 100 is possible: {str(row['ratio_note']).split(': ', 1)[-1]}."
    pos = {"above": "above", "below": "below", "at": "at", "about": "about"}.get(
        str(row.get("vs_median") or ""), ""
    )
    where = f"{pos} the median" + (" (its range straddles it)" if pos == "about" else "")
    if pd.isna(row.get("rank")):
        return text + f" Not ranked: {row['rank_note']}" + (f"; {where}." if pos else ".")
    best, worst = row.get("rank_best"), row.get("rank_worst")
    span = (
        f" (between {int(best)} and {int(worst)} as the '<5' ranges allow)"
        if pd.notna(best) and pd.notna(worst) and best != worst
        else ""
    )
    extra = []
    for name in ("identified_per_1000_estimated", "estimated_per_conviction"):
        if pd.notna(row.get(name)):
            extra.append(f"{_rng(row, name)} {RATIO_LABELS[name]}")
    return (
        text
        + f" Rank {int(row['rank'])} of {int(row['ranked_of'])} participating States{span}, "
        + f"{where}. "
        + ("Also: " + "; ".join(extra) + "." if extra else "")
    )


def dark_text(dark: pd.DataFrame, has_stock: bool = True) -> str:
    """The dark-figure estimate in words, or the sentence that there is none."""
    if dark.empty:
        none = (
            "No multiple systems estimate of victims a year has been transcribed for this geography"
        )
        if not has_stock:
            return none + "."
        return none + (
            ": the only estimate above counts people on one day, which cannot be set against "
            "counts per year like for like."
        )
    parts = []
    for r in dark.itertuples():
        est = estimate_text(r)  # its interval, or "about 6,250" where the figure is rounded
        second = " (figure seen in secondary material)" if "secondary" in str(r.flag) else ""
        parts.append(
            f"{r.years}: {est} victims a year estimated, against {number(r.identified)} identified "
            f"(UNODC), {r.ratio:.1f} times as many{second}"
        )
    own = [computed_sentence(r) for r in dark.itertuples() if pd.notna(r.computed)]
    return (
        "Multiple systems estimate, like for like: " + "; ".join(parts) + ". " + " ".join(own)
    ).strip()


def _odd_lt5(rows: pd.DataFrame) -> list[str]:
    """A "<5" among yearly figures of 50 or more: said in words (check the national source)."""
    out = []
    for st, g in rows.groupby("stage"):
        sup = has_flag(g["flag"], "suppressed_lt5")
        lt5, others = g[sup], g.loc[~sup, "value"].dropna()
        if len(lt5) and len(others) and others.median() >= 50:
            ys = ", ".join(str(int(y)) for y in sorted(lt5["year_start"]))
            out.append(
                f"{STAGE_WORDS[st].capitalize()} {ys}: published as '<5' while the other years "
                f"count {_n(others.min())} to {_n(others.max())}; worth checking with the "
                "national source before quoting the average."
            )
    return out


def dark_sources(dark: pd.DataFrame) -> list[str]:
    """The source line of each dark-figure publication (footnotes of the brief)."""
    cols = ["estimate_citation", "computed_table", "computed_period_citation"]
    cited = [c for col in cols if col in dark for c in dark[col].dropna()]
    keys = dict.fromkeys(k for c in cited for k in str(c).split(";") if k)
    return [citations.source_line([k]).removeprefix("Source: ") for k in keys]


def _care(df: pd.DataFrame, rows: pd.DataFrame, country: bool) -> list[str]:
    """Breaks (by kind, with their years) and derived totals among the figures the brief shows."""
    if rows.empty:  # a State with no figure in the window (Monaco, San Marino)
        return []
    out = []
    for (code, st), g in rows.groupby(["geo", "stage"], sort=True):
        said = care.break_phrases(g)
        if said:
            who = STAGE_WORDS[st].capitalize()
            if not country:
                who = f"{geomod.name(code)}, {STAGE_WORDS[st]}"
            out.append(
                f"{who}: {' and '.join(said)} (a jump of tenfold or more in the series); "
                "compare years with care."
            )
    odd = rows[has_flag(rows["flag"], "inconsistent")]
    for (code, st), g in odd.groupby(["geo", "stage"], sort=True):
        who = STAGE_WORDS[st].capitalize() if country else f"{geomod.name(code)}, {STAGE_WORDS[st]}"
        ys = ", ".join(str(int(y)) for y in sorted(g["year_start"]))
        out.append(
            f"{who} {ys}: the release's own splits contradict the printed total and do not agree "
            "enough to replace it (flagged inconsistent)."
        )
    derived = rows[has_flag(rows["flag"], "derived")]
    if len(derived):
        printed = select(
            df,
            geo=list(derived["geo"].unique()),
            source="UNODC",
            form=None,
            sex=None,
            age=None,
            default=False,
        )
        for _, r in derived.sort_values(["geo", "stage", "year_start"]).iterrows():
            what = STAGE_WORDS[r["stage"]].capitalize()
            if not country:
                what = f"{geomod.name(r['geo'])}, {STAGE_WORDS[r['stage']]}"
            out.append(care.derived_sentence(printed, r, what))
    return out


def caveats(
    df: pd.DataFrame, geo: str, row: pd.Series, years: list[int], table: pd.DataFrame | None = None
) -> list[str]:
    """Which States and years the figures cover, and data caveats, in plain words."""
    flows = "victims identified, prosecutions and convictions are counted per year"
    if pd.notna(row.get("estimated_year")):
        first = (
            f"The estimate counts people in modern slavery on one day of "
            f"{int(row['estimated_year'])}; {flows}. Ratios that mix them compare different "
            "quantities."
        )
    else:
        first = (
            f"{release_text(row, table, ['estimated'])} gives no estimate for {row['name']}; "
            f"{flows}."
        )
    out = [first]
    for st in JUSTICE_STAGES:
        n = _int(row.get(f"{st}_n_years"))
        if n == 0 and row["geo_type"] == "country":
            out.append(f"No UNODC figure for {STAGE_WORDS[st]} in {row['window']}.")
        elif 0 < n < len(years):
            out.append(f"{STAGE_WORDS[st].capitalize()}: figures for {row[f'{st}_years']} only.")
    lt5 = sum(_int(row.get(f"{st}_n_lt5")) for st in JUSTICE_STAGES)
    if lt5:
        out.append(
            f"{lt5} yearly {'figure is' if lt5 == 1 else 'figures are'} published as '<5' "
            "(1 to 4 people), counted as 1-4, "
            "so averages and ratios are given as ranges."
        )
    members = [geo] if geomod.is_country(geo) else geomod.members(geo)
    rows = select(df, geo=members, stage=list(JUSTICE_STAGES), years=years, source="UNODC")
    if geomod.is_country(geo):
        out += _odd_lt5(rows)
    out += _care(df, rows, geomod.is_country(geo))
    if geomod.is_country(geo):
        from thbstats.publish.briefs.second_voice import sentences

        out += sentences(df, geo, {st: STAGE_WORDS[st] for st in JUSTICE_STAGES}, years)
    if row["geo_type"] != "country":
        out.append(
            f"Group figures are sums over the member States with figures "
            f"({_int(row.get('identified_states'))} of {int(row['states'])} for identified "
            "victims). The funnel sums the same States for every stage, the estimate included (the "
            "States left out are named under it); the trend and the year-by-year table sum "
            "whichever States report in each year (their number is shown)."
        )
    return out
