"""The package's layers run one way, and its import graph has no cycle.

model <- ingest <- analysis <- figures <- outputs <- documents <- pipeline <- cli: a module imports
only from its own layer or a lower one. Every import counts: at module level, inside a function,
and under ``if TYPE_CHECKING:``. Which module is in which layer is the table import_layers.csv
beside this file (the longest matching prefix decides; every module must match one).
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "thbstats"
TABLE = Path(__file__).with_name("import_layers.csv")

Edge = tuple[str, str, int]
"""(importing module, imported module, line)."""


def _module(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    """The module a ``from ... import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = (name if is_package else name.rpartition(".")[0]).split(".")
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _owner(name: str, modules: set[str]) -> str:
    """``name`` itself when it is a module of the package, else its nearest enclosing module."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def edges(package: Path = PACKAGE) -> list[Edge]:
    """Every import of a thbstats module by a thbstats module (``from p import m`` of a
    submodule ``m`` is an import of ``p.m``)."""
    files = {_module(p, package): p for p in package.rglob("*.py")}
    modules = set(files)
    out: list[Edge] = []
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = _imported(node, name, path.name == "__init__.py")
                targets = [f"{module}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                if target.startswith("thbstats") and (found := _owner(target, modules)) != name:
                    out.append((name, found, node.lineno))
    return out


def layers() -> tuple[list[str], dict[str, str]]:
    """The layers, lowest first, and the layer of each module prefix (import_layers.csv)."""
    with TABLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return list(dict.fromkeys(r["layer"] for r in rows)), {r["module"]: r["layer"] for r in rows}


def layer_of(module: str, table: dict[str, str]) -> str | None:
    """The layer of the longest prefix of ``module`` in ``table``; None when none matches."""
    name = module
    while name:
        if name in table:
            return table[name]
        name = name.rpartition(".")[0]
    return None


def upward(found: list[Edge], order: list[str], table: dict[str, str]) -> list[str]:
    """The imports from a lower layer to a higher one, as "file:line layer -> module layer"."""
    rank = {name: i for i, name in enumerate(order)}
    bad = []
    for src, dst, line in found:
        low, high = layer_of(src, table), layer_of(dst, table)
        if low and high and rank[high] > rank[low]:
            bad.append(f"{src}:{line} ({low}) imports {dst} ({high})")
    return sorted(set(bad))


def cycle(found: list[Edge]) -> list[str] | None:
    """One import cycle (its modules, the first repeated at the end), or None."""
    graph: dict[str, set[str]] = {}
    for src, dst, _ in found:
        graph.setdefault(src, set()).add(dst)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (loop := visit(nxt)):
                return loop
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (loop := visit(node)):
            return loop
    return None


@pytest.fixture(scope="module")
def graph() -> list[Edge]:
    return edges()


def test_every_module_has_a_layer(graph):
    order, table = layers()
    assert order == [
        "model",
        "ingest",
        "analysis",
        "figures",
        "outputs",
        "documents",
        "pipeline",
        "cli",
    ]
    modules = {_module(p) for p in PACKAGE.rglob("*.py")}
    assert len(modules) > 100 and len(graph) > 400
    assert sorted(m for m in modules if layer_of(m, table) is None) == []


def test_no_import_runs_up_a_layer(graph):
    order, table = layers()
    assert upward(graph, order, table) == []


def test_no_import_cycle(graph):
    assert ("thbstats.ingest.fetch", "thbstats.ingest.releases") in {(a, b) for a, b, _ in graph}
    assert cycle(graph) is None, " -> ".join(cycle(graph) or [])


def test_the_checks_catch_an_upward_import_and_a_cycle(tmp_path):
    pkg = tmp_path / "thbstats"
    (pkg / "ingest").mkdir(parents=True)
    (pkg / "analysis").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "ingest" / "__init__.py").write_text("")
    (pkg / "analysis" / "__init__.py").write_text("")
    (pkg / "ingest" / "read.py").write_text(
        "def f():\n    from thbstats.analysis import sums\n    return sums\n"
    )
    (pkg / "analysis" / "sums.py").write_text("from thbstats.ingest import read\n")
    found = edges(pkg)
    assert sorted(found) == [
        ("thbstats.analysis.sums", "thbstats.ingest.read", 1),
        ("thbstats.ingest.read", "thbstats.analysis.sums", 2),
    ]
    order, table = layers()
    assert upward(found, order, table) == [
        "thbstats.ingest.read:2 (ingest) imports thbstats.analysis.sums (analysis)"
    ]
    assert cycle(found) == [
        "thbstats.analysis.sums",
        "thbstats.ingest.read",
        "thbstats.analysis.sums",
    ]


def test_short_names_of_analysis_modules():
    import thbstats
    from thbstats import metrics, mse, revisions
    from thbstats.analysis import metrics as metrics_module
    from thbstats.analysis import mse as mse_module
    from thbstats.analysis import revisions as revisions_module

    assert (mse, revisions, metrics) == (mse_module, revisions_module, metrics_module)
    assert callable(mse.estimate) and callable(revisions.compare)
    assert {"metrics", "mse", "revisions"} <= set(dir(thbstats))


def test_every_module_imports():
    """A name moved to a lower layer is imported from there by every module (``__main__``
    modules run a command when imported: left out)."""
    import importlib

    modules = sorted(_module(p) for p in PACKAGE.rglob("*.py") if p.stem != "__main__")
    failed = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            failed[name] = str(exc)
    assert failed == {}
