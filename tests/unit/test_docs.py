"""The documentation: README.md and docs/*.md link only to files and headings that exist, the data
dictionary is the one schema.yml gives, and `make docs` builds a static site that needs no
network. (Their Python blocks run in tests/integration/test_docs_code.py.)"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


@pytest.fixture(scope="module")
def site_module():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        yield importlib.import_module("build_site")
    finally:
        sys.path.remove(str(ROOT / "docs"))


def links(page: Path) -> list[str]:
    """The link and image targets of a page, code blocks left out."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return [a or b for a, b in LINK.findall(text)]


def anchors(page: Path, site_module) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {site_module.anchor(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}


def broken(page: Path, site_module) -> list[str]:
    """The relative links of ``page`` whose file, or heading, does not exist."""
    out = []
    for target in links(page):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, frag = target.partition("#")
        where = (page.parent / path).resolve() if path else page
        if not where.exists():
            out.append(f"{page.name}: {target} (no such file)")
        elif frag and where.suffix == ".md" and frag not in anchors(where, site_module):
            out.append(f"{page.name}: {target} (no such heading)")
    return out


def test_every_relative_link_resolves(site_module):
    assert sum(len(links(p)) for p in PAGES) > 30
    assert [b for p in PAGES for b in broken(p, site_module)] == []


def test_the_link_check_finds_a_missing_page_and_heading(tmp_path, site_module):
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other\n\n## A heading\n")
    page.write_text(
        "[ok](other.md#a-heading) [gone](nowhere.md) [bad](other.md#no-heading) "
        "[web](https://example.org/x.md)\n```\n[in code](skipped.md)\n```\n"
    )
    assert broken(page, site_module) == [
        "page.md: nowhere.md (no such file)",
        "page.md: other.md#no-heading (no such heading)",
    ]


def test_the_readme_is_short_and_points_at_the_pages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for page in ("tour", "cookbook", "data-dictionary", "methods", "operations", "errors"):
        assert f"(docs/{page}.md)" in readme, page
    assert "make figures" in readme and "make test" in readme and '"<5"' in readme
    assert 'src="docs/brief_example.png"' in readme


def test_the_data_dictionary_is_generated_from_the_schema(site_module):
    import yaml

    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert text == site_module.data_dictionary(), "run: python docs/build_site.py --dictionary"
    fields = yaml.safe_load((ROOT / "thbstats" / "schema.yml").read_text())["fields"]
    rows = re.findall(r"^\| `(\w+)` \|", text, re.M)
    assert rows == [f["name"] for f in fields] and "value_min" in rows


def test_the_site_builds_offline(tmp_path, site_module):
    index = site_module.build(tmp_path / "docs", api=False)
    built = {p.name for p in index.parent.iterdir()}
    assert {"index.html", "tour.html", "cookbook.html", "data-dictionary.html"} <= built
    assert "brief_example.png" in built
    for page in index.parent.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', text), page.name
        assert not re.search(r'href="[^"]*\.md(#[^"]*)?"', text), page.name  # pages link pages
    readme = index.read_text(encoding="utf-8")
    assert 'href="tour.html#5-cells-ranges-never-0-and-never-dropped"' in readme
    assert 'src="brief_example.png"' in readme
    tour = (index.parent / "tour.html").read_text(encoding="utf-8")
    assert 'id="5-cells-ranges-never-0-and-never-dropped"' in tour
