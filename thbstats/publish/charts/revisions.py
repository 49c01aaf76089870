"""Revisions between two releases: the largest changes by country (old -> new), keys changed by stage."""

from __future__ import annotations

import pandas as pd
from matplotlib.patches import Patch

from thbstats.analysis.metrics.select import edition_rank
from thbstats.analysis.revisions import TOTAL, Revisions, compare
from thbstats.publish.charts.base import (
    NO_DATA,
    STAGE_COLOURS,
    STAGE_LABELS,
    Chart,
    finish,
    house_style,
    log_ticks,
    new_figure,
    no_data,
)

OLD_COLOUR = "#999999"
NOUNS = {"prosecuted": "Persons prosecuted", "convicted": "Persons convicted"}


def _release_date(publication: str) -> str:
    return edition_rank(publication).replace("-00", "")


def _slug(kind: str, rev: Revisions, *parts: str) -> str:
    dates = (_release_date(rev.old), _release_date(rev.new))
    return "-".join([kind, rev.source, *parts, *dates]).lower().replace(":", "-")


def _period(rev: Revisions) -> str:
    both = rev.keys[rev.keys["status"].isin(["changed", "unchanged"])]
    return f"data years {both['year_start'].min()}-{both['year_end'].max()}"


def _day(publication: str) -> str:
    stamp = _release_date(publication)
    try:
        return f"{pd.Timestamp(stamp):%-d %B %Y}" if len(stamp) == 10 else stamp
    except ValueError:
        return stamp


def _vintages(rev: Revisions) -> str:
    return f"{rev.source} release of {_day(rev.old)} → release of {_day(rev.new)}"


def revisions_chart(
    df: pd.DataFrame | None = None,
    source: str = "UNODC",
    old: str | None = None,
    new: str | None = None,
    *,
    stage: str = "identified",
    top: int = 12,
) -> Chart:
    """For the ``top`` countries whose headline ``stage`` figures changed most (net, in persons):
    the revised years' total as first published (grey) and as revised (coloured), on a log scale.
    """
    rev = compare(df, source, old, new)
    t = rev.largest(top, "absolute", stage=stage).iloc[::-1].reset_index(drop=True)
    totals = rev.totals(stage)
    head = rev.keys[(rev.keys["stage"] == stage) & (rev.keys["status"] == "changed")]
    for col, want in TOTAL.items():
        head = head[head[col] == want]
    n_rev, n_all = head["geo"].nunique(), len(totals)
    label = NOUNS.get(stage) or STAGE_LABELS.get(stage, stage)
    with house_style():
        fig = new_figure(9.0, max(5.0, 0.42 * len(t) + 3.6))
        ax = fig.add_subplot()
        if t.empty:
            no_data(ax, f"No data: no {label.lower()} figure of {source} changed")
        else:
            _arrows(ax, t, STAGE_COLOURS.get(stage, "#0072B2"))
    title = f"{label}: largest revisions, {source} release of {_day(rev.new)}"
    subtitle = (
        f"{_vintages(rev)} · all countries, {_period(rev)} · the newer release revised the "
        f"headline figures (all forms, sexes, ages) of {n_rev} of the {n_all} countries with "
        f"figures in both; top {len(t)} by net change"
    )
    note = (
        "Each row sums the years the newer release revised (in brackets). Grey ring: as first "
        "published; coloured dot: as revised. Log scale. Years published as '<5' in either release "
        "are left out (each is 1 to 4 persons)."
    )
    keys, footer = finish(fig, title, subtitle, pd.DataFrame({"citation": rev.citations}), note)
    data = t.iloc[::-1].assign(source=source, old_publication=rev.old, new_publication=rev.new)
    alt = (
        f"Dot and arrow chart, {label.lower()} as first published and as revised, {_vintages(rev)}: "
        + (
            "; ".join(
                f"{r.geo_name} {r.years_revised} {r.old_revised:,.0f} to {r.new_revised:,.0f}"
                for r in data.itertuples()
            )
            or "no change"
        )
    )
    return Chart(
        fig=fig,
        id=_slug("revisions", rev, stage),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt + ".",
        data=data.reset_index(drop=True),
        note=note,
        citations=keys,
        params={"source": source, "old": rev.old, "new": rev.new, "stage": stage, "top": top},
    )


def _arrows(ax, t: pd.DataFrame, colour: str) -> None:
    ys = range(len(t))
    lo = max(1.0, min(t["old_revised"].min(), t["new_revised"].min()) / 2)
    hi = max(t["old_revised"].max(), t["new_revised"].max()) * 4
    shortest = (hi / lo) ** 0.06  # about half an inch: shorter arrows would be only their head
    for y, r in zip(ys, t.itertuples(), strict=True):
        if max(r.old_revised, r.new_revised) < shortest * min(r.old_revised, r.new_revised):
            continue
        ax.annotate(
            "",
            xy=(r.new_revised, y),
            xytext=(r.old_revised, y),
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "lw": 1.6,
                "shrinkA": 5,
                "shrinkB": 5,
            },
        )
    ax.scatter(t["new_revised"], ys, s=60, color=colour, zorder=3, label="as revised")
    ax.scatter(  # a ring on top: visible even where the revised dot covers it
        t["old_revised"],
        ys,
        s=60,
        facecolors="none",
        edgecolors=OLD_COLOUR,
        linewidths=2,
        zorder=4,
        label="as first published",
    )
    for y, r in zip(ys, t.itertuples(), strict=True):
        right = max(r.old_revised, r.new_revised)
        ax.annotate(
            f"{r.change:+,.0f}",
            (right, y),
            xytext=(10, 0),
            textcoords="offset points",
            va="center",
            fontsize=10.5,
            color="#333333",
        )
    ax.set_yticks(list(ys), [f"{r.geo_name} ({r.years_revised})" for r in t.itertuples()])
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    log_ticks(ax, hi)
    ax.set_xlabel("Persons, sum of the revised years")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.set_ylim(-0.7, len(t) - 0.3)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1], labels[::-1], loc="lower left", bbox_to_anchor=(0, 1), ncols=2, fontsize=10.5
    )


def revisions_by_stage_chart(
    df: pd.DataFrame | None = None,
    source: str = "UNODC",
    old: str | None = None,
    new: str | None = None,
) -> Chart:
    """Per stage: the share of the figures in both releases that the newer one changed, split
    into changed numbers and changes to or from '<5'."""
    rev = compare(df, source, old, new)
    s = rev.summary()
    s = s[s["stage"] != "all"].sort_values("share_changed").reset_index(drop=True)
    total = rev.summary().iloc[-1]
    n_all = rev.keys.loc[rev.keys["status"].isin(["changed", "unchanged"]), "geo"].nunique()
    with house_style():
        fig = new_figure(9.0, 5.6)
        ax = fig.add_subplot()
        _stage_bars(ax, s)
    title = (
        f"{source} revisions: {int(total['changed']):,} of {int(total['overlapping']):,} figures "
        "changed between releases"
    )
    subtitle = (
        f"{_vintages(rev)} · {_period(rev)} · {n_all} countries, figures published in both "
        "releases (every form, sex and age breakdown)"
    )
    note = (
        f"The newer release also adds {int(total['added']):,} figures and drops "
        f"{int(total['removed']):,}. A '<5' cell (1 to 4 persons) that became a number, or the "
        "reverse, counts as a change."
    )
    keys, footer = finish(fig, title, subtitle, pd.DataFrame({"citation": rev.citations}), note)
    data = s.assign(source=source, old_publication=rev.old, new_publication=rev.new)
    alt = f"Bar chart, share of {source} figures changed by stage, {_vintages(rev)}: " + "; ".join(
        f"{r.stage} {r.changed:,} of {r.overlapping:,}" for r in s.itertuples()
    )
    return Chart(
        fig=fig,
        id=_slug("revisions-by-stage", rev),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt + ".",
        data=data,
        note=note,
        citations=keys,
        params={"source": source, "old": rev.old, "new": rev.new},
    )


def _stage_bars(ax, s: pd.DataFrame) -> None:
    ys = list(range(len(s)))
    lt5 = s["changed_to_or_from_lt5"] / s["overlapping"] * 100
    num = (s["changed"] - s["changed_to_or_from_lt5"]) / s["overlapping"] * 100
    colours = [STAGE_COLOURS.get(st, "#0072B2") for st in s["stage"]]
    ax.barh(ys, num, color=colours, height=0.6)
    ax.barh(ys, lt5, left=num, color=colours, alpha=0.4, height=0.6, hatch="//", edgecolor="white")
    for y, r in zip(ys, s.itertuples(), strict=True):
        ax.annotate(
            f"{r.changed:,} of {r.overlapping:,} ({r.share_changed:.1%})",
            (r.share_changed * 100, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=10.5,
            color="#333333",
        )
    ax.set_yticks(ys, [STAGE_LABELS.get(st, st) for st in s["stage"]])
    ax.set_xlim(0, max(s["share_changed"].max() * 100 * 1.6, 1))
    ax.set_xlabel("Figures changed, % of those published in both releases")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    key = [
        Patch(facecolor=NO_DATA, label="a number changed"),
        Patch(facecolor=NO_DATA, alpha=0.4, hatch="//", edgecolor="white", label="to or from '<5'"),
    ]
    ax.legend(handles=key, loc="lower right")
