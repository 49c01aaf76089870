"""`thbstats fetch` against a local HTTP server on 127.0.0.1 (no internet in tests)."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
import yaml
from helpers import SAMPLE_ROWS, glotip_workbook, make_project, register

from thbstats import cli, releases


@pytest.fixture()
def server(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    src = root / "data/raw/sources.yml"
    data = {k: v for k, v in yaml.safe_load(src.read_text()).items() if "release" not in v}
    src.write_text(yaml.safe_dump(data, sort_keys=False))
    return root


def test_fetch_downloads_and_verifies(project, server, capsys):
    site, base = server
    wb = glotip_workbook(site / "data_glotip.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, url=f"{base}/data_glotip.xlsx")
    assert cli.main(["fetch"]) == 0
    target = project / "data/raw/downloads/data_glotip.xlsx"
    assert target.read_bytes() == wb.read_bytes()
    found, missing, _ = releases.locate(project / "data/raw/downloads")
    assert "unodc-test" in found and not missing
    assert cli.main(["fetch"]) == 0  # nothing left to do
    assert "have    unodc-test" in capsys.readouterr().out


def test_fetch_rejects_a_file_with_another_checksum(project, server, capsys):
    site, base = server
    wb = glotip_workbook(site / "data_glotip.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, url=f"{base}/data_glotip.xlsx")
    glotip_workbook(site / "data_glotip.xlsx", SAMPLE_ROWS[:1])  # the publisher replaced the file
    assert cli.main(["fetch"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  unodc-test" in out and "not the registered" in out
    assert not list((project / "data/raw/downloads").iterdir())


def test_fetch_reports_unreachable_url(project, server, capsys):
    site, base = server
    wb = glotip_workbook(site / "x.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, url=f"{base}/missing.xlsx")
    # 60 s only guards against a hang: the local server answers 404 at once
    assert cli.main(["fetch", "--timeout", "60"]) == 1
    assert "404" in capsys.readouterr().out
