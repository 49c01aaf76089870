"""The one hash of the project: sha256, of a file, of a package's code, or of text.

Releases are recognised by the sha256 of their file, caches are keyed on the sha256 of the code
that made them, and list names on the sha256 of their codes: every such digest is made here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "f.txt"); _ = p.write_bytes(b"abc")
    ...     sha256_of(p)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def chunks_digest(chunks: Iterable[bytes]) -> str:
    """Hex sha256 of ``chunks`` in order (the digest of their concatenation, made piece by
    piece: a record of several parts, each ended by a separator).

    >>> chunks_digest([b"a", b"bc"]) == text_digest("abc")
    True
    """
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


def text_digest(text: str) -> str:
    """Hex sha256 of ``text`` (UTF-8).

    >>> text_digest("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def code_digest(package: Path, patterns: tuple[str, ...], salt: str) -> str:
    """sha256 of ``salt`` and of the files matching ``patterns`` (globs under ``package``), each
    with its relative name: a cache keyed on it is invalidated by any edit to that code.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = pathlib.Path(d, "a.py").write_text("x = 1")
    ...     before = code_digest(pathlib.Path(d), ("*.py",), "v1")
    ...     _ = pathlib.Path(d, "a.py").write_text("x = 2")
    ...     before == code_digest(pathlib.Path(d), ("*.py",), "v1")
    False
    """
    h = hashlib.sha256(salt.encode())
    for pattern in patterns:
        for path in sorted(package.glob(pattern)):
            h.update(f"{path.relative_to(package).as_posix()}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()
