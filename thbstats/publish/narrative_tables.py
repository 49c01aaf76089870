"""Generated text beside the charts: a run's parameters in words, what the tidy table holds, a
claims check.

Part of :mod:`thbstats.publish.narrative` (re-exported there).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from thbstats.analysis.claims_verdicts import BOUND_MET, CANNOT, REPRODUCED
from thbstats.analysis.metrics.ranges import number


def verdicts_text(checks: pd.DataFrame) -> str:
    """Markdown summing up a claims table (``thbstats.analysis.claims.evaluate``): verdict counts
    and the claims whose figure (or bound) the dataset does not reproduce, each with its
    difference.

    >>> import pandas as pd
    >>> checks = pd.DataFrame({"claim": ["alb-2018", "alb-2018", "deu-2018"],
    ... "check": ["prosecuted", "convicted", "convicted"],
    ... "verdict": ["reproduced", "cannot be checked", "differs"],
    ... "asserted": [54, 0, 70], "computed": [54, None, 68], "difference": ["0", "", "-2"]})
    >>> print(verdicts_text(checks))
    **3 checks of 2 published claims.** reproduced: 1; cannot be checked: 1; differs: 1.
    <BLANKLINE>
    - `deu-2018` (convicted): asserted 70, computed 68, difference -2.
    <BLANKLINE>
    "Cannot be checked" means the dataset holds no figure of the cited source for it: a gap, not a refutation.
    """
    counts = checks["verdict"].value_counts()
    lines = [
        f"**{len(checks)} checks of {checks['claim'].nunique()} published claims.** "
        + "; ".join(f"{v}: {int(n)}" for v, n in counts.items())
        + ".",
        "",
    ]
    held = (REPRODUCED, BOUND_MET, CANNOT)  # every other verdict is listed with its difference
    for r in checks[~checks["verdict"].isin(held)].itertuples():
        lines.append(
            f"- `{r.claim}` ({r.check}): asserted {number(r.asserted)}, computed "
            f"{number(r.computed)}, difference {r.difference}."
        )
    lines += [
        "",
        '"Cannot be checked" means the dataset holds no figure of the cited source for it: a gap, '
        "not a refutation.",
    ]
    return "\n".join(lines)


def table_text(df: pd.DataFrame) -> str:
    """Markdown on what a tidy table holds: rows, sources, stages, years, "<5" cells and flags.

    >>> import thbstats as thb
    >>> print(table_text(thb.load()).splitlines()[0])
    **The table holds 48,288 figures** from 8 source families and 43 publications, ...
    """
    flags = df["flag"].fillna("").astype(str).str.split(";").explode()
    flags = flags[flags != ""].value_counts()
    lt5 = int(flags.get("suppressed_lt5", 0))
    stages = ", ".join(f"{s} {n:,}" for s, n in df["stage"].value_counts().items())
    return "\n".join(
        [
            f"**The table holds {len(df):,} figures** from {df['source'].nunique()} source "
            f"families and {df['publication'].nunique()} publications, data years "
            f"{int(df['year_start'].min())}-{int(df['year_end'].max())}, "
            f"{df.loc[df['geo_type'] == 'country', 'geo'].nunique()} countries.",
            "",
            f"- Rows by stage: {stages}.",
            f'- {lt5:,} figures were published as "<5": their `value` is empty and '
            "`value_min`/`value_max` are 1 and 4. Never read them as 0.",
            "- Most frequent flags: "
            + ", ".join(f"`{f}` {n:,}" for f, n in flags.head(6).items())
            + ".",
        ]
    )


def parameters_text(**params: Any) -> str:
    """The parameters of a run in words, e.g. ``geo="ALB", start=2015, end=2022``.

    >>> parameters_text(geo="ALB", start=2015, end=2022)
    '**This run.** geography: Albania (`ALB`); start: 2015; end: 2022.'
    """
    from thbstats import geo as geomod

    words = []
    for key, value in params.items():
        if key in ("geo", "group"):
            codes = [value] if isinstance(value, str) else list(value)
            named = ", ".join(f"{_geo_name(geomod, c)} (`{c}`)" for c in codes)
            words.append(f"{'geography' if key == 'geo' else 'group'}: {named}")
        elif key == "out_dir":
            where = str(value or "figures")
            relative = not where.startswith(("/", "~")) and ":" not in where[:3]
            words.append(
                f"figures are written to `{where}/`" + (" of the project" if relative else "")
            )
        else:
            words.append(f"{key.replace('_', ' ')}: {value}")
    return "**This run.** " + "; ".join(words) + "."


def parameters_markdown(**params: Any):
    """:func:`parameters_text` as ``IPython.display.Markdown``.

    >>> md = parameters_markdown(geo=["ALB", "DEU"], out_dir="figures")
    >>> type(md).__name__, md.data
    ('Markdown', '**This run.** geography: Albania (`ALB`), Germany (`DEU`); figures are...
    """
    from IPython.display import Markdown

    return Markdown(parameters_text(**params))


def _geo_name(geomod: Any, code: str) -> str:
    try:
        return geomod.name(code)
    except (KeyError, ValueError):
        return code
