"""The package's import graph has no cycle (module-level imports, type-only ones included)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "thbstats"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(
    tree: ast.Module, name: str, is_package: bool, modules: set[str]
) -> set[str]:
    """Modules imported at module level, in ``if TYPE_CHECKING:`` blocks too; ``from p import m``
    of a submodule ``m`` is an import of ``p.m``."""
    nodes = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If):
            nodes.extend(node.body)
    found: set[str] = set()
    base = name if is_package else name.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base.rsplit(".", node.level - 1)[0] if node.level > 1 else base
                module = f"{anchor}.{node.module}" if node.module else anchor
            else:
                module = node.module or ""
            subs = {f"{module}.{a.name}" for a in node.names} & modules
            found.update(subs)
            if len(subs) < len(node.names):
                found.add(module)
    return {m for m in found if m.startswith("thbstats")}


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: _top_level_imports(
            ast.parse(path.read_text()), name, path.name == "__init__.py", set(modules)
        )
        & set(modules) - {name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_circular_imports() -> None:
    graph = _graph()
    assert (
        graph["thbstats.ingest.datapackage"]
        and "thbstats.ingest.build" not in graph["thbstats.ingest.datapackage"]
    )
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_no_module_over_300_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 300
    }
    assert long == {}
