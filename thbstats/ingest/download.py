"""Getting one file into the downloads folder: stream to a temporary file, hash, then rename.

A file is never half-written under its final name: it lands in a hidden temporary file beside
its target (``.fetch-*.tmp``, which the release finder ignores) and is renamed once complete.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from thbstats.errors import ReleaseError

CHUNK = 1 << 20


@dataclass
class Fetched:
    """A complete download in a temporary file: where it came from, its sha256 and size."""

    url: str
    tmp: Path
    sha256: str
    size: int


def _temp_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".fetch-", suffix=".tmp", dir=folder)
    os.close(fd)
    return Path(tmp)


def _copy_hashing(src, tmp: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(tmp, "wb") as out:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            h.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return h.hexdigest(), size


def get(url: str, folder: Path, timeout: float) -> Fetched:
    """Download ``url`` (http, https or a local path) into a temporary file in ``folder``.

    ReleaseError naming the address when it cannot be read; no temporary file is left behind.
    """
    try:
        tmp = _temp_in(folder)
    except OSError as exc:
        raise ReleaseError(f"{folder}: expected a folder to download into, found {exc}") from exc
    try:
        if "://" not in url or url.startswith("file://"):
            path = Path(url.removeprefix("file://"))
            with open(path, "rb") as src:
                digest, size = _copy_hashing(src, tmp)
        else:
            req = urllib.request.Request(url, headers={"User-Agent": "thbstats"})
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                digest, size = _copy_hashing(resp, tmp)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        tmp.unlink(missing_ok=True)
        raise ReleaseError(f"{url}: expected a file to download, found {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Fetched(url=url, tmp=tmp, sha256=digest, size=size)


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
