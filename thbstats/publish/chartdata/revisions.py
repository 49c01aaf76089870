"""Tables of the revision charts: the largest changes by country, and changes by stage."""

from __future__ import annotations

import pandas as pd

from thbstats.analysis.metrics.select import edition_rank
from thbstats.analysis.revisions import TOTAL, Revisions, compare
from thbstats.numbers import number
from thbstats.publish.chartdata.common import finish_table
from thbstats.vocabulary import STAGE_LABELS, STAGE_WORDS


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


def revisions_data(
    df: pd.DataFrame | None = None,
    source: str = "UNODC",
    old: str | None = None,
    new: str | None = None,
    *,
    stage: str = "identified",
    top: int = 12,
) -> pd.DataFrame:
    """The ``top`` countries whose headline ``stage`` figures changed most (net, in persons),
    largest first: the revised years' total as first published and as revised.

    >>> import thbstats as thb
    >>> t = revisions_data(thb.load(vintage="all"), "UNODC", stage="identified", top=3)
    >>> print(t[["geo", "years_revised", "old_revised", "new_revised"]].to_string(index=False))
    geo years_revised  old_revised  new_revised
    PAK          2020         22.0      20045.0
    UKR     2019-2020       3025.0        414.0
    NPL     2019-2020       2638.0        391.0
    """
    rev = compare(df, source, old, new)
    t = rev.largest(top, "absolute", stage=stage).reset_index(drop=True)
    totals = rev.totals(stage)
    head = rev.keys[(rev.keys["stage"] == stage) & (rev.keys["status"] == "changed")]
    for col, want in TOTAL.items():
        head = head[head[col] == want]
    n_rev, n_all = head["geo"].nunique(), len(totals)
    label = STAGE_WORDS.get(stage, "").capitalize() or STAGE_LABELS.get(stage, stage)
    data = t.assign(source=source, old_publication=rev.old, new_publication=rev.new)
    rows = "; ".join(
        f"{r.geo_name} {r.years_revised} {number(r.old_revised)} to {number(r.new_revised)}"
        for r in data.itertuples()
    )
    return finish_table(
        data,
        id=_slug("revisions", rev, stage),
        kind="revisions",
        title=f"{label}: largest revisions, {source} release of {_day(rev.new)}",
        subtitle=f"{_vintages(rev)} · all countries, {_period(rev)} · the newer release revised "
        f"the headline figures (all forms, sexes, ages) of {n_rev} of the {n_all} countries with "
        f"figures in both; top {len(t)} by net change",
        note="Each row sums the years the newer release revised (in brackets). Grey ring: as "
        "first published; coloured dot: as revised. Log scale. Years published as '<5' in either "
        "release are left out (each is 1 to 4 persons).",
        alt=f"Dot and arrow chart, {label.lower()} as first published and as revised, "
        f"{_vintages(rev)}: " + (rows or "no change") + ".",
        plotted=rev.citations,
        params={"source": source, "old": rev.old, "new": rev.new, "stage": stage, "top": top},
        searched=[rev.old, rev.new],
        stage=stage,
        empty=f"No data: no {label.lower()} figure of {source} changed",
    )


def revisions_by_stage_data(
    df: pd.DataFrame | None = None,
    source: str = "UNODC",
    old: str | None = None,
    new: str | None = None,
) -> pd.DataFrame:
    """Per stage: how many of the figures in both releases the newer one changed, split into
    changed numbers and changes to or from '<5'.

    >>> import thbstats as thb
    >>> t = revisions_by_stage_data(thb.load(vintage="all"), "UNODC")
    >>> print(t[["stage", "overlapping", "changed", "added"]].to_string(index=False))
         stage  overlapping  changed  added
    prosecuted         3477      122   1475
      offences         1137       47    196
     convicted         5248      255   1749
    identified        22248     1276   5946
     suspected         2994      269   1538
    """
    rev = compare(df, source, old, new)
    s = rev.summary()
    s = s[s["stage"] != "all"].sort_values("share_changed").reset_index(drop=True)
    total = rev.summary().iloc[-1]
    n_all = rev.keys.loc[rev.keys["status"].isin(["changed", "unchanged"]), "geo"].nunique()
    data = s.assign(source=source, old_publication=rev.old, new_publication=rev.new)
    return finish_table(
        data,
        id=_slug("revisions-by-stage", rev),
        kind="revisions-by-stage",
        title=f"{source} revisions: {int(total['changed']):,} of {int(total['overlapping']):,} "
        "figures changed between releases",
        subtitle=f"{_vintages(rev)} · {_period(rev)} · {n_all} countries, figures published in "
        "both releases (every form, sex and age breakdown)",
        note=f"The newer release also adds {int(total['added']):,} figures and drops "
        f"{int(total['removed']):,}. A '<5' cell (1 to 4 persons) that became a number, or the "
        "reverse, counts as a change.",
        alt=f"Bar chart, share of {source} figures changed by stage, {_vintages(rev)}: "
        + "; ".join(f"{r.stage} {r.changed:,} of {r.overlapping:,}" for r in s.itertuples())
        + ".",
        plotted=rev.citations,
        params={"source": source, "old": rev.old, "new": rev.new},
        searched=[rev.old, rev.new],
    )
