"""Model selection: forward stepwise (Chan, Silverman and Vincent 2021) and BIC searches
(downhill and exhaustive; Silverman, Chan and Vincent 2024).

Every search skips the models that cannot be fitted (thbstats.analysis.mse.checks) and says which.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import poisson

from thbstats.analysis.mse.fitting import ModelError, fit
from thbstats.analysis.mse.model import MAIN, Fit, Model, Term, n_star
from thbstats.analysis.mse.tables import CaptureTable, drop_empty_lists

METHODS = ("stepwise", "downhill", "exhaustive")


@dataclass
class Selection:
    """The selected fit, how it was found, and the models refused on the way (with reasons).

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> s = stepwise(kosovo)
    >>> s.method, s.fit.label, s.path[0]
    ('stepwise', '[12,13,14,23,34]', '[1,2,3,4]')
    """

    fit: Fit
    method: str
    path: list[str] = field(default_factory=list)  # models visited, in order
    refused: dict[str, str] = field(default_factory=dict)  # model -> reason
    scores: dict[str, float] = field(default_factory=dict)  # model -> BIC (BIC searches)


class _Fits:
    """Fits of one table, each model fitted once; refused models remembered with the reason."""

    def __init__(self, table: CaptureTable):
        self.table, self.done, self.refused = table, {}, {}

    def get(self, m: Model, near: Model | None = None) -> Fit | None:
        if m not in self.done:
            try:
                self.done[m] = fit(self.table, m, self.done.get(near))
            except ModelError as exc:
                self.done[m] = None
                self.refused[m] = str(exc)
        return self.done[m]


def _labels(fits: _Fits) -> dict[str, str]:
    from thbstats.analysis.mse.model import notation

    return {notation(m, fits.table.n_lists): why for m, why in fits.refused.items()}


def overlap_pvalue(table: CaptureTable, current: Fit, pair: Term) -> float:
    """One-sided Poisson p-value of N*_ij (people on both lists) under the current model.

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> from thbstats.analysis.mse.model import parse
    >>> main = mse.fit(kosovo, "[1,2,3,4]")
    >>> round(overlap_pvalue(kosovo, main, (1, 2)), 4) < 0.02  # ABA and OSCE: the first step
    True
    """
    on_both = table.histories[:, list(pair)].all(axis=1)
    expected = float(current.mu[on_both].sum())
    observed = n_star(table, pair)
    if observed == 0:
        return 1.0
    return float(poisson.sf(observed - 1, expected)) if expected > 0 else 0.0


def stepwise(table: CaptureTable, pthresh: float = 0.02) -> Selection:
    """Forward stepwise selection of two-list interactions (Chan, Silverman and Vincent 2021).

    From main effects, add at each step the interaction with the smallest one-sided Poisson
    p-value of its overlap count under the current model, among those whose model can be fitted,
    while that p-value is below ``pthresh``.

    Kosovo 1999: the model the authors name for the stepwise search, 14,342 in all:

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> s = stepwise(kosovo)
    >>> s.fit.label, round(s.fit.total)
    ('[12,13,14,23,34]', 14342)
    """
    fits = _Fits(table)
    current = fits.get(MAIN)
    if current is None:
        raise ModelError(fits.refused[MAIN])
    path = [current.label]
    pairs = list(itertools.combinations(range(table.n_lists), 2))
    while True:
        ranked = sorted(
            (overlap_pvalue(table, current, s), s) for s in pairs if s not in current.model
        )
        step = None
        for p, s in ranked:
            if p >= pthresh:
                break
            step = fits.get(current.model | {s}, near=current.model)
            if step is not None:
                break
        if step is None:
            return Selection(current, "stepwise", path, _labels(fits))
        current = step
        path.append(current.label)


def _addable(m: Model, t: int, maxorder: int) -> list[Model]:
    """Models one interaction larger that stay hierarchical (order at most maxorder)."""
    out = []
    for k in range(2, maxorder + 1):
        for s in itertools.combinations(range(t), k):
            if s in m:
                continue
            subs = [u for u in itertools.combinations(s, k - 1) if len(u) >= 2]
            if all(u in m for u in subs):
                out.append(m | {s})
    return out


def _removable(m: Model) -> list[Model]:
    """Models without one maximal interaction."""
    return [m - {s} for s in m if not any(set(s) < set(u) for u in m)]


def _bic(fits: _Fits, m: Model, n: float | None, near: Model | None = None) -> float:
    f = fits.get(m, near)
    return np.inf if f is None else f.bic(n)


def downhill(
    table: CaptureTable, maxorder: int = 2, start: Model = MAIN, n: float | None = None
) -> Selection:
    """Downhill search by BIC (Silverman, Chan and Vincent 2024): from ``start``, move to the
    neighbouring model (one interaction added or removed, hierarchy kept) with the lowest BIC
    while that lowers the BIC. ``n`` is the sample size in the BIC penalty (default: observed).

    Kosovo 1999 (Silverman, Chan and Vincent 2024, Table 6: 14,342 pairwise, 10,357 up to
    three-list interactions):

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> round(downhill(kosovo).fit.total), round(downhill(kosovo, maxorder=3).fit.total)
    (14342, 10357)
    """
    fits = _Fits(table)
    current, score = start, _bic(fits, start, n)
    if not np.isfinite(score):
        raise ModelError(fits.refused[start])
    path = [fits.get(current).label]
    while True:
        nbrs = _addable(current, table.n_lists, maxorder) + _removable(current)
        best = min(nbrs, key=lambda m: (_bic(fits, m, n, current), sorted(m)), default=None)
        if best is None or _bic(fits, best, n) >= score:
            break
        current, score = best, _bic(fits, best, n)
        path.append(fits.get(current).label)
    scores = {f.label: f.bic(n) for f in fits.done.values() if f is not None}
    return Selection(fits.get(current), "downhill", path, _labels(fits), scores)


def all_models(t: int, maxorder: int = 2) -> list[Model]:
    """Every hierarchical model with interactions of order 2..maxorder.

    Three lists: main effects, the 3 + 3 + 1 models of one, two or three pairs, and the
    three-list interaction:

    >>> len(all_models(3)), len(all_models(3, maxorder=3))
    (8, 9)
    """
    seen, frontier = {MAIN}, [MAIN]
    while frontier:
        nxt = []
        for m in frontier:
            for a in _addable(m, t, maxorder):
                if a not in seen:
                    seen.add(a)
                    nxt.append(a)
        frontier = nxt
    return sorted(seen, key=lambda m: (len(m), sorted(m)))


def exhaustive(table: CaptureTable, maxorder: int = 2, n: float | None = None) -> Selection:
    """The lowest-BIC model among all hierarchical models (feasible for few lists).

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> s = exhaustive(kosovo, maxorder=3)
    >>> s.fit.label, round(s.fit.total)
    ('[123,14,34]', 10357)
    """
    fits = _Fits(table)
    models = all_models(table.n_lists, maxorder)
    if len(models) > 5000:
        raise ValueError(f"{len(models)} models: too many for an exhaustive search (use downhill)")
    best = min(models, key=lambda m: (_bic(fits, m, n), len(m), sorted(m)))
    if fits.get(best) is None:
        raise ModelError("no model can be fitted")
    scores = {f.label: f.bic(n) for f in fits.done.values() if f is not None}
    return Selection(fits.get(best), "exhaustive", [fits.get(best).label], _labels(fits), scores)


def select(
    table: CaptureTable, method: str = "stepwise", pthresh: float = 0.02, maxorder: int = 2
) -> Selection:
    """Run one of METHODS (on the lists somebody is on: an empty list carries no information).

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> round(select(kosovo, "exhaustive").fit.total)
    14342
    """
    table = drop_empty_lists(table)
    if table.n_lists < 2:
        raise ModelError("fewer than two lists with anybody on them")
    if method == "stepwise":
        return stepwise(table, pthresh)
    if method == "downhill":
        return downhill(table, maxorder)
    if method == "exhaustive":
        return exhaustive(table, maxorder)
    raise ValueError(f"method {method!r}: expected one of {', '.join(METHODS)}")
