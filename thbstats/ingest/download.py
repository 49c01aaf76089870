"""Getting one file into the downloads folder: stream to a temporary file, hash, then rename.

A file is never half-written under its final name: it lands in a hidden temporary file beside
its target (``.fetch-<pid>-*.tmp``, which the release finder ignores) and is renamed once
complete. Each download is bounded: an overall deadline (connecting and the headers included,
not only a per-read timeout) and a byte limit; the temporary file is removed on any exit short
of completion (see ``fetch_guard`` for signals and killed processes).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from thbstats.errors import ReleaseError
from thbstats.ingest import fetch_guard

CHUNK = 1 << 20

DEADLINE = 600.0
"""Seconds one file may take from the first request to the last byte."""
DEADLINE_ENV = "THBSTATS_FETCH_DEADLINE"
MAX_BYTES = 200 * 1024 * 1024
"""Byte limit for a file of unknown size (a publisher's address may serve a new release)."""
MAX_BYTES_ENV = "THBSTATS_FETCH_MAX_BYTES"


def _setting(env: str, default: float, unit: str) -> float:
    """A positive number from the environment variable ``env`` (``default`` when unset)."""
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise ReleaseError(f"{env}={raw[:40]!r}: expected a positive number of {unit}")
    return value


def deadline() -> float:
    """The overall deadline per file, in seconds ($THBSTATS_FETCH_DEADLINE, else DEADLINE)."""
    return _setting(DEADLINE_ENV, DEADLINE, "seconds")


def max_bytes() -> int:
    """The byte limit for a file of unknown size ($THBSTATS_FETCH_MAX_BYTES, else MAX_BYTES)."""
    return int(_setting(MAX_BYTES_ENV, MAX_BYTES, "bytes"))


@dataclass
class Bounds:
    """The limits of one download: the deadline in seconds, the byte limit and why."""

    deadline: float
    limit: int
    why: str  # what the limit is ("the registered size of <key>", "$THBSTATS_FETCH_MAX_BYTES")


class _Stop(Exception):
    """A bound was passed (the message is the one-line refusal, without the address)."""


@dataclass
class Fetched:
    """A complete download in a temporary file: where it came from, its sha256 and size."""

    url: str
    tmp: Path
    sha256: str
    size: int


def _copy_hashing(
    src, tmp: Path, bounds: Bounds, start: float, sock: socket.socket | None = None
) -> tuple[str, int]:
    """Copy ``src`` into ``tmp`` (sha256, size); _Stop past the deadline or the byte limit."""
    h, size = hashlib.sha256(), 0
    read = getattr(src, "read1", src.read)  # whatever has arrived: the deadline is checked
    with open(tmp, "wb") as out:
        while True:
            left = bounds.deadline - (time.monotonic() - start)
            if left <= 0:
                raise _Stop(_late(bounds, size))
            if sock is not None:
                sock.settimeout(left)  # a silent server is given up on at the deadline too
            try:
                chunk = read(CHUNK)
            except TimeoutError:
                if time.monotonic() - start >= bounds.deadline:
                    raise _Stop(_late(bounds, size)) from None
                raise
            if not chunk:
                break
            size += len(chunk)
            if size > bounds.limit:
                raise _Stop(_large(bounds))
            h.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return h.hexdigest(), size


def _late(bounds: Bounds, size: int) -> str:
    return (
        f"expected the whole file within {bounds.deadline:g} s, found only {size} bytes by then; "
        f"given up: try again later, another address or a mirror (--mirror), or raise "
        f"${DEADLINE_ENV}"
    )


def _no_lookup(bounds: Bounds, exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    return (
        f"expected the name lookup to answer within {bounds.deadline:g} s, found no answer "
        f"({reason}); given up: check the network's name service, try again later, use a "
        f"mirror (--mirror), or raise ${DEADLINE_ENV}"
    )


def _large(bounds: Bounds) -> str:
    return (
        f"expected at most {bounds.limit} bytes ({bounds.why}), found more; stopped and deleted: "
        "the address serves another file or an endless stream"
    )


def _socket(resp: object) -> socket.socket | None:
    """The socket under an HTTP response, to bound each read by the time left (None: unknown)."""
    return getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)


def get(url: str, folder: Path, timeout: float, bounds: Bounds | None = None) -> Fetched:
    """Download ``url`` (http, https or a local path) into a temporary file in ``folder``.

    ReleaseError naming the address when it cannot be read, takes longer than the deadline
    (connecting and the headers included) or passes the byte limit; the temporary file is
    removed on any exit but success.
    """
    bounds = bounds or Bounds(deadline(), max_bytes(), f"${MAX_BYTES_ENV}")
    try:
        tmp = fetch_guard.temp_file(folder)
    except OSError as exc:
        raise ReleaseError(f"{folder}: expected a folder to download into, found {exc}") from exc
    start, done = time.monotonic(), False
    watch = fetch_guard.Watchdog(bounds.deadline)
    try:
        if "://" not in url or url.startswith("file://"):
            with open(Path(url.removeprefix("file://")), "rb") as src:
                digest, size = _copy_hashing(src, tmp, bounds, start)
        else:
            with watch:
                digest, size = _from_http(url, tmp, timeout, bounds, start, watch)
        done = True
    except _Stop as exc:
        raise ReleaseError(f"{url}: {exc}") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if isinstance(getattr(exc, "reason", exc), fetch_guard.LookupTimeout):  # urllib wraps it
            raise ReleaseError(f"{url}: {_no_lookup(bounds, exc)}") from None
        late = watch.fired or isinstance(exc, TimeoutError) or "timed out" in str(exc)
        if late and time.monotonic() - start >= bounds.deadline:  # no answer by the deadline
            raise ReleaseError(f"{url}: {_late(bounds, 0)}") from None
        raise ReleaseError(f"{url}: expected a file to download, found {exc}") from exc
    finally:
        if not done:
            tmp.unlink(missing_ok=True)
    return Fetched(url=url, tmp=tmp, sha256=digest, size=size)


def _from_http(
    url: str, tmp: Path, timeout: float, bounds: Bounds, start: float, watch: fetch_guard.Watchdog
) -> tuple[str, int]:
    """Read ``url`` into ``tmp`` through connections ``watch`` shuts down at the deadline."""
    req = urllib.request.Request(url, headers={"User-Agent": "thbstats"})
    with watch.opener().open(req, timeout=min(timeout, bounds.deadline)) as resp:
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > bounds.limit:
            raise _Stop(
                _large(bounds).replace("found more", f"found a declared length of {declared}")
            )
        digest, size = _copy_hashing(resp, tmp, bounds, start, _socket(resp))
    if watch.fired:  # cut at the deadline: what arrived is not the whole file
        raise _Stop(_late(bounds, size))
    return digest, size


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def free_name(folder: Path, name: str, digest: str) -> Path:
    """``folder/name``, or ``name`` with the checksum prefix added when another file holds it."""
    target = folder / name
    if not target.exists():
        return target
    stem, suffix = os.path.splitext(name)
    return folder / f"{stem}_{digest[:8]}{suffix}"


def keep(fetched: Fetched, target: Path) -> Path:
    """Move a complete download into place (atomic rename within the folder)."""
    fetched.tmp.chmod(0o666 & ~_umask())  # as any new file (the temporary file was private)
    os.replace(fetched.tmp, target)
    return target


def discard(fetched: Fetched) -> None:
    """Delete a download that is not kept (a wrong file from a pinned copy, or a duplicate)."""
    fetched.tmp.unlink(missing_ok=True)
