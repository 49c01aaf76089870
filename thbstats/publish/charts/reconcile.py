"""The reconciliation chart, drawn from its table (``chartdata.reconcile``): one panel per stage,
UNODC's yearly figures as a line of dots, the TIP Report's narratives as diamonds."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from thbstats.analysis.reconcile import STAGES
from thbstats.publish.chartdata.reconcile import reconcile_data
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    STAGE_LABELS,
    THOUSANDS,
    Chart,
    finish,
    house_style,
    new_figure,
    no_data,
    pt,
)

TIP_COLOUR = "#222222"


def draw_reconcile(table: pd.DataFrame) -> Figure:
    """One panel per stage: UNODC (dots on a line, "<5" as a bar), TIP (diamonds; open: cases).

    >>> import thbstats as thb
    >>> fig = draw_reconcile(reconcile_data(thb.load(), "DEU"))
    >>> type(fig).__name__
    'Figure'
    """
    stages = [s for s in STAGES if s in set(table["stage"])]
    with house_style():
        fig = new_figure(9.0, 2.3 * max(1, len(stages)) + 3.2)
        if not stages:
            no_data(fig.add_subplot(), "No figure from the TIP Report's narratives read alike")
        else:
            axes = fig.subplots(len(stages), 1, sharex=True, squeeze=False)[:, 0]
            for ax, stage in zip(axes, stages, strict=True):
                _panel(ax, table[table["stage"] == stage], stage)
            _legend(axes)
            years = sorted(set(table["year"]))
            axes[-1].set_xticks(years, [str(y) for y in years])
    finish(fig, table)
    return fig


def _legend(axes) -> None:
    """One legend for every panel, above the first on the right (the panel titles are left)."""
    seen: dict[str, object] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(label, handle)
    axes[0].legend(list(seen.values()), list(seen), loc="lower right", bbox_to_anchor=(1, 1.0),
                   ncols=len(seen), fontsize=pt(10))  # fmt: skip


def _panel(ax, rows: pd.DataFrame, stage: str) -> None:
    colour = STAGE_COLOURS.get(stage, "#7f7f7f")
    un = rows[rows["publisher"] == "UNODC"].sort_values("year")
    if len(un):
        ax.plot(un["year"], un["value"], "-o", color=colour, label="UNODC", ms=6, zorder=2)
        ranged = un[un["value_min"] != un["value_max"]]
        if len(ranged):
            err = [
                (ranged["value"] - ranged["value_min"]).to_numpy(),
                (ranged["value_max"] - ranged["value"]).to_numpy(),
            ]
            ax.errorbar(ranged["year"], ranged["value"], yerr=err, **RANGE_STYLE)
    tip = rows[rows["publisher"] == "TIP"]
    for unit, face, label in (
        ("persons", TIP_COLOUR, "TIP, persons"),
        ("cases", "white", "TIP, cases"),
    ):
        t = tip[tip["unit"] == unit]
        if len(t):
            ax.scatter(t["year"], t["value"], marker="D", s=46, facecolor=face,
                       edgecolor=TIP_COLOUR, linewidth=1.3, label=label, zorder=4)  # fmt: skip
            for r in t.itertuples():
                ax.annotate(r.label, (r.year, r.value), xytext=(6, 4),
                            textcoords="offset points", fontsize=pt(9.5))  # fmt: skip
    ax.set_ylim(bottom=0)
    ax.margins(y=0.25)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # people: whole numbers
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_title(STAGE_LABELS.get(stage, stage), loc="left", fontsize=pt(11.5))


def reconcile_chart(df: pd.DataFrame, geo: str) -> Chart:
    """The reconciliation chart of ``geo`` (data, then drawing on first use).

    >>> import thbstats as thb
    >>> reconcile_chart(thb.load(), "DEU").id
    'reconcile-deu'
    """
    return Chart.of(reconcile_data(df, geo), draw_reconcile)
