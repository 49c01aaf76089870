"""A brief's PDF as a file: its date comes from the data, its structure reads without warnings.

Typst stamps a PDF with the time of the build unless told a date: a brief takes
``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds convention), else the release date
of the newest publication it cites, so building unchanged inputs again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from thbstats import citations

SUSPECTS = b"/Suspects false"
"""Typst writes ``/MarkInfo <</Marked true /Suspects false>>``: valid PDF, but poppler reports
"Suspects object is wrong type" for a false value. False is the default, so the key goes."""


def release_day(key: str) -> dt.date | None:
    """The day a cited publication was released (1 January of its year when only the year is
    recorded); None when ``sources.yml`` gives neither.

    >>> release_day("unodc-glotip-2025-04-14"), release_day("walkfree-gsi-2023-data")
    (datetime.date(2025, 4, 14), datetime.date(2023, 1, 1))
    """
    entry = citations.describe(key)
    stamp = str((entry.get("release") or {}).get("release_date") or entry.get("year") or "")
    try:
        return dt.date.fromisoformat(stamp)
    except ValueError:
        return dt.date(int(stamp[:4]), 1, 1) if stamp[:4].isdigit() else None


def build_timestamp(keys: Iterable[str]) -> int:
    """Seconds since 1970 to stamp a brief with: ``SOURCE_DATE_EPOCH`` when set, else midnight
    UTC of the newest release among ``keys``, else 1 January 2000 (never the clock).

    >>> build_timestamp(["walkfree-gsi-2023-data", "unodc-glotip-2025-04-14"]) == int(
    ...     dt.datetime(2025, 4, 14, tzinfo=dt.UTC).timestamp()) or "SOURCE_DATE_EPOCH" in os.environ
    True
    """
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    days = [d for d in map(release_day, sorted(set(keys))) if d is not None]
    day = max(days, default=dt.date(2000, 1, 1))
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def clean(pdf: bytes) -> bytes:
    """The PDF with ``/Suspects false`` blanked out in place (same length: the cross-reference
    offsets stay right); anything else is left as Typst wrote it."""
    return pdf.replace(SUSPECTS, b" " * len(SUSPECTS))


def structure_warnings(path: str | Path) -> list[str]:
    """What a strict PDF reader (pypdf, ``strict=True``) reports on reading every object, page
    and text of the file: an empty list for a clean file."""
    from pypdf import PdfReader

    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    handler, log = Collect(level=logging.WARNING), logging.getLogger("pypdf")
    log.addHandler(handler)
    try:
        reader = PdfReader(path, strict=True)
        for page in reader.pages:
            page.extract_text()
        reader.trailer["/Root"].get_object().get("/MarkInfo")
        found += [f"MarkInfo: /Suspects {v}" for v in _suspects(reader)]
    except Exception as exc:  # noqa: BLE001  (any error is a finding, named)
        found.append(f"{type(exc).__name__}: {exc}")
    finally:
        log.removeHandler(handler)
    return found


def _suspects(reader) -> list[object]:
    """A ``/Suspects`` entry that is not ``true`` (poppler rejects it as the wrong type)."""
    mark = reader.trailer["/Root"].get_object().get("/MarkInfo") or {}
    value = mark.get("/Suspects")
    return [] if value is None or value is True else [value]
