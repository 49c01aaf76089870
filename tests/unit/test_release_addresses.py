"""The registered releases' addresses, checked without the network: every release can be fetched
from somewhere (or says it is fetched by hand), and every pinned copy cannot change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thbstats import citations
from thbstats.ingest import releases
from thbstats.ingest.readers import ADDRESS_KINDS
from thbstats.ingest.register import PINNED

REGISTERED = releases.registered()


def test_some_releases_are_registered() -> None:
    assert {r.key for r in REGISTERED} >= {"unodc-glotip-2025-04-14", "walkfree-gsi-2023-data"}


@pytest.mark.parametrize("rel", REGISTERED, ids=lambda r: r.key)
def test_every_release_has_an_address_or_is_marked_manual(rel) -> None:
    assert rel.addresses or rel.manual, f"{rel.key}: no address and no manual block"
    if rel.manual:
        assert rel.manual.page.startswith("https://") and rel.manual.why


@pytest.mark.parametrize("rel", REGISTERED, ids=lambda r: r.key)
def test_addresses_are_well_formed(rel) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", rel.sha256) and isinstance(rel.size, int)
    urls = [a.url for a in rel.addresses]
    assert len(urls) == len(set(urls)), f"{rel.key}: an address listed twice"
    for a in rel.addresses:
        assert a.kind in ADDRESS_KINDS and a.kind != "mirror", f"{rel.key}: kind {a.kind!r}"
        assert a.url.startswith("https://"), f"{rel.key}: {a.url} is not https"
        if "github" in a.url:  # a file in a repository is pinned only at a full commit id
            assert re.fullmatch(PINNED[0], a.url), f"{rel.key}: {a.url} is not at a 40-hex commit"
        if a.kind in ("pinned", "archive"):
            assert any(re.fullmatch(p, a.url) for p in PINNED), f"{rel.key}: {a.url} can change"
            assert a.note, f"{rel.key}: say where the pinned address {a.url} came from"


def test_every_release_is_a_citation_a_footnote_can_print() -> None:
    """A registered file's rows cite its key: the key names a publisher, a title, a year, where
    in the publication the figures are, and the licence (what a chart's source line prints)."""
    lacking = [
        f"{rel.key}: {field}"
        for rel in REGISTERED
        for field in ("publisher", "title", "year", "locator", "licence")
        if not str(citations.describe(rel.key).get(field) or "").strip()
    ]
    assert lacking == []


def test_registered_sizes_match_the_official_files(official: dict[str, Path]) -> None:
    by_key = {r.key: r for r in REGISTERED}
    for key, path in official.items():
        assert path.stat().st_size == by_key[key].size, key
