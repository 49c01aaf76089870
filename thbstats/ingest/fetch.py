"""`thbstats fetch`: every registered release from its addresses, and new releases kept.

For each release missing from the downloads folder, the mirrors are tried first, then the
registered addresses in order; the first file whose sha256 matches is kept under the registered
file name. A file with another checksum is handled by who served it:

- the checksum of another registered release: kept as that release;
- the publisher's address (replaced in place with each release): kept as a new release, under a
  name carrying its release date (or download date) and checksum prefix; `thbstats data` reads
  it as an unregistered release and `thbstats register FILE` registers it;
- a pinned copy or a mirror: refused (deleted) and the next address is tried.

A file the publisher served is never deleted, unless an identical file is already in the folder.

Each download is bounded (see ``download``): an overall deadline per file
($THBSTATS_FETCH_DEADLINE), and a byte limit: the registered size of the release for a pinned
copy or a mirror, $THBSTATS_FETCH_MAX_BYTES for a publisher's address (which may serve a new,
larger release) or a release registered without a size.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from thbstats.digest import sha256_of
from thbstats.errors import InputError, ReleaseError
from thbstats.ingest import damaged, download, fetch_guard, releases
from thbstats.ingest.mirror import Mirror
from thbstats.ingest.readers import Address, Release

if TYPE_CHECKING:
    from thbstats.ingest.new_release import FileInfo

OK, FAILED, MANUAL = 0, 1, 3
"""Exit statuses: every registered release present; an automatic download failed; only releases
that must be fetched by hand (no address registered) are missing."""


@dataclass
class Session:
    """One fetch run: the downloads folder, the files in it, and the addresses read so far."""

    downloads: Path
    timeout: float
    log: Callable[[str], None]
    have: dict[str, Path] = field(default_factory=dict)  # sha256 -> file in the folder
    served: dict[str, str] = field(default_factory=dict)  # address -> sha256 ("" = failed)
    new: list[Path] = field(default_factory=list)  # unregistered files kept this run
    deadline: float = download.DEADLINE
    cap: int = download.MAX_BYTES

    def bounds(self, address: Address, want: Release | None) -> download.Bounds:
        """The deadline and byte limit of one download (see the module docstring)."""
        if want is not None and want.size and address.kind != "publisher":
            return download.Bounds(self.deadline, want.size, f"the registered size of {want.key}")
        return download.Bounds(self.deadline, self.cap, f"${download.MAX_BYTES_ENV}")

    def get(self, rel: Release, addresses: list[Address]) -> bool:
        """Try ``addresses`` in order until the folder holds ``rel``; True when it does."""
        for address in addresses:
            if rel.sha256 in self.have:
                break
            self.read(address, rel)
        return rel.sha256 in self.have

    def read(self, address: Address, want: Release | None) -> None:
        """Download one address (once per run) and keep, file or refuse what it served."""
        if address.url in self.served:
            return
        try:
            bounds = self.bounds(address, want)
            got = download.get(address.url, self.downloads, self.timeout, bounds)
        except ReleaseError as exc:
            self.served[address.url] = ""  # not read again in this run
            self.log(f"  failed  {address.url} ({address.kind}): {_reason(exc, address.url)}")
            return
        self.served[address.url] = got.sha256
        registered = {r.sha256: r for r in releases.registered()}.get(got.sha256)
        if got.sha256 in self.have:
            download.discard(got)  # an identical file is already in the folder
            if want is None:
                self.log(f"  same    {address.url}: {self.have[got.sha256].name} already here")
        elif registered is not None:
            name = download.free_name(self.downloads, registered.filename, got.sha256)
            self.have[got.sha256] = download.keep(got, name)
            self.log(f"  fetched {registered.key} from {address.url} -> {name}")
        elif address.kind == "publisher":
            self._keep_new(got, address)
        else:
            download.discard(got)
            expected = f"the registered {want.sha256} of {want.key}" if want else "a registered one"
            self.log(
                f"  REFUSED {address.url} ({address.kind}): served a file with sha256 "
                f"{got.sha256}, expected {expected}; trying the next address"
            )

    def _keep_new(self, got: download.Fetched, address: Address) -> None:
        """Keep what the publisher served: a new release, named by its date and checksum.

        A file the build cannot take (no workbook, or the date of a registered release with
        other contents) is kept with the suffix ``.held``, which the build does not read.
        """
        stem, suffix = os.path.splitext(Path(address.url.split("?")[0]).name or "release.xlsx")
        staged = fetch_guard.staged_name(self.downloads, stem, got.sha256[:8], suffix)
        staged = download.keep(got, staged)
        info, problem = _describe(staged)
        if info and info.publication in {r.publication for r in releases.registered()}:
            problem = (
                f"it claims to be '{info.publication}', registered with another file (an "
                "altered copy, or a re-issue to describe by hand in data/raw/sources.yml)"
            )
        day = info.release_date if info else f"downloaded-{dt.date.today():%Y-%m-%d}"
        name = f"{stem}_{day}_{got.sha256[:8]}{suffix}" + (".held" if problem else "")
        final = self.downloads / name
        if final.is_file() and sha256_of(final) == got.sha256:
            staged.unlink()  # kept by an earlier run (a held file is not indexed)
            self.have[got.sha256] = final
            self.log(f"  same    {address.url}: kept earlier as {final}")
            return
        final = download.free_name(self.downloads, name, got.sha256)
        os.replace(staged, final)
        self.have[got.sha256] = final
        self.new.append(final)
        if problem:
            what = f"not read by the build: {problem}"
        elif info and info.reader == "unodc_glotip":
            what = f"`thbstats data` reads it as '{info.publication}', flagged unregistered"
        else:
            what = "no reader takes it before it is registered"
        self.log(
            f"  NEW     {address.url} served a file that is not registered (sha256 {got.sha256}):"
            f" kept as {final}; {what}."
            + ("" if problem else f" Register it: thbstats register {final}")
        )


def _describe(path: Path) -> tuple[FileInfo | None, str]:
    """What a kept file is (None and the reason when it does not read as a workbook)."""
    from thbstats.ingest.new_release import describe_file

    try:
        return describe_file(path), ""
    except InputError as exc:
        return None, f"its layout does not read ({exc})"


def _reason(exc: Exception, url: str) -> str:
    """The cause of a failed download, without the address (printed beside it)."""
    text = str(exc).removeprefix(f"{url}: ")
    return text.removeprefix("expected a file to download, found ")


def manual_text(rel: Release, downloads: Path) -> str:
    """What to do for a release that must be fetched by hand: the page, the file name."""
    if rel.manual is None:
        return (
            f"  manual  {rel.key}: no download address registered; save {rel.filename} "
            f"into {downloads}"
        )
    why = f" ({rel.manual.why})" if rel.manual.why else ""
    return (
        f"  manual  {rel.key}: fetch it by hand{why}: visit {rel.manual.page} and save "
        f"{rel.filename} into {downloads} (any file name will do: it is recognised by its "
        f"sha256 {rel.sha256[:12]}...)"
    )


def _one(s: Session, rel: Release, mirrors: list[Mirror], offline: bool) -> int:
    """Fetch one missing release: OK, or FAILED / MANUAL with what to do printed."""
    mirrored = [a for a in (m.address(rel) for m in mirrors) if a is not None]
    if s.get(rel, mirrored + ([] if offline else list(rel.addresses))):
        return OK
    if rel.addresses and not offline:
        s.log(f"  FAILED  {rel.key}: no address served its registered file ({rel.filename})")
    if rel.manual or not rel.addresses:
        s.log(manual_text(rel, s.downloads))
    return FAILED if rel.addresses and not offline else MANUAL


def fetch(
    downloads: Path,
    *,
    mirrors: list[Mirror] | None = None,
    timeout: float = 60.0,
    log: Callable[[str], None] = print,
    look_for_new: bool = True,
    offline: bool = False,
) -> int:
    """Fetch every missing registered release; return OK, FAILED or MANUAL (see above).

    ``look_for_new``: also read the publishers' addresses of the releases already present, so
    that a release replacing the file in place is kept. ``offline``: only the mirrors are tried.
    Temporary files (hidden, ignored by the build) are removed when a signal stops the fetch,
    and those of a fetch no longer running (killed with SIGKILL) by the next one.
    """
    s = Session(downloads, timeout, log, deadline=download.deadline(), cap=download.max_bytes())
    downloads.mkdir(parents=True, exist_ok=True)
    fetch_guard.remove_stale(downloads)
    with fetch_guard.on_signals(downloads):
        return _fetch(s, mirrors or [], look_for_new, offline)


def _fetch(s: Session, mirrors: list[Mirror], look_for_new: bool, offline: bool) -> int:
    found, missing, others = releases.locate(s.downloads)
    s.have = {sha: Path(p) for p, sha in releases.checksums(s.downloads).items()}
    for key in found:
        s.log(f"  have    {key}")
    by_key = {r.key: r for r in missing}
    for key, path in damaged.damaged_releases(missing, others).items():
        s.log(f"  DAMAGED {key}: {damaged.damaged_text(by_key[key], path)}")
    results = {_one(s, rel, mirrors, offline) for rel in missing}
    if look_for_new and not offline:
        for a in (a for r in releases.registered() for a in r.addresses):
            if a.kind == "publisher" and a.url not in s.served:
                s.log(f"  check   {a.url} (the publisher's address) for a new release")
                s.read(a, None)
    return FAILED if FAILED in results else MANUAL if MANUAL in results else OK
