"""Divergence (stages indexed to a base year) and long-run trends (levels, with coverage)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from thbstats.analysis.metrics import (
    index_range,
    percent_change_range,
    period_label,
    range_label,
    stage_table,
)
from thbstats.publish.charts.base import (
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    Chart,
    coverage_phrase,
    data_note,
    end_labels,
    finish,
    geo_title,
    house_style,
    is_range,
    new_figure,
    no_data,
    range_errors,
)

FLOWS = ("identified", "prosecuted", "convicted")


def _slug(geo, kind: str, *parts) -> str:
    code = geo if isinstance(geo, str) else "custom"
    return "-".join([kind, code, *map(str, parts)]).lower().replace(":", "-")


def divergence_chart(
    df: pd.DataFrame,
    geo="TIP:EUR",
    start: int = 2015,
    end: int = 2018,
    *,
    base_year: int | None = None,
    stages: Iterable[str] = FLOWS,
    source: str | None = None,
    mode: str = "balanced",
) -> Chart:
    """Each stage as an index (base year = 100), so rising victims and falling prosecutions part."""
    base = base_year or start
    years = list(range(start, end + 1))
    stages = list(stages)
    t = stage_table(df, geo, stages, years, source=source, mode=mode)
    t[["index", "index_min", "index_max"]] = float("nan")
    missing = []
    for st in stages:
        d = t.loc[t["stage"] == st].set_index("year")
        if d["value"].notna().sum() < 2 or pd.isna(d["value"].get(base)):
            missing.append(st)
            continue
        t.loc[t["stage"] == st, ["index", "index_min", "index_max"]] = index_range(d, base).values
    name = geo_title(df, geo)
    with house_style():
        fig = new_figure(9.0, 6.0)
        ax = fig.add_subplot()
        plotted = t[t["index"].notna()]
        ends: list = []
        for st in [s for s in stages if s not in missing]:
            d = plotted[plotted["stage"] == st].set_index("year").reindex(years)
            _line_with_band(ax, d, "index", STAGE_COLOURS[st])
            last = d["index"].last_valid_index()
            ends.append(
                (last, d.loc[last, "index"], f"{STAGE_LABELS[st]}\n{_change(d, base, last)}",
                 STAGE_COLOURS[st])
            )  # fmt: skip
        ax.axhline(100, color="#777777", lw=1, ls=":")
        ax.set_xticks(years, [str(y) for y in years])
        room = _label_room(fig, [e[2] for e in ends], end - start + 0.3)
        ax.set_xlim(start - 0.3, end + max(1.6, 0.45 * (end - start), room))
        ax.set_ylabel(f"Index ({base} = 100)")
        ax.set_xlabel("Data year")
        ax.yaxis.set_major_formatter(THOUSANDS)
        if plotted.empty:
            no_data(ax, f"No data: no stage has figures for {name} in {base} and a later year")
        elif missing:
            ax.text(
                0.01,
                0.98,
                "No data for " + ", ".join(missing) + f" in {base} or later",
                transform=ax.transAxes,
                va="top",
                fontsize=11,
                color="#555555",
                style="italic",
            )
    title = (
        f"Victims identified against prosecutions and convictions: {name}, {period_label(years)}"
    )
    subtitle = f"{name} · {period_label(years)}, index {base} = 100 · coverage: " + coverage_phrase(
        plotted.assign(value=plotted["value"])
    )
    note = (
        "Each line is divided by its own value in the base year; labels give the printed "
        "figures. "
        + data_note(plotted, "diamonds with whiskers and shaded bands show the range of the index")
    )
    keys, footer = finish(fig, title, subtitle, plotted, note)
    end_labels(ax, ends)
    alt = (
        f"Line chart of stages indexed to {base} = 100 for {name}, {period_label(years)}. "
        + "; ".join(_change_text(plotted, st, base) for st in stages if st not in missing)
        + ("." if not missing else f". No data: {', '.join(missing)}.")
    )
    return Chart(
        fig=fig,
        id=_slug(geo, "divergence", start, end),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=t.drop(columns=["countries"]),
        note=note,
        citations=keys,
        params={
            "geo": geo,
            "start": start,
            "end": end,
            "base_year": base,
            "stages": stages,
            "source": source,
            "mode": mode,
        },
    )


def _change(d: pd.DataFrame, base: int, last: int) -> str:
    """ "41 → 30 (-27%)", or with ranges "8-11 → 3-12 (-87% to -40%)"."""
    c = percent_change_range(d, base, last)
    low, high = f"{c.low:+.0f}%", f"{c.high:+.0f}%"
    pct = f"{c.value:+.0f}%" if low == high else f"{low} to {high}"
    a, b = d.loc[base], d.loc[last]
    return (
        f"{range_label(a['value_min'], a['value_max'])} → "
        f"{range_label(b['value_min'], b['value_max'])} ({pct})"
    )


def _change_text(t: pd.DataFrame, st: str, base: int) -> str:
    d = t[t["stage"] == st].set_index("year")
    last = d["value"].last_valid_index()
    return f"{st} from {base} to {last}: {_change(d, base, last)}"


def _label_room(fig, labels: list[str], span: float, size: float = 10.5) -> float:
    """Years to add right of the last one so that end labels of this length fit in the axes."""
    chars = max((len(line) for t in labels for line in t.split("\n")), default=0)
    frac = min(0.6, (chars * size * 0.6 / 72 + 0.2) / (fig.get_size_inches()[0] - 1.3))
    return frac * span / (1 - frac)


def _line_with_band(ax, d: pd.DataFrame, col: str, colour: str, **kw) -> None:
    """A line of ``col`` with a shaded band where it is a range; diamonds with whiskers mark the
    years whose figure holds "<5" cells."""
    ax.plot(d.index, d[col], marker="o", color=colour, **kw)
    lo, hi = d[f"{col}_min"].astype(float), d[f"{col}_max"].astype(float)
    rng = is_range(d).reindex(d.index, fill_value=False)  # the year holds "<5" cells
    if rng.any():
        ax.fill_between(d.index, lo.where(d[col].notna()), hi.where(d[col].notna()),
                        color=colour, alpha=0.18, lw=0, zorder=1.5)  # fmt: skip
        ax.errorbar(d.index[rng], d[col][rng], yerr=range_errors(d[rng], col), fmt="D", ms=6,
                    color=colour, mec="white", ecolor=colour, capsize=3, zorder=3)  # fmt: skip


def trends_chart(
    df: pd.DataFrame,
    geo="WORLD",
    start: int = 2003,
    end: int = 2022,
    *,
    stages: Iterable[str] = FLOWS,
    source: str | None = None,
    mode: str = "all",
) -> Chart:
    """Long-run levels of each stage; hollow markers are figures seen only in secondary sources.

    For a sum of countries a lower panel shows how many countries report each year.
    """
    years = list(range(start, end + 1))
    stages = list(stages)
    t = stage_table(df, geo, stages, years, source=source, mode=mode)
    plotted = t[t["value"].notna()]
    agg = (t["origin"] == "aggregate").any()
    name = geo_title(df, geo)
    with house_style():
        fig = new_figure(9.5, 6.6 if agg else 5.8)
        axes = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1]) if agg else [fig.add_subplot()]
        ax = axes[0]
        ends: list = []
        for st in stages:
            d = t[t["stage"] == st].set_index("year").reindex(years)
            if d["value"].notna().sum() == 0:
                continue
            sec = d["flag"].fillna("").str.contains("secondary_source")
            c = STAGE_COLOURS[st]
            _line_with_band(ax, d, "value", c, label=STAGE_LABELS[st])
            ax.plot(d.index[sec], d["value"][sec], ls="none", marker="o", mfc="white", mec=c)
            last = d.loc[d["value"].last_valid_index()]
            ends.append(
                (last.name, last["value"], range_label(last["value_min"], last["value_max"]), c)
            )
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylabel("Persons per year")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", ncols=len(stages))
        missing = [s for s in stages if s not in set(plotted["stage"])]
        if plotted.empty:
            no_data(ax, f"No data for {name}, {period_label(years)}")
        elif missing:
            ax.text(
                0.99,
                0.02,
                "No data for " + ", ".join(missing),
                transform=ax.transAxes,
                ha="right",
                fontsize=11,
                color="#555555",
                style="italic",
            )
        if agg:
            _coverage_panel(axes[1], t, stages)
        axes[-1].set_xlim(start - 0.5, end + 0.08 * (end - start) + 1.2)
        axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[-1].xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}"))
        axes[-1].set_xlabel("Data year")
    title = f"Long-run trends: {name}, {period_label(years)}"
    subtitle = f"{name} · {period_label(years)} · coverage: {coverage_phrase(plotted)}"
    note = (
        "Hollow markers: figures seen only in secondary sources. Gaps are years without a "
        "figure. " + data_note(plotted, "diamonds with whiskers and shaded bands show the range")
    )
    keys, footer = finish(fig, title, subtitle, plotted, note)
    end_labels(ax, ends)
    alt = (
        f"Line chart of yearly figures for {name}, {period_label(years)}: "
        + "; ".join(f"{st} from {_first_last(plotted, st)}" for st in stages if st not in missing)
        + "."
    )
    return Chart(
        fig=fig,
        id=_slug(geo, "trends", start, end),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=t.drop(columns=["countries"]),
        note=note,
        citations=keys,
        params={
            "geo": geo,
            "start": start,
            "end": end,
            "stages": stages,
            "source": source,
            "mode": mode,
        },
    )


def _first_last(t: pd.DataFrame, st: str) -> str:
    d = t[t["stage"] == st].set_index("year").dropna(subset=["value"])
    a, b = d.iloc[0], d.iloc[-1]
    return (
        f"{range_label(a['value_min'], a['value_max'])} in {a.name} to "
        f"{range_label(b['value_min'], b['value_max'])} in {b.name}"
    )


def _coverage_panel(ax, t: pd.DataFrame, stages: list[str]) -> None:
    width = 0.8 / len(stages)
    for i, st in enumerate(stages):
        d = t[t["stage"] == st]
        ax.bar(
            d["year"] + (i - (len(stages) - 1) / 2) * width,
            d["n_countries"].astype(float),
            width=width,
            color=STAGE_COLOURS[st],
        )
    size = t["group_size"].iloc[0]
    ax.set_ylabel(f"Countries\n(of {size})", fontsize=10.5)
    ax.yaxis.set_major_formatter(THOUSANDS)
