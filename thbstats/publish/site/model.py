"""What the site shows: the manifest entries sorted by place (a participating State, a group or
region), the ranking, comparisons across places and the revision charts.

A manifest entry names its geography in ``parameters`` (``geo``, ``iso3``, ``group`` or ``geos``);
an entry with status "no data", an ``empty`` reason or no image is shown as "no data", in words,
never as an image. Files the manifest lists but the folder lacks are not linked.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GEO_KEYS = ("geo", "iso3", "group", "geos")
CHART_ORDER = ("ranking", "funnel", "dark", "trends", "gap", "divergence", "attrition", "coverage")
"""Chart families on a place page, by id prefix, in this order (others follow by title)."""
IMAGE_FORMATS = ("png", "svg")


@dataclass
class Item:
    """One manifest entry as the site shows it."""

    id: str
    title: str
    chart: str
    caption: str = ""
    source: str = ""
    alt: str = ""
    files: dict[str, str] = field(default_factory=dict)
    no_data: str | None = None
    searched: str = ""
    size: tuple[int, int] | None = None
    geos: tuple[str, ...] = ()

    @property
    def image(self) -> str | None:
        """The file shown on the page (PNG, else SVG); None for a "no data" entry."""
        return next((self.files[f] for f in IMAGE_FORMATS if f in self.files), None)


@dataclass
class Place:
    """A participating State, another country, or a group, with its page and its figures."""

    code: str
    name: str
    kind: str  # "state" (OSCE participating State), "group" or "country"
    items: list[Item] = field(default_factory=list)
    brief: Any = None
    member_of: list[Place] = field(default_factory=list)
    comparisons: list[Item] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The code as a file name ('TIP:EUR' -> 'TIP-EUR')."""
        return slug(self.code)

    @property
    def page(self) -> str:
        """The page, relative to figures/."""
        return f"places/{self.slug}.html"

    @property
    def charts(self) -> list[tuple[str, list[Item]]]:
        """The items grouped by chart family, in CHART_ORDER."""
        groups: dict[str, list[Item]] = {}
        for item in sorted(self.items, key=lambda i: (chart_rank(i.id), i.chart, i.id)):
            groups.setdefault(item.chart, []).append(item)
        return list(groups.items())

    @property
    def cards(self) -> list[Item]:
        """The items in chart order, flat (the start page shows them as thumbnails)."""
        return [i for _, items in self.charts for i in items]

    @property
    def figures(self) -> list[Item]:
        """The items with a figure (not "no data")."""
        return [i for i in self.items if not i.no_data]

    @property
    def has_page(self) -> bool:
        """Participating States always have a page; other places when there is something to show."""
        return bool(self.items or self.brief or self.kind == "state")


def slug(code: str) -> str:
    """File-name form of a code, as the briefs use it: 'TIP:EUR' -> 'TIP-EUR'."""
    return re.sub(r"[^A-Za-z0-9_]+", "-", code).strip("-") or "-"


def chart_rank(fid: str) -> int:
    """Position of a figure's chart family in CHART_ORDER (unknown families last)."""
    return next((n for n, p in enumerate(CHART_ORDER) if fid.startswith(p)), len(CHART_ORDER))


def entry_geos(entry: dict[str, Any]) -> tuple[str, ...]:
    """The geography codes an entry names (its own ``geo`` first, then its parameters)."""
    params = entry.get("parameters") or {}
    for value in (entry.get("geo"), *(params.get(k) for k in GEO_KEYS)):
        if isinstance(value, str) and value:
            return (value,)
        if isinstance(value, list | tuple) and value:
            return tuple(str(v) for v in value)
    return ()


def png_size(path: Path) -> tuple[int, int] | None:
    """Pixel width and height from a PNG header (None if the file is not a PNG)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(24)
    except OSError:
        return None
    if len(head) < 24 or not head.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    return struct.unpack(">II", head[16:24])


def present(out: Path, name: str, listing: set[str]) -> bool:
    """Whether a file the manifest names exists inside ``out`` (never outside it)."""
    if not name or name.startswith(("/", ".")) or ".." in Path(name).parts:
        return False
    return name in listing if "/" not in name else (out / name).is_file()


def make_item(entry: dict[str, Any], out: Path, listing: set[str]) -> Item:
    """The site's view of one manifest entry (missing files dropped, "no data" in words)."""
    fid = str(entry.get("id", ""))
    title = str(entry.get("title") or fid)
    files = {k: v for k, v in (entry.get("files") or {}).items() if present(out, v, listing)}
    reason = entry.get("empty") or entry.get("reason") or entry.get("note")
    no_data = None
    if str(entry.get("status", "")).lower() == "no data" or entry.get("empty"):
        no_data = str(reason or "no figures in the dataset")
    elif not any(f in files for f in IMAGE_FORMATS):
        no_data = str(reason or "no image file for this figure in this build")
    if no_data:
        files = {}
    image = next((files[f] for f in IMAGE_FORMATS if f in files), None)
    return Item(
        id=fid,
        title=title,
        chart=title.split(": ", 1)[0] if ": " in title else title,
        caption=str(entry.get("caption") or ""),
        source=str(entry.get("source") or ""),
        alt=str(entry.get("alt") or title),
        files=files,
        no_data=no_data,
        searched=searched(entry),
        size=png_size(out / image) if image and image.endswith(".png") else None,
        geos=entry_geos(entry),
    )


def searched(entry: dict[str, Any]) -> str:
    """The publications searched for a chart without data, as one line ("" when none)."""
    value = entry.get("searched") or []
    return "; ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def is_ranking(entry: dict[str, Any]) -> bool:
    """An entry of the ranking (by its id or its files under ranking/)."""
    return str(entry.get("id", "")).startswith("ranking") or any(
        str(v).startswith("ranking/") for v in (entry.get("files") or {}).values()
    )


def is_revision(entry: dict[str, Any]) -> bool:
    """A chart of the revisions report (shown on its page, not on a place's)."""
    return str(entry.get("id", "")).startswith("revisions")
