"""`thbstats register FILE`: describe a new release in data/raw/sources.yml with one command.

The entry is read from the file (reader, publication and release date from its title rows: UNODC
prints the release date in cell A2), its sha256 and size, and the previous release of the same
publisher (publisher, title, licence, the publisher's address). It is appended to sources.yml as
text, so the rest of the file stays exactly as it was; the file is replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from thbstats import citations, paths
from thbstats.atomic import atomic_path
from thbstats.digest import sha256_of
from thbstats.errors import InputError, ReleaseError
from thbstats.ingest import releases
from thbstats.ingest.new_release import FileInfo, describe_file
from thbstats.ingest.readers import Release

PINNED = (
    r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+",
    r"https://web\.archive\.org/web/\d{14}id_/https?://\S+",
)
"""Addresses that cannot change: a file at a full commit id, or an archive snapshot."""


def check_pinned(url: str) -> None:
    """ReleaseError unless ``url`` is a pinned address (see PINNED)."""
    if not any(re.fullmatch(p, url) for p in PINNED):
        raise ReleaseError(
            f"--url {url}: expected a pinned address, "
            "https://raw.githubusercontent.com/<owner>/<repo>/<40-hex commit>/<path> or "
            "https://web.archive.org/web/<14-digit timestamp>id_/<address>"
        )


KEY = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
"""A citation key: lower-case letters, digits and inner hyphens, at most 80 characters (every key
of sources.yml; nothing YAML would read as anything but a plain string)."""


def check_key(key: str) -> None:
    """InputError unless ``key`` is a plain citation key (see KEY); the key is not echoed whole."""
    if not KEY.fullmatch(key):
        shown = key if len(key) <= 40 else f"{key[:40]}... ({len(key):,} characters)"
        raise InputError(
            "--key",
            None,
            None,
            "a citation key of lower-case letters, digits and hyphens (at most 80 characters, "
            "e.g. unodc-glotip-2025-04-14)",
            shown,
        )


def sources_file() -> Path:
    """The registry of publications and releases."""
    return paths.raw_dir() / "sources.yml"


def _q(value: Any) -> str:
    """A YAML scalar: a double-quoted string (JSON syntax is valid YAML; characters YAML may not
    hold raw, such as DEL or U+2028, as escapes), or a number.

    >>> print(_q("a\x7fb\u2028é"))
    "a\\u007fb\\u2028é"
    """
    if isinstance(value, int):
        return str(value)
    text = json.dumps(str(value), ensure_ascii=False)
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _previous(info: FileInfo) -> tuple[Release | None, dict[str, Any]]:
    """The newest registered release read by the same reader, and its sources.yml entry."""
    family = sorted(
        (r for r in releases.registered() if r.reader == info.reader), key=lambda r: r.release_date
    )
    if not family:
        return None, {}
    return family[-1], citations.all_sources(sources_file())[family[-1].key]


def _names(info: FileInfo, path: Path) -> tuple[str, str, str]:
    """Default citation key, file name and edition text for a release."""
    if info.reader == "unodc_glotip":
        day = dt.date.fromisoformat(info.release_date)
        return (
            f"unodc-glotip-{info.release_date}",
            f"data_glotip_release-{info.release_date}.xlsx",
            f"release of {day:%d/%m/%Y}",
        )
    return f"walkfree-gsi-{info.edition}-data", path.name, str(info.edition)


def _check_new(path: Path, digest: str, info: FileInfo, key: str) -> None:
    known = citations.all_sources(sources_file())
    for rel in releases.registered():
        if rel.sha256 == digest:
            raise ReleaseError(f"{path}: already registered as {rel.key} (sha256 {digest[:12]}...)")
    for rel in releases.registered():
        if rel.publication == info.publication:
            raise ReleaseError(
                f"{path}: expected a release not registered yet, found '{info.publication}', "
                f"registered as {rel.key} with another file (sha256 {rel.sha256[:12]}..., this one "
                f"{digest[:12]}...): an altered copy? If the publisher re-issued the release, "
                "describe it by hand in data/raw/sources.yml"
            )
    if key in known:
        raise ReleaseError(
            f"{sources_file()}: key {key} is already described; choose another with --key"
        )


def entry_text(
    path: Path, key: str | None = None, urls: list[str] | None = None
) -> tuple[str, str]:
    """The citation key and the sources.yml block (text) describing the release file ``path``."""
    if key is not None:
        check_key(key)
    if not path.is_file():
        raise ReleaseError(f"{path}: expected a release file to register, found nothing there")
    for url in urls or []:
        check_pinned(url)
    info = describe_file(path)
    if info is None:
        raise InputError(
            str(path),
            None,
            None,
            "a workbook whose layout a reader knows (UNODC "
            "data_glotip.xlsx, or a Walk Free GSI edition of thbstats/ingest/readers/walkfree_gsi.yml)",
        )
    digest = sha256_of(path)
    default_key, filename, edition = _names(info, path)
    key = key or default_key
    _check_new(path, digest, info, key)
    prev, base = _previous(info)
    if info.reader == "walkfree_gsi":  # the previous edition's title and sheet do not apply
        from thbstats.ingest.readers.walkfree_gsi import layouts

        sheet = layouts()[str(info.edition)]["sheet"]
        base = base | {
            "title": f"The Global Slavery Index {info.edition}, data workbook ({path.name})",
            "locator": f"sheet '{sheet}'",
        }
    addresses = [
        (a.url, "publisher") for a in (prev.addresses if prev else ()) if a.kind == "publisher"
    ]
    addresses += [(u, "pinned") for u in urls or []]
    lines = [
        f"{key}:",
        f"  publisher: {_q(base.get('publisher', info.source))}",
        f"  title: {_q(base.get('title', info.publication))}",
        f"  edition: {_q(edition)}",
        f"  year: {int(info.release_date[:4])}",
        f"  url: {_q(base.get('url') or (addresses[0][0] if addresses else path.name))}",
        f"  locator: {_q(base.get('locator', ''))}",
        f"  licence: {_q(base.get('licence', 'unknown: check the publisher terms'))}",
        "  primary: true",
        f"  seen_at: {_q(f'registered with thbstats register on {dt.date.today()} from {path.name}')}",
        "  release:",
        f"    source: {info.source}",
        f"    reader: {info.reader}",
    ]
    lines += [f"    edition: {_q(info.edition)}"] if info.edition else []
    lines += [
        f"    publication: {_q(info.publication)}",
        f"    filename: {_q(filename)}",
        f"    release_date: {_q(info.release_date)}",
        f"    sha256: {digest}",
        f"    size: {path.stat().st_size}",
    ]
    if addresses:
        lines.append("    addresses:")
        for url, kind in addresses:
            lines += [f"      - url: {_q(url)}", f"        kind: {kind}"]
    if prev and prev.manual and not urls:
        lines += ["    manual:", f"      page: {_q(prev.manual.page)}"]
        lines += [f"      why: {_q(prev.manual.why)}"] if prev.manual.why else []
    return key, "\n".join(lines) + "\n"


def register(
    path: Path, key: str | None = None, urls: list[str] | None = None, dry_run: bool = False
) -> tuple[str, str]:
    """Append the entry for ``path`` to sources.yml (atomically); return its key and text."""
    key, block = entry_text(path, key, urls)
    target = sources_file()
    old = target.read_text(encoding="utf-8")
    new = old + ("" if old.endswith("\n") or not old else "\n") + block
    parsed = yaml.safe_load(new)
    if set(parsed) != set(yaml.safe_load(old) or {}) | {key}:  # pragma: no cover - defensive
        raise ReleaseError(f"{target}: expected the new entry {key} only, found other changes")
    Release.from_entry(key, parsed[key])
    if not dry_run:
        with atomic_path(target) as tmp:
            tmp.write_text(new, encoding="utf-8")
            tmp.chmod(target.stat().st_mode & 0o777)  # keep the file's permissions
    return key, block
