"""The gallery site under ``figures/``: a start page (``index.html``: the list of places with a
filter box, the OSCE-wide figures, the ranking, the reports), a page per place
(``places/<CODE>.html``: its brief, its charts with caption, source and data) and the report pages
(``reports/<folder>.html``). Self-contained: CSS and script inline, local files only.

The whole site is rendered in memory first, so a failure leaves the previous site as it was; then
each page is replaced atomically, the start page last, and pages of places that are gone are
removed. A rebuild holds ``.site.lock`` (one rebuild at a time) and the export lock shared (no prune
deletes a figure while its page is written).
"""

from __future__ import annotations

import os
from pathlib import Path

from thbstats.publish.site.assemble import Site, assemble
from thbstats.publish.site.render import pages

SITE_FOLDERS = ("places", "reports")
"""Folders of figures/ that hold only site pages (stale pages in them are removed)."""

__all__ = ["SITE_FOLDERS", "Site", "assemble", "build_site", "pages", "site_pages"]


def build_site(out_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write the site beside ``figures/manifest.json``; return the pages written, start page first."""
    from thbstats import paths
    from thbstats.atomic import file_lock, remove_stale_temps, write_text_atomic
    from thbstats.publish import manifest

    out = paths.output_dir(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with manifest.exporting(out), file_lock(out / ".site.lock"):
        rendered = pages(assemble(out, manifest.read(out)), out)
        order = sorted(rendered, key=lambda rel: (rel == "index.html", rel))
        for rel in order:
            write_text_atomic(out / rel, rendered[rel])
        for folder in SITE_FOLDERS:
            remove_stale_temps(out / folder)
            for page in site_pages(out, folder):
                if f"{folder}/{page.name}" not in rendered:
                    page.unlink(missing_ok=True)
    return [out / rel for rel in reversed(order)]


def site_pages(out_dir: str | os.PathLike[str], folder: str | None = None) -> list[Path]:
    """The pages of the site in ``out_dir`` (the start page first), or those of one folder."""
    out = Path(out_dir)
    folders = [folder] if folder else SITE_FOLDERS
    found = [p for f in folders for p in sorted((out / f).glob("*.html")) if p.is_file()]
    start = out / "index.html"
    return found if folder else ([start] if start.is_file() else []) + found
