"""`thbstats fetch` stopped or stalled: no temporary file outlives it.

A fetch stopped by SIGTERM or SIGINT removes its temporary file on the way out; one killed with
SIGKILL leaves it (named with its process id), and the next fetch removes it. A server that drips
its status line and headers a byte at a time is given up on at the deadline, like a slow body.
Local servers on 127.0.0.1; the real command in a subprocess where a signal is sent.
"""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import SAMPLE_ROWS, fetch_project, glotip_workbook, local_server, register

from thbstats import cli
from thbstats.ingest import download, fetch_guard

STOP = threading.Event()
HUNG_UP: list[int] = []  # bytes of the headers sent when the client hung up
HUNG = threading.Event()
STATUS = b"HTTP/1.0 200 OK\r\n"
HEAD = STATUS + b"X-Slow: " + b"a" * 40 + b"\r\n\r\n"  # no length: the body ends at EOF


class Slow(http.server.BaseHTTPRequestHandler):
    """``/headers``: the status line and headers a byte per second; ``/drip``: headers without a
    length, then a byte every 0.2 s; ``/gone``: 404. The slow ones hang up after 30 s (an outer
    bound: a fetch without a deadline fails, it does not hang)."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path.endswith("/gone"):
            self.send_error(404)
            return
        start = time.monotonic()
        slow = self.path.endswith("/headers")
        if not slow:
            self.wfile.write(HEAD)
        sent = 0
        try:
            for byte in HEAD if slow else b"x" * 1000:
                if STOP.is_set() or time.monotonic() - start > 30:
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                sent += 1
                STOP.wait(1.0 if slow else 0.2)
        except OSError:  # the client gave up
            if slow:
                HUNG_UP.append(sent)
                HUNG.set()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def base():
    STOP.clear()
    HUNG.clear()
    HUNG_UP.clear()
    with local_server(Slow) as url:
        yield url
        STOP.set()


@pytest.fixture()
def project(tmp_path, monkeypatch):
    return fetch_project(tmp_path, monkeypatch)


def downloads(project: Path) -> list[str]:
    """Every file in the downloads folder, hidden ones included."""
    folder = project / "data/raw/downloads"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def registered(project: Path, tmp_path: Path, url: str) -> None:
    wb = glotip_workbook(tmp_path / "data_glotip.xlsx", SAMPLE_ROWS)
    register(project, "unodc-test", wb, addresses=[{"url": url, "kind": "pinned"}])


def start_fetch(project: Path) -> subprocess.Popen:
    """`thbstats fetch` in a subprocess with a long deadline (it is stopped from outside)."""
    env = os.environ | {"THBSTATS_ROOT": str(project), download.DEADLINE_ENV: "60"}
    return subprocess.Popen(
        [sys.executable, "-m", "thbstats.cli", "fetch", "--registered-only"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen, seconds: float = 60) -> None:
    """Poll until ``condition`` holds; fail if the process ends first or time runs out."""
    end = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the fetch ended (code {proc.returncode}) before it was stopped")
        if time.monotonic() > end:
            pytest.fail("the fetch never began writing its temporary file")
        time.sleep(0.05)


def writing(project: Path, pid: int) -> Callable[[], bool]:
    """The fetch ``pid`` has a temporary file named with its id."""
    folder = project / "data/raw/downloads"
    return lambda: any(folder.glob(f".fetch-{pid}-*.tmp"))


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_a_fetch_stopped_by_a_signal_removes_its_temporary_file(project, base, tmp_path, sig, code):
    registered(project, tmp_path, f"{base}/drip")
    proc = start_fetch(project)
    wait_for(writing(project, proc.pid), proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code
    assert f"fetch: stopped by {signal.Signals(sig).name}; its temporary files removed" in err
    assert "Traceback" not in err
    assert downloads(project) == []


def test_the_next_fetch_removes_what_a_killed_fetch_left(project, base, tmp_path, capsys):
    registered(project, tmp_path, f"{base}/drip")
    proc = start_fetch(project)
    wait_for(writing(project, proc.pid), proc)
    proc.kill()  # SIGKILL: no handler runs
    proc.wait(timeout=30)
    (left,) = downloads(project)
    assert left.startswith(f".fetch-{proc.pid}-") and left.endswith(".tmp")
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # the temporary file of a fetch still running is left alone
        other = project / f"data/raw/downloads/.fetch-{alive.pid}-abcd.tmp"
        other.write_bytes(b"half")
        reused = project / f"data/raw/downloads/.fetch-{alive.pid}-old.tmp"
        reused.write_bytes(b"a day untouched: its id was taken by another program since")
        os.utime(reused, (1e9, 1e9))
        registered(project, tmp_path, f"{base}/gone")
        assert cli.main(["fetch", "--registered-only"]) == 1
        assert downloads(project) == [other.name]
    finally:
        alive.kill()
        alive.wait()
    assert fetch_guard.remove_stale(project / "data/raw/downloads") == [other]
    assert downloads(project) == []


def test_headers_dripped_a_byte_a_second_are_given_up_at_the_deadline(
    project, base, tmp_path, capsys
):
    registered(project, tmp_path, f"{base}/headers")
    assert cli.main(["fetch", "--registered-only", "--timeout", "60"]) == 1
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if "failed" in x]
    assert f"{base}/headers (pinned): expected the whole file within 2 s, found only 0" in line
    assert downloads(project) == []
    assert HUNG.wait(10), "the fetch did not hang up while the headers were dripping"
    assert HUNG_UP[0] < len(STATUS)  # at the deadline, not when the server gave up (30 s)


def test_a_body_cut_at_the_deadline_is_not_taken_for_the_whole_file(
    project, base, tmp_path, capsys
):
    registered(project, tmp_path, f"{base}/drip")
    assert cli.main(["fetch", "--registered-only", "--timeout", "60"]) == 1
    out = capsys.readouterr().out
    assert f"{base}/drip (pinned): expected the whole file within 2 s, found only " in out
    assert downloads(project) == []


@pytest.fixture()
def unanswered():
    """An address whose connections are never accepted: a listening socket with a full queue
    (the kernel drops further connection requests, so connecting hangs)."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    filler = socket.create_connection(server.getsockname())
    yield f"http://127.0.0.1:{server.getsockname()[1]}/release.xlsx"
    filler.close()
    server.close()


def test_a_connection_never_accepted_is_given_up_at_the_deadline(
    project, unanswered, tmp_path, capsys
):
    registered(project, tmp_path, unanswered)
    assert cli.main(["fetch", "--registered-only", "--timeout", "60"]) == 1
    out = capsys.readouterr().out
    assert f"{unanswered} (pinned): expected the whole file within 2 s, found only 0" in out
    assert downloads(project) == []


def test_no_connection_is_begun_after_the_deadline(base):
    import socket

    host, port = base.removeprefix("http://").split(":")
    with fetch_guard.Watchdog(0) as watch:
        with pytest.raises(TimeoutError):
            watch.connect((host, int(port)), 60)
    with fetch_guard.Watchdog(60) as watch:
        sock = watch.connect((host, int(port)), 60)
        assert isinstance(sock, socket.socket) and sock.gettimeout() == 60
        sock.close()
