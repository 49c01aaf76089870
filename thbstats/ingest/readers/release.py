"""What a reader reads and returns: a registered release, its addresses, and a read's result.

The data types shared by the registry (:mod:`thbstats.ingest.readers`) and every reader module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

ADDRESS_KINDS = ("publisher", "pinned", "archive", "mirror")
"""publisher: the publisher's own address (may be replaced in place by the next release);
pinned: a copy that cannot change (a file at a fixed commit of a public repository);
archive: a dated archive snapshot; mirror: an institution's copy (given at fetch time)."""


@dataclass(frozen=True)
class Address:
    """One place a release file can be downloaded from, tried in the order registered."""

    url: str
    kind: str = "pinned"
    note: str = ""

    @classmethod
    def from_entry(cls, entry: Any) -> Address:
        if isinstance(entry, str):
            return cls(url=entry)
        return cls(url=entry["url"], kind=entry.get("kind", "pinned"), note=entry.get("note", ""))


@dataclass(frozen=True)
class Manual:
    """A release that a person must fetch: the page to visit and why it cannot be automated."""

    page: str
    why: str = ""


@dataclass
class Release:
    """An official release registered in data/raw/sources.yml (citation key + `release:` block)."""

    key: str
    source: str
    reader: str
    publication: str
    filename: str
    sha256: str
    release_date: str
    download_url: str | None = None
    edition: str | None = None
    flag: str = ""
    size: int | None = None
    addresses: tuple[Address, ...] = ()
    manual: Manual | None = None

    @classmethod
    def from_entry(cls, key: str, entry: dict[str, Any]) -> Release:
        r = entry["release"]
        addresses = [Address.from_entry(a) for a in r.get("addresses") or []]
        if r.get("download_url"):  # one address, the publisher's (older entries, tests)
            addresses.insert(0, Address(url=r["download_url"], kind="publisher"))
        manual = r.get("manual")
        return cls(
            key=key,
            source=r["source"],
            reader=r["reader"],
            publication=r["publication"],
            filename=r["filename"],
            sha256=r["sha256"].lower(),
            release_date=str(r["release_date"]),
            download_url=r.get("download_url")
            or next((a.url for a in addresses if a.kind == "publisher"), None),
            edition=str(r.get("edition") or "") or None,
            flag=r.get("flag", ""),
            size=r.get("size"),
            addresses=tuple(addresses),
            manual=Manual(page=manual["page"], why=manual.get("why", "")) if manual else None,
        )


@dataclass
class ReadResult:
    """What a reader returns: tidy rows, the origin row of each (for messages), counts of what it
    checked or dropped, extra tables, and the audit of every source row it dropped or merged."""

    frame: pd.DataFrame
    rows: pd.Series
    dropped: dict[str, int] = field(default_factory=dict)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    audit: pd.DataFrame | None = None
    origin: str = ""  # the release key and file name, or the transcribed file, it was read from
    cached: bool = False  # taken from the parse cache (validated when it was parsed)
