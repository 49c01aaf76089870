"""An institution's own copies of the releases: a URL prefix or a folder, tried before the public
addresses and checked by sha256 like any other address.

- a URL prefix (``https://intranet.example/thb/``): each release is looked for under its
  registered file name (``<prefix>/data_glotip_release-2025-04-14.xlsx``);
- a folder (a path or ``file://`` URL): every file in it (and below) is recognised by its
  sha256, whatever its name.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from thbstats.errors import ReleaseError
from thbstats.ingest.readers import Address, Release

ENV = "THBSTATS_MIRROR"
"""Environment variable naming a mirror (used when no --mirror is given)."""


@dataclass
class Mirror:
    """One mirror: a URL prefix, or a local folder indexed by checksum."""

    spec: str
    folder: Path | None = None
    _index: dict[str, Path] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, spec: str) -> Mirror:
        """A mirror from ``--mirror``: an http(s) URL prefix, a ``file://`` URL or a folder."""
        if spec.startswith(("http://", "https://")):
            return cls(spec=spec)
        folder = Path(urllib.parse.unquote(spec.removeprefix("file://"))).expanduser()
        if not folder.is_dir():
            raise ReleaseError(
                f"mirror {spec}: expected an http(s) URL prefix or an existing folder, "
                "found neither"
            )
        return cls(spec=spec, folder=folder.resolve())

    def address(self, release: Release) -> Address | None:
        """Where this mirror would hold ``release`` (None: a folder without that checksum)."""
        if self.folder is None:
            name = urllib.parse.quote(release.filename)
            return Address(url=f"{self.spec.rstrip('/')}/{name}", kind="mirror", note=self.spec)
        path = self.index().get(release.sha256)
        return Address(url=str(path), kind="mirror", note=self.spec) if path else None

    def index(self) -> dict[str, Path]:
        """sha256 -> file, for every candidate file under the folder (hashed once)."""
        if self._index is None:
            from thbstats.digest import sha256_of
            from thbstats.ingest.releases import SUFFIXES

            self._index = {}
            for p in sorted(self.folder.rglob("*")) if self.folder else []:
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."):
                    self._index.setdefault(sha256_of(p), p)
        return self._index


def mirrors(specs: list[str] | None) -> list[Mirror]:
    """The mirrors given on the command line, else the one in $THBSTATS_MIRROR, else none."""
    chosen = list(specs or [])
    if not chosen and os.environ.get(ENV):
        chosen = [os.environ[ENV]]
    return [Mirror.parse(s) for s in chosen]
