"""The dark figure, like for like: each published multiple systems estimate (victims a year, its
interval where published) beside the victims identified in the same years (UNODC)."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.dark_figure import dark_figure, gaps
from thbstats.publish.charts.base import (
    RANGE_STYLE,
    STAGE_COLOURS,
    THOUSANDS,
    Chart,
    finish,
    house_style,
    new_figure,
    no_data,
)


def _label(r) -> str:
    secondary = " *" if "secondary_source" in str(r.flag) else ""
    return f"{r.name}, {r.years}{secondary}"


def _est_text(r) -> str:
    if pd.notna(r.estimate_low):
        return f"{r.estimate_low:,.0f}-{r.estimate_high:,.0f}"
    approx = "about " if "approximate" in str(r.flag) else ""
    return f"{approx}{r.estimate:,.0f}"


def dark_figure_chart(df: pd.DataFrame | None = None, *, geo: str | None = None) -> Chart:
    """Paired bars (log scale): estimated and identified victims a year, per published estimate."""
    table = dark_figure(df)
    if geo is not None:
        table = table[table["geo"] == geo]
    rows = table.iloc[::-1]
    with house_style():
        fig = new_figure(8.0, 0.55 * len(rows) + 6.4)
        ax = fig.add_subplot()
        if rows.empty:
            no_data(ax, "No published multiple systems estimate transcribed")
        else:
            y = list(range(len(rows)))
            ax.barh(
                [v + 0.2 for v in y],
                rows["estimate"],
                height=0.38,
                color=STAGE_COLOURS.get("estimated", "#7f7f7f"),
                label="estimated victims a year (MSE)",
            )
            ax.barh(
                [v - 0.2 for v in y],
                rows["identified"],
                height=0.38,
                color=STAGE_COLOURS.get("identified", "#2166ac"),
                label="identified victims a year (UNODC)",
            )
            rng = rows[rows["estimate_low"].notna()]
            ys = [y[i] + 0.2 for i, ok in enumerate(rows["estimate_low"].notna()) if ok]
            ax.errorbar(
                rng["estimate"],
                ys,
                xerr=[
                    (rng["estimate"] - rng["estimate_low"]).tolist(),
                    (rng["estimate_high"] - rng["estimate"]).tolist(),
                ],
                **RANGE_STYLE,
            )
            for v, r in zip(y, rows.itertuples(), strict=True):
                top = r.estimate_high if pd.notna(r.estimate_high) else r.estimate
                ax.text(
                    top * 1.15,
                    v + 0.2,
                    f"{_est_text(r)} ({r.ratio:.1f}x identified)",
                    va="center",
                    fontsize=9,
                )
                ax.text(
                    r.identified * 1.15, v - 0.2, f"{r.identified:,.0f}", va="center", fontsize=9
                )
            ax.set_xscale("log")
            ax.set_xlim(10, rows["estimate_high"].fillna(rows["estimate"]).max() * 90)
            ax.xaxis.set_major_formatter(THOUSANDS)
            ax.set_yticks(y, [_label(r) for r in rows.itertuples()])
            ax.grid(axis="y", visible=False)
            ax.legend(
                loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=8.5, frameon=False
            )
    missing = [g for g in gaps() if geo is None or g["geo"] == geo]
    title = "The dark figure: estimated against identified victims, same years"
    subtitle = (
        "Published multiple systems estimates (yearly flows) beside UNODC's identified victims"
    )
    note = (
        "Both are victims a year: a like-for-like comparison. A period is a yearly average. "
        "* figure seen only in secondary material (news report or announcement). "
        + "Identified counts are UNODC's; the lists behind an estimate may hold more known "
        "cases (United Kingdom 2013: 2,744). "
        + (
            "Gaps (estimates searched for, not or not fully transcribed): "
            + "; ".join(
                f"{g['geo']} {g['years']} ({g['short']})".replace("  ", " ") for g in missing
            )
            + "."
            if missing
            else ""
        )
    )
    plotted = pd.concat(
        [
            table.assign(citation=table["estimate_citation"]),
            table.assign(citation=table["identified_citation"]),
        ]
    )
    keys, footer = finish(fig, title, subtitle, plotted, note)
    alt = (
        "Paired bar chart, log scale. "
        + "; ".join(
            f"{_label(r)}: estimated {_est_text(r)}, identified {r.identified:,.0f}"
            for r in table.itertuples()
        )
        + "."
    )
    return Chart(
        fig=fig,
        id="dark-figure" + (f"-{geo.lower()}" if geo else ""),
        title=title,
        subtitle=subtitle,
        source=footer,
        alt=alt,
        data=table.reset_index(drop=True),
        note=note,
        citations=keys,
        params={"geo": geo or "all"},
    )
