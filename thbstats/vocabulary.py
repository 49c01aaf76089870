"""The display vocabulary of the table's codes, read once from ``vocabulary.yml`` (beside
``schema.yml``): stage labels, colours and kinds (stock or flow), and what an estimate counts.

Charts and metrics import these names from here; no other module spells them out.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

VOCABULARY = Path(__file__).with_name("vocabulary.yml")


@cache
def spec() -> dict[str, Any]:
    """The parsed vocabulary.yml."""
    import yaml

    return yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))


_STAGES: dict[str, dict[str, str]] = spec()["stages"]

STAGE_LABELS: dict[str, str] = {stage: s["label"] for stage, s in _STAGES.items()}
"""What each stage is called in a chart."""
STAGE_COLOURS: dict[str, str] = {stage: s["colour"] for stage, s in _STAGES.items()}
"""The colour of each stage in every chart."""
STOCK_STAGES: tuple[str, ...] = tuple(st for st, s in _STAGES.items() if s["kind"] == "stock")
"""Stages counted at a point in time (an estimate of people in a situation)."""
FLOW_STAGES: tuple[str, ...] = tuple(st for st, s in _STAGES.items() if s["kind"] == "flow")
"""Stages counted per year (identified, prosecuted, convicted, ...)."""
STAGE_NOUNS: dict[str, str] = {stage: s["noun"] for stage, s in _STAGES.items() if "noun" in s}
"""What a missing release loses, by stage ("convictions not available: ...")."""
STAGE_WORDS: dict[str, str] = {st: s["persons"] for st, s in _STAGES.items() if "persons" in s}
"""A stage in a brief's sentences and table rows ("persons convicted")."""

_STAGE_LISTS: dict[str, tuple[str, ...]] = {
    name: tuple(stages) for name, stages in spec()["stage_lists"].items()
}
JUSTICE_STAGES = _STAGE_LISTS["justice"]
"""Victim to conviction: identified, prosecuted, convicted (briefs, profiles, the ranking)."""
FUNNEL_STAGES = _STAGE_LISTS["funnel"]
"""A funnel's bars, from the estimate down."""
EXPLORER_STAGES = _STAGE_LISTS["explorer"]
"""The explorer's stage menu."""
GAP_STAGES = _STAGE_LISTS["gap"]
"""The two ends of the impunity gap: identified victims and convictions."""
OUTCOME_STAGES = _STAGE_LISTS["outcomes"]
"""What the justice system did: prosecutions and convictions."""

_GROUP_LISTS: dict[str, tuple[str, ...]] = {
    name: tuple(groups) for name, groups in spec()["group_lists"].items()
}
RANKING_GROUPS = _GROUP_LISTS["ranking"]
"""The groups ranked beside the participating States."""
BRIEF_GROUPS = _GROUP_LISTS["briefs"]
"""The groups that get a brief, beside the participating States."""
PROFILE_GROUPS = _GROUP_LISTS["profile"]
"""The groups a country profile compares a State with."""
EXPLORER_GROUPS = _GROUP_LISTS["explorer"]
"""The explorer's group menu."""
SITE_GROUPS = _GROUP_LISTS["site"]
"""The site's group pages, in order."""

ESTIMATE_CONCEPTS: dict[str, str] = dict(spec()["estimate_concepts"])
"""What an estimate counts, by its ``form``: named in every funnel that shows it."""
ESTIMATE_SHORT: dict[str, str] = dict(spec()["estimate_short"])
"""What an estimate counts, in a funnel bar's label."""
NO_DATA: str = spec()["no_data_colour"]
"""The colour of a "no data" mark."""


GLOSSARY_FILE = Path(__file__).with_name("glossary.yml")


@cache
def glossary() -> list[dict]:
    """The glossary (``glossary.yml``): each term with the words a reader sees and what they mean."""
    import yaml

    terms = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))["terms"]
    return [
        {**{k: str(t[k]).strip() for k in ("term", "words", "means")}, "when": t.get("when", [])}
        for t in terms
    ]


def glossary_for(text: str) -> list[dict[str, str]]:
    """The glossary's terms a text uses (a term without ``when`` phrases always), in order."""
    low = text.lower()
    return [
        {"words": t["words"], "means": t["means"]}
        for t in glossary()
        if not t["when"] or any(w.lower() in low for w in t["when"])
    ]


def stage_kind(stage: str) -> str:
    """``stock`` or ``flow``."""
    return _STAGES[stage]["kind"]
