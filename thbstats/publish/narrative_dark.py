"""The text beside a State's dark figure: a published estimate of victims a year against the
victims identified in the same years, or a plain statement that none has been transcribed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from thbstats import geo as geomod
from thbstats.numbers import number


def dark_figure_text(df: pd.DataFrame, geo: str) -> str:
    """Markdown: each published estimate of ``geo`` (interval where published) beside UNODC's
    identified victims of the same years, or why there is none to show.

    >>> import pandas as pd
    >>> empty = pd.DataFrame(columns=["source", "publication", "geo", "geo_name", "geo_type",
    ...     "year_start", "year_end", "stage", "form", "sex", "age", "value", "value_min",
    ...     "value_max", "unit", "flag", "citation", "latest"])
    >>> print(dark_figure_text(empty, "ALB"))  # doctest: +ELLIPSIS
    No multiple systems estimate of victims a year has been published and transcribed for Albania...
    """
    from thbstats.analysis.dark_figure import dark_figure, for_state
    from thbstats.publish.chartdata.dark_figure import computed_sentence, estimate_text

    name = geomod.name(geo)
    rows = for_state(dark_figure(df), geo)
    if rows.empty:
        return (
            f"No multiple systems estimate of victims a year has been published and transcribed "
            f"for {name}: the estimate in the funnel is a stock (people in modern slavery on one "
            "day), which cannot be set against yearly flows like for like."
        )
    lines = [f"**The dark figure, {name}.** Estimated and identified victims a year, same years:"]
    for r in rows.itertuples():
        secondary = (
            " (figure seen only in secondary material)" if "secondary_source" in str(r.flag) else ""
        )
        ident = (
            f"{number(r.identified)}"
            if r.identified_min == r.identified_max
            else f"{number(r.identified_min)}-{number(r.identified_max)}"
        )
        lines.append(
            f"- {r.years}: estimated {estimate_text(r)}{secondary}; identified {ident} "
            f"(UNODC, {r.identified_years or 'no figure'}); {r.ratio:.1f} times the identified."
        )
    lines += [f"- {computed_sentence(r)}" for r in rows.itertuples() if pd.notna(r.computed)]
    lines.append(
        "\nBoth are yearly flows. An estimate counts potential victims on any list or on none; "
        "the lists it is made from may hold more known cases than UNODC's identified count."
    )
    return "\n".join(lines)


def dark_figure_markdown(df: pd.DataFrame, geo: str) -> Any:
    """:func:`dark_figure_text` as an ``IPython.display.Markdown`` object, for a notebook cell.

    >>> import thbstats as thb
    >>> md = dark_figure_markdown(thb.load(), "GBR")
    >>> print(md.data.splitlines()[1])
    - 2013: estimated 10,000-13,000; identified 816 (UNODC, 2013); 14.1 times the identified.
    """
    from IPython.display import Markdown

    return Markdown(dark_figure_text(df, geo))
