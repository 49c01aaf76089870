"""One entry to every selection method, with the reference implementation's defaults.

``auto`` is the reference's default method: the search over all models by BIC for five lists
or fewer, stepwise beyond.
"""

from __future__ import annotations

from collections.abc import Iterable

from thbstats.analysis.mse.allmodels import exhaustive
from thbstats.analysis.mse.fitting import ModelError
from thbstats.analysis.mse.hierarchy import default_maxorder
from thbstats.analysis.mse.model import Model
from thbstats.analysis.mse.selection import Selection, downhill, stepwise
from thbstats.analysis.mse.tables import CaptureTable, drop_empty_lists

METHODS = ("auto", "stepwise", "downhill", "exhaustive")


def resolve(method: str, n_lists: int) -> str:
    """The method ``auto`` stands for on a table of ``n_lists`` lists (others are themselves).

    >>> resolve("auto", 5), resolve("auto", 6), resolve("downhill", 8)
    ('exhaustive', 'stepwise', 'downhill')
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r}: expected one of {', '.join(METHODS)}")
    if method == "auto":
        return "exhaustive" if n_lists <= 5 else "stepwise"
    return method


def select(
    table: CaptureTable,
    method: str = "auto",
    pthresh: float = 0.02,
    maxorder: int | None = None,
    *,
    tail: str = "both",
    niter: int = 20,
    models: Iterable[Model] | None = None,
) -> Selection:
    """Run one of METHODS on the lists somebody is on (an empty list carries no information).

    ``maxorder=None``: the reference's default for the method (``hierarchy.default_maxorder``);
    ``auto`` and the defaults count every list of the table, as the reference does;
    ``models``: the models the search over all models ranks (default: every one).

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> s = select(kosovo)
    >>> s.method, s.fit.label, round(s.fit.total)
    ('exhaustive', '[123,14,34]', 10357)
    """
    full, table = table, drop_empty_lists(table)
    if models is not None and table.n_lists < full.n_lists:
        models = _on_lists(models, [full.lists.index(x) for x in table.lists])
    if table.n_lists < 2:
        raise ModelError("fewer than two lists with anybody on them")
    # as the reference, the defaults follow the table's lists, those nobody is on included
    method = resolve(method, full.n_lists)
    if maxorder is None and method != "stepwise":
        maxorder = default_maxorder(method, full.n_lists)
    if method == "stepwise":
        return stepwise(table, pthresh, tail)
    if method == "downhill":
        return downhill(table, maxorder, niter=niter)
    return exhaustive(table, maxorder, models=models)


def _on_lists(models: Iterable[Model], kept: list[int]) -> list[Model]:
    """The models on the kept lists (renumbered), without the terms of the lists left out.

    >>> _on_lists([frozenset({(0, 1), (1, 2)})], [1, 2])
    [frozenset({(0, 1)})]
    """
    new = {old: k for k, old in enumerate(kept)}
    out: dict[Model, None] = {}
    for m in models:
        terms = (s for s in m if all(i in new for i in s))
        out[frozenset(tuple(new[i] for i in s) for s in terms)] = None
    return list(out)
