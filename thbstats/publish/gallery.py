"""The figure gallery, built from ``figures/manifest.json``: the site (``figures/index.html`` and
its pages, see ``thbstats.publish.site``) and ``figures/README.md``, the same figures in Markdown."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from thbstats.publish.markdown_text import md_text

LABELS = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "csv": "data (CSV)", "xlsx": "data (XLSX)"}


REPORTS = {
    "claims": "Published claims checked: the concept note and the UNODC Global Reports",
    "revisions": "Revisions between UNODC releases",
    "briefs": "Briefs",
}
"""Report folders under figures/ listed in the gallery (written by `thbstats claims`, the
revisions notebook and `thbstats revisions`), in this order."""


def reports(out_dir: str | Path) -> list[tuple[str, list[str]]]:
    """(title, files relative to out_dir) of each report folder present, Markdown first."""
    out = Path(out_dir)
    found = []
    for folder, title in REPORTS.items():
        d = out / folder
        if not d.is_dir():
            continue
        files = sorted(
            (f for f in d.iterdir() if f.is_file() and not f.name.startswith(".")),
            key=lambda f: (f.suffix != ".md", f.name),
        )
        if files:
            found.append((title, [f"{folder}/{f.name}" for f in files]))
    return found


def build_readme(figures: list[dict], report_items: list[tuple[str, list[str]]] = ()) -> str:
    """The same gallery as Markdown."""
    parts = [
        "# thbstats figures",
        "",
        "Built from `manifest.json` by `thbstats.publish.gallery`; open `index.html` for the",
        "figures by place, with the briefs.",
        "",
    ]
    if report_items:
        parts += ["## Reports", ""]
        parts += [
            f"- {title}: " + " · ".join(f"[{f.split('/')[-1]}]({quote(f)})" for f in files)
            for title, files in report_items
        ]
        parts += [""]
    for f in figures:
        files = f.get("files") or {}
        img = files.get("png") or files.get("svg", "")
        links = " · ".join(f"[{LABELS.get(k, k)}]({quote(n)})" for k, n in files.items())
        alt = md_text(f.get("alt", ""))
        parts += [f"## {md_text(f.get('title') or f['id'])}", ""]
        reason = f.get("empty") or f.get("reason")
        if reason or str(f.get("status", "")).lower() == "no data":
            parts += [f"**No data:** {md_text(reason or 'no figures in the dataset')}", ""]
            if f.get("searched"):
                parts += [f"Searched: {md_text('; '.join(map(str, f['searched'])))}", ""]
        if img:
            parts += [f"![{alt}]({quote(img)})", ""]
        parts += [md_text(f.get("caption", "")), "", f"*{md_text(f.get('source', ''))}*", ""]
        if links:
            parts += [f"Download: {links}", ""]
    return "\n".join(parts)


def build_gallery(out_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Write the site (index.html first) and README.md beside the manifest (default: the
    project's figures/); return the start page and the README."""
    from thbstats import paths
    from thbstats.atomic import write_text_atomic
    from thbstats.publish import manifest
    from thbstats.publish.site import build_site
    from thbstats.publish.site.assemble import sub_manifests

    out = paths.output_dir(out_dir)
    page = build_site(out)[0]
    readme = out / "README.md"
    with manifest.exporting(out):  # a prune (which clears temporary files) waits
        figures = manifest.read(out)  # current figures only: runs drop what they no longer make
        figures += [e for _, entries in sub_manifests(out) for e in entries]  # ranking/, ...
        write_text_atomic(readme, build_readme(figures, reports(out)))
    return page, readme


def main(argv: list[str] | None = None) -> int:
    """``python -m thbstats.publish.gallery [FIGURES_DIR]``: rebuild the site on its own (after
    ``thbstats briefs`` or ``thbstats claims`` wrote into figures/)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    page, readme = build_gallery(args[0] if args else None)
    print(f"gallery rebuilt: {page}, {readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
