"""`thbstats fetch` against hostile local servers on 127.0.0.1: slow, silent and endless.

Each download has an overall deadline and a byte limit, and leaves no temporary file behind.
"""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import pytest
from helpers import SAMPLE_ROWS, fetch_project, glotip_workbook, local_server, register

from thbstats import cli
from thbstats.ingest import download

STOP = threading.Event()


class Hostile(http.server.BaseHTTPRequestHandler):
    """``/drip``: a byte every 0.3 s; ``/silent``: headers, then nothing;
    ``/mute``: no answer; ``/endless``: an
    endless stream without a length; ``/huge``: a declared length of 10 GB.

    The slow ones hang up after 15 s (an outer bound: a fetch without a deadline fails, not
    hangs)."""

    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path.endswith("/mute"):
            STOP.wait(15)  # no answer at all
        self.send_response(200)
        if self.path.endswith("/huge"):
            self.send_header("Content-Length", str(10**10))
        elif not self.path.endswith("/endless"):
            self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.flush()
        start = time.monotonic()
        try:
            while not STOP.is_set() and time.monotonic() - start < 15:
                if self.path.endswith("/drip"):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    STOP.wait(0.3)
                elif self.path.endswith("/endless"):
                    self.wfile.write(b"x" * 65536)
                else:
                    STOP.wait(0.1)
        except OSError:
            pass  # the client gave up

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def base():
    STOP.clear()
    with local_server(Hostile) as url:
        yield url
        STOP.set()


@pytest.fixture()
def project(tmp_path, monkeypatch):
    return fetch_project(tmp_path, monkeypatch)


def folder(project: Path) -> list[str]:
    """Every file in the downloads folder, hidden ones included."""
    return sorted(p.name for p in (project / "data/raw/downloads").iterdir())


def registered(project: Path, tmp_path: Path, url: str, kind: str = "pinned") -> int:
    """Register a small workbook (with its size) served only at ``url``; return its size."""
    wb = glotip_workbook(tmp_path / "data_glotip.xlsx", SAMPLE_ROWS)
    size = wb.stat().st_size
    register(project, "unodc-test", wb, addresses=[{"url": url, "kind": kind}], size=size)
    return size


@pytest.mark.parametrize("path", ["drip", "silent", "mute"])
def test_a_slow_server_is_given_up_at_the_deadline(project, base, tmp_path, capsys, path):
    registered(project, tmp_path, f"{base}/{path}")
    assert cli.main(["fetch", "--registered-only", "--timeout", "60"]) == 1
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if "failed" in x]
    assert f"{base}/{path} (pinned): expected the whole file within 2 s, found only " in line
    assert "try again later" in line and download.DEADLINE_ENV in line
    assert folder(project) == []  # no temporary file left


def test_an_endless_stream_is_stopped_at_the_registered_size(project, base, tmp_path, capsys):
    size = registered(project, tmp_path, f"{base}/endless")
    assert cli.main(["fetch", "--registered-only"]) == 1
    out = capsys.readouterr().out
    assert (
        f"{base}/endless (pinned): expected at most {size} bytes "
        "(the registered size of unodc-test), found more; stopped and deleted" in out
    )
    assert folder(project) == []


def test_a_publisher_stream_is_stopped_at_the_default_cap(
    project, base, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(download.MAX_BYTES_ENV, "300000")
    registered(project, tmp_path, f"{base}/endless", kind="publisher")
    assert cli.main(["fetch"]) == 1
    out = capsys.readouterr().out
    assert f"{base}/endless (publisher): expected at most 300000 bytes" in out
    assert f"(${download.MAX_BYTES_ENV}), found more" in out
    assert folder(project) == []


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    project, base, tmp_path, capsys
):
    size = registered(project, tmp_path, f"{base}/huge")
    assert cli.main(["fetch", "--registered-only"]) == 1
    out = capsys.readouterr().out
    assert (
        f"expected at most {size} bytes" in out and "found a declared length of 10000000000" in out
    )
    assert folder(project) == []


def test_the_temporary_file_is_removed_on_an_interrupt(tmp_path, monkeypatch):
    src = tmp_path / "src.bin"
    src.write_bytes(b"x" * 100)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(download.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        download.get(str(src), tmp_path / "down", 5.0)
    assert list((tmp_path / "down").iterdir()) == []


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf"])
def test_a_bad_deadline_setting_is_a_one_line_refusal(project, monkeypatch, capsys, value):
    monkeypatch.setenv(download.DEADLINE_ENV, value)
    assert cli.main(["fetch"]) == 2
    err = capsys.readouterr().err
    assert f"{download.DEADLINE_ENV}='{value}': expected a positive number of seconds" in err
    assert len(err.strip().splitlines()) == 1


def test_a_name_lookup_that_never_answers_is_given_up_at_the_deadline(tmp_path, monkeypatch):
    """The resolver has no timeout to set: the lookup runs in a thread the fetch stops waiting
    for at the deadline, and the address and what to do are named."""
    released = threading.Event()

    def hangs(*args: object, **kwargs: object) -> list:
        released.wait(30)  # a resolver that does not answer
        raise OSError("the test's resolver was released")

    monkeypatch.setattr(download.fetch_guard.socket, "getaddrinfo", hangs)
    bounds = download.Bounds(0.5, 1000, "test")
    try:
        with pytest.raises(download.ReleaseError) as caught:
            download.get("http://data.example.org/x.xlsx", tmp_path / "down", 5.0, bounds)
    finally:
        released.set()
    message = str(caught.value)
    assert message.startswith("http://data.example.org/x.xlsx: expected the name lookup to ")
    assert "within 0.5 s" in message and "data.example.org" in message
    assert list((tmp_path / "down").iterdir()) == []
