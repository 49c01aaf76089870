"""New releases: a file in the downloads folder that no registered checksum matches.

A file whose layout matches a known reader (today: the UNODC GLOTIP workbook) is read with a
warning, its rows flagged `unregistered` and cited to an entry described from the file itself;
an altered copy of a registered release, or two files of one release, are refused.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from thbstats import releases
from thbstats.errors import InputError
from thbstats.sources import ReadResult, Release


def identify(path: Path) -> Release | None:
    """The release an unregistered file is (by layout); None for a file no reader knows."""
    if path.suffix.lower() != ".xlsx":
        return None
    return releases.unregistered_release(path, releases.sha256_of(path))


def accept(release: Release, path: Path, res: ReadResult) -> tuple[str, dict, str]:
    """Check an unregistered release is not a registered one's altered copy.

    Returns its citation key, the citation entry describing it, and the warning to show.
    """
    from thbstats.sources.unodc_glotip import layout

    publication = res.frame["publication"].iloc[0] if len(res.frame) else "(no rows)"
    cell = f"cell {layout()['release_date_cell']}"
    for reg in releases.registered():
        if reg.publication == publication:
            raise InputError(
                str(path),
                cell,
                "release date",
                f"the registered file of {publication} ({reg.key}: {reg.filename}, sha256 "
                f"{reg.sha256[:12]}...) or a release date not registered yet",
                f"a file with that date and sha256 {release.sha256[:12]}... (an altered copy? "
                "download it again with `thbstats fetch`, or register it)",
            )
    release = replace(release, publication=publication, release_date=publication[-10:])
    warning = (
        f"{path}: unregistered file (sha256 {release.sha256}) read as '{publication}' because its "
        f"layout matches the UNODC GLOTIP workbook; its rows cite '{release.key}' and are flagged "
        "'unregistered'. Register it in data/raw/sources.yml (README: Adding a new release)."
    )
    return release.key, releases.unregistered_entry(release, path), warning


def one_file_per_release(results: list[ReadResult], files: list[str]) -> None:
    """Refuse two files that hold the same publication (e.g. an unregistered copy of a release)."""
    seen: dict[str, str] = {}
    for res, file in zip(results, files, strict=True):
        for publication in res.frame["publication"].unique():
            if publication in seen:
                raise InputError(
                    file,
                    None,
                    "publication",
                    "one file per release",
                    f"{publication}, also read from {seen[publication]}",
                )
            seen[publication] = file
