"""Build the documentation site: the README and the pages of docs/ as HTML, with the API reference.

    python docs/build_site.py [OUTPUT]          # default build/docs; `make docs` runs it
    python docs/build_site.py --dictionary      # rewrite docs/data-dictionary.md from schema.yml

A static site that works offline: open OUTPUT/index.html (the README) in a browser, no server.
The pages are rendered by mistune (as the figures' site is), the API reference by pdoc
(docs/build_api.py) into OUTPUT/api/. Links between the pages point at the rendered pages; the
site is written beside OUTPUT and renamed into place, so a failed build leaves the last one whole.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DICTIONARY = DOCS / "data-dictionary.md"
SCHEMA = ROOT / "thbstats" / "schema.yml"


def data_dictionary() -> str:
    """docs/data-dictionary.md: every column of the tidy table, from thbstats/schema.yml."""
    import yaml

    spec = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    lines = [
        "# Data dictionary",
        "",
        f"Every column of `{spec['name']}` (data/processed/thb_figures.parquet and .csv): "
        f"{spec['title']}. Generated from `thbstats/schema.yml` by `python docs/build_site.py "
        "--dictionary` (a test checks it is current); the table's rules are in "
        "[The tidy table](data.md). Back to the [README](../README.md).",
        "",
        f"- **Key** (two rows with the same key are duplicates): {_codes(spec['primaryKey'])}",
        f"- **Figure key** (the releases printing one figure): {_codes(spec['figureKey'])}",
        f"- **Variant flags** (a variant of its own, not a vintage): {_codes(spec['variantFlags'])}",
        f"- **Not in the default view**: {_codes(spec['notDefault'])}",
        "",
        "| column | type | required | values | meaning |",
        "|---|---|---|---|---|",
    ]
    for f in spec["fields"]:
        values = _codes(f["enum"]) if "enum" in f else _range(f)
        kind = f["type"] + (", ;-separated" if f.get("multi") else "")
        kind += ", filled by the build" if f.get("derived") else ""
        required = "yes" if f.get("required") else ""
        meaning = " ".join(str(f.get("description", "")).split()).replace("|", "\\|")
        lines.append(f"| `{f['name']}` | {kind} | {required} | {values} | {meaning} |")
    return "\n".join(lines) + "\n"


def _codes(items: list) -> str:
    return ", ".join(f"`{i}`" for i in items)


def _range(field: dict) -> str:
    low, high = field.get("minimum"), field.get("maximum")
    if low is None and high is None:
        return ""
    return f"{'' if low is None else low} to {'' if high is None else high}".strip()


def sources() -> list[Path]:
    """The pages of the site: the README first, then docs/*.md by name."""
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def page_name(source: Path) -> str:
    """The HTML file a Markdown page becomes: README.md -> index.html, docs/x.md -> x.html."""
    return "index.html" if source.name == "README.md" else f"{source.stem}.html"


def anchor(text: str) -> str:
    """A heading's anchor as GitHub makes it: ``"<5" cells: ranges`` -> ``5-cells-ranges``."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", text)).strip().lower()
    return re.sub(r"[^\w\- ]", "", plain).replace(" ", "-")


def _link(target: str, source: Path) -> str:
    """A link of a page, made to point at the site's pages (and, outside them, at the tree)."""
    if re.match(r"[a-z]+:", target) or target.startswith("#"):
        return target
    path, _, frag = target.partition("#")
    where = (source.parent / path).resolve()
    if where.suffix == ".md" and where in {p.resolve() for p in sources()}:
        out = page_name(where)
    elif where.parent == DOCS and where.suffix in {".png", ".svg"}:
        out = where.name  # images are copied beside the pages
    else:
        return target
    return f"{out}#{frag}" if frag else out


def render(source: Path) -> str:
    """One page's HTML body."""
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def heading(self, text: str, level: int, **attrs) -> str:
            return f'<h{level} id="{anchor(text)}">{text}</h{level}>\n'

        def link(self, text: str, url: str, title: str | None = None) -> str:
            return super().link(text, _link(url, source), title)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return super().image(text, _link(url, source), title)

    md = mistune.create_markdown(renderer=Renderer(escape=False), plugins=["table"])
    body = md(source.read_text(encoding="utf-8"))
    # the README's picture is an HTML <img>: point it at the copy beside the pages
    return re.sub(r'src="docs/([^"/]+)"', r'src="\1"', body)


TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - thbstats</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.45 }}
nav {{ font-size: 0.9rem; border-bottom: 1px solid #ccc; padding-bottom: 0.5rem }}
nav a {{ margin-right: 0.8rem }} pre {{ background: #f4f4f4; padding: 0.6rem; overflow-x: auto }}
table {{ border-collapse: collapse }} td, th {{ border: 1px solid #ccc; padding: 0.2rem 0.4rem }}
img {{ max-width: 100% }}
</style></head>
<body><nav>{nav}</nav>
<main>{body}</main></body></html>
"""


def _title(source: Path) -> str:
    first = source.read_text(encoding="utf-8").partition("\n")[0]
    return first.lstrip("# ").strip() or source.stem


def build(output: Path, api: bool = True) -> Path:
    """Write the site into ``output`` (the API reference too, unless ``api=False``); returns
    its start page."""
    sys.path.insert(0, str(DOCS))
    from build_api import build as build_api
    from build_api import swap_in

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    links = [(page_name(s), "Start" if s.name == "README.md" else _title(s)) for s in sources()]
    nav = " ".join(f'<a href="{href}">{html.escape(t)}</a>' for href, t in links)
    if api:
        nav += ' <a href="api/index.html">API reference</a>'
    for source in sources():
        page = TEMPLATE.format(title=html.escape(_title(source)), nav=nav, body=render(source))
        (tmp / page_name(source)).write_text(page, encoding="utf-8")
    for picture in [*DOCS.glob("*.png"), *DOCS.glob("*.svg")]:
        shutil.copy2(picture, tmp / picture.name)
    if api:
        build_api(tmp / "api")
    swap_in(tmp, output)
    return output / "index.html"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--dictionary"]:
        from thbstats.atomic import write_text_atomic

        write_text_atomic(DICTIONARY, data_dictionary())
        print(f"wrote {DICTIONARY.relative_to(ROOT)}")
        return 0
    out = Path(args[0]) if args else ROOT / "build" / "docs"
    index = build(out)
    print(f"documentation: {index} (open it in a browser; the API reference in {out / 'api'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
