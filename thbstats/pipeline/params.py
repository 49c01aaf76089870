"""Check a run's parameters against its notebook's ``parameters`` cell before anything starts.

A notebook behaves like a function: the cell tagged ``parameters`` is its signature (names and
literal defaults, read from the cell's AST, never executed). A parameter the cell does not
define, a value of another type than the default's, or an unknown geography code is an error.

A parameter holds geography codes when the cell says so by its type, ``geo: Geo = "OSCE"``
(``thbstats.Geo``: a code or a list of codes), whatever its name: ``group: Geo = "OSCE"`` and
``regions: Geo = []`` are checked like ``geo``.
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from thbstats.errors import ThbError

from .config import Run

NO_DEFAULT = object()  # a default that is not a literal (e.g. ``today = date.today()``)
GEO_TYPE = "Geo"  # the annotation that marks a geography parameter (``thbstats.Geo``)
SCALARS = (str, int, float, bool, type(None))


class ParameterError(ThbError):
    """Parameters of one or more runs do not match their notebooks (one line per problem)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} parameter problem(s), nothing was run:\n  " + "\n  ".join(problems)
        )


def _parameters_source(notebook: Path) -> str | None:
    """The source of the cell tagged ``parameters``; None when there is none."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    return None


def notebook_parameters(notebook: Path) -> dict[str, Any] | None:
    """Names and literal defaults of the cell tagged ``parameters``; None when there is none."""
    source = _parameters_source(notebook)
    return None if source is None else _assignments(source)


def geo_parameters(notebook: Path) -> frozenset[str]:
    """Names the parameters cell declares as geographies (``name: Geo = ...``)."""
    return _geo_parameters(notebook, notebook.stat().st_mtime_ns)


@cache
def _geo_parameters(notebook: Path, _mtime: int) -> frozenset[str]:
    source = _parameters_source(notebook)
    if source is None:
        return frozenset()
    return frozenset(
        node.target.id
        for node in ast.parse(source).body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and _is_geo_annotation(node.annotation)
    )


def _is_geo_annotation(node: ast.expr) -> bool:
    """``Geo``, ``thbstats.Geo`` (any ``x.Geo``) or the string ``"Geo"``."""
    if isinstance(node, ast.Name):
        return node.id == GEO_TYPE
    if isinstance(node, ast.Attribute):
        return node.attr == GEO_TYPE
    return isinstance(node, ast.Constant) and node.value == GEO_TYPE


def _assignments(source: str) -> dict[str, Any]:
    """Top-level ``name = literal`` (or ``name: T = literal``) statements of a cell."""
    found: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:
                    found[target.id] = NO_DEFAULT
    return found


def type_problem(value: Any, default: Any) -> str | None:
    """Why ``value`` cannot replace ``default`` (None when it can).

    Types must match exactly, with two exceptions: a float default accepts an int, and a None
    or non-literal default accepts any plain value. ``"007"`` never becomes 7, True never 1.
    """
    if not _is_plain(value):
        return (
            f"a plain value (str, int, finite float, bool, list, dict), "
            f"found {type(value).__name__} {value!r}"
        )
    if default is NO_DEFAULT or default is None:
        return None
    expected = type(default)
    if type(value) is expected or (expected is float and type(value) is int):
        if isinstance(value, list | dict | tuple) and len(value) and len(default):
            return _container_problem(value, default)
        return None
    if expected is tuple and type(value) is list:
        return None
    found = type(value).__name__
    return f"{expected.__name__} like the default {default!r}, found {found} {value!r}"


def _container_problem(value: Any, default: Any) -> str | None:
    """Items of a list must have the type of the default's first item (dicts: not checked)."""
    if isinstance(default, dict):
        return None
    sample = next(iter(default))
    for item in value:
        if type_problem(item, sample):
            return (
                f"a list of {type(sample).__name__} like the default {default!r}, "
                f"found item {item!r}"
            )
    return None


def _is_plain(value: Any) -> bool:
    """Values YAML can write and papermill injects as literals (no dates, objects, nan, inf)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, SCALARS):
        return True
    if isinstance(value, list | tuple):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def geo_values(run: Run) -> list[str]:
    """The geography codes a run passes: the values of its notebook's ``Geo`` parameters."""
    names = geo_parameters(run.notebook) if run.notebook.is_file() else frozenset()
    return [
        code
        for name in sorted(names & set(run.parameters))
        for code in _codes(run.parameters[name])
    ]


def check_runs(
    runs: Iterable[Run],
    is_known: Callable[[str], bool] | None,
    geo_for: Callable[[Run], bool] = lambda run: True,
) -> None:
    """Raise ParameterError listing every problem of every run (none: return quietly).

    Geography codes are checked with ``is_known`` (when given) for the runs ``geo_for`` selects.
    """
    problems: list[str] = []
    signatures: dict[Path, dict[str, Any] | None] = {}
    for run in runs:
        if run.notebook not in signatures:
            signatures[run.notebook] = notebook_parameters(run.notebook)
        checker = is_known if geo_for(run) else None
        geo = geo_parameters(run.notebook) if signatures[run.notebook] is not None else frozenset()
        problems.extend(run_problems(run, signatures[run.notebook], checker, geo))
    if problems:
        raise ParameterError(problems)


def run_problems(
    run: Run,
    signature: dict[str, Any] | None,
    is_known: Callable[[str], bool] | None,
    geo: frozenset[str] = frozenset(),
) -> list[str]:
    """The problems of one run's parameters against its notebook's signature.

    ``geo`` names the parameters whose values are geography codes (declared ``Geo``).
    """
    where = f"run {run.run_id} ({run.notebook.name})"
    if signature is None:
        return [f"{where}: notebook has no cell tagged 'parameters'"] if run.parameters else []
    problems = []
    for name, value in run.parameters.items():
        if name not in signature:
            known = ", ".join(sorted(signature)) or "none"
            problems.append(
                f"{where}: unknown parameter {name!r}; the parameters cell defines: {known}"
            )
            continue
        problem = geo_problem(value) if name in geo else type_problem(value, signature[name])
        if problem:
            problems.append(f"{where}: parameter {name!r}: expected {problem}")
        elif is_known is not None and name in geo:
            problems.extend(
                f"{where}: parameter {name!r}: unknown geography code {code!r} "
                f"(expected an ISO3 code or a group code known to thbstats.geo)"
                for code in _codes(value)
                if not is_known(code)
            )
    return problems


def geo_problem(value: Any) -> str | None:
    """A ``Geo`` parameter takes a code or a list of codes, whatever its default."""
    if isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return None
    return f"a geography code or a list of codes, found {type(value).__name__} {value!r}"


def _codes(value: Any) -> list[str]:
    """The geography codes in a geo parameter's value (a code, or a list of codes)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def check_injection(parameters: dict[str, Any]) -> None:
    """Refuse to run unless papermill's injected cell is only ``name = literal`` lines.

    papermill writes strings with its own escaping (not ``repr``); this re-reads the code it
    would inject and checks that each value evaluates, as a literal, back to what was given.
    """
    import ast

    from papermill.translators import PythonTranslator

    for name, value in parameters.items():
        code = PythonTranslator.assign(name, PythonTranslator.translate(value))
        tree = ast.parse(code)
        ok = (
            len(tree.body) == 1
            and isinstance(tree.body[0], ast.Assign)
            and ast.literal_eval(tree.body[0].value) == value
        )
        if not ok:
            raise ValueError(
                f"parameter {name!r}: value {value!r} would not be injected "
                f"as a plain literal: {code!r}"
            )
