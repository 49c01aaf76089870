"""thbstats: trafficking in human beings statistics, from published figures to cited charts.

    import thbstats as thb
    df = thb.load()                       # the tidy table built by `thbstats data`
    thb.group("NORDIC")                   # a named group's ISO3 codes
    thb.change(df, geo="NORDIC", stage="convicted", start=2015, end=2022)
    thb.shares(df, "form", geo="EU27", years=2021)

``change`` sums a balanced panel (the same countries both years) with "<5" bounds; ``shares``
gives shares by form with bounds and coverage. Recipes: docs/cookbook.md.

One vocabulary of keyword arguments throughout: ``geo`` (an ISO3 code, a group code such as
``NORDIC``, ``EU27``, ``OSCE``, ``TIP:EUR``, or a list of them), ``stage`` (``identified``,
``prosecuted``, ``convicted``, ...), ``years`` (or ``start``/``end``), ``form``/``sex``/``age``,
``source``, ``release`` (a publication name, e.g. ``"UNODC GLOTIP data 2025-04-14"``; default: the
latest release that has the rows). Every sum carries "<5" cells as bounds (``value_min``,
``value_max``; ``value`` counts each as 2.5) and says which countries it covers.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from thbstats.table import VINTAGES, load  # noqa: F401  (light: pandas is imported on use)

if TYPE_CHECKING:
    import pandas as pd

try:
    __version__ = version("thbstats")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"


Geo = str | list[str]
"""A geography: an ISO3 code or a group code (``OSCE``, ``TIP:EUR``, ``UN:EUROPE``), or a list of
them. A notebook declares its geography parameters with it (``geo: Geo = "OSCE"``), and
``thbstats run`` checks their values against ``thbstats.geo`` before any run starts."""


def shares(
    df: pd.DataFrame | None = None, by: str = "form", *, release: str | None = None, **kwargs
) -> pd.DataFrame:
    """Shares of a breakdown (``by``: form, sex or age) with "<5" bounds and coverage.

    Keywords: ``geo``, ``years`` (pooled), ``stage`` (default ``identified``), ``release``, and the
    rest of :func:`thbstats.analysis.metrics.shares.shares`, which explains the denominator (the
    sum of the parts, not the printed total). ``df`` defaults to ``thb.load()``, or to every
    release's rows (``thb.load(vintage="all")``) when a ``release`` is named.

    >>> import thbstats as thb
    >>> s = thb.shares(by="form", geo="EU27", years=2021, stage="identified").set_index("part")
    >>> s[["value", "value_min", "value_max"]]
             value  value_min  value_max
    part
    sexual  3781.5     3777.0     3786.0
    labour  2261.0     2258.0     2264.0
    other   1216.5     1203.0     1230.0
    >>> s[["share", "share_min", "share_max"]].round(3)
            share  share_min  share_max
    part
    sexual  0.521      0.519      0.522
    labour  0.311      0.310      0.313
    other   0.168      0.166      0.169
    >>> row = s.loc["labour"]
    >>> int(row["n_countries"]), int(row["n_countries_lt5"]), row["publication"]
    (26, 11, 'UNODC GLOTIP data 2025-04-14')
    >>> row["missing"], int(row["group_size"])  # Sweden prints no breakdown by form for 2021
    ('SWE', 27)
    """
    from thbstats.analysis.metrics.shares import shares as _shares

    if release is not None:
        kwargs["publication"] = release
    if df is None:
        df = load(vintage="all" if release else "latest")
    return _shares(df, by, **kwargs)


def impunity_ranking(df: pd.DataFrame | None = None, **kwargs) -> pd.DataFrame:
    """The impunity ratio of every participating State, ranked: see ``thbstats.analysis.impunity``.

    Convictions per 100 identified victims a year over the OSCE (the States with both figures):

    >>> import thbstats as thb
    >>> r = thb.impunity_ranking()
    >>> print(r[r["geo"] == "OSCE"][["convicted_per_100_identified", "window"]].round(1).to_string(index=False))
     convicted_per_100_identified    window
                             11.3 2018-2022
    """
    from thbstats.analysis.impunity import ranking

    return ranking(df, **kwargs)


def summary_table(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows per source, publication and stage: a first look at what the dataset holds.

    ``df`` defaults to every release's rows (``thb.load(vintage="all")``).

    >>> import thbstats as thb
    >>> t = thb.summary_table()
    >>> glotip = t.loc["UNODC", ["identified", "prosecuted", "convicted"]].filter(like="GLOTIP data", axis=0)
    >>> print(glotip.to_string())
    stage                         identified  prosecuted  convicted
    publication
    UNODC GLOTIP data 2023-05-30       22620        3484       5259
    UNODC GLOTIP data 2025-04-14       28196        4952       6997
    """
    from thbstats.ingest.build import counts

    return counts(load(vintage="all") if df is None else df)


_LAZY = {
    "group": "thbstats.analysis.groups",
    "groups": "thbstats.analysis.groups",
    "total": "thbstats.analysis.panel",
    "change": "thbstats.analysis.panel",
}
"""Functions imported on first use, so that ``import thbstats`` stays light (no pandas)."""

_LAZY_MODULES = {
    "metrics": "thbstats.analysis.metrics",
    "mse": "thbstats.analysis.mse",
    "revisions": "thbstats.analysis.revisions",
}
"""Analysis modules by their short names (``from thbstats import mse``), imported on first use."""


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name])
    raise AttributeError(f"module 'thbstats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_MODULES))


__all__ = ["Geo", "impunity_ranking", "load", "shares", "summary_table", "__version__"]
__all__ += ["change", "group", "groups", "total"]
