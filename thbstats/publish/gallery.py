"""The figure gallery: ``figures/index.html`` (self-contained: inline CSS, local files only) and
``figures/README.md``, both built from ``figures/manifest.json``."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222}figure{margin:0 0 3em;border-bottom:1px solid #ddd;padding-bottom:2em}
img{max-width:100%;height:auto;border:1px solid #eee}figcaption{margin:.6em 0}
.src{color:#555;font-size:.9em}.files a{margin-right:1em}
.empty{color:#8a4b00;background:#fff4e5;padding:.4em .6em}"""
LABELS = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "csv": "data (CSV)", "xlsx": "data (XLSX)"}


def _figure_html(f: dict) -> str:
    e = html.escape
    files = f.get("files", {})
    links = " ".join(f'<a href="{quote(name)}">{LABELS.get(k, k)}</a>' for k, name in files.items())
    img = files.get("png") or files.get("svg", "")
    empty = f'<p class="empty">No data: {e(f["empty"])}</p>\n' if f.get("empty") else ""
    if f.get("searched"):
        empty += f'<p class="src">Searched: {e("; ".join(f["searched"]))}</p>\n'
    image = f'<img src="{quote(img)}" alt="{e(f.get("alt", ""))}">\n' if img else ""
    return (
        f'<figure id="{e(f["id"])}">\n<h2>{e(f["title"])}</h2>\n{empty}{image}'
        f"<figcaption>{e(f.get('caption', ''))}\n"
        f'<p class="src">{e(f.get("source", ""))}</p>\n'
        f'<p class="files">Download: {links}</p></figcaption>\n</figure>'
    )


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


def _reports_html(items: list[tuple[str, list[str]]]) -> str:
    if not items:
        return ""
    e = html.escape
    rows = "\n".join(
        f"<li>{e(title)}: "
        + " ".join(f'<a href="{quote(f)}">{e(f.split("/")[-1])}</a>' for f in files)
        + "</li>"
        for title, files in items
    )
    return f'<h2 id="reports">Reports</h2>\n<ul class="files">\n{rows}\n</ul>\n'


def build_html(figures: list[dict], report_items: list[tuple[str, list[str]]] = ()) -> str:
    """The gallery page for manifest entries (and the report folders, listed first)."""
    toc = "\n".join(
        f'<li><a href="#{html.escape(f["id"])}">{html.escape(f["title"])}</a></li>' for f in figures
    )
    body = "\n".join(_figure_html(f) for f in figures) or "<p>No figures yet.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>thbstats figures</title>\n<style>" + CSS + "</style>\n</head>\n<body>\n"
        "<h1>thbstats figures</h1>\n<p>Each figure with its caption, source line and the "
        f"data behind it.</p>\n{_reports_html(list(report_items))}<ul>\n{toc}\n</ul>\n{body}"
        "\n</body>\n</html>\n"
    )


def build_readme(figures: list[dict], report_items: list[tuple[str, list[str]]] = ()) -> str:
    """The same gallery as Markdown."""
    parts = [
        "# thbstats figures",
        "",
        "Built from `manifest.json` by `thbstats.publish.gallery`.",
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
        files = f.get("files", {})
        img = files.get("png") or files.get("svg", "")
        links = " · ".join(f"[{LABELS.get(k, k)}]({quote(n)})" for k, n in files.items())
        alt = f.get("alt", "").replace("]", ")").replace("[", "(")
        parts += [f"## {f['title']}", ""]
        if f.get("empty"):
            parts += [f"**No data:** {f['empty']}", ""]
        parts += [f"![{alt}]({quote(img)})", ""] if img else []
        parts += [
            f.get("caption", ""),
            "",
            f"*{f.get('source', '')}*",
            "",
            f"Download: {links}",
            "",
        ]
    return "\n".join(parts)


def build_gallery(out_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Write index.html and README.md beside the manifest (default: the project's figures/)."""
    from thbstats import paths
    from thbstats.atomic import write_text_atomic
    from thbstats.publish import manifest

    out = paths.output_dir(out_dir)
    page, readme = out / "index.html", out / "README.md"
    with manifest.exporting(out):  # a prune (which clears temporary files) waits
        figures = manifest.read(out)  # current figures only: runs drop what they no longer make
        items = reports(out)
        write_text_atomic(page, build_html(figures, items))
        write_text_atomic(readme, build_readme(figures, items))
    return page, readme
