"""Citations: every row's `citation` is a key into data/raw/sources.yml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from thbstats import paths, textchars
from thbstats.errors import InputError

REQUIRED = ("publisher", "title", "licence")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: sources.yml loads in 0.03 s instead of 0.3 s, and
every notebook that draws a chart loads it for the source line."""


def _load(path: Path) -> dict[str, dict[str, Any]]:
    st = path.stat()
    return _load_version(path, st.st_mtime_ns, st.st_size)


@cache
def _load_version(path: Path, _mtime: int, _size: int) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        try:
            data = yaml.load(fh, Loader=SAFE_LOADER) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else None
            raise InputError(
                str(path), where, None, "valid YAML", str(exc).splitlines()[0]
            ) from exc
    if not isinstance(data, dict):
        raise InputError(str(path), None, None, "a mapping of citation keys to descriptions")
    textchars.refuse_in_yaml(data, str(path))
    for key, entry in data.items():
        if not isinstance(entry, dict):
            raise InputError(
                str(path), f"key {key}", None, "a mapping (publisher, title, url, ...)"
            )
        for field in REQUIRED:
            if not entry.get(field):
                raise InputError(str(path), f"key {key}", field, "a non-empty value")
        if not (entry.get("url") or entry.get("seen_at")):
            raise InputError(
                str(path), f"key {key}", "url", "the address of the publication (url or seen_at)"
            )
    return data


AUTO_SOURCES = "unregistered_sources.yml"
"""Written by `thbstats data` into data/processed: entries for unregistered release files it read."""


def all_sources(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every described publication, by citation key (plus the build's unregistered files)."""
    if path is not None:
        return _load(path)
    data = _load(paths.raw_dir() / "sources.yml")
    auto = paths.processed_dir() / AUTO_SOURCES
    if auto.is_file():
        data = {**_load(auto), **data}
    return data


def describe(key: str) -> dict[str, Any]:
    """The description of one citation key (KeyError naming the file if unknown)."""
    sources = all_sources()
    if key not in sources:
        raise KeyError(f"citation {key!r} is not described in data/raw/sources.yml")
    return sources[key]


def _edition(s: dict[str, Any]) -> str:
    """The edition as a reader reads it ("release of 14/04/2025"), unless the title names it."""
    ed = re.sub(r"\s*\([^)]*\)\s*$", "", str(s.get("edition") or "")).strip()
    return "" if not ed or ed in str(s["title"]) else ed


def short(key: str) -> str:
    """A short human citation: 'Publisher, Title, edition, locator' (the edition, such as the
    release date, unless the title names it)."""
    s = describe(key)
    text = f"{s['publisher']}, {s['title']}"
    if _edition(s):
        text += f", {_edition(s)}"
    if s.get("locator"):
        text += f", {s['locator']}"
    return text


def release(key: str) -> str:
    """The release a text names: publisher (its acronym where it has one), title without its
    file name, edition ("UNODC, dataUNODC: Trafficking in persons, country data, release of
    14/04/2025")."""
    s = describe(key)
    pub = str(s["publisher"])
    acronym = re.search(r"\(([A-Z][A-Za-z]*)\)\s*$", pub)
    who = acronym.group(1) if acronym else re.sub(r"\s*\(.*\)\s*$", "", pub)
    title = re.sub(r"\s*\([^)]*\)\s*$", "", str(s["title"]))
    return ", ".join(x for x in (who, title, _edition(s)) if x)


def releases(keys: Iterable[str]) -> list[str]:
    """The releases of citation keys (``release``), first seen first, without repeats;
    a key may hold several joined by ';'."""
    seen: dict[str, None] = {}
    for key in keys:
        for k in str(key or "").split(";"):
            if k and k != "nan":
                seen.setdefault(release(k), None)
    return list(seen)


def source_line(keys: Iterable[str]) -> str:
    """'Source: A; B.' built from citation keys, in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for key in keys:
        if key:
            seen.setdefault(short(key), None)
    if not seen:
        return "Source: none (no figure plotted)."
    return "Source: " + "; ".join(seen) + "."
