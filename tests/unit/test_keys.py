"""The primary key, the figure key and the "latest release" rule are written once (schema.yml and
thbstats.schema); every other module imports them."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import yaml

from thbstats import schema
from thbstats.analysis.metrics.select import defaults
from thbstats.ingest import vintages

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_YML = ROOT / "thbstats" / "schema.yml"
# every column a figure is told apart by, source aside (a copy of either key holds them all)
CORE = {"geo", "year_start", "year_end", "stage", "form", "sex", "age", "unit"}


def _literal_keys(source: str) -> list[tuple[int, list[str]]]:
    """Line and items of each list, tuple or set of string constants holding every CORE column."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if all(isinstance(i, str) for i in items) and CORE <= set(items):
                found.append((node.lineno, items))
    return found


def test_the_keys_come_from_schema_yml() -> None:
    spec = yaml.safe_load(SCHEMA_YML.read_text(encoding="utf-8"))
    assert schema.KEY == spec["primaryKey"]
    assert schema.KEY[:4] == ["publication", "geo", "year_start", "year_end"]
    assert schema.FIGURE_KEY == spec["figureKey"] and schema.FIGURE_KEY[0] == "source"
    assert set(schema.VARIANT_FLAGS) == {"range_low", "range_high", "alternative", "derived"}
    assert schema.NOT_DEFAULT_FLAGS == tuple(spec["notDefault"])
    assert set(schema.NOT_DEFAULT_FLAGS) == {
        "range_low",
        "range_high",
        "alternative",
        "superseded_by_parts",
        "second_voice",
    }


def test_the_detector_sees_a_key_written_out() -> None:
    old = 'KEY = ["source", "geo", "year_start", "year_end", "stage", "form", "sex", "age", "unit"]'
    assert [line for line, _ in _literal_keys(old)] == [1]
    assert _literal_keys('BASE = ["publication", "geo", "year_start", "year_end", "stage"]') == []


def test_no_module_writes_a_key_out_again() -> None:
    copies = {
        f"{path.relative_to(ROOT)}:{line}": items
        for folder in ("thbstats", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, items in _literal_keys(path.read_text(encoding="utf-8"))
    }
    assert copies == {}, "import thbstats.schema.KEY / FIGURE_KEY instead"


def _rows(*specs: tuple[str, str, float]) -> pd.DataFrame:
    """Rows of one figure (ALB identified 2018) printed by several publications."""
    base = dict(source="TIP", geo="ALB", year_start=2018, year_end=2018, stage="identified")
    base |= dict(form="all", sex="all", age="all", unit="persons", citation="c")
    return pd.DataFrame(
        [
            {**base, "publication": p, "flag": f, "value": v, "value_min": v, "value_max": v}
            for p, f, v in specs
        ]
    )


def test_latest_release_rule_is_the_same_for_the_build_and_for_defaults() -> None:
    df = _rows(
        ("TIP Report 2020", "", 90.0),
        ("TIP Report 2019", "", 80.0),
        ("TIP Report 2020 (secondary copy)", "secondary_source", 91.0),
        ("TIP Report 2021", "alternative", 95.0),
    )
    marked, _ = vintages.mark(df)
    # the newest edition wins; within it the original over its secondary copy; a variant is apart
    assert marked.loc[marked["latest"], "value"].tolist() == [90.0, 95.0]
    assert "revised" in marked.loc[1, "flag"]  # 80 in 2019, 91 in the 2020 copy
    assert defaults(df)["value"].tolist() == [90.0]
    assert schema.newest(df["publication"]) == "TIP Report 2021"
