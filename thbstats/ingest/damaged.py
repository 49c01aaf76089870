"""Damaged files in the downloads folder, said plainly.

A file whose checksum no release registers may be a registered release, damaged: it has the
release's registered file name and size (a broken copy, or a download cut short and padded), and
is reported as that release, damaged, with what to do. Or it may be a damaged extra copy of a
release that is present intact elsewhere in the folder (same file name, or the same bytes cut
short or with a few blocks changed): it is skipped with a warning, and the build goes on.
"""

from __future__ import annotations

from pathlib import Path

from thbstats.digest import sha256_of
from thbstats.ingest.readers import Release
from thbstats.ingest.releases import registered


def damaged_releases(missing: list[Release], others: list[Path]) -> dict[str, Path]:
    """Missing releases present as a damaged file: among ``others`` (files of no registered
    checksum), one with the release's registered file name and size (its key -> the file)."""
    out = {}
    for rel in missing:
        for path in others:
            same_name = path.name.lower() == rel.filename.lower()
            if same_name and rel.size is not None and path.stat().st_size == rel.size:
                out[rel.key] = path
                break
    return out


COPY_BLOCK = 4096
MAX_COMPARED = 256 * 1024 * 1024  # larger files are never compared byte by byte


def copy_of(path: Path, present: dict[str, Path]) -> str | None:
    """The key of a present release that ``path`` (a file no release registers) is a damaged
    copy of: one with the same file name (the registered one, or the present file's), or whose
    bytes it repeats (the start only: a truncated copy; or all but a few 4 KiB blocks)."""
    by_key = {r.key: r for r in registered()}
    for key, file in present.items():
        names = {file.name.lower(), by_key[key].filename.lower() if key in by_key else ""}
        if path.name.lower() in names:
            return key
    for key, file in present.items():
        if _repeats(path, file):
            return key
    return None


def _repeats(copy: Path, original: Path) -> bool:
    """``copy`` is the start of ``original`` (truncated), or differs from it in at most one
    block in a hundred (damaged in place)."""
    size, full = copy.stat().st_size, original.stat().st_size
    if not 0 < size <= full or full > MAX_COMPARED:
        return False
    a, b = copy.read_bytes(), original.read_bytes()
    if size < full:
        return b.startswith(a)
    blocks = range(0, size, COPY_BLOCK)
    differ = sum(a[i : i + COPY_BLOCK] != b[i : i + COPY_BLOCK] for i in blocks)
    return 0 < differ <= max(1, len(blocks) // 100)


def damaged_text(rel: Release, path: Path) -> str:
    """What a damaged file of a registered release is, and what to do about it."""
    how = (
        f"download it again by hand ({rel.manual.page})"
        if rel.manual
        else "run `thbstats fetch`"
        if rel.addresses
        else "save an intact copy"
    )
    return (
        f"{path} has the name and size of {rel.key} ({rel.size:,} bytes) but sha256 "
        f"{sha256_of(path)[:12]}..., not the registered {rel.sha256[:12]}...: it is that release, "
        f"damaged (a broken copy or download). Delete it, then {how} into {path.parent}"
    )
