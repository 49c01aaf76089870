"""What every chart table shares: its model (``attrs["chart"]``, a ChartSpec), titles, slugs,
citations.

The source line is built by ``thbstats.citations.source_line`` from the citation keys of the rows
a chart plots, never typed by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from thbstats.publish.chartdata.spec import ChartSpec

META = "chart"


def meta(table: pd.DataFrame) -> ChartSpec:
    """The model of a chart table (:class:`ChartSpec`): id, kind, words, citations, params...

    >>> import thbstats as thb
    >>> from thbstats.publish.chartdata import funnel_data
    >>> t = funnel_data(thb.load(), "ALB", 2018)
    >>> meta(t).id, meta(t).kind, meta(t).title
    ('funnel-alb-2018', 'funnel', 'The impunity gap: Albania, 2018')
    """
    spec = table.attrs.get(META)
    if not isinstance(spec, ChartSpec):
        raise ValueError(
            "chart table: expected the model of a chart in table.attrs['chart'] "
            "(made by a thbstats.publish.chartdata function), found none"
        )
    return spec


def sentences(*parts: str) -> str:
    """Join sentences with one space; no empty parts, no doubled or dangling full stops.

    >>> sentences("Bars are on a log scale.", "", " No data for 2019. .")
    'Bars are on a log scale. No data for 2019.'
    """
    text = " ".join(p.strip() for p in parts if p and p.strip())
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"([.:;,])(\s*\.)+", r"\1", text).strip()


def caption(title: str, subtitle: str, note: str) -> str:
    """Title, subtitle and note as one caption: each part ends with one full stop.

    >>> caption("The impunity gap", "Albania, 2018.", "Log scale")
    'The impunity gap. Albania, 2018. Log scale.'
    """
    parts = [p.strip().rstrip(" .;:,") for p in (title, subtitle, note) if p and p.strip()]
    return " ".join(p + ("" if p.endswith(("?", "!")) else ".") for p in parts if p)


def finish_table(
    table: pd.DataFrame,
    *,
    id: str,
    kind: str,
    title: str,
    subtitle: str,
    note: str,
    alt: str,
    plotted: pd.DataFrame | Iterable[str],
    params: dict[str, Any],
    searched: Iterable[str] = (),
    **draw: Any,
) -> pd.DataFrame:
    """Attach the chart's model (:class:`ChartSpec`) to ``table``; ``draw`` holds what only the
    drawing needs.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"stage": ["prosecuted"], "value": [54.0],
    ... "citation": ["unodc-glotip-2025-04-14"]})
    >>> t = finish_table(t, id="demo", kind="bars", title="Prosecuted", subtitle="Albania, 2018",
    ... note="", alt="One bar.", plotted=t, params={"geo": "ALB"})
    >>> meta(t).id, meta(t).citations, meta(t).params
    ('demo', ['unodc-glotip-2025-04-14'], {'geo': 'ALB'})
    """
    from thbstats import citations

    keys = citation_keys(plotted)
    table = table.reset_index(drop=True)
    table.attrs[META] = ChartSpec(
        id=id,
        kind=kind,
        title=title,
        subtitle=subtitle,
        note=sentences(note),
        alt=sentences(alt),
        source=citations.source_line(keys),
        citations=keys,
        searched=sorted(set(searched)),
        params=params,
        draw=draw,
    )
    return table


def citation_keys(*frames: pd.DataFrame | Iterable[str]) -> list[str]:
    """Unique citation keys (;-split) of the plotted rows, in a stable order.

    >>> citation_keys(["tip-2017;unodc-glotip-2025-04-14", "tip-2017", "nan"])
    ['tip-2017', 'unodc-glotip-2025-04-14']
    """
    keys: set[str] = set()
    for f in frames:
        vals = f["citation"] if isinstance(f, pd.DataFrame) else f
        for v in vals:
            keys.update(p for p in str(v).split(";") if p and p != "nan")
    return sorted(keys)


def searched(
    df: pd.DataFrame | None, stages: Iterable[str] | None = None, source: str | None = None
) -> list[str]:
    """The publications a chart looked in (for a chart that found nothing: where it looked).

    >>> import thbstats as thb
    >>> searched(thb.load(), ["convicted"], "TIP")[:2]
    ['TIP Report 2006', 'TIP Report 2007/2016 (compiled)']
    """
    if df is None or df.empty:
        return []
    rows = df
    if stages is not None:
        rows = rows[rows["stage"].isin(list(stages))]
    if source:
        rows = rows[rows["source"] == source]
    return sorted(set(rows["publication"].dropna().astype(str)))


def geo_title(df: pd.DataFrame, geo: str | Iterable[str]) -> str:
    """Readable name of a geography for titles.

    >>> import thbstats as thb
    >>> geo_title(thb.load(), "ALB"), geo_title(thb.load(), ["ALB", "DEU"])
    ('Albania', '2 selected countries')
    """
    if not isinstance(geo, str):
        return f"{len(list(geo))} selected countries"
    try:
        from thbstats import geo as geomod

        return geomod.name(geo)
    except (ImportError, KeyError, ValueError, AttributeError):
        names = df.loc[df["geo"] == geo, "geo_name"]
        return str(names.mode().iloc[0]) if len(names) else geo


def slug(geo, kind: str, *parts) -> str:
    """A chart id: ``trends-osce-2003-2022``; a list of codes is named by its members
    (``thbstats.geokey``), so charts of two lists never share files.

    >>> slug("TIP:EUR", "divergence", 2015, 2018), slug(["DEU", "ALB"], "trends", 2015)
    ('divergence-tip-eur-2015-2018', 'trends-alb+deu-2015')
    """
    from thbstats.geokey import geo_key

    code = geo_key(geo)
    return "-".join([kind, code, *map(str, parts)]).lower().replace(":", "-")
