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
ESTIMATE_CONCEPTS: dict[str, str] = dict(spec()["estimate_concepts"])
"""What an estimate counts, by its ``form``: named in every funnel that shows it."""
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
