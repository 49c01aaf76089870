"""The reconciliation chart's table: one State's yearly figures of each stage as UNODC and the
TIP Report's narratives print them, side by side, with the chart's words."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.metrics.ranges import cell_label
from thbstats.analysis.reconcile import STAGES, second_figures, unodc_figures
from thbstats.publish.chartdata.common import finish_table, geo_title, slug
from thbstats.vocabulary import STAGE_LABELS

COLUMNS = [
    "geo", "stage", "year", "publisher", "publication", "unit", "value", "value_min", "value_max",
    "label", "citation",
]  # fmt: skip


def _rows(rows: pd.DataFrame, publisher: str) -> pd.DataFrame:
    rows = rows[rows["year_start"] == rows["year_end"]]
    return pd.DataFrame({
        "geo": rows["geo"],
        "stage": rows["stage"],
        "year": rows["year_start"].astype(int),
        "publisher": publisher,
        "publication": rows["publication"],
        "unit": rows["unit"],
        "value": rows["value"].fillna((rows["value_min"] + rows["value_max"]) / 2),
        "value_min": rows["value_min"],
        "value_max": rows["value_max"],
        "label": [
            cell_label(lo, hi) for lo, hi in zip(rows["value_min"], rows["value_max"], strict=True)
        ],
        "citation": rows["citation"],
    })  # fmt: skip


def reconcile_data(df: pd.DataFrame, geo: str) -> pd.DataFrame:
    """The yearly figures of ``geo`` from UNODC and from the TIP narratives, over the years the
    narratives cover (two years either side), for the stages the narratives print.

    >>> import thbstats as thb
    >>> t = reconcile_data(thb.load(), "DEU")
    >>> t.attrs["chart"].id, t.attrs["chart"].kind, sorted(set(t["publisher"]))
    ('reconcile-deu', 'reconcile', ['TIP', 'UNODC'])
    >>> tip = t[(t.publisher == "TIP") & (t.stage == "suspected") & (t.unit == "persons")]
    >>> tip[["year", "label"]].values.tolist()
    [[2017, '550'], [2018, '602'], [2019, '472']]
    """
    tip = second_figures(df)
    tip = tip[(tip["geo"] == geo) & (tip["source"] == "TIP")]
    name = geo_title(df, geo)
    if tip.empty:
        table = pd.DataFrame(columns=COLUMNS)
        years: list[int] = []
    else:
        years = list(range(int(tip["year_start"].min()) - 2, int(tip["year_end"].max()) + 3))
        unodc = unodc_figures(df)
        unodc = unodc[(unodc["geo"] == geo) & unodc["year_start"].isin(years)]
        unodc = unodc[unodc["stage"].isin(set(tip["stage"]))]
        table = pd.concat([_rows(unodc, "UNODC"), _rows(tip, "TIP")], ignore_index=True)
        order = {s: i for i, s in enumerate(STAGES)}
        table = table.sort_values(
            ["stage", "publisher", "year"], key=lambda c: c.map(order) if c.name == "stage" else c
        )
    shown = sorted(set(table["year"]))  # the years with a figure of either publisher
    period = f"{shown[0]}-{shown[-1]}" if shown else "no narrative figures"
    stages = [STAGE_LABELS.get(s, s) for s in STAGES if s in set(table["stage"])]
    return finish_table(
        table,
        id=slug(geo, "reconcile"),
        kind="reconcile",
        title=f"Two publishers, one State: {name}",
        subtitle=f"UNODC's figures and the US TIP Report's country narratives, {period}",
        note=(
            'Dots: UNODC (line; a bar marks a "<5", 1 to 4). Diamonds: the TIP Report\'s '
            "narrative for the year it names (filled: persons; open: cases), read alike by two "
            "readers. Each narrative counts in its own words (suspects, defendants, traffickers); "
            "see the reconciliation table."
        ),
        alt=f"{name}: {', '.join(stages) or 'no stage'} by year, UNODC beside the TIP Report.",
        plotted=table,
        params={"geo": geo},
        searched=["UNODC", "TIP Report country narratives"],
    )
