"""What keeps a download bounded and its temporary files from outliving it.

- Temporary files are named with the process id (``.fetch-<pid>-*``): a fetch stopped by a
  signal (SIGTERM, SIGINT) removes its own on the way out; those of a process that is no longer
  running (killed with SIGKILL, a power cut) are removed by the next fetch.
- Connecting gets only what is left of the deadline, and a watchdog shuts the connection down
  at the deadline, whatever the server is doing: a server that drips its status line and
  headers a byte at a time is given up on like a slow body. The name lookup gets what is left
  of the deadline too: it runs in a thread of its own, abandoned (it ends when the system's
  resolver gives up) when it has not answered by then.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = ".fetch-"
OWNED = re.compile(r"\.fetch-([0-9]+)-")
"""The name of a temporary file of a fetch, with the id of the process writing it."""
OLD = 86400.0
"""Seconds after which a temporary file untouched is removed whoever wrote it (a download that
is still running writes to it; its deadline is far shorter)."""


def temp_file(folder: Path, suffix: str = ".tmp") -> Path:
    """A new empty temporary file in ``folder``, named with this process's id."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{PREFIX}{os.getpid()}-", suffix=suffix, dir=folder)
    os.close(fd)
    return Path(tmp)


def staged_name(folder: Path, stem: str, tag: str, suffix: str) -> Path:
    """The name a complete download waits under while it is looked at (hidden, with the pid)."""
    return folder / f"{PREFIX}{os.getpid()}-{stem}.{tag}.new{suffix}"


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: it exists
    return True


def _stale(path: Path, now: float) -> bool:
    """Left by a process no longer running, or untouched for a day (an older name, or a
    process id since taken by another program)."""
    owner = OWNED.match(path.name)
    if owner and not _running(int(owner.group(1))):
        return True
    try:
        return now - path.stat().st_mtime > OLD
    except OSError:
        return False


def remove_stale(folder: Path) -> list[Path]:
    """Delete the temporary files of fetches no longer running, and any untouched for a day."""
    now, removed = time.time(), []
    for path in (*folder.glob(f"{PREFIX}*"), *folder.glob(".*.new.*")):
        if path.is_file() and _stale(path, now):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def remove_own(folder: Path) -> None:
    """Delete this process's temporary files in ``folder``."""
    for path in folder.glob(f"{PREFIX}{os.getpid()}-*"):
        path.unlink(missing_ok=True)


@contextmanager
def on_signals(folder: Path) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT remove this process's temporary files in
    ``folder`` first, then stop it (SystemExit 143, KeyboardInterrupt). Main thread only:
    elsewhere signals are not delivered to Python code, and the next fetch cleans up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}

    def stop(signum: int, _frame: object) -> None:
        for s, handler in before.items():
            signal.signal(s, handler)
        remove_own(folder)
        name = signal.Signals(signum).name
        print(f"fetch: stopped by {name}; its temporary files removed", file=sys.stderr)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    for s in before:
        signal.signal(s, stop)
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


class Watchdog:
    """Shuts down every connection made through ``opener()`` once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._end = time.monotonic() + seconds
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def left(self) -> float:
        """Seconds left before the deadline."""
        return self._end - time.monotonic()

    def connect(
        self, address: tuple[str, int], timeout: object = None, source: object = None
    ) -> socket.socket:
        """``socket.create_connection`` within the time left: each address tried gets what is
        left of the deadline (at most ``timeout``), so connecting ends by the deadline too."""
        host, port = address
        error: OSError = TimeoutError("timed out")
        for family, kind, proto, _, where in lookup(host, port, self.left()):
            left = self.left()
            if left <= 0:
                break
            sock = socket.socket(family, kind, proto)
            try:
                wait = min(timeout, left) if isinstance(timeout, (int, float)) else left
                sock.settimeout(wait)
                if source:
                    sock.bind(source)
                sock.connect(where)
            except OSError as exc:
                error = exc
                sock.close()
                continue
            sock.settimeout(timeout if isinstance(timeout, (int, float)) else None)
            self.add(sock)
            return sock
        raise error

    def add(self, sock: socket.socket) -> None:
        """Watch ``sock`` (shut down at once when the deadline has already passed)."""
        with self._lock:
            self._socks.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._socks:
                _shut(sock)

    def opener(self) -> urllib.request.OpenerDirector:
        """A urllib opener whose connections (http and https, redirects too) are watched."""
        return urllib.request.build_opener(
            _Http(_watched(http.client.HTTPConnection, self)),
            _Https(_watched(http.client.HTTPSConnection, self)),
        )


class LookupTimeout(TimeoutError):
    """The name lookup did not answer within the time left."""


def lookup(host: str, port: int, seconds: float) -> list[tuple]:
    """``socket.getaddrinfo`` for a stream connection, given up after ``seconds``
    (LookupTimeout): the system's resolver has no timeout of its own to set."""
    found: list = []
    failed: list[BaseException] = []

    def ask() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the caller
            failed.append(exc)

    worker = threading.Thread(target=ask, name=f"lookup {host}", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        raise LookupTimeout(f"the name lookup of {host} did not answer within the deadline")
    if failed:
        raise failed[0]
    return found


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once
    except OSError:
        pass  # already closed


def _watched(base: type, watch: Watchdog) -> type:
    """``base`` (an http.client connection class) whose sockets ``watch`` can shut down."""

    class Watched(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = watch.connect

    return Watched


class _Http(urllib.request.HTTPHandler):
    def __init__(self, conn: type) -> None:
        super().__init__()
        self._conn = conn

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._conn, req)


class _Https(urllib.request.HTTPSHandler):
    def __init__(self, conn: type) -> None:
        super().__init__()
        self._conn = conn

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._conn, req, context=self._context)
