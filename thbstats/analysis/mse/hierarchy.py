"""Hierarchical models as a search space: neighbours, a lazy enumeration and its size.

A hierarchical model holds an interaction only with every smaller interaction inside it. The
search over all models (Silverman, Chan and Vincent 2024) meets many of them: 2^C(t,2) with
two-list terms alone (32,768 for six lists, 268,435,456 for eight). They are generated one at a
time, never held in a list, and their number is computed first so that a search the machine
cannot finish is refused before it starts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from thbstats.analysis.mse.model import Model, Term

# The most models the search over all models fits (about 1-2 ms a model: a few minutes at most)
MAX_MODELS = 100_000


def addable(m: Model, t: int, maxorder: int) -> list[Model]:
    """Models one interaction larger that stay hierarchical (order at most maxorder).

    >>> [sorted(a) for a in addable(frozenset({(0, 1), (0, 2), (1, 2)}), 3, 3)]
    [[(0, 1), (0, 1, 2), (0, 2), (1, 2)]]
    """
    out = []
    for k in range(2, maxorder + 1):
        for s in itertools.combinations(range(t), k):
            if s not in m and (k == 2 or all(u in m for u in itertools.combinations(s, k - 1))):
                out.append(m | {s})
    return out


def removable(m: Model) -> list[Model]:
    """Models without one maximal interaction.

    >>> [sorted(r) for r in removable(frozenset({(0, 1), (2, 3)}))]
    [[(2, 3)], [(0, 1)]]
    """
    return [m - {s} for s in sorted(m) if not any(set(s) < set(u) for u in m)]


def _terms(t: int, maxorder: int) -> list[Term]:
    return [s for k in range(2, maxorder + 1) for s in itertools.combinations(range(t), k)]


def _allowed(s: Term, chosen: set[Term]) -> bool:
    return len(s) == 2 or all(u in chosen for u in itertools.combinations(s, len(s) - 1))


def iter_models(t: int, maxorder: int = 2) -> Iterator[Model]:
    """Every hierarchical model with interactions of order 2..maxorder, one at a time (each term
    in turn left out or, when its sub-interactions are in, put in: memory grows with the number
    of terms, not of models).

    Three lists: main effects, the 3 + 3 + 1 models of one, two or three pairs, and the
    three-list interaction:

    >>> sum(1 for _ in iter_models(3)), sum(1 for _ in iter_models(3, maxorder=3))
    (8, 9)
    >>> next(iter_models(8)) == frozenset()  # main effects first
    True
    """
    terms = _terms(t, maxorder)
    chosen: set[Term] = set()

    def walk(i: int) -> Iterator[Model]:
        if i == len(terms):
            yield frozenset(chosen)
            return
        yield from walk(i + 1)
        if _allowed(terms[i], chosen):
            chosen.add(terms[i])
            yield from walk(i + 1)
            chosen.remove(terms[i])

    return walk(0)


def count_models(t: int, maxorder: int = 2, budget: int = 100_000) -> tuple[int, bool]:
    """The number of hierarchical models, and whether it is exact (False: a lower bound, when
    counting would take more than ``budget`` steps). Two-list terms alone give 2^C(t,2) models;
    the terms of the highest order are counted at once (2^(number allowed)), the others walked.

    Five lists with three-list terms and six lists with three-list terms (the reference
    implementation's documentation gives the same 6,212 and 3,702,013), six and eight lists with
    pairs (counted at once):

    >>> count_models(5, 3), count_models(6, 3), count_models(6, 2), count_models(8, 2)
    ((6212, True), (3702013, True), (32768, True), (268435456, True))
    >>> count_models(8, 7)
    (268435456, False)
    """
    pairs, maxorder = t * (t - 1) // 2, min(maxorder, t)
    if maxorder < 2 or t < 2:
        return 1, True
    if maxorder == 2 or t == 2:
        return 2**pairs, True
    if 2**pairs > budget:
        return 2**pairs, False
    lower = _terms(t, maxorder - 1)
    top = list(itertools.combinations(range(t), maxorder))
    chosen: set[Term] = set()
    total, steps = 0, 0

    def walk(i: int) -> bool:  # False once the budget is spent
        nonlocal total, steps
        steps += 1
        if steps > budget:
            return False
        if i == len(lower):
            total += 2 ** sum(_allowed(s, chosen) for s in top)
            return True
        if not walk(i + 1):
            return False
        if _allowed(lower[i], chosen):
            chosen.add(lower[i])
            ok = walk(i + 1)
            chosen.remove(lower[i])
            return ok
        return True

    exact = walk(0)
    return (total, True) if exact else (max(total, 2**pairs), False)


def default_maxorder(method: str, t: int) -> int:
    """The reference implementation's default highest interaction order.

    Downhill: t - 1 (every order short of the saturated model); the search over all models:
    1 for two lists, 2 for three, 3 for four or five, 2 for six or more.

    >>> default_maxorder("downhill", 6), default_maxorder("exhaustive", 5), default_maxorder("exhaustive", 6)
    (5, 3, 2)
    """
    if method == "downhill":
        return max(t - 1, 1)
    return {2: 1, 3: 2, 4: 3, 5: 3}.get(t, 2)


def default_ntop(t: int) -> int | None:
    """Models kept for the bootstrap of the search over all models (the reference's default):
    all for two or three lists, the best 20 for four, the best 100 for five or more.

    >>> default_ntop(3), default_ntop(4), default_ntop(6)
    (None, 20, 100)
    """
    return None if t <= 3 else 20 if t == 4 else 100
