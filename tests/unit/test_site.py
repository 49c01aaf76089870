"""The gallery site from a hand-made figures/ folder (no browser): a page per place with its
brief, its charts by family and its data; "no data" entries in words, never as images; every
local link and image of every page resolves; a rebuild replaces the site whole."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from site_fixtures import NO_DATA, make_figures, parse

from thbstats import geo
from thbstats.publish import gallery, manifest
from thbstats.publish import site as site_pkg
from thbstats.publish.site import render


@pytest.fixture
def built(tmp_path: Path) -> Path:
    out = make_figures(tmp_path / "figures")
    gallery.build_gallery(out)
    return out


def test_a_page_per_participating_state_and_per_group(built: Path) -> None:
    states = geo.members("OSCE")
    assert len(states) == 57
    names = {p.stem for p in (built / "places").glob("*.html")}
    assert names == set(states) | {"OSCE", "EU27", "TIP-EUR"}
    index = built.joinpath("index.html").read_text()
    for code in states:
        name = geo.name(code)
        assert f'<li data-name="{name}" data-code="{code}"' in index
        assert f'<a href="places/{code}.html"><span class="name">{name}</span>' in index
    assert 'data-name="Türkiye" data-code="TUR" data-alt="Turkey|Republic of Türkiye"' in index
    assert 'id="filter"' in index


def test_every_state_with_an_exonym_carries_it_to_the_filter(built: Path) -> None:
    index = built.joinpath("index.html").read_text()
    assert 'data-code="KGZ" data-alt="Kirghizia|Kirgizia|Kirgizstan|' in index
    assert 'data-code="MDA" data-alt="Moldavia|' in index
    assert 'data-code="EU27" data-alt="EU|European Union"' in index
    table = yaml.safe_load(Path(site_pkg.__file__).with_name("aliases.yml").read_text())
    assert set(table) - {"EU27"} <= set(geo.members("OSCE")), "aliases.yml: unknown code"
    assert len([c for c in geo.members("OSCE") if c in table]) >= 45  # most States have one


def test_place_page_holds_brief_charts_and_data(built: Path) -> None:
    page = (built / "places" / "DEU.html").read_text()
    assert "<h1>Germany <span" in page
    assert 'href="../briefs/DEU.pdf"' in page and 'href="../briefs/DEU.html"' in page
    frame = page.split('<iframe class="brief" srcdoc="')[1].split('"')[0]  # the brief, embedded
    assert "&lt;h1&gt;Germany: the impunity gap&lt;/h1&gt;" in frame
    assert "src=&#34;../briefs/DEU-funnel.png&#34;" in frame  # from the place page's folder
    assert (
        "href=&#34;../briefs/DEU.pdf&#34;" in frame
        and "&lt;base target=&#34;_top&#34;&gt;" in frame
    )
    # charts grouped by family, in the order of the issue: the funnel first
    assert page.index("<h2>The impunity gap</h2>") < page.index("<h2>The gap year by year</h2>")
    assert '<img src="../funnel-deu-2021.png"' in page
    for ext in ("csv", "xlsx", "png", "svg"):
        assert f'href="../funnel-deu-2021.{ext}" download' in page
    assert 'href="../index.html#attrition-convicted-custom-2016-2016"' in page  # comparison
    assert 'href="../index.html#ranking"' in page
    links = [u for _, u in parse(built / "places" / "DEU.html").urls]
    assert "../places/OSCE.html" in links and "../places/EU27.html" in links  # member of
    assert "../places/TIP-EUR.html" in links


def test_no_data_entries_are_words_not_images(built: Path) -> None:
    page = (built / "places" / "DEU.html").read_text()
    section = page.split('<figure id="trends-deu-2010-2022"')[1].split("</figure>")[0]
    assert f"No data: {NO_DATA}" in section and "<img" not in section and "href" not in section
    assert "Searched: UNODC GLOTIP data 2025-04-14; UNODC GLOTIP data 2023-05-30" in section
    tur = built / "places" / "TUR.html"
    section = tur.read_text().split('<figure id="funnel-tur-2021"')[1].split("</figure>")[0]
    assert "No data: no image file for this figure in this build" in section
    assert "<img" not in section and "funnel-tur-2021.csv" not in section  # no half entry
    mco = (built / "places" / "MCO.html").read_text()
    assert "No brief: the dataset holds no figures for Monaco." in mco
    assert "No charts for Monaco in this build." in mco
    tip = (built / "places" / "TIP-EUR.html").read_text()  # listed brief, files absent
    assert "No brief for Europe (TIP Report region) in this build." in tip
    assert "TIP-EUR.pdf" not in tip
    readme = (built / "README.md").read_text()
    assert f"**No data:** {NO_DATA}" in readme and "![" in readme and "]()" not in readme
    assert "(ranking/ranking-osce.png)" in readme and "(dark_figure/dark-figure.csv)" in readme


def test_start_page_ranking_groups_and_reports(built: Path) -> None:
    index = (built / "index.html").read_text()
    assert '<figure id="ranking-osce"' in index and 'src="ranking/ranking-osce.png"' in index
    assert 'href="ranking/ranking-osce.xlsx" download' in index
    assert 'href="ranking/ranking-table.xlsx" download' in index  # the table no entry lists
    assert "ranking/manifest.json" not in index
    across = index.split('<section id="across">')[1].split("</section>")[0]
    assert '<figure id="dark-figure"' in across and 'src="dark_figure/dark-figure.png"' in across
    assert index.index('<a href="places/OSCE.html">OSCE') < index.index('places/EU27.html">Euro')
    assert 'href="places/OSCE.html#funnel-osce-2018"' in index
    card = index.split("Long-run trends: OSCE participating States, 2003-2022</h4>")[1]
    card = card.split("</article>")[0]  # a "no data" card: words, no thumbnail
    assert "No data: no figures in the dataset for OSCE, 2003-2022" in card and "<img" not in card
    briefs = index.split("All 2 briefs as PDF</summary>")[1].split("</details>")[0]
    assert 'href="briefs/DEU.pdf" download>Germany<' in briefs
    assert 'href="briefs/OSCE.pdf" download>OSCE participating States<' in briefs
    assert 'href="reports/claims.html"' in index and 'href="reports/revisions.html"' in index
    words = index.split('<section id="words">')[1].split("</section>")[0]  # the glossary
    assert "<dt>the same countries in every year</dt>" in words
    assert (
        "<dt>published as &#39;&lt;5&#39;</dt>" in words
        and 'href="../index.html#words"' not in index
    )
    assert '<a href="index.html#words">Words used</a>' in index
    claims = (built / "reports" / "claims.html").read_text()
    assert '<td class="verdict v0">reproduced</td>' in claims
    assert '<a href="#concept-note">Concept note</a>' in claims and '<h3 id="a">' in claims
    assert '<td class="verdict v0">bound met</td>' in claims  # a bound met holds, like reproduced
    assert "<td class=\"verdict v3\">the '&lt;5' cells decide</td>" in claims
    assert (
        '3 checks: <span class="verdict v0">1 reproduced</span> '
        '<span class="verdict v0">1 bound met</span>'
    ) in claims
    assert 'href="../claims/claims.csv"' in claims
    revisions = (built / "reports" / "revisions.html").read_text()
    assert "<td>1276</td>" in revisions and '<figure id="revisions-by-stage-unodc"' in revisions


def test_every_local_link_and_image_resolves(built: Path) -> None:
    pages = site_pkg.site_pages(built)
    assert len(pages) == 1 + 60 + 2  # start page, places, reports
    for page in pages:
        links = parse(page)
        for tag, url in links.urls:
            parts = urlparse(url)
            assert not parts.scheme and not parts.netloc, f"{page.name}: external {url}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(built)}: {tag} {url} does not resolve"
            assert built.resolve() in target.parents, f"{page.name}: {url} leaves figures/"
            if parts.fragment:
                assert parts.fragment in parse(target).ids, f"{page.name}: no #{parts.fragment}"


def test_rebuild_removes_stale_pages_and_a_failure_keeps_the_site(built: Path, monkeypatch) -> None:
    (built / "places" / "XXX.html").write_text("an older page")
    before = (built / "index.html").read_text()
    monkeypatch.setattr(site_pkg, "pages", lambda *a: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        gallery.build_gallery(built)
    assert (built / "index.html").read_text() == before  # nothing written
    monkeypatch.undo()
    shutil.rmtree(built / "claims")
    gallery.build_gallery(built)
    assert not (built / "places" / "XXX.html").exists()
    assert not (built / "reports" / "claims.html").exists()
    assert 'href="reports/claims.html"' not in (built / "index.html").read_text()
    assert not list(built.rglob(".*.tmp"))


def test_bad_briefs_index_names_the_file(built: Path) -> None:
    (built / "briefs" / "index.json").write_text('{"code": "DEU"}')
    with pytest.raises(
        ValueError, match=r"briefs/index.json: expected a list of \{code.*found \{.code.: .DEU.\}"
    ):
        gallery.build_gallery(built)


def test_briefs_index_as_a_plain_list_and_a_ranking_in_the_main_manifest(built: Path) -> None:
    index = built / "briefs" / "index.json"
    index.write_text(json.dumps(json.loads(index.read_text())["briefs"]))
    shutil.rmtree(built / "ranking")
    shutil.copy(built / "funnel-osce-2018.png", built / "dark_figure" / "r.png")
    files = {"png": "dark_figure/r.png", "csv": "ranking/gone.csv"}
    manifest.add(built, {"id": "ranking-b", "title": "Ranked", "files": files})
    gallery.build_gallery(built)
    assert 'href="../briefs/DEU.pdf"' in (built / "places" / "DEU.html").read_text()
    page = (built / "index.html").read_text()
    section = page.split('<section id="ranking">')[1].split("</section>")[0]
    assert 'src="dark_figure/r.png"' in section and "gone.csv" not in section


def test_briefs_without_index_are_found_by_file_name(built: Path) -> None:
    (built / "briefs" / "index.json").unlink()
    gallery.build_gallery(built)
    page = (built / "places" / "DEU.html").read_text()
    assert 'href="../briefs/DEU.pdf"' in page and 'href="../briefs/DEU.html"' in page
    assert 'href="../briefs/OSCE.pdf"' in (built / "places" / "OSCE.html").read_text()


def test_hundreds_of_figures_each_on_its_place_page(tmp_path: Path) -> None:
    out = make_figures(tmp_path / "figures")
    doc = json.loads((out / "manifest.json").read_text())
    entry, states = doc["figures"][0], geo.members("OSCE")
    doc["figures"] += [  # copies of a real entry, spread over the States
        entry | {"id": f"x{n}", "parameters": {"geo": states[n % len(states)]}} for n in range(600)
    ]
    (out / "manifest.json").write_text(json.dumps(doc))
    gallery.build_gallery(out)  # its speed is measured by the benchmarks, not asserted here
    assert (out / "places" / "ALB.html").read_text().count('<figure id="x') == 11


def test_templates_escape_what_the_manifest_says(tmp_path: Path) -> None:
    out = tmp_path / "figures"
    out.mkdir()
    manifest.add(out, {"id": "z", "title": "<script>x</script>", "status": "no data"})
    gallery.build_gallery(out)
    assert "<script>x</script>" not in (out / "index.html").read_text()
    assert render.markdown_html("<b>x</b>") == ("<p>&lt;b&gt;x&lt;/b&gt;</p>\n", "")
    html, toc = render.markdown_html("## A doc\n\n### claim-1\n\n### claim-1\n")
    assert '<h2 id="a-doc">' in html and '<h3 id="claim-1">' in html and 'id="claim-1-2"' in html
    assert '<a href="#claim-1">claim-1</a>' in toc


def test_brief_frame_resolves_links_from_the_brief_folder(tmp_path: Path) -> None:
    (tmp_path / "briefs").mkdir()
    (tmp_path / "briefs" / "A.html").write_text(
        '<p><a href="#fn1">1</a> <img src=\'a b.svg\'> <a href="https://x.org/">x</a>'
        ' <img src="data:image/png;base64,AA"> <a href="../index.html">site</a></p>'
    )
    (tmp_path / "briefs" / "B.html").write_text('<html><HEAD lang="en"><title>B</title></HEAD>')
    fit = "<style>img,svg{max-width:100%;height:auto}</style>"
    assert render.brief_doc(tmp_path, "briefs/A.html") == (
        f'<base target="_top">{fit}<p><a href="../briefs/A.html#fn1">1</a> '
        "<img src='../briefs/a b.svg'> <a href=\"https://x.org/\">x</a>"
        ' <img src="data:image/png;base64,AA"> <a href="../briefs/../index.html">site</a></p>'
    )
    assert render.brief_doc(tmp_path, "briefs/B.html") == (
        f'<html><HEAD lang="en"><base target="_top">{fit}<title>B</title></HEAD>'
    )


def test_the_site_rebuilds_on_its_own(built: Path, capsys) -> None:
    (built / "index.html").unlink()
    assert gallery.main([str(built)]) == 0
    assert (built / "index.html").is_file()
    assert capsys.readouterr().out.startswith("gallery rebuilt: ")
