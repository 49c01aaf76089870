"""Every Python block of README.md and of docs/*.md runs (the cookbook's `>>>` recipes: in
test_cookbook.py, output checked).

A page's blocks run in order in one namespace, as a reader types them. A page whose blocks read
the built table (``load(``, ``thb.<function>(``) needs it: without the releases it skips with
the reason, as every test marked ``official`` does; a page that reads a registered release's file
(``registered_table(``) needs the official files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
NEEDS_TABLE = re.compile(r"load\(|\bthb\.\w+\(|\.compare\(thb")
NEEDS_RELEASES = re.compile(r"registered_table\(")


def blocks(page: Path) -> list[str]:
    """The Python blocks of a Markdown page, in order."""
    return BLOCK.findall(page.read_text(encoding="utf-8"))


WITH_CODE = [p for p in PAGES if blocks(p)]


def test_the_pages_hold_python_blocks():
    names = {p.name for p in WITH_CODE}
    assert {"README.md", "tour.md", "methods.md", "api.md"} <= names
    assert sum(len(blocks(p)) for p in WITH_CODE) >= 8


@pytest.mark.parametrize("page", WITH_CODE, ids=[p.name for p in WITH_CODE])
def test_every_block_of_the_page_runs(page, request, monkeypatch):
    code = blocks(page)
    text = "\n".join(code)
    if NEEDS_RELEASES.search(text):
        request.getfixturevalue("official")
    if NEEDS_TABLE.search(text) or NEEDS_RELEASES.search(text):
        request.getfixturevalue("dataset")
    monkeypatch.chdir(ROOT)
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    for n, block in enumerate(code, 1):
        try:
            exec(compile(block, f"{page.name} block {n}", "exec"), namespace)
        except Exception as exc:  # the page and block in the failure, then the error
            raise AssertionError(f"{page.name}, Python block {n}: {exc!r}") from exc
