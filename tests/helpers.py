"""Test helpers: small projects in a temporary folder, and a synthetic UNODC-layout workbook."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
GLOTIP_HEADER = [
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
    "Source",
]


def make_project(tmp: Path, transcribed: bool = False) -> Path:
    """A project root in ``tmp``: sources.yml and geo/ of the real project, no transcribed CSVs unless asked."""
    raw = tmp / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "data/raw/sources.yml", raw / "sources.yml")
    shutil.copytree(ROOT / "data/raw/geo", raw / "geo")
    if transcribed:
        for p in (ROOT / "data/raw").glob("*.csv"):
            shutil.copy(p, raw / p.name)
    (tmp / "data" / "processed").mkdir()
    (raw / "downloads").mkdir()
    return tmp


def only_release(project: Path, key: str) -> None:
    """Keep ``key`` as the project's only registered release (transcribed sources stay)."""
    src = project / "data/raw/sources.yml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data = {k: v for k, v in data.items() if "release" not in v or k == key}
    src.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def glotip_workbook(
    path: Path, rows: list[list[object]], header_row: int = 3, release_date: str = "14/04/2025"
) -> Path:
    """Write a workbook in the UNODC layout (title rows, header on ``header_row``) with openpyxl."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "data_glotip_1"
    ws.append(["UNODC"])
    ws.append([release_date])
    for _ in range(header_row - 3):
        ws.append([])
    ws.append(GLOTIP_HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def glotip_row(indicator: str, value: str, iso3: str = "ALB", year: int = 2019) -> list[object]:
    """One data row in the UNODC layout: a Total (all forms, sexes and ages) figure."""
    return [
        iso3,
        "Albania",
        "Europe",
        "Southern Europe",
        indicator,
        "Total",
        "Total",
        "Total",
        "Total",
        year,
        "Counts",
        value,
        "GLOTIP",
    ]


SAMPLE_ROWS = [
    glotip_row("Detected trafficking victims", "1,282"),
    glotip_row("Persons convicted", "<5"),
    glotip_row("Persons prosecuted", "17"),
]


def register(
    project: Path,
    key: str,
    file: Path,
    reader: str = "unodc_glotip",
    publication: str = "UNODC GLOTIP data test",
    url: str | None = None,
    addresses: list[dict[str, str]] | None = None,
    manual: dict[str, str] | None = None,
    **release: str,
) -> None:
    """Add a release entry for ``file`` (its sha256) to the project's sources.yml.

    ``url``: the publisher's address (``download_url``); ``addresses``: the ordered list of
    addresses (url, kind); ``manual``: page and why, for a file fetched by hand; ``release``:
    other fields of the release block (source, edition, filename, ...).
    """
    from thbstats.digest import sha256_of

    src = project / "data/raw/sources.yml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data[key] = {
        "publisher": "test",
        "title": "test release",
        "url": "http://127.0.0.1/",
        "licence": "test",
        "release": {
            "source": "UNODC",
            "reader": reader,
            "publication": publication,
            "filename": file.name,
            "release_date": "2025-04-14",
            "sha256": sha256_of(file),
            "download_url": url,
            **({"addresses": addresses} if addresses else {}),
            **({"manual": manual} if manual else {}),
            **release,
        },
    }
    src.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def one(df: pd.DataFrame, **kw: object) -> pd.Series:
    """The single row of ``df`` whose columns equal ``kw`` (fails if there are none or several)."""
    sel = df
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{kw}: {len(sel)} rows"
    return sel.iloc[0]


@contextmanager
def local_server(handler: type) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 answering with ``handler``; yields its base address
    and shuts it down on exit."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def fetch_project(tmp: Path, monkeypatch, deadline: str = "2") -> Path:
    """A project in ``tmp`` for `thbstats fetch` tests: no official release registered, no
    downloads folder, mirror or offline setting from the caller, a short fetch deadline."""
    from thbstats.ingest import download

    root = make_project(tmp / "proj")
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    for name in ("THBSTATS_DOWNLOADS", "THBSTATS_MIRROR", "THBSTATS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(download.DEADLINE_ENV, deadline)
    src = root / "data/raw/sources.yml"
    data = {k: v for k, v in yaml.safe_load(src.read_text()).items() if "release" not in v}
    src.write_text(yaml.safe_dump(data, sort_keys=False))
    return root
