"""Coverage: which countries report which stage in which year."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from thbstats.analysis.metrics import edition_rank, is_suppressed, members_of, period_label, select
from thbstats.publish.charts.base import (
    STAGE_LABELS,
    Chart,
    finish,
    geo_title,
    house_style,
    new_figure,
    no_data,
)
from thbstats.publish.charts.lines import FLOWS, _slug

STATUS = {
    0: ("no figure", "#f0f0f0"),
    1: ("published as '<5'", "#9ecae1"),
    2: ("figure", "#08519c"),
}


def coverage_data(
    df: pd.DataFrame, group, stages: Iterable[str], years: list[int], source: str = "UNODC"
) -> pd.DataFrame:
    """Long table geo x stage x year with status 0 (none), 1 ("<5") or 2 (figure)."""
    members = members_of(group, df)
    rows = select(df, geo=members, stage=list(stages), years=years, source=source)
    rows = rows[rows["geo_type"] == "country"]
    if len(rows):  # one release, as in metrics.aggregate
        rows = rows[rows["publication"] == max(rows["publication"].unique(), key=edition_rank)]
    status = pd.Series(0, index=rows.index)
    status[is_suppressed(rows)] = 1
    status[rows["value"].notna()] = 2
    got = rows.assign(status=status).rename(columns={"year_start": "year"})
    grid = pd.MultiIndex.from_product(
        [members, list(stages), years], names=["geo", "stage", "year"]
    )
    out = got.groupby(["geo", "stage", "year"])[["status", "citation"]].max().reindex(grid)
    out["status"] = out["status"].fillna(0).astype(int)
    return out.reset_index()


def coverage_chart(
    df: pd.DataFrame,
    group="OSCE",
    start: int = 2003,
    end: int = 2022,
    *,
    stages: Iterable[str] = FLOWS,
    source: str = "UNODC",
) -> Chart:
    """A grid per stage (rows: countries, columns: years); counts per year for large groups."""
    years, stages = list(range(start, end + 1)), list(stages)
    data = coverage_data(df, group, stages, years, source)
    data["name"] = data["geo"].map(lambda g: geo_title(df, g))
    n = data["geo"].nunique()
    name = geo_title(df, group)
    counts = data[data["status"] > 0].groupby(["stage", "year"])["geo"].nunique()
    with house_style():
        fig = new_figure(10.0 if n <= 70 else 9.0, max(4.5, 0.19 * n + 3.0) if n <= 70 else 5.6)
        if n > 70:
            _counts(fig.add_subplot(), counts, stages, years, n)
        else:
            _grid(fig, data, stages, years)
        if data["status"].eq(0).all():
            no_data(fig.axes[-1], f"No data: no {source} figure for {name}, {period_label(years)}")
    last = {st: int(counts.get((st, end), 0)) for st in stages}
    title = f"Who reports what: {name}, {period_label(years)}"
    subtitle = (
        f"{name} · {period_label(years)} · {source} country data · countries with a "
        f"figure in {end}: " + ", ".join(f"{st} {v} of {n}" for st, v in last.items())
    )
    n_lt5 = int((data["status"] == 1).sum())
    note = (
        "A country reports a stage in a year when the source has a figure or a '<5' cell for it."
        + (
            f" {n_lt5:,} of the cells shown were published as '<5' (1 to 4 persons)."
            if n_lt5
            else ""
        )
    )
    keys, footer = finish(fig, title, subtitle, data.dropna(subset=["citation"]), note)
    alt = (
        f"Coverage chart for {name}, {period_label(years)}, {source}: countries with a figure "
        f"in {end}: " + ", ".join(f"{st} {v} of {n}" for st, v in last.items()) + "."
    )
    return Chart(
        fig=fig,
        id=_slug(group, "coverage", start, end),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=data.drop(columns=["citation"]),
        note=note,
        citations=keys,
        params={"group": group, "start": start, "end": end, "stages": stages, "source": source},
    )


def _grid(fig, data: pd.DataFrame, stages: list[str], years: list[int]) -> None:
    h = fig.get_size_inches()[1]
    gs = fig.add_gridspec(2, len(stages), height_ratios=[0.45, max(h - 3.5, 1.0)])
    key = fig.add_subplot(gs[0, :])  # a row of its own for the legend: no panel is squeezed
    key.axis("off")
    key.legend(
        handles=[Patch(color=c, label=lab) for lab, c in STATUS.values()],
        loc="center left",
        ncols=3,
        fontsize=10.5,
    )
    axes = [fig.add_subplot(gs[1, 0])]
    axes += [fig.add_subplot(gs[1, i], sharey=axes[0]) for i in range(1, len(stages))]
    cmap = ListedColormap([STATUS[k][1] for k in sorted(STATUS)])
    order = data.drop_duplicates("geo").sort_values("name", ascending=False)
    for ax, st in zip(axes, stages, strict=True):
        m = data[data["stage"] == st].pivot(index="geo", columns="year", values="status")
        m = m.reindex(order["geo"])
        ax.pcolormesh(m.values, cmap=cmap, vmin=0, vmax=2, edgecolors="white", linewidth=0.5)
        ax.set_title(STAGE_LABELS.get(st, st), fontsize=12, loc="left")
        step = 5 if len(years) > 10 else 1
        ticks = [i for i, y in enumerate(years) if (y - years[0]) % step == 0]
        ax.set_xticks([i + 0.5 for i in ticks], [str(years[i]) for i in ticks], fontsize=10)
        ax.grid(False)
        ax.tick_params(length=0)
    axes[0].set_yticks([i + 0.5 for i in range(len(order))], order["name"], fontsize=9.5)
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)


def _counts(ax, counts: pd.Series, stages: list[str], years: list[int], n: int) -> None:
    from thbstats.publish.charts.base import STAGE_COLOURS

    for st in stages:
        s = counts.get(st, pd.Series(dtype=float)).reindex(years).fillna(0)
        ax.plot(years, s.values, marker="o", color=STAGE_COLOURS[st], label=STAGE_LABELS[st])
    ax.set_ylabel(f"Countries with a figure (of {n})")
    ax.set_ylim(0, n)
    ax.set_xticks(years[::2], [str(y) for y in years[::2]])
    ax.legend(loc="upper left")
