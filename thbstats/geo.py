"""Geography: ISO3 codes for countries, group codes (OSCE, EU27, TIP and UN regions) kept as data.

Group definitions and memberships are CSV files in data/raw/geo/ (each with its citation), all
committed, so every code resolves on a fresh clone before any build. The UN regions and
subregions (data/raw/geo/un_regions.csv) are those the UNODC data file prints; a test checks the
table against the registered UNODC releases.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from thbstats import paths
from thbstats.errors import InputError
from thbstats.textchars import EXPECTED, first_control, found

if TYPE_CHECKING:
    import pandas as pd

EXTRA_COUNTRIES = {"XKX": "Kosovo"}
"""Codes for countries without an ISO 3166-1 code (Kosovo: the user-assigned code the EU and World Bank use)."""

MEMBERSHIP_FILES = {
    "OSCE": "osce_participating_states.csv",
    "OSCE:PARTNERS": "osce_partners.csv",
    "EU27": "eu27.csv",
    "EU28": "eu28.csv",
}
MEMBERSHIPS = "memberships.csv"
"""Members of further groups as data (``group,iso3,name,citation``): a new group is rows here and
a line in groups.csv, no code."""
UN_REGIONS = "un_regions.csv"
"""UN region and subregion of each country, as the UNODC data file prints them (committed)."""


def un_code(name: str) -> str:
    """Group code of a UN region or subregion name: 'Southern Europe' -> 'UN:SOUTHERN_EUROPE'."""
    return "UN:" + re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code (or XKX).

    >>> is_country("SWE"), is_country("XKX"), is_country("NORDIC"), is_country("XYZ")
    (True, True, False, False)
    """
    if code in EXTRA_COUNTRIES:
        return True
    import pycountry

    return (
        bool(re.fullmatch(r"[A-Z]{3}", code or ""))
        and pycountry.countries.get(alpha_3=code) is not None
    )


def country_name(code: str) -> str:
    """Common English name of a country code."""
    if code in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[code]
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        raise KeyError(f"{code!r} is not an ISO 3166-1 alpha-3 code")
    return getattr(c, "common_name", None) or c.name


def to_iso3(names: Iterable[str]) -> list[str | None]:
    """ISO3 codes for country names (country_converter's regexes); None where a name is not a country."""
    import logging

    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    names = list(names)
    out = coco.CountryConverter().convert(names, to="ISO3", not_found=None)
    out = out if isinstance(out, list) else [out]
    return [
        code if isinstance(code, str) and (code in EXTRA_COUNTRIES or is_country(code)) else None
        for code in out
    ]


def _read(path: Path) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(_rows(path), dtype=str)


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of a small CSV as dicts (no pandas: the pipeline checks codes with it); an
    InputError names the line, column and character of a name holding a control or invisible
    character."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            for column, text in row.items():
                at = first_control(text) if isinstance(text, str) else None
                if at is not None:
                    where = f"line {reader.line_num}"
                    raise InputError(str(path), where, column, EXPECTED, found(text, at))
            rows.append(row)
        return rows


@cache
def _groups(root: Path) -> pd.DataFrame:
    import pandas as pd

    geo = root / "data" / "raw" / "geo"
    frames = [_read(geo / "groups.csv"), _read(geo / "ilo_regions.csv")]
    un = _read(geo / UN_REGIONS)
    if not un.empty:
        for level in ("region", "subregion"):
            names = sorted(set(un[level]) - {""})
            frames.append(
                pd.DataFrame(
                    {
                        "code": [un_code(n) for n in names],
                        "name": [f"{n} (UN {level})" for n in names],
                        "geo_type": "region",
                        "definition": f"UN M49 {level} as given in the UNODC data file",
                        "citation": "",
                    }
                )
            )
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["code", "name", "geo_type", "definition", "citation"])
    return pd.concat(frames, ignore_index=True).drop_duplicates("code")


def groups(root: Path | None = None) -> pd.DataFrame:
    """Every group code with its name, type, definition and citation (of the project at ``root``)."""
    return _groups(root or paths.project_root())


@cache
def _members(root: Path, code: str) -> tuple[str, ...]:
    geo = root / "data" / "raw" / "geo"
    if code in MEMBERSHIP_FILES:
        return tuple(r["iso3"] for r in _rows(geo / MEMBERSHIP_FILES[code]))
    listed = _rows(geo / MEMBERSHIPS)
    if any(r["group"] == code for r in listed):
        return tuple(r["iso3"] for r in listed if r["group"] == code)
    if code.startswith("TIP:"):
        region = code.split(":", 1)[1]
        return tuple(r["iso3"] for r in _rows(geo / "tip_regions.csv") if r["tip_region"] == region)
    if code.startswith("UN:"):
        return tuple(
            r["iso3"]
            for r in _rows(geo / UN_REGIONS)
            if code in (un_code(r["region"]), un_code(r["subregion"]))
        )
    return ()


def members(code: str, root: Path | None = None) -> list[str]:
    """ISO3 codes of the countries in a group ('OSCE', 'EU27', 'TIP:EUR', 'UN:EUROPE'); [code] for a
    country. ``root``: the project whose data/raw/geo/ defines the groups (default: this one)."""
    if is_country(code):
        return [code]
    return sorted(_members(root or paths.project_root(), code))


def listed_members(code: str, root: Path | None = None) -> list[str]:
    """The members data/raw/geo/ lists for a group code; [] for a country or an unknown code.
    Reads small CSVs only (no pandas, no country table): the pipeline plans runs with it."""
    return sorted(_members((root or paths.project_root()).resolve(), code))


def name(code: str) -> str:
    """Readable name of a country or group code."""
    if is_country(code):
        return country_name(code)
    hit = groups().loc[lambda g: g["code"] == code, "name"]
    if hit.empty:
        raise KeyError(
            f"unknown geography code {code!r}: not ISO3 and not in data/raw/geo/groups.csv"
        )
    return str(hit.iloc[0])


def is_known(code: str, root: Path | None = None) -> bool:
    """True when ``code`` is a country code or a described group code."""
    return is_country(code) or code in set(groups(root)["code"])


def known_codes(extra: Iterable[str] = ()) -> set[str]:
    """Every group code plus ``extra`` (typically the countries in a frame that pass is_country)."""
    return set(groups()["code"]) | {c for c in extra if is_country(c)}


def clear_cache() -> None:
    """Forget cached group files (after one of them changed)."""
    _groups.cache_clear()
    _members.cache_clear()
