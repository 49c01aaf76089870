"""`thbstats fetch` against a local HTTP server on 127.0.0.1 (no internet in tests).

The server serves ``site/``; paths under ``/down/`` answer 503 (a publisher that is down), and
every request is recorded, so a test can check which addresses were read and in what order.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
import yaml
from helpers import SAMPLE_ROWS, glotip_workbook, make_project, register

import thbstats as thb
from thbstats import cli
from thbstats.digest import sha256_of
from thbstats.ingest import missing, releases

NEW_DATE = "01/06/2026"
OLD_PUB = "UNODC GLOTIP data 2025-04-14"


class Handler(http.server.SimpleHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.requests.append(self.path)
        if self.path.startswith("/down/"):
            self.send_error(503, "publisher down for maintenance")
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    seen: list[str] = []
    handler = type("H", (Handler,), {"requests": seen})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    monkeypatch.delenv("THBSTATS_DOWNLOADS", raising=False)
    monkeypatch.delenv("THBSTATS_MIRROR", raising=False)
    src = root / "data/raw/sources.yml"
    data = {k: v for k, v in yaml.safe_load(src.read_text()).items() if "release" not in v}
    src.write_text(yaml.safe_dump(data, sort_keys=False))
    return root


def downloads(project: Path) -> dict[str, bytes]:
    """Every file in the downloads folder, hidden ones included."""
    return {p.name: p.read_bytes() for p in (project / "data/raw/downloads").iterdir()}


def newer(path: Path) -> Path:
    """The next release: another date in cell A2, one figure revised."""
    rows = [r[:] for r in SAMPLE_ROWS]
    rows[0][11] = "1,300"
    return glotip_workbook(path, rows, release_date=NEW_DATE)


def pub(base: str, path: str) -> dict[str, str]:
    return {"url": f"{base}/{path}", "kind": "publisher"}


def pinned(base: str, path: str) -> dict[str, str]:
    return {"url": f"{base}/{path}", "kind": "pinned"}


def test_fetch_downloads_and_verifies(project, server, capsys):
    site, base, _ = server
    wb = glotip_workbook(site / "data_glotip.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, url=f"{base}/data_glotip.xlsx")
    killed = project / "data/raw/downloads/.fetch-abc123.tmp"  # left by a killed fetch
    killed.write_bytes(b"half a file")
    os.utime(killed, (1e9, 1e9))
    assert cli.main(["fetch"]) == 0
    assert downloads(project) == {"data_glotip.xlsx": wb.read_bytes()}
    found, missing, _ = releases.locate(project / "data/raw/downloads")
    assert "unodc-test" in found and not missing
    assert cli.main(["fetch"]) == 0  # nothing left to do; the publisher still serves the same file
    out = capsys.readouterr().out
    assert "have    unodc-test" in out and "same    " in out
    assert list(downloads(project)) == ["data_glotip.xlsx"]


def test_publisher_serves_a_newer_release_kept_read_and_registered(project, server, capsys):
    site, base, _ = server
    (site / "pin").mkdir()
    old = glotip_workbook(site / "pin/data_glotip.xlsx", SAMPLE_ROWS)
    new = newer(site / "data_glotip.xlsx")  # the publisher replaced its file in place
    addresses = [pub(base, "data_glotip.xlsx"), pinned(base, "pin/data_glotip.xlsx")]
    register(project, "unodc-test", old, addresses=addresses, publication=OLD_PUB)
    src = project / "data/raw/sources.yml"
    before = src.read_text(encoding="utf-8")

    assert cli.main(["fetch"]) == 0
    out = capsys.readouterr().out
    kept = f"data_glotip_2026-06-01_{sha256_of(new)[:8]}.xlsx"
    assert downloads(project) == {"data_glotip.xlsx": old.read_bytes(), kept: new.read_bytes()}
    assert "NEW     " in out and f"thbstats register {project}/data/raw/downloads/{kept}" in out
    assert "fetched unodc-test from " + f"{base}/pin/data_glotip.xlsx" in out

    assert cli.main(["data"]) == 0
    out, err = capsys.readouterr()
    assert "read as 'UNODC GLOTIP data 2026-06-01'" in err and "thbstats register" in err
    df = thb.load()  # the latest vintage: the new release's figures only
    assert set(df["publication"]) == {"UNODC GLOTIP data 2026-06-01"}
    assert set(df["flag"]) == {"unregistered", "suppressed_lt5;unregistered"}
    assert df.loc[df["stage"] == "identified", "value"].item() == 1300
    older = thb.load(vintage="all").query("publication == @OLD_PUB")
    assert len(older) == 3  # the registered vintage stays, its revised figure flagged
    assert older.loc[older["stage"] == "identified", "flag"].item() == "revised"

    assert cli.main(["register", str(project / "data/raw/downloads" / kept)]) == 0
    after = src.read_text(encoding="utf-8")
    assert after.startswith(before) and "unodc-glotip-2026-06-01:" in after[len(before) :]
    entry = yaml.safe_load(after)["unodc-glotip-2026-06-01"]
    assert entry["release"]["sha256"] == sha256_of(new)
    assert entry["release"]["size"] == new.stat().st_size
    assert entry["release"]["publication"] == "UNODC GLOTIP data 2026-06-01"
    assert entry["release"]["release_date"] == "2026-06-01"
    assert entry["release"]["addresses"] == [pub(base, "data_glotip.xlsx")]
    capsys.readouterr()
    assert cli.main(["data"]) == 0
    out, err = capsys.readouterr()
    assert "unregistered" not in err and "release found:   unodc-glotip-2026-06-01" in out
    assert set(thb.load()["flag"]) <= {"", "suppressed_lt5"}

    assert cli.main(["register", str(project / "data/raw/downloads" / kept)]) == 2
    assert "already registered as unodc-glotip-2026-06-01" in capsys.readouterr().err
    assert src.read_text(encoding="utf-8") == after


def test_publisher_down_a_pinned_copy_serves_the_file(project, server, capsys):
    site, base, seen = server
    wb = glotip_workbook(site / "data_glotip.xlsx", SAMPLE_ROWS)
    register(
        project,
        "unodc-test",
        wb,
        addresses=[pub(base, "down/data_glotip.xlsx"), pinned(base, "data_glotip.xlsx")],
    )
    assert cli.main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert "503" in out and f"fetched unodc-test from {base}/data_glotip.xlsx" in out
    assert downloads(project) == {"data_glotip.xlsx": wb.read_bytes()}
    assert seen == ["/down/data_glotip.xlsx", "/data_glotip.xlsx"]  # in order, each once


def test_a_pinned_copy_with_a_wrong_file_is_refused_and_the_next_tried(project, server, capsys):
    site, base, _ = server
    (site / "a").mkdir()
    (site / "b").mkdir()
    glotip_workbook(site / "a/data_glotip.xlsx", SAMPLE_ROWS[:1])  # not the registered file
    wb = glotip_workbook(site / "b/data_glotip.xlsx", SAMPLE_ROWS)
    addresses = [pinned(base, "a/data_glotip.xlsx"), pinned(base, "b/data_glotip.xlsx")]
    register(project, "unodc-test", wb, addresses=addresses)
    assert cli.main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert f"REFUSED {base}/a/data_glotip.xlsx (pinned)" in out
    assert f"expected the registered {sha256_of(wb)} of unodc-test" in out
    assert downloads(project) == {"data_glotip.xlsx": wb.read_bytes()}  # nothing else left


def test_publisher_file_with_another_checksum_is_kept_not_discarded(project, server, capsys):
    site, base, _ = server
    wb = glotip_workbook(site / "data_glotip.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, url=f"{base}/data_glotip.xlsx")
    served = newer(site / "data_glotip.xlsx")  # the publisher replaced the file; no pinned copy
    assert cli.main(["fetch"]) == 1  # the registered release is still missing
    out = capsys.readouterr().out
    assert "FAILED  unodc-test" in out and "NEW     " in out
    assert list(downloads(project).values()) == [served.read_bytes()]
    assert cli.main(["fetch"]) == 1  # a second run keeps no second copy
    assert len(downloads(project)) == 1


def test_publisher_page_instead_of_a_workbook_is_held_not_read(project, server, capsys):
    site, base, _ = server
    wb = glotip_workbook(site / "real.xlsx", SAMPLE_ROWS)
    (site / "data_glotip.xlsx").write_bytes(b"<!DOCTYPE html><html>maintenance</html>")
    register(project, "unodc-test", wb, url=f"{base}/data_glotip.xlsx")
    assert cli.main(["fetch"]) == 1
    assert "not read by the build" in capsys.readouterr().out
    (held,) = downloads(project)
    assert held.endswith(".xlsx.held") and "downloaded-" in held
    here = glotip_workbook(project / "data/raw/downloads/other.xlsx", SAMPLE_ROWS[:2])
    register(project, "unodc-other", here, publication="UNODC GLOTIP data 2024-01-01")
    assert cli.main(["data"]) == 0  # the build goes on without it
    assert "release MISSING: unodc-test" in capsys.readouterr().out


def test_mirror_url_is_tried_before_the_public_addresses(project, server, capsys):
    site, base, seen = server
    (site / "mirror").mkdir()
    wb = glotip_workbook(site / "mirror/data_glotip_release-test.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, addresses=[pub(base, "down/data_glotip.xlsx")])
    assert cli.main(["fetch", "--mirror", f"{base}/mirror/", "--registered-only"]) == 0
    assert "fetched unodc-test from " + f"{base}/mirror/data_glotip_release-test.xlsx" in (
        capsys.readouterr().out
    )
    assert seen == ["/mirror/data_glotip_release-test.xlsx"]  # the publisher was not needed
    assert downloads(project) == {"data_glotip_release-test.xlsx": wb.read_bytes()}


def test_mirror_url_serving_a_wrong_file_is_refused(project, server, capsys):
    site, base, seen = server
    (site / "mirror").mkdir()
    glotip_workbook(site / "mirror/data_glotip.xlsx", SAMPLE_ROWS[:1])
    wb = glotip_workbook(site / "data_glotip.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, addresses=[pinned(base, "data_glotip.xlsx")])
    assert cli.main(["fetch", "--mirror", f"{base}/mirror", "--registered-only"]) == 0
    assert f"REFUSED {base}/mirror/data_glotip.xlsx (mirror)" in capsys.readouterr().out
    assert seen == ["/mirror/data_glotip.xlsx", "/data_glotip.xlsx"]
    assert downloads(project) == {"data_glotip.xlsx": wb.read_bytes()}


def test_mirror_folder_finds_files_by_checksum_whatever_their_name(
    project, server, tmp_path, monkeypatch, capsys
):
    _, base, seen = server
    share = tmp_path / "share" / "thb"
    share.mkdir(parents=True)
    wb = glotip_workbook(share / "UNODC copy (2025).xlsx", SAMPLE_ROWS)
    glotip_workbook(share / "data_glotip.xlsx", SAMPLE_ROWS[:1])  # the right name, other contents
    register(project, "unodc-test", glotip_workbook(tmp_path / "data_glotip.xlsx", SAMPLE_ROWS))
    src = project / "data/raw/sources.yml"
    data = yaml.safe_load(src.read_text())
    data["unodc-test"]["release"]["addresses"] = [pub(base, "down/data_glotip.xlsx")]
    src.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("THBSTATS_MIRROR", str(tmp_path / "share"))
    assert cli.main(["fetch", "--registered-only"]) == 0
    assert "mirror  " in capsys.readouterr().out
    assert downloads(project) == {"data_glotip.xlsx": wb.read_bytes()}
    assert seen == []  # no public address was read


def test_mirror_that_is_neither_url_nor_folder_is_an_error(project, capsys):
    assert cli.main(["fetch", "--mirror", "no/such/folder"]) == 2
    err = capsys.readouterr().err
    assert "mirror no/such/folder: expected an http(s) URL prefix or an existing folder" in err


def walkfree_manual(project: Path, tmp_path: Path, addresses=None) -> None:
    stand_in = tmp_path / "2023-Global-Slavery-Index-Data.xlsx"
    stand_in.write_bytes(b"a file that only gives the registered checksum")
    register(
        project,
        "walkfree-test",
        stand_in,
        reader="walkfree_gsi",
        publication="Global Slavery Index 2023",
        addresses=addresses,
        manual={"page": "http://127.0.0.1:9/gsi-downloads/", "why": "a form to fill in"},
        source="WALKFREE",
        edition="2023",
        release_date="2023",
    )


def test_manual_release_says_where_to_go_and_the_build_goes_on(project, tmp_path, capsys):
    walkfree_manual(project, tmp_path)
    here = glotip_workbook(project / "data/raw/downloads/data_glotip.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", here)
    assert cli.main(["fetch", "--registered-only"]) == 3  # only a by-hand download is missing
    out = capsys.readouterr().out
    assert "manual  walkfree-test: fetch it by hand (a form to fill in)" in out
    assert (
        "visit http://127.0.0.1:9/gsi-downloads/ and save 2023-Global-Slavery-Index-Data.xlsx"
        in out
    )
    assert cli.main(["data"]) == 0
    out = capsys.readouterr().out
    assert "release MISSING: walkfree-test - Walk Free Global Slavery Index 2023" in out
    assert "stage lost: estimated, population" in out
    note = (
        "estimate not available: Walk Free Global Slavery Index 2023 "
        "(2023-Global-Slavery-Index-Data.xlsx) missing (manual download: "
        "http://127.0.0.1:9/gsi-downloads/)"
    )
    assert missing.missing_notes() == [note]
    assert missing.missing_notes(stages=["identified", "convicted"]) == []
    from thbstats.publish.charts.funnel import funnel_chart

    chart = funnel_chart(thb.load(), "ALB", 2019)  # the estimate's bar says "No data" ...
    assert "E" + note[1:] + "." in chart.note  # ... and the note says why
    chart.fig.clf()


def test_manual_release_with_a_failing_pinned_copy_fails_and_says_where_to_go(
    project, server, tmp_path, capsys
):
    _, base, _ = server
    walkfree_manual(project, tmp_path, addresses=[pinned(base, "gone.xlsx")])
    assert cli.main(["fetch"]) == 1
    out = capsys.readouterr().out
    assert "404" in out and "FAILED  walkfree-test" in out and "visit http://127.0.0.1:9/" in out
    assert downloads(project) == {}


def test_fetch_reports_unreachable_url(project, server, capsys):
    site, base, _ = server
    wb = glotip_workbook(site / "x.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, url=f"{base}/missing.xlsx")
    # 60 s only guards against a hang: the local server answers 404 at once
    assert cli.main(["fetch", "--timeout", "60"]) == 1
    assert "404" in capsys.readouterr().out
    assert downloads(project) == {}


def test_data_fetch_offline_still_copies_from_a_mirror_folder(
    project, tmp_path, monkeypatch, capsys
):
    share = tmp_path / "share"
    share.mkdir()
    wb = glotip_workbook(share / "copy.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, url="https://127.0.0.1:9/never-read.xlsx")
    monkeypatch.setenv("THBSTATS_OFFLINE", "1")  # no public address is tried
    assert cli.main(["data", "--fetch", "--mirror", str(share)]) == 0
    out = capsys.readouterr().out
    assert "offline: building from the releases already in the downloads folder" in out
    assert "fetched unodc-test from " in out and "release found:   unodc-test" in out
    assert downloads(project) == {"copy.xlsx": wb.read_bytes()}
    assert len(thb.load()) == 3
