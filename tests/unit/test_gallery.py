"""The gallery opened in real headless Chromium: every image loads, every link resolves, and the
page makes no external request. Skips without chromium/chromedriver/selenium, unless
THBSTATS_REQUIRE_BROWSER=1 (then it fails)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import matplotlib.pyplot as plt
import pytest

from thbstats.publish import charts as ch
from thbstats.publish import export as ex
from thbstats.publish import gallery

pytest_plugins = ["figure_fixtures"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _need_browser():
    missing = []
    if not CHROMIUM:
        missing.append("chromium")
    if not Path(DRIVER).is_file():
        missing.append("chromedriver (Debian package chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        msg = "gallery browser test needs " + ", ".join(missing)
        if os.environ.get("THBSTATS_REQUIRE_BROWSER") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture
def built(tmp_path, tidy_sample):
    for c in (
        ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018),
        ch.funnel_chart(tidy_sample, "ALB", 2017),
    ):
        ex.export(c, tmp_path)
        plt.close(c.fig)
    return gallery.build_gallery(tmp_path)


def test_gallery_files_from_manifest(built):
    page, readme = built
    text = page.read_text()
    assert (
        "http://" not in text.split("<body>")[0] and "<link" not in text and "<script" not in text
    )
    assert text.count("<figure") == 2 and "Source:" in text
    md = readme.read_text()
    assert "![" in md and "(funnel-alb-2017.png)" in md and "[data (XLSX)]" in md


def test_gallery_in_headless_chromium(built):
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        page = built[0]
        driver.get(page.as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.src, i.complete, i.naturalWidth]);"
        )
        links = driver.execute_script("return Array.from(document.links).map(a => a.href);")
        resources = driver.execute_script(
            "return performance.getEntriesByType('resource').map(r => r.name);"
        )
    finally:
        driver.quit()
    assert len(images) == 2
    for src, complete, width in images:
        assert complete and width > 0, f"image did not load: {src}"
    assert len(links) >= 10
    for href in links:
        url = urlparse(href)
        assert url.scheme == "file", f"external link: {href}"
        target = Path(unquote(url.path))
        assert target.is_file(), f"link does not resolve: {href}"
        if url.fragment:
            assert f'id="{url.fragment}"' in page.read_text()
    assert all(r.startswith("file:") for r in resources), resources


def test_gallery_lists_the_reports(tmp_path):
    from thbstats.publish import gallery

    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "claims.csv").write_text("claim\n")
    (tmp_path / "claims" / "claims.md").write_text("# Claims\n")
    (tmp_path / "revisions").mkdir()
    (tmp_path / "revisions" / "unodc-2023-05-30-2025-04-14.xlsx").write_bytes(b"")
    page, readme = gallery.build_gallery(tmp_path)
    text = page.read_text()
    assert '<h2 id="reports">Reports</h2>' in text
    assert text.index('href="claims/claims.md"') < text.index('href="claims/claims.csv"')
    assert 'href="revisions/unodc-2023-05-30-2025-04-14.xlsx"' in text
    assert "[claims.md](claims/claims.md)" in readme.read_text()
