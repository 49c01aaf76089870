"""What the claims of ``data/claims.yml`` read of the table: the releases they name, each stage's
years in them, and the years of the checks that take the latest figure instead.

``thbstats run`` hashes this part of the table for the claims notebook (``pipeline/slices.py``),
so a new release that changes figures no claim reads (another stage, other years, or a release
every check of those years names otherwise) leaves the claims run as it is, and one that changes
a figure a claim reads redoes it. A check names its release with ``publication`` (a value) or
``publications``; any other takes the latest figure (``prefer_publication`` only comes first).
A check that names no stage reads every stage; one that names no years reads every year.
"""

from __future__ import annotations

from typing import Any

from thbstats.vocabulary import JUSTICE_STAGES

BLOCKS = ("cited", "independent", "narratives", "sensitivity")
EVERY_STAGE = "*"
"""The key of a span read for every stage (a check that names no stage)."""


def reads(claims: dict[str, Any]) -> dict[str, Any]:
    """The releases the claims name, per stage the first and last year they read (``spans``;
    None: every year) and the part of those read as the latest figure (``latest``).

    >>> from thbstats.analysis.claims import load_claims
    >>> r = reads(load_claims())
    >>> r["spans"]["convicted"], r["spans"]["prosecuted"], r["spans"]["identified"]
    ([2015, 2022], [2015, 2018], [2012, 2022])
    >>> r["latest"]
    {'prosecuted': [2015, 2018], 'identified': [2015, 2018], 'convicted': [2015, 2018]}
    >>> [p for p in r["publications"] if p.startswith("UNODC GLOTIP data")]
    ['UNODC GLOTIP data 2025-04-14', 'UNODC GLOTIP data 2023-05-30']
    """
    publications: list[str] = []
    spans: dict[str, list[int] | None] = {}
    latest: dict[str, list[int] | None] = {}
    for claim in claims.get("claims", []):
        independent = claim.get("independent") or {}
        for name in BLOCKS:
            block = claim.get(name)
            if not isinstance(block, dict):
                continue
            if name == "sensitivity":  # recomputes the independent check for other releases
                block = {**independent, **block}
            _add(spans, block.get("stage"), block.get("years"))
            if not _names_its_release(block):
                _add(latest, block.get("stage"), block.get("years"))
            publications += _named(block)
    top = claims.get("sensitivity")
    if isinstance(top, dict):
        for stage in JUSTICE_STAGES:
            _add(spans, stage, top.get("years"))
            if not top.get("publications"):
                _add(latest, stage, top.get("years"))
        publications += _named(top)
    return {"publications": list(dict.fromkeys(publications)), "spans": spans, "latest": latest}


def _names_its_release(block: dict[str, Any]) -> bool:
    """Whether a check reads only the releases it names (else it takes the latest figure)."""
    if block.get("publications"):
        return True
    return block.get("kind") == "value" and bool(block.get("publication"))


def _named(block: dict[str, Any]) -> list[str]:
    """The releases a check names (``publication``, ``prefer_publication``, ``publications``)."""
    named = [block.get("publication"), block.get("prefer_publication")]
    named += list(block.get("publications") or [])
    return [str(p) for p in named if p]


def _add(spans: dict[str, list[int] | None], stage: Any, years: Any) -> None:
    """Widen ``stage``'s span to ``years`` (no years: every year; no stage: every stage)."""
    key = str(stage) if stage else EVERY_STAGE
    if key in spans and spans[key] is None:
        return
    if not years:
        spans[key] = None
        return
    first, last = min(int(y) for y in years), max(int(y) for y in years)
    if key in spans:
        old = spans[key]
        assert old is not None
        first, last = min(first, old[0]), max(last, old[1])
    spans[key] = [first, last]
