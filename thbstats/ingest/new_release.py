"""New releases: a file in the downloads folder that no registered checksum matches.

A file whose layout matches a known reader (today: the UNODC GLOTIP workbook) is read with a
warning, its rows flagged `unregistered` and cited to an entry described from the file itself;
an altered copy of a registered release, or two files of one release, are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from thbstats.digest import sha256_of
from thbstats.errors import InputError
from thbstats.ingest import releases
from thbstats.ingest.readers import ReadResult, Release


@dataclass(frozen=True)
class FileInfo:
    """What a workbook is, judged from its sheet names and title rows (no data read)."""

    reader: str
    source: str
    publication: str
    release_date: str
    edition: str | None = None


def _title_rows(path: Path, sheet: str, n: int = 3) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    return pd.DataFrame(rows.to_python(skip_empty_area=False, nrows=n))


def describe_file(path: Path) -> FileInfo | None:
    """Reader, publication and release date of a workbook (None: no reader knows its layout).

    UNODC prints the release date in cell A2 (dd/mm/yyyy); a Walk Free workbook's edition is
    known from its sheet names (the layouts of thbstats/ingest/readers/walkfree_gsi.yml).
    InputError when the file is not a safe, intact xlsx, or A2 holds no date.
    """
    from thbstats.ingest.readers import unodc_glotip, walkfree_gsi
    from thbstats.ingest.readers.workbook import sheet_names

    if path.suffix.lower() != ".xlsx":
        return None
    sheets = sheet_names(path)
    sheet = unodc_glotip.layout()["sheet"]
    if sheet in sheets:
        publication = unodc_glotip.publication_of(_title_rows(path, sheet), path)
        return FileInfo("unodc_glotip", "UNODC", publication, publication[-10:])
    for edition, lay in walkfree_gsi.layouts().items():
        if lay["sheet"] in sheets:
            return FileInfo(
                "walkfree_gsi", "WALKFREE", f"Global Slavery Index {edition}", edition, edition
            )
    return None


def identify(path: Path) -> Release | None:
    """The release an unregistered file is (by layout); None for a file no reader knows."""
    if path.suffix.lower() != ".xlsx":
        return None
    return releases.unregistered_release(path, sha256_of(path))


def accept(release: Release, path: Path, res: ReadResult) -> tuple[str, dict, str]:
    """Check an unregistered release is not a registered one's altered copy.

    Returns its citation key, the citation entry describing it, and the warning to show.
    """
    from thbstats.ingest.readers.unodc_glotip import layout

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
        f"'unregistered'. Register it in data/raw/sources.yml with one command: "
        f"thbstats register {path}"
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
