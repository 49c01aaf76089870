"""The API reference (`make docs`: pdoc, from the docstrings) builds offline and opens in headless
Chromium: the `thbstats` page lists the documented public functions, and the site makes no
external request. Skips without chromium/chromedriver/selenium, unless THBSTATS_REQUIRE_BROWSER=1."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from test_gallery import CHROMIUM, DRIVER, _need_browser

import thbstats

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "docs"
    run = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "build_api.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", run.stderr  # no warning: every name of __all__ resolves
    return out


def _public_functions() -> list[str]:
    return [n for n in thbstats.__all__ if inspect.isfunction(getattr(thbstats, n))]


def test_the_site_is_static_and_complete(site):
    assert (site / "index.html").is_file() and (site / "thbstats.html").is_file()
    for module in ("analysis/panel", "analysis/groups", "analysis/metrics/ranges", "geo"):
        assert (site / "thbstats" / f"{module}.html").is_file(), module
    page = (site / "thbstats.html").read_text(encoding="utf-8")
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', page)
    for name in _public_functions():
        assert f'id="{name}"' in page, name


def test_the_reference_in_headless_chromium(site):
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(arg)
    opts.add_argument("--disable-background-networking")
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        driver.get((site / "index.html").as_uri())  # redirects to the package's page
        driver.implicitly_wait(5)
        driver.find_element(By.CSS_SELECTOR, "h1.modulename")
        landed = driver.current_url
        functions = driver.execute_script(
            "return Array.from(document.querySelectorAll('div.attr.function .name'))"
            ".map(e => e.textContent);"
        )
        examples = driver.execute_script(
            "return Array.from(document.querySelectorAll('.docstring')).map(d => d.textContent);"
        )
        resources = driver.execute_script(
            "return performance.getEntriesByType('resource').map(r => r.name);"
        )
        nav = driver.execute_script("return Array.from(document.links).map(a => a.href);")
    finally:
        driver.quit()
    assert landed.endswith("/thbstats.html"), landed
    assert set(_public_functions()) <= set(functions), functions
    assert sum(">>>" in d for d in examples) >= len(_public_functions())
    assert all(r.startswith("file:") for r in resources), resources
    for href in nav:
        url = urlparse(href)
        if url.scheme == "file":
            assert Path(unquote(url.path)).is_file(), f"link does not resolve: {href}"
