"""Named and user-defined groups of countries, resolved the same way by every question.

A geography is an ISO3 country code (``"SWE"``), a group code (``"NORDIC"``, ``"EU27"``,
``"OSCE"``, ``"TIP:EUR"``, ``"UN:NORTHERN_EUROPE"``) or a list mixing both (``["NORDIC", "EST"]``).
Group codes and their members are data (``data/raw/geo/``: ``groups.csv`` names each group and
cites its definition; the members sit in one CSV per group or in ``memberships.csv``), so a new
group is a few rows, not code. An unknown code is an error, never an empty group: a misspelt
``"NORDICS"`` would otherwise sum nothing without warning.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats import geo as _geo


def _known_codes() -> list[str]:
    return sorted(_geo.groups()["code"])


def _resolve(code: str, df: pd.DataFrame | None) -> list[str]:
    if not isinstance(code, str):
        raise TypeError(f"geo: expected a code (str) or a list of codes, found {code!r}")
    if code == "WORLD":
        if df is None:
            raise ValueError("group('WORLD') needs the table (df=...) to list its countries")
        return sorted(df.loc[df["geo_type"] == "country", "geo"].unique())
    if not _geo.is_known(code):
        raise ValueError(
            f"geo: expected an ISO3 country code or a group code of data/raw/geo/groups.csv "
            f"({', '.join(_known_codes())}), found {code!r}"
        )
    return _geo.members(code)


def group(geo: str | Iterable[str], df: pd.DataFrame | None = None) -> list[str]:
    """The ISO3 codes of a geography: a country, a group code, or a list mixing both (a union).

    ``WORLD`` means every country in ``df``. An unknown code raises ``ValueError`` naming the
    known group codes, so a misspelt group never sums to an empty result.

    >>> import thbstats as thb
    >>> thb.group("NORDIC")
    ['DNK', 'FIN', 'ISL', 'NOR', 'SWE']
    >>> thb.group(["NORDIC", "EST", "SWE"])
    ['DNK', 'EST', 'FIN', 'ISL', 'NOR', 'SWE']
    >>> len(thb.group("EU27")), len(thb.group("OSCE"))
    (27, 57)
    >>> thb.group("NORDICS")
    Traceback (most recent call last):
    ...
    ValueError: geo: expected an ISO3 country code or a group code ..., found 'NORDICS'
    """
    codes = [geo] if isinstance(geo, str) else list(geo)
    return sorted({m for code in codes for m in _resolve(code, df)})


def label(geo: str | Iterable[str]) -> str:
    """How results name a geography: the code itself, or the ;-joined codes of a list.

    >>> label("NORDIC"), label(["SWE", "NOR"])
    ('NORDIC', 'NOR;SWE')
    """
    return geo if isinstance(geo, str) else ";".join(sorted(set(geo)))


def groups() -> pd.DataFrame:
    """Every named group: its code, name, number of members listed, definition and citation.

    A group whose membership changes over time or is not verified lists no members
    (``n_members`` 0, e.g. ``COE:GRETA``, ``TIP:AF``), and so does ``WORLD``, which means every
    country in the table at hand.

    >>> import thbstats as thb
    >>> g = thb.groups().set_index("code")
    >>> row = g.loc["NORDIC"]
    >>> row["name"], int(row["n_members"]), row["citation"]
    ('Nordic countries', 5, 'norden-official-nordic-cooperation')
    """
    g = _geo.groups()[["code", "name", "geo_type", "definition", "citation"]].copy()
    g.insert(2, "n_members", [len(_geo.members(c)) for c in g["code"]])
    return g.reset_index(drop=True)
