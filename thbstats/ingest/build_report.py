"""What a build read, dropped and wrote: filled by ``thbstats.ingest.build``, read by the writers of
``datapackage.json`` and ``build_record.json`` (which therefore never import the build)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class BuildReport:
    """What a build read, dropped and wrote."""

    found: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    damaged: dict[str, str] = field(default_factory=dict)  # missing release -> its damaged file
    unregistered: list[str] = field(default_factory=list)  # files of no known layout, ignored
    sources: dict[str, dict] = field(default_factory=dict)  # entries for unregistered releases read
    warnings: list[str] = field(default_factory=list)
    dropped: dict[str, dict[str, int]] = field(default_factory=dict)  # reader checks (counts)
    audited: dict[str, dict[str, int]] = field(default_factory=dict)  # audit lines per publication
    breaks: pd.DataFrame | None = None
    results: list = field(default_factory=list, repr=False)
    cached: set[str] = field(default_factory=set)  # releases whose parse came from the cache
    second_voice: list[str] = field(default_factory=list)  # origins of the second-voice results
    review: pd.DataFrame | None = None  # second-voice figures not read alike (second_voice.py)
    words: pd.DataFrame | None = None  # the narrative's words of each second-voice figure
    rows: int = 0
    seconds: float = 0.0
