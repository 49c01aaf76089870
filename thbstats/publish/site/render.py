"""The site's pages as text, from the Jinja templates beside this module (CSS and the filter's
script inlined, so every page works on its own, offline)."""

from __future__ import annotations

import csv
import re
from functools import cache
from html import escape
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from thbstats.publish.site.assemble import Site
from thbstats.vocabulary import glossary

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).with_name("templates")
LABELS = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "csv": "Data (CSV)", "xlsx": "Data (XLSX)"}
MAX_TABLE_ROWS = 40
REPORTS = {
    "claims": (
        "Published claims checked",
        "The figures of the concept note and the UNODC Global Reports, checked against the data.",
    ),
    "revisions": (
        "Revisions between releases",
        "What a new UNODC release changed: figures added, removed and revised.",
    ),
}
"""Report pages (reports/<folder>.html) for the report folders present: title and one line."""


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment (autoescaped HTML; undefined names are errors)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["u"] = lambda path: quote(str(path))
    env.globals.update(
        LABELS=LABELS,
        css=(TEMPLATES / "site.css").read_text(encoding="utf-8"),
        filter_js=(TEMPLATES / "filter.js").read_text(encoding="utf-8"),
        fit_js=(TEMPLATES / "fit.js").read_text(encoding="utf-8"),
    )
    return env


def markdown_html(text: str) -> tuple[str, str]:
    """A report's Markdown as HTML (raw HTML in it escaped; tables kept), and a list of its
    sections and subsections linking to their headings (ids from the heading text)."""
    import mistune
    from mistune.toc import add_toc_hook, render_toc_ul

    seen: set[str] = set()

    def heading_id(token: dict, index: int) -> str:
        words = re.sub(r"[^a-z0-9]+", "-", str(token.get("text", "")).lower()).strip("-")
        hid = words[:60].rstrip("-") or f"section-{index}"
        hid = hid if hid not in seen else f"{hid}-{index}"
        seen.add(hid)
        return hid

    md = mistune.create_markdown(escape=True, plugins=["table"])
    add_toc_hook(md, min_level=2, max_level=3, heading_id=heading_id)
    html, state = md.parse(text)
    items = state.env.get("toc_items", [])
    return offline(str(html)), render_toc_ul(items) if items else ""


REMOTE_IMG = re.compile(
    r"<img\b[^>]*?\bsrc\s*=\s*([\"'])\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)[^>]*>", re.I
)


def offline(html: str) -> str:
    """``html`` without images loaded from elsewhere (the site works offline, whatever the data
    says): each becomes the text ``[remote image not shown]``.

    >>> offline('<p><img src="http://127.0.0.1:9/p.png" alt="x"></p>')
    '<p>[remote image not shown]</p>'
    """
    return REMOTE_IMG.sub("[remote image not shown]", html)


URL_ATTR = re.compile(r"""(\s(?:src|href|poster)\s*=\s*)(["'])([^"']*)\2""", re.I)
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/)")


def brief_doc(out: Path, rel: str) -> str:
    """A brief's HTML for the ``srcdoc`` of its place page's frame: relative URLs rewritten to
    resolve from ``places/`` (a ``<base href>`` would leave the browser's first, speculative
    fetch at the wrong address), links opening in the whole window, images no wider than it."""
    text = (out / rel).read_text(encoding="utf-8")

    folder = rel.rpartition("/")[0]
    prefix = f"../{folder}/" if folder else "../"

    def rebase(m: re.Match) -> str:
        url = m[3]
        if not url or ABSOLUTE.match(url):
            return m[0]
        return f"{m[1]}{m[2]}{'../' + rel if url.startswith('#') else prefix}{url}{m[2]}"

    text = URL_ATTR.sub(rebase, text)
    base = '<base target="_top"><style>img,svg{max-width:100%;height:auto}</style>'
    head = re.search(r"<head[^>]*>", text, re.I)
    return text[: head.end()] + base + text[head.end() :] if head else base + text


def verdicts(html: str) -> str:
    """Mark the verdict cells of the claims report for colour (one class per kind of verdict:
    holds, partly, does not hold, undecided)."""
    from thbstats.analysis.claims_verdicts import VERDICT_CLASS

    for verdict, n in VERDICT_CLASS.items():
        text = escape(verdict, quote=False)  # as the Markdown renderer writes it ("'" kept)
        html = html.replace(f"<td>{text}</td>", f'<td class="verdict v{n}">{text}</td>')
    return html


def verdict_counts(path: Path) -> list[tuple[str, int, int]]:
    """(verdict, number of checks, class number) from claims.csv, in the order of VERDICTS."""
    from thbstats.analysis.claims_verdicts import VERDICT_CLASS

    with path.open(encoding="utf-8", newline="") as fh:
        found = [row.get("verdict", "") for row in csv.DictReader(fh)]
    return [(v, found.count(v), n) for v, n in VERDICT_CLASS.items() if v in found]


def csv_table(path: Path, limit: int = MAX_TABLE_ROWS) -> list[list[str]]:
    """The first rows of a small CSV file (header first) to show on a report page."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(islice(csv.reader(fh), limit + 1))


def _report(site: Site, out: Path, folder: str) -> dict:
    """What a report page shows: its files, the Markdown report, summary tables, charts."""
    title, intro = REPORTS[folder]
    files = site.reports.get(folder, [])
    body, toc, tables, counts = "", "", [], []
    for rel in files:
        path = out / rel
        if folder == "claims" and rel.endswith(".md"):
            body, toc = markdown_html(path.read_text(encoding="utf-8"))
            body = verdicts(body)
        elif folder == "claims" and rel.endswith("/claims.csv"):
            counts = verdict_counts(path)
        elif rel.endswith("-summary.csv"):
            tables.append((rel.split("/")[-1], csv_table(path)))
    items = site.revisions if folder == "revisions" else []
    return dict(title=title, intro=intro, files=files, body=body, toc=toc, tables=tables,
                counts=counts, items=items)  # fmt: skip


def pages(site: Site, out: Path) -> dict[str, str]:
    """Every page of the site, by path relative to figures/ (the start page is index.html)."""
    env = environment()
    reports = [f for f in REPORTS if site.reports.get(f) or (f == "revisions" and site.revisions)]
    common = {"site": site, "reports": reports, "report_titles": REPORTS, "glossary": glossary()}
    n_figures = sum(1 for i in site.items if not i.no_data)
    common["n_figures"] = n_figures
    api = out.parent / "build" / "docs" / "index.html"  # `make docs` (figures/ sits in the project)
    common["api_docs"] = "../build/docs/index.html" if api.is_file() else ""
    done = {"index.html": env.get_template("index.html").render(root="", **common)}
    place = env.get_template("place.html")
    for p in site.places.values():
        if p.has_page:
            doc = brief_doc(out, p.brief.html) if p.brief and p.brief.html else ""
            done[p.page] = place.render(root="../", place=p, brief_doc=doc, **common)
    report = env.get_template("report.html")
    for folder in reports:
        done[f"reports/{folder}.html"] = report.render(
            root="../", report=_report(site, out, folder), **common
        )
    return done
