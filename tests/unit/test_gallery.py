"""The gallery site opened in real headless Chromium: every page loads without a script error,
every image loads, every local link resolves (its #anchor too), no page makes an external
request, and the filter box finds a State by its English name and by its ISO3 code. Skips
without chromium/chromedriver/selenium, unless THBSTATS_REQUIRE_BROWSER=1 (then it fails)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import matplotlib.pyplot as plt
import pytest
from site_fixtures import make_figures, parse

from thbstats.publish import charts as ch
from thbstats.publish import export as ex
from thbstats.publish import gallery, site

pytest_plugins = ["figure_fixtures"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PAGE_SCRIPT = """const done = arguments[arguments.length - 1];
const frames = Array.from(document.querySelectorAll('iframe'));
const ready = f => f.contentDocument && f.contentDocument.readyState === 'complete'
  && f.contentDocument.URL !== 'about:blank';
const loaded = () => new Promise(ok => {  // an embedded brief may finish after the page
  const t0 = Date.now();
  (function poll() { frames.every(ready) || Date.now() - t0 > 5000 ? ok() : setTimeout(poll, 20); })();
});
loaded().then(() => {
  const docs = [document].concat(frames.map(f => f.contentDocument).filter(Boolean));
  const images = docs.flatMap(d => Array.from(d.images));
  images.forEach(i => { i.loading = 'eager'; });  // lazy images below the fold load too
  return Promise.all(images.map(i => i.decode().catch(() => null))).then(() => done({
    images: images.map(i => [i.src, i.complete, i.naturalWidth]),
    links: docs.flatMap(d => Array.from(d.links)).map(a => a.href),
    frames: frames.filter(f => f.getAttribute('src')).map(f => f.src),
    embedded: frames.filter(ready).length,
    resources: performance.getEntriesByType('resource').map(r => r.name),
    title: document.title,
  }));
});"""


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
    """Real charts of the sample table beside the hand-made figures, briefs and ranking."""
    out = make_figures(tmp_path / "figures")
    for c in (
        ch.divergence_chart(tidy_sample, "TIP:EUR", 2015, 2018),
        ch.funnel_chart(tidy_sample, "ALB", 2017),
    ):
        ex.export(c, out)
        plt.close(c.fig)
    return gallery.build_gallery(out)


@pytest.fixture
def browser():
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
        "--window-size=1280,900",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_gallery_files_from_manifest(built):
    page, readme = built
    text = page.read_text()
    head = text.split("<body>")[0]
    assert "http" not in head and "<link" not in text and "<script src" not in text
    assert '<figure id="ranking-osce"' in text and "Source:" in text
    alb = (page.parent / "places" / "ALB.html").read_text()
    assert '<figure id="funnel-alb-2017"' in alb and 'src="../funnel-alb-2017.png"' in alb
    md = readme.read_text()
    assert "![" in md and "(funnel-alb-2017.png)" in md and "[data (XLSX)]" in md


def _check_page(driver, page: Path, out: Path, ids: dict[Path, set[str]]) -> int:
    """Load one page; assert what it shows resolves; return how many images it loaded."""
    driver.get(page.as_uri())
    seen = driver.execute_async_script(PAGE_SCRIPT)
    assert seen["title"].endswith("· thbstats"), page
    for src, complete, width in seen["images"]:
        assert complete and width > 0, f"{page.name}: image did not load: {src}"
    for href in seen["links"] + seen["frames"]:
        url = urlparse(href)
        assert url.scheme == "file", f"{page.name}: external link {href}"
        target = Path(unquote(url.path))
        assert target.is_file(), f"{page.relative_to(out)}: link does not resolve: {href}"
        assert out.resolve() in target.resolve().parents, f"{page.name}: {href} leaves figures/"
        if url.fragment:
            if target not in ids:
                ids[target] = parse(target).ids
            assert url.fragment in ids[target], f"{page.name}: no #{url.fragment} in {href}"
    assert all(r.startswith("file:") for r in seen["resources"]), seen["resources"]
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"{page.name}: {errors}"
    return len(seen["images"])


def test_every_page_loads_and_every_image_and_link_resolves(built, browser):
    out = built[0].parent
    pages = site.site_pages(out)
    assert len(pages) == 1 + 57 + 3 + 2  # start page, States, OSCE/EU27/TIP-EUR, reports
    ids: dict[Path, set[str]] = {}
    images = sum(_check_page(browser, page, out, ids) for page in pages)
    assert images >= 12
    browser.get((out / "places" / "DEU.html").as_uri())  # the brief, embedded and sized
    seen = browser.execute_async_script(PAGE_SCRIPT)
    assert seen["embedded"] == 1 and any(
        s.endswith("briefs/DEU-funnel.png") for s, *_ in seen["images"]
    )
    height = browser.execute_script("return document.querySelector('iframe.brief').offsetHeight;")
    assert 100 < height < 600, (
        height
    )  # fitted to the short brief, not the default 80% of the window


def _visible(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#places li[data-code]'))"
        ".filter(li => !li.hidden && li.offsetParent !== null).map(li => li.dataset.code);"
    )


def test_filter_finds_a_state_by_name_and_by_code(built, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(built[0].as_uri())
    box = browser.find_element(By.ID, "filter")
    assert len(_visible(browser)) == 57 + 3  # States and groups, before typing
    for typed, expected in (
        ("Germany", ["DEU"]),
        ("Türkiye", ["TUR"]),
        ("turkiye", ["TUR"]),  # without the diacritic
        ("DEU", ["DEU"]),
        ("deu", ["DEU"]),
        ("united", ["GBR", "USA"]),
        ("Turkey", ["TUR"]),  # another English name (aliases.yml)
        ("uk", ["GBR", "UKR"]),  # UK (an alias), Ukraine and UKR
        ("Czech Republic", ["CZE"]),  # the official name
        ("Kirg", ["KGZ"]),  # the start of an exonym (Kirghizia)
        ("kyrg", ["KGZ"]),
        ("macedonia north", ["MKD"]),  # each word the start of a word, in any order
        ("bosnia-herzegovina", ["BIH"]),  # punctuation does not count
        ("Holland", ["NLD"]),
        ("Britain", ["GBR"]),
        ("Moldavia", ["MDA"]),
        ("osterreich", ["AUT"]),
        ("Azerbaycan", ["AZE"]),  # an endonym typed without its schwa (Azərbaycan)
        ("European Union", ["EU27"]),
        ("zzz", []),
    ):
        box.clear()
        box.send_keys(typed)
        assert sorted(_visible(browser)) == expected, typed
        nomatch = browser.find_element(By.ID, "nomatch").is_displayed()
        assert nomatch == (not expected), typed
        count = browser.find_element(By.ID, "count").text
        assert "close" not in count, (typed, count)
    for slip, expected in (("Kyrgystan", ["KGZ"]), ("Swizerland", ["CHE"]), ("Grmany", ["DEU"])):
        box.clear()
        box.send_keys(slip)  # nothing matches as typed: names within a typing slip are shown
        assert sorted(_visible(browser)) == expected, slip
        assert browser.find_element(By.ID, "count").text == "1 close match of 60", slip
    box.clear()
    box.send_keys("Germany", Keys.ENTER)  # one match: Enter opens its page
    assert browser.current_url.endswith("/places/DEU.html")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Germany")
