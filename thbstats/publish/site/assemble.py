"""Everything the site links, read from ``figures/``: the manifest entries by place, the briefs
(``briefs/index.json``, else the ``briefs/<CODE>.pdf|html`` files), the ranking (manifest entries
and ``ranking/`` files) and the report folders (``claims/``, ``revisions/``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from thbstats.publish.site.model import (
    Item,
    Place,
    is_ranking,
    is_revision,
    make_item,
    present,
    slug,
)
from thbstats.vocabulary import SITE_GROUPS

REPORT_FOLDERS = ("claims", "revisions")
SITE_OWN = ("places", "reports", "briefs", *REPORT_FOLDERS)
"""Folders of figures/ whose manifest.json, if any, is not a figure manifest of the site."""


@dataclass
class Brief:
    """A place's brief: files relative to figures/ (None when absent)."""

    code: str
    name: str
    pdf: str | None = None
    html: str | None = None
    has_data: bool = True


@dataclass
class Site:
    """The places and the other sections of the site."""

    places: dict[str, Place] = field(default_factory=dict)
    ranking: list[Item] = field(default_factory=list)
    ranking_files: list[str] = field(default_factory=list)
    comparisons: list[Item] = field(default_factory=list)
    across: list[Item] = field(default_factory=list)
    other: list[Item] = field(default_factory=list)
    revisions: list[Item] = field(default_factory=list)
    reports: dict[str, list[str]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Place]:
        """The places of one kind ("state", "group", "country"): groups in SITE_GROUPS."""
        found = [p for p in self.places.values() if p.kind == kind]
        if kind == "group":
            order = {c: n for n, c in enumerate(SITE_GROUPS)}
            return sorted(found, key=lambda p: (order.get(p.code, len(order)), p.name))
        return sorted(found, key=lambda p: p.name)

    @property
    def items(self) -> list[Item]:
        """Every item the site shows, once."""
        placed = [i for p in self.places.values() for i in p.items]
        return placed + self.ranking + self.comparisons + self.across + self.other + self.revisions


def place_name(code: str) -> str:
    """The English name of a code from thbstats.geo (the code itself when it is unknown)."""
    from thbstats import geo

    try:
        return geo.name(code)
    except (KeyError, ValueError, LookupError):
        return code


def members(code: str) -> set[str]:
    """The countries of a group from thbstats.geo (none when the project has no such table)."""
    from thbstats import geo

    try:
        return set(geo.members(code))
    except (KeyError, ValueError, LookupError):  # a project without data/raw/geo/ tables
        return set()


def is_place(code: str) -> bool:
    """Whether a code names a country or a group thbstats.geo knows (it gets a page)."""
    from thbstats import geo

    try:
        return slug(code) != "-" and geo.is_known(code)
    except (KeyError, ValueError, LookupError):
        return False


def _place(site: Site, code: str, states: set[str]) -> Place:
    from thbstats import geo

    if code not in site.places:
        kind = "state" if code in states else "country" if geo.is_country(code) else "group"
        name = place_name(code)
        site.places[code] = Place(code=code, name=name, kind=kind, aliases=aliases(code, name))
    return site.places[code]


@cache
def _alias_table() -> dict[str, list[str]]:
    import yaml

    path = Path(__file__).with_name("aliases.yml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def aliases(code: str, name: str) -> list[str]:
    """Other names of a place the filter box finds it by (aliases.yml, the official name)."""
    import pycountry

    found = list(_alias_table().get(code, []))
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    for other in (getattr(country, "official_name", None), getattr(country, "name", None)):
        if other and other != name and other not in found:
            found.append(other)
    return found


def _inside(out: Path, folder: str, value: Any) -> str | None:
    """A brief file named in index.json, relative to figures/ (tried in briefs/, then figures/)."""
    if not isinstance(value, str) or not value:
        return None
    for rel in (f"{folder}/{value}", value):
        if present(out, rel, set()):
            return rel
    return None


def read_briefs(out: Path) -> list[Brief]:
    """The briefs listed in ``briefs/index.json`` (or found as ``briefs/<CODE>.pdf|.html``)."""
    folder = out / "briefs"
    index = folder / "index.json"
    if index.is_file():
        try:
            rows = json.loads(index.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{index}: not valid JSON ({exc})") from exc
        found = rows
        if isinstance(rows, dict):  # {"briefs": [...]}
            rows = rows.get("briefs")
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and r.get("code") for r in rows
        ):
            raise ValueError(
                f"{index}: expected a list of {{code, name, pdf, html, has_data}} "
                f'(or {{"briefs": [...]}}), found {json.dumps(found)[:80]}'
            )
        return [
            Brief(
                code=str(r["code"]),
                name=str(r.get("name") or r["code"]),
                pdf=_inside(out, "briefs", r.get("pdf")),
                html=_inside(out, "briefs", r.get("html")),
                has_data=bool(r.get("has_data", True)),
            )
            for r in rows
        ]
    if not folder.is_dir():
        return []
    stems = sorted({p.stem for p in folder.iterdir() if p.suffix in (".pdf", ".html")})
    return [
        Brief(
            code=s,
            name=s,
            pdf=f"briefs/{s}.pdf" if (folder / f"{s}.pdf").is_file() else None,
            html=f"briefs/{s}.html" if (folder / f"{s}.html").is_file() else None,
        )
        for s in stems
    ]


def sub_manifests(out: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """Entries of the manifests in folders of figures/ (``ranking/manifest.json``, ...), their
    files named from figures/ (``ranking/x.png``)."""
    from thbstats.publish import manifest

    found = []
    for path in sorted(out.glob(f"*/{manifest.MANIFEST}")):
        folder = path.parent.name
        if folder.startswith(".") or folder in SITE_OWN:
            continue
        entries = [
            e | {"files": {k: f"{folder}/{v}" for k, v in (e.get("files") or {}).items()}}
            for e in manifest.read(path.parent)
        ]
        found.append((folder, entries))
    return found


def _files(folder: Path, rel: str) -> list[str]:
    if not folder.is_dir():
        return []
    names = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name != "manifest.json"
    )
    return [f"{rel}/{n}" for n in sorted(names, key=lambda n: (not n.endswith(".md"), n))]


def _sort(site: Site, entry: dict[str, Any], item: Item, states: set[str]) -> None:
    """Put one entry where the site shows it: ranking, revisions, a place, comparisons, other."""
    if is_ranking(entry):
        site.ranking.append(item)
    elif is_revision(entry):
        site.revisions.append(item)
    elif len(item.geos) == 1 and is_place(item.geos[0]):
        _place(site, item.geos[0], states).items.append(item)
    elif item.geos:
        site.comparisons.append(item)
    else:
        site.other.append(item)


def assemble(out: Path, entries: list[dict[str, Any]]) -> Site:
    """Sort the manifest entries of ``out`` into the site's places and sections."""
    states = members("OSCE")
    site = Site()
    for code in states:
        _place(site, code, states)
    listing = set(os.listdir(out)) if out.is_dir() else set()
    for entry in entries:
        _sort(site, entry, make_item(entry, out, listing), states)
    for folder, sub in sub_manifests(out):
        for entry in sub:
            item = make_item(entry, out, listing)
            (site.ranking if folder == "ranking" or is_ranking(entry) else site.across).append(item)
    for item in site.comparisons:
        for code in item.geos:
            if code in site.places:
                site.places[code].comparisons.append(item)
    by_slug = {slug(c): c for c in (*site.places, *SITE_GROUPS)}
    for brief in read_briefs(out):
        place = _place(site, by_slug.get(slug(brief.code), brief.code), states)
        place.brief = brief
        if place.name == place.code:  # a code thbstats.geo does not know: the brief's name
            place.name = brief.name
    listed = {f for i in site.ranking for f in i.files.values()}
    site.ranking_files = [f for f in _files(out / "ranking", "ranking") if f not in listed]
    site.reports = {f: _files(out / f, f) for f in REPORT_FOLDERS if _files(out / f, f)}
    _link_groups(site)
    return site


def _link_groups(site: Site) -> None:
    """Each country's page links the group pages it belongs to (the world page always)."""
    groups = site.of_kind("group")
    of = {g.code: members(g.code) for g in groups}
    for place in site.places.values():
        if place.kind != "group":
            place.member_of = [g for g in groups if place.code in of[g.code] or g.code == "WORLD"]
