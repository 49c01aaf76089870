"""One home for the stages and the groups: thbstats/vocabulary.yml (read by vocabulary.py).

No other module of the package writes a list of stage names or of group codes as a literal (a
tuple, list or set of two or more of them, or a dict keyed by stage names): it takes the named
list from ``thbstats.vocabulary``. Docstrings and single names (``stage == "convicted"``) are free.
"""

from __future__ import annotations

import ast
from pathlib import Path

from thbstats import geo, vocabulary

PACKAGE = Path(__file__).resolve().parents[2] / "thbstats"
HOME = PACKAGE / "vocabulary.py"


def _strings(node: ast.AST) -> list[str] | None:
    """The strings of a tuple, list, set (its items) or dict (its keys) made only of strings."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = node.elts
    elif isinstance(node, ast.Dict):
        items = node.keys
    else:
        return None
    if not all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
        return None
    return [i.value for i in items]  # type: ignore[union-attr]


def spelled_lists(source: str, names: set[str]) -> list[tuple[int, list[str]]]:
    """(line, strings) of each literal of two or more strings, all of them in ``names``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        strings = _strings(node)
        if strings and len(strings) >= 2 and set(strings) <= names:
            found.append((node.lineno, strings))
    return found


def _outside_home(names: set[str], also: tuple[Path, ...] = ()) -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == HOME or path in also:
            continue
        for line, strings in spelled_lists(path.read_text(encoding="utf-8"), names):
            out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {strings}")
    return out


def test_no_stage_list_outside_the_vocabulary():
    stages = set(vocabulary.STAGE_LABELS)
    assert stages >= {"estimated", "identified", "prosecuted", "convicted"}
    assert _outside_home(stages) == []


def test_no_group_list_outside_the_vocabulary():
    groups = set(geo.groups()["code"])
    assert {"OSCE", "EU27", "TIP:EUR", "WORLD"} <= groups
    # geo.py maps a few groups to their membership files: the geography's data, not a list shown
    assert _outside_home(groups, also=(PACKAGE / "geo.py",)) == []


def test_the_check_finds_a_spelled_list():
    source = (
        'FLOWS = ("identified", "prosecuted", "convicted")\n'
        'WORDS = {"identified": "victims", "convicted": "persons convicted"}\n'
        'ONE = ("identified",)\n'
        'MIXED = ["identified", "form"]\n'
        'def f():\n    """("identified", "convicted") in a docstring is free."""\n'
    )
    assert spelled_lists(source, set(vocabulary.STAGE_LABELS)) == [
        (1, ["identified", "prosecuted", "convicted"]),
        (2, ["identified", "convicted"]),
    ]


def test_the_named_lists():
    assert vocabulary.JUSTICE_STAGES == ("identified", "prosecuted", "convicted")
    assert vocabulary.FUNNEL_STAGES == ("estimated", *vocabulary.JUSTICE_STAGES)
    assert vocabulary.GAP_STAGES == ("identified", "convicted")
    assert vocabulary.OUTCOME_STAGES == ("prosecuted", "convicted")
    assert vocabulary.BRIEF_GROUPS == ("OSCE", "EU27", "TIP:EUR")
    assert vocabulary.STAGE_WORDS["convicted"] == "persons convicted"
    assert vocabulary.STAGE_NOUNS["convicted"] == "convictions"
    listed = {*vocabulary.RANKING_GROUPS, *vocabulary.EXPLORER_GROUPS, *vocabulary.SITE_GROUPS}
    assert listed <= set(geo.groups()["code"])
