"""Refuse hostile or damaged .xlsx files before a parser sees them.

An xlsx is a zip of XML parts. Before calamine parses one, every part is inflated here (raw
deflate, a chunk at a time, counted and never kept) to check that it is what the zip's directory
declares: sizes within bounds and in proportion, judged by what the parts really inflate to (a
zip bomb inflates a few KiB into GiB; a damaged file may declare or inflate to a little more than
it should, and is said to be damaged), checksums right (a damaged download), and no DOCTYPE or
entity declarations in the XML (an entity expansion, "billion laughs", or an external entity):
no spreadsheet needs them, so they are refused, not expanded.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from thbstats.errors import InputError

MAX_UNCOMPRESSED = 512 * 1024 * 1024
"""Refuse an xlsx whose parts would inflate beyond this in all."""
MAX_RATIO = 200
"""Refuse a part that inflates more than this many times its compressed size (real releases:
at most 25) once it is larger than ``RATIO_FLOOR`` (small repetitive parts compress well)."""
RATIO_FLOOR = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
PROLOG = 64 * 1024
"""XML parts must open their root element within this many bytes."""
ROOT_TAG = re.compile(r"<[A-Za-z_:]")
CHUNK = 1 << 20


def check_xlsx(path: Path) -> None:
    """Raise InputError unless ``path`` is an intact xlsx zip whose parts are safe to parse."""
    _check_is_zip(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            str(path), None, None, "a readable .xlsx workbook", f"a damaged zip archive ({exc})"
        ) from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InputError(str(path), None, None, "an .xlsx workbook", "a zip without xl/ parts")
    _check_declared(path, infos)
    inflated = 0
    with open(path, "rb") as fh:
        for info in infos:
            inflated += _check_part(path, fh, info, inflated)


def _check_is_zip(path: Path) -> None:
    if zipfile.is_zipfile(path):
        return
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(b"PK\x03\x04"):
        raise InputError(
            str(path),
            None,
            None,
            "a complete .xlsx workbook",
            f"a truncated or damaged zip archive ({path.stat().st_size:,} bytes)",
        )
    raise InputError(
        str(path),
        None,
        None,
        "an .xlsx workbook (a zip archive)",
        f"a file that is not xlsx ({file_kind(head)})",
    )


KINDS = (
    (b"<!doctype html", "an HTML page: an error page?"),
    (b"<html", "an HTML page: an error page?"),
    (b"<?xml", "an XML file"),
    (b"%pdf", "a PDF file"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xd0\xcf\x11\xe0", "an old .xls workbook (OLE2)"),
)


def file_kind(head: bytes) -> str:
    """What the first bytes of a file look like, in words: a message never echoes a file's
    content (a link to a private file must not print its first line).

    >>> file_kind(b"<!DOCTYPE html><html>"), file_kind(b"root:x:0:0:root:/root")
    ('an HTML page: an error page?', 'text')
    """
    start = head.lstrip().lower()
    for magic, kind in KINDS:
        if start.startswith(magic):
            return kind
    if not head:
        return "an empty file"
    printable = sum(32 <= b < 127 or b in b"\t\r\n" for b in head)
    return "text" if printable == len(head) else "binary data"


def _size(n: int) -> str:
    return f"{n >> 20:,} MiB" if n >= 1 << 20 else f"{n >> 10:,} KiB"


def _part(info: zipfile.ZipInfo) -> str:
    return f"part {info.filename}"


def _check_declared(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Parts stored or deflated, as Excel writes them. The sizes the zip directory declares are
    not judged here: a damaged directory declares nonsense, so a zip bomb is told by what its
    parts really inflate to (``_check_part``)."""
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(
                str(path),
                _part(info),
                None,
                "parts stored or deflated (as Excel writes them)",
                f"compression method {info.compress_type}",
            )


def _raw_data(fh: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Seek to a part's compressed bytes (past its local header); return how many there are."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(name_len + extra_len, 1)
    return info.compress_size


def _inflated(fh: BinaryIO, info: zipfile.ZipInfo, left: int) -> Iterator[bytes]:
    """The part's bytes, inflated a chunk at a time (never more than CHUNK bytes at once)."""
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        raw = fh.read(min(CHUNK, left))
        if not raw:
            return
        left -= len(raw)
        if inflate is None:
            yield raw
            continue
        yield inflate.decompress(raw, CHUNK)
        while inflate.unconsumed_tail:
            yield inflate.decompress(inflate.unconsumed_tail, CHUNK)
    if inflate is not None:
        yield inflate.flush()


def _check_part(path: Path, fh: BinaryIO, info: zipfile.ZipInfo, before: int = 0) -> int:
    """Inflate one part (counting, never holding more than a chunk); check its real ratio and
    the total so far (``before``: bytes the earlier parts inflated to), then its size, CRC and
    XML prolog. Returns the bytes it inflated to."""
    scan = info.filename.lower().endswith(XML_SUFFIXES)
    size, crc, head = 0, 0, b""
    bomb_at = max(RATIO_FLOOR, MAX_RATIO * max(info.compress_size, 1))
    try:
        for out in _inflated(fh, info, _raw_data(fh, info)):
            size += len(out)
            _check_bomb(path, info, size, bomb_at, before)
            crc = zlib.crc32(out, crc)
            if scan and len(head) < PROLOG:
                head += out[: PROLOG - len(head)]
    except (zlib.error, zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            str(path), _part(info), None, "an intact part", f"damaged ({exc})"
        ) from exc
    if size > info.file_size:
        ratio = size / max(info.compress_size, 1)
        raise InputError(
            str(path),
            _part(info),
            None,
            f"the {info.file_size:,} bytes its zip directory declares",
            f"{size:,} bytes, more when inflated: a damaged part (it inflates {ratio:,.0f}:1, "
            "as a workbook does)",
        )
    if size != info.file_size or crc != info.CRC:
        raise InputError(
            str(path),
            _part(info),
            None,
            "an intact part (size and CRC as declared)",
            "a damaged or truncated part",
        )
    if scan:
        _check_prolog(path, info, head)
    return size


def _check_bomb(path: Path, info: zipfile.ZipInfo, size: int, bomb_at: int, before: int) -> None:
    """A zip bomb by what the part really inflates to: past ``MAX_RATIO`` times its compressed
    size (once past ``RATIO_FLOOR``), or past ``MAX_UNCOMPRESSED`` with the parts before it."""
    if size > bomb_at:
        raise InputError(
            str(path),
            _part(info),
            None,
            f"a compression ratio of at most {MAX_RATIO}:1",
            f"more than {_size(size)} inflated from {info.compress_size:,} bytes, a ratio over "
            f"{size // max(info.compress_size, 1):,}:1 (a zip bomb)",
        )
    if before + size > MAX_UNCOMPRESSED:
        raise InputError(
            str(path),
            None,
            None,
            f"at most {_size(MAX_UNCOMPRESSED)} uncompressed",
            f"more than {_size(before + size)} when inflated (a zip bomb)",
        )


def _check_prolog(path: Path, info: zipfile.ZipInfo, head: bytes) -> None:
    """Refuse a DOCTYPE (where entities are declared) before the root element of an XML part."""
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    text = head.decode(encoding, "replace")
    root = ROOT_TAG.search(text)
    prolog = text[: root.start()] if root else text
    hits = [i for i in (prolog.upper().find(m) for m in ("<!DOCTYPE", "<!ENTITY")) if i >= 0]
    at = min(hits, default=-1)
    if at >= 0:
        raise InputError(
            str(path),
            _part(info),
            None,
            "XML without DOCTYPE or entity declarations (refused, not expanded)",
            prolog[at : at + 60],
        )
    if root is None and len(head) >= PROLOG:
        raise InputError(
            str(path),
            _part(info),
            None,
            f"the root element within {PROLOG:,} bytes",
            "a longer prolog",
        )
