"""A hand-made figures/ folder for the site tests: figures exported through
``thbstats.publish.export`` for a few places, "no data" entries as a run lists them (no files),
an entry whose image is missing on disk, a ranking under ``ranking/``, briefs with their
``index.json`` and the report folders."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from thbstats.publish import export, manifest  # noqa: E402
from thbstats.publish.charts.base import Chart  # noqa: E402

CITATION = "tip-2008-global-law-enforcement"
NO_DATA = "no figures in the dataset for DEU, 2010-2022"
FIGURES = {  # id -> geography parameters
    "funnel-deu-2021": {"geo": "DEU", "year": 2021},
    "gap-deu-2010-2022": {"geo": "DEU", "start": 2010, "end": 2022},
    "funnel-tur-2021": {"geo": "TUR", "year": 2021},
    "funnel-osce-2018": {"geo": "OSCE", "year": 2018},
    "coverage-eu27-2003-2022": {"group": "EU27", "start": 2003, "end": 2022},
    "attrition-convicted-custom-2016-2016": {"geos": ["DEU", "TUR", "FRA"], "start": 2016},
    "revisions-by-stage-unodc": {"source": "UNODC"},
}
TITLES = {
    "funnel": "The impunity gap",
    "gap": "The gap year by year",
    "coverage": "Who reports what",
    "attrition": "Convicted per 100 identified",
    "revisions": "UNODC revisions",
    "ranking": "Convicted per 100 identified, ranked",
    "dark": "The dark figure",
}


def chart(fid: str, params: dict, formats: tuple[str, ...] = ("png", "svg")) -> Chart:
    """A small real chart, exported like a notebook exports it."""
    fig = Figure(figsize=(3, 2))
    fig.add_subplot().plot([2019, 2020], [3, 5])
    where = params.get("geo") or params.get("group") or "areas"
    title = f"{TITLES[fid.split('-')[0]]}: {where}, 2021"
    return Chart(
        fig=fig,
        id=fid,
        title=title,
        subtitle=f"{where} · 2021",
        source="Source: U.S. Department of State, Trafficking in Persons Report 2008.",
        alt=f"A line chart for {where}",
        data=pd.DataFrame({"year": [2019, 2020], "value": [3.0, 5.0]}),
        citations=[CITATION],
        params=params,
    )


def brief_files(out: Path) -> None:
    """Briefs of DEU (PDF and page), OSCE (PDF only), MCO (no data), TIP-EUR (files missing)."""
    briefs = out / "briefs"
    briefs.mkdir()
    (briefs / "DEU.pdf").write_bytes(b"%PDF-1.4\n% a stand-in: the site only links it\n")
    (briefs / "DEU.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Germany</title></head>'
        "<body><h1>Germany: the impunity gap</h1><p>Brief text.</p>"
        '<img src="DEU-funnel.png" alt="funnel"><a href="DEU.pdf">PDF</a></body></html>\n'
    )
    shutil.copy(out / "funnel-deu-2021.png", briefs / "DEU-funnel.png")
    (briefs / "OSCE.pdf").write_bytes(b"%PDF-1.4\n")
    index = [
        {"code": "DEU", "name": "Germany", "pdf": "DEU.pdf", "html": "DEU.html", "has_data": True},
        {"code": "OSCE", "name": "OSCE", "pdf": "OSCE.pdf", "html": None, "has_data": True},
        {"code": "MCO", "name": "Monaco", "pdf": None, "html": None, "has_data": False},
        {"code": "TIP-EUR", "name": "Europe", "pdf": "TIP-EUR.pdf", "html": "TIP-EUR.html"},
    ]
    (briefs / "index.json").write_text(json.dumps({"briefs": index}))


def ranking_files(out: Path) -> None:
    """The ranking and the dark figure exported into folders of their own (each with its
    manifest), and a ranking table no entry lists."""
    export.export(chart("ranking-osce", {"geo": "OSCE"}), out / "ranking", formats=("png",))
    export.export(chart("dark-figure", {"geo": "all"}), out / "dark_figure", formats=("png",))
    shutil.copy(out / "funnel-deu-2021.xlsx", out / "ranking" / "ranking-table.xlsx")


def make_figures(out: Path) -> Path:
    """The hand-made figures/ folder (returned), before the site is built."""
    out.mkdir(parents=True, exist_ok=True)
    for fid, params in FIGURES.items():
        export.export(chart(fid, params), out, formats=("png", "svg"))
    manifest.add(
        out,
        {
            "id": "trends-deu-2010-2022",
            "title": "Long-run trends: Germany, 2010-2022",
            "status": "no data",
            "empty": NO_DATA,
            "searched": ["UNODC GLOTIP data 2025-04-14", "UNODC GLOTIP data 2023-05-30"],
            "parameters": {"geo": "DEU", "start": 2010, "end": 2022},
        },
    )
    manifest.add(
        out,
        {
            "id": "trends-osce-2003-2022",
            "title": "Long-run trends: OSCE participating States, 2003-2022",
            "status": "no data",
            "reason": "no figures in the dataset for OSCE, 2003-2022",
            "source": "Sources searched: UNODC GLOTIP data 2025-04-14.",
            "parameters": {"geo": "OSCE", "start": 2003, "end": 2022},
        },
    )
    (out / "funnel-tur-2021.png").unlink()  # listed, but missing on disk
    (out / "funnel-tur-2021.svg").unlink()
    brief_files(out)
    ranking_files(out)
    (out / "claims").mkdir()
    (out / "claims" / "claims.md").write_text(
        "# Claims\n\n## Concept note\n\n### a\n\n| claim | verdict |\n|---|---|\n| a | reproduced |\n"
        "| b | bound met |\n| c | the '<5' cells decide |\n"
    )
    (out / "claims" / "claims.csv").write_text(
        "claim,verdict\na,reproduced\nb,bound met\nc,the '<5' cells decide\n"
    )
    (out / "revisions").mkdir()
    (out / "revisions" / "unodc-a-b-summary.csv").write_text("stage,changed\nidentified,1276\n")
    return out


class Links(HTMLParser):
    """The href and src attributes of a page, and its element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.imgs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key):
                self.urls.append((tag, a[key]))
        if tag == "img":
            self.imgs.append(a["src"])


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links
