"""Every public function of the API has a docstring with an example, and every example runs.

Public: the names in ``thbstats.__all__``; the public functions and classes of the analysis
modules (``thbstats.analysis.*``: the names in a module's ``__all__``, else those it defines without
a leading underscore); and the publishing API researchers call: every ``thbstats.publish.chartdata``
module, ``thbstats.publish.charts`` (its ``__all__`` and the ``draw_*``/``*_figure`` functions of
its modules), ``thbstats.publish.export``, ``thbstats.publish.narrative``,
``thbstats.publish.profile`` and ``thbstats.publish.explorer.Explorer``.

Examples are doctests; those that read the built table (``load(``, ``thb.total``, ...) or a
registered release (``registered_table(``) run with the official files (``dataset`` fixture), the
others on their own hand-made inputs.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re

import pytest

import thbstats
import thbstats.analysis
import thbstats.publish.chartdata
import thbstats.publish.charts

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
NEEDS_TABLE = re.compile(
    r"load\(|thb\.(total|change|shares|summary_table|impunity_ranking)\(|registered_table\("
)


def _modules(package) -> list[str]:
    found = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        found.append(info.name)
    return sorted(found)


def _drawing(module_name: str) -> dict[str, object]:
    """The ``draw_*``, ``*_figure`` and ``*_chart`` functions a charts module defines."""
    return {
        q: obj
        for q, obj in _public(module_name).items()
        if re.fullmatch(r"draw_\w+|\w+_figure|\w+_chart", q.rsplit(".", 1)[1])
    }


def _public(module_name: str) -> dict[str, object]:
    mod = importlib.import_module(module_name)
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [
            n
            for n, obj in vars(mod).items()
            if not n.startswith("_")
            and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == module_name
        ]
    out = {}
    for n in names:
        obj = getattr(mod, n)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            out[f"{module_name}.{n}"] = obj
    return out


def public_api() -> dict[str, object]:
    """Qualified name -> object, for the package's, the analysis and the publishing public API."""
    api = _public("thbstats")
    for m in ("thbstats.digest", "thbstats.flags", "thbstats.numbers"):  # the model layer
        api.update(_public(m))
    for m in _modules(thbstats.analysis) + _modules(thbstats.publish.chartdata):
        api.update(_public(m))
    api.update(_public("thbstats.publish.charts"))
    for m in _modules(thbstats.publish.charts)[1:]:
        api.update(_drawing(m))
    for m in ("export", "narrative", "profile"):
        api.update(_public(f"thbstats.publish.{m}"))
    from thbstats.publish.explorer import Explorer

    api["thbstats.publish.explorer.Explorer"] = Explorer
    return api


def _examples() -> list[tuple[str, doctest.DocTest]]:
    finder = doctest.DocTestFinder(recurse=True, exclude_empty=True)
    seen, out = set(), []
    for qual, obj in sorted(public_api().items(), key=lambda kv: (kv[0].count("."), kv[0])):
        if id(obj) in seen:  # re-exported by a package: run once, under its shortest name
            continue
        seen.add(id(obj))
        module = inspect.getmodule(obj)
        for t in finder.find(obj, qual, module=module, globs=vars(module).copy()):
            if t.examples:
                out.append((t.name, t))
    return out


EXAMPLES = _examples()
OFFLINE = [(n, t) for n, t in EXAMPLES if not NEEDS_TABLE.search(t.docstring or "")]
ON_TABLE = [(n, t) for n, t in EXAMPLES if NEEDS_TABLE.search(t.docstring or "")]


def _run(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_every_public_function_has_an_example():
    lacking = [q for q, obj in sorted(public_api().items()) if ">>>" not in (obj.__doc__ or "")]
    assert not lacking, "public functions without an example in their docstring: " + ", ".join(
        lacking
    )


def test_the_api_lists_the_question_functions():
    for name in ("load", "group", "groups", "total", "change", "shares", "summary_table"):
        assert name in thbstats.__all__ and callable(getattr(thbstats, name))


def test_a_lazy_name_is_the_analysis_function_itself():
    from thbstats.analysis import groups, panel

    assert thbstats.change is panel.change and thbstats.group is groups.group
    assert {"change", "group"} <= set(dir(thbstats))
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        thbstats.nonesuch  # noqa: B018


@pytest.mark.parametrize("name,test", OFFLINE, ids=[n for n, _ in OFFLINE])
def test_example_offline(name, test):
    _run(test)


@pytest.mark.parametrize("name,test", ON_TABLE, ids=[n for n, _ in ON_TABLE])
def test_example_on_the_built_table(name, test, dataset, request):
    if any("registered_table(" in e.source for e in test.examples):
        request.getfixturevalue("official")  # the release itself, not only the table built from it
    _run(test)
