"""What a missing release costs: the stages lost, the releases that stand in, how to get the file.

Read by the build summary (``thbstats data``), datapackage.json and the charts' notes.
"""

from __future__ import annotations

import json
from pathlib import Path

from thbstats import paths
from thbstats.ingest.damaged import damaged_text
from thbstats.ingest.readers import Release, stages_of
from thbstats.ingest.releases import registered
from thbstats.vocabulary import STAGE_NOUNS

FAMILY = {"UNODC": "UNODC", "WALKFREE": "Walk Free"}


def _reader_of(key: str, by_key: dict[str, Release]) -> str:
    return by_key[key].reader if key in by_key else "unodc_glotip"  # unregistered: UNODC only


def missing_detail(missing: list[str], found: list[str]) -> list[dict]:
    """For each missing release: its stages, those no release found provides (``lost``), the
    releases found that hold the same stages (``instead``), and how to get the file."""
    by_key = {r.key: r for r in registered()}
    out = []
    for key in missing:
        rel = by_key[key]
        stages = list(stages_of(rel.reader))
        others = [k for k in found if set(stages_of(_reader_of(k, by_key))) & set(stages)]
        present = {st for k in others for st in stages_of(_reader_of(k, by_key))}
        family = FAMILY.get(rel.source, rel.source)
        label = (
            rel.publication if rel.publication.startswith(family) else f"{family} {rel.publication}"
        )
        how = f"manual download: {rel.manual.page}" if rel.manual else "run `thbstats fetch`"
        out.append(
            {
                "key": key,
                "label": f"{label} ({rel.filename})",
                "stages": stages,
                "lost": [st for st in stages if st not in present],
                "instead": others,
                "manual": rel.manual.page if rel.manual else None,
                "how": how,
            }
        )
    return out


def missing_lines(
    missing: list[str], found: list[str], damaged: dict[str, str] | None = None
) -> list[str]:
    """The build summary's lines for missing releases: which stage is lost, how to get the file;
    a release present only as a damaged file (``damaged``: key -> file) is said to be that."""
    lines = []
    by_key = {r.key: r for r in registered()}
    for d in missing_detail(missing, found):
        if damaged and d["key"] in damaged:
            text = damaged_text(by_key[d["key"]], Path(damaged[d["key"]]))
            lines.append(f"release DAMAGED: {d['key']} - {d['label']}: {text}")
            continue
        kept = [st for st in d["stages"] if st not in d["lost"]]
        parts = [f"stage lost: {', '.join(d['lost'])}"] if d["lost"] else []
        if kept:
            parts.append(f"{', '.join(kept)} only from {', '.join(d['instead'])}")
        how = d["how"] if d["manual"] else "run `thbstats fetch`, or point --downloads at it"
        what = "".join(f"; {p}" for p in parts)
        lines.append(f"release MISSING: {d['key']} - {d['label']}{what} ({how})")
    return lines


def missing_notes(stages: list[str] | None = None, package: Path | None = None) -> list[str]:
    """Notes for charts and notebooks: one per stage group lost because a release is missing,
    e.g. "estimate not available: Walk Free Global Slavery Index 2023 (...) missing (manual
    download: <page>)". Read from data/processed/datapackage.json (empty when it is absent)."""
    path = package or paths.processed_dir() / "datapackage.json"
    try:
        detail = json.loads(path.read_text(encoding="utf-8"))["thbstats"]["releases_missing_detail"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    notes = []
    for d in detail:
        lost = [st for st in d["lost"] if st != "population" and (stages is None or st in stages)]
        if lost:
            what = " and ".join(STAGE_NOUNS.get(st, st) for st in lost)
            notes.append(f"{what} not available: {d['label']} missing ({d['how']})")
    return notes
