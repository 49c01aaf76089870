"""A strip of every ranked State's ratio with one State (or a group) marked: where it stands
against the participating States and their median, at a glance."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from thbstats.analysis.impunity import RATIO_LABELS

MARK = "#b2182b"


def position_strip(
    table: pd.DataFrame, geo: str, size: tuple[float, float] = (7.2, 1.25)
) -> Figure:
    """Grey dots: ranked States; dashed line: their median; red: ``geo`` (with its range).

    Drawn at ``size`` (inches), the size the brief shows it: its text prints at 8 pt or more."""
    by = str(table["rank_by"].iloc[0])
    states = table[(table["geo_type"] == "country") & table["rank"].notna()]
    row = table[table["geo"] == geo].iloc[0]
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    ax.scatter(states[by], [0] * len(states), s=22, color="#bbbbbb", zorder=2, lw=0)
    if len(states):  # no State ranked (a table of a few figures): no median to draw
        med = float(states[f"median_{by}"].iloc[0])
        ax.axvline(med, color="#555555", ls="--", lw=1, zorder=1)
        ax.annotate(
            f"median {med:.1f}",
            (med, 0.55),
            fontsize=8.5,
            color="#333333",
            ha="left",
            xytext=(3, 0),
            textcoords="offset points",
        )
    if pd.notna(row.get(by)):
        lo, hi = row[f"{by}_min"], row[f"{by}_max"]
        if hi > lo:
            ax.plot([lo, hi], [0, 0], color=MARK, lw=2.2, zorder=3)
        ranked = pd.notna(row.get("rank")) or row["geo_type"] != "country"
        if ranked:
            ax.scatter([row[by]], [0], s=70, color=MARK, zorder=4, edgecolor="white", lw=1)
        ax.annotate(
            str(row["name"]) + ("" if ranked else " (a range: not ranked)"),
            (row[by], 0),
            xytext=(0, -9),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
            color=MARK,
            weight="bold",
            parse_math=False,  # a name is text: "$" prints as a dollar
        )
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    top = max(float(states[by].max()) if len(states) else 0.0, float(row.get(by) or 0))
    ax.set_xlim(0, (top if top > 0 else 1.0) * 1.05)
    ax.tick_params(axis="x", labelsize=8.5)
    ax.set_xlabel(
        RATIO_LABELS[by][0].upper() + RATIO_LABELS[by][1:] + f"; grey: {len(states)} ranked States",
        fontsize=8.5,
    )
    return fig
