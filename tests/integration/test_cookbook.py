"""docs/cookbook.md: every recipe's `>>>` lines run on the built table and print what the page
says (doctest, one test per recipe)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cookbook.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def recipes() -> list[tuple[str, str]]:
    """(heading, the recipe's pycon code) for every "## How ..." section of the cookbook."""
    text = COOKBOOK.read_text(encoding="utf-8")
    out = []
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = section.partition("\n")
        code = "\n".join(re.findall(r"```pycon\n(.*?)```", body, flags=re.S))
        out.append((heading.strip(), code))
    return out


RECIPES = recipes()


def test_the_cookbook_has_a_dozen_recipes_each_with_checked_output():
    assert len(RECIPES) >= 12
    for heading, code in RECIPES:
        assert heading.startswith(("How ", "What ")), heading
        examples = doctest.DocTestParser().get_examples(code)
        assert examples, f"recipe without an example: {heading}"
        assert any(e.want for e in examples), f"recipe whose output is not checked: {heading}"


@pytest.mark.parametrize("heading,code", RECIPES, ids=[h[:60] for h, _ in RECIPES])
def test_recipe(heading, code, dataset):
    test = doctest.DocTestParser().get_doctest(code, {}, heading, str(COOKBOOK), 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
