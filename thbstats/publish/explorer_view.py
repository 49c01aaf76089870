"""What the explorer shows for one selection: its data table and its chart (no widgets here).

A :class:`Selection` names a geography (a group code, a State, or a list of States), the years,
the stages, the source and its release, the form of exploitation and the panel rule. ``table``
returns the figures (``thbstats.analysis.metrics.stage_table``: printed where the table has them,
else summed over the member countries with their coverage and "<5" bounds); ``chart`` draws them
in the house style as a :class:`~thbstats.publish.charts.Chart`, exported like any other figure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from thbstats import geo as geomod
from thbstats.analysis.metrics import period_label, stage_table
from thbstats.publish.chartdata.common import finish_table
from thbstats.publish.charts.base import (
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    Chart,
    coverage_phrase,
    data_note,
    finish,
    house_style,
    is_range,
    meta,
    new_figure,
    no_data,
    range_errors,
)
from thbstats.vocabulary import JUSTICE_STAGES

LATEST = "latest"
"""The release value meaning: the latest release's figure of each key (``thb.load()``)."""
FORMS = ("all", "sexual", "labour", "other")


@dataclass(frozen=True)
class Selection:
    """One view of the table: where, when, which stages, from which source and release."""

    geo: str | tuple[str, ...] = "OSCE"
    start: int = 2015
    end: int = 2022
    stages: tuple[str, ...] = JUSTICE_STAGES
    source: str = "UNODC"
    release: str = LATEST
    form: str = "all"
    mode: str = "balanced"

    @property
    def years(self) -> list[int]:
        """The years shown, ``start`` to ``end``."""
        return list(range(self.start, self.end + 1))

    @property
    def geo_arg(self) -> str | list[str]:
        """The geography as the metrics take it: a code, or a list of ISO3 codes."""
        return self.geo if isinstance(self.geo, str) else list(self.geo)


def releases(df: pd.DataFrame, source: str) -> list[str]:
    """The releases of ``source`` in the table, newest first, after ``"latest"``."""
    from thbstats.analysis.metrics import edition_rank

    pubs = df.loc[df["source"] == source, "publication"].dropna().unique()
    return [LATEST, *sorted(pubs, key=lambda p: (edition_rank(p), p), reverse=True)]


def rows_for(df: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """The rows of one release: the latest figure of each key, or only the named release's rows."""
    if sel.release == LATEST:
        return df[df["latest"]] if "latest" in df.columns else df
    if sel.release not in set(df.loc[df["source"] == sel.source, "publication"]):
        raise ValueError(f"release: {sel.release!r} is not a release of {sel.source} in the table")
    return df[df["publication"] == sel.release]


def table(df: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """The figures of a selection: one row per (stage, year), with bounds and coverage."""
    if sel.start > sel.end:
        raise ValueError(f"years: start {sel.start} is after end {sel.end}")
    if not sel.stages:
        raise ValueError("stages: choose at least one stage")
    if sel.form not in FORMS:
        raise ValueError(f"form: expected one of {FORMS}, found {sel.form!r}")
    t = stage_table(
        rows_for(df, sel),
        sel.geo_arg,
        list(sel.stages),
        sel.years,
        source=sel.source,
        mode=sel.mode,
        form=sel.form,
    )
    return t.assign(form=sel.form).drop(columns=["countries"])


def name(sel: Selection) -> str:
    """Readable name of the selection's geography."""
    if isinstance(sel.geo, str):
        return geomod.name(sel.geo)
    codes = list(sel.geo)
    return ", ".join(geomod.name(c) for c in codes) if len(codes) <= 5 else f"{len(codes)} States"


def chart_id(sel: Selection) -> str:
    """A file name for the view, e.g. ``explore-alb-unodc-latest-all-2015-2022``."""
    if isinstance(sel.geo, str):
        where = sel.geo
    elif len(sel.geo) <= 4:
        where = "-".join(sel.geo)
    else:
        where = f"{len(sel.geo)}states-" + hashlib.sha1(",".join(sel.geo).encode()).hexdigest()[:6]
    release = sel.release if sel.release == LATEST else sel.release.split()[-1]
    stages = "".join(s[0] for s in sel.stages)
    parts = ["explore", where, sel.source, release, sel.form, stages, sel.start, sel.end]
    slug = "-".join(str(p) for p in parts).lower()
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in slug)


def view_data(t: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """The view's table (``table``) with the chart's words (``chartdata`` convention)."""
    where = name(sel)
    form = "all forms" if sel.form == "all" else f"{sel.form} exploitation"
    plotted = t[t["value"].notna()]
    release = "latest release" if sel.release == LATEST else sel.release
    title = f"{where}, {period_label(sel.years)}: " + ", ".join(
        STAGE_LABELS.get(s, s).lower() for s in sel.stages
    )
    subtitle = f"{form} · {sel.source}, {release} · {coverage_phrase(plotted)}"
    note = "Gaps are years without a figure. " + data_note(
        plotted, "shaded bands and whiskers show the range"
    )
    return finish_table(
        t,
        id=chart_id(sel),
        kind="explore",
        title=title,
        subtitle=subtitle,
        note=note,
        alt=f"Line chart of yearly figures for {where}, {period_label(sel.years)}, {form}.",
        plotted=plotted,
        params={
            "geo": sel.geo_arg,
            "start": sel.start,
            "end": sel.end,
            "stages": list(sel.stages),
            "source": sel.source,
            "release": sel.release,
            "form": sel.form,
            "mode": sel.mode,
        },
        empty=f"No figures for {where}, {period_label(sel.years)} ({form})",
    )


def view_figure(t: pd.DataFrame) -> Figure:
    """The line chart of a ``view_data`` table: one line per stage, "<5" ranges as bands."""
    m = meta(t)
    p, empty = m.params, m.draw["empty"]
    years = list(range(p["start"], p["end"] + 1))
    with house_style():
        fig = new_figure(9.0, 5.8)
        ax = fig.add_subplot()
        for st in p["stages"]:
            d = t[t["stage"] == st].set_index("year").reindex(years)
            if d["value"].notna().any():
                _line(ax, d, STAGE_COLOURS.get(st, "#333333"), STAGE_LABELS.get(st, st))
        if t["value"].notna().any():
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(p["stages"]),
                      frameon=False)  # fmt: skip
        else:
            no_data(ax, empty)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylabel("Persons per year")
        ax.set_xlim(p["start"] - 0.5, p["end"] + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}"))
        ax.set_xlabel("Data year")
    finish(fig, t)
    return fig


def chart(t: pd.DataFrame, sel: Selection) -> Chart:
    """The view as a chart (its table, then drawn when first shown or exported)."""
    return Chart.of(view_data(t, sel), view_figure)


def _line(ax, d: pd.DataFrame, colour: str, label: str) -> None:
    ax.plot(d.index, d["value"], marker="o", color=colour, label=label)
    rng = is_range(d).reindex(d.index, fill_value=False)
    if rng.any():
        lo, hi = d["value_min"].astype(float), d["value_max"].astype(float)
        ax.fill_between(d.index, lo, hi, color=colour, alpha=0.18, lw=0, zorder=1.5)
        ax.errorbar(d.index[rng], d["value"][rng], yerr=range_errors(d[rng]), fmt="D", ms=6,
                    color=colour, mec="white", ecolor=colour, capsize=3, zorder=3)  # fmt: skip
