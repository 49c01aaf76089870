"""The search over all hierarchical models by BIC (Silverman, Chan and Vincent 2024; the reference
implementation's method "bic", called ``exhaustive`` here).

Models are generated one at a time (``hierarchy.iter_models``) and only the best few are kept, so
memory does not grow with their number; a search with more than ``hierarchy.MAX_MODELS`` models
is refused before the first fit, with the count.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from thbstats.analysis.mse.fitting import ModelError, fit
from thbstats.analysis.mse.hierarchy import MAX_MODELS, count_models, default_maxorder, iter_models
from thbstats.analysis.mse.model import Model, notation
from thbstats.analysis.mse.selection import Selection
from thbstats.analysis.mse.tables import CaptureTable


class TooManyModels(ValueError):
    """A search over all models larger than the machine can finish (the message has the count).

    >>> issubclass(TooManyModels, ValueError)
    True
    """


def size_check(t: int, maxorder: int, limit: int = MAX_MODELS) -> int:
    """The number of models the search would fit; TooManyModels above ``limit``.

    >>> size_check(6, 2)
    32768
    >>> size_check(8, 2)
    Traceback (most recent call last):
    ...
    thbstats.analysis.mse.allmodels.TooManyModels: 268,435,456 hierarchical models (8 lists, ...
    """
    count, exact = count_models(t, maxorder)
    if count > limit:
        size = f"{count:,}" if exact else f"at least {count:,}"
        raise TooManyModels(
            f"{size} hierarchical models ({t} lists, interactions of up to {maxorder} lists): "
            f"more than the {limit:,} a search over all models can fit here; use the downhill "
            "or stepwise search, or a lower maxorder"
        )
    return count


def _key(bic: float, m: Model) -> tuple:
    return (bic, len(m), sorted(m))


def exhaustive(
    table: CaptureTable,
    maxorder: int | None = None,
    n: float | None = None,
    *,
    models: Iterable[Model] | None = None,
    keep: int = 1000,
) -> Selection:
    """The lowest-BIC model among all hierarchical models up to ``maxorder`` (default: the
    reference's, ``hierarchy.default_maxorder``), or among ``models`` when given (the bootstrap's
    top-ranked models). ``Selection.ranked`` holds the best ``keep`` models, best first.

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> s = exhaustive(kosovo)
    >>> s.fit.label, round(s.fit.total), len(s.ranked)
    ('[123,14,34]', 10357, 113)
    """
    t = table.n_lists
    maxorder = default_maxorder("exhaustive", t) if maxorder is None else maxorder
    if models is None:
        size_check(t, maxorder)
        models = iter_models(t, maxorder)
    best: list = []  # heap of the best `keep` fits: (-bic, ...) so the worst is popped
    refused: dict[str, str] = {}
    for i, m in enumerate(models):
        try:
            f = fit(table, m)
        except ModelError as exc:
            refused[notation(m, t)] = str(exc)
            continue
        item = (-f.bic(n), -len(m), i, f)  # the root of the heap: the worst model kept
        if len(best) < keep:
            heapq.heappush(best, item)
        elif item > best[0]:
            heapq.heapreplace(best, item)
    if not best:
        raise ModelError("no model can be fitted")
    ranked = sorted((x[-1] for x in best), key=lambda f: _key(f.bic(n), f.model))
    scores = {f.label: f.bic(n) for f in ranked}
    path = [ranked[0].label]
    return Selection(ranked[0], "exhaustive", path, refused, scores, [f.model for f in ranked])
