"""Model selection: forward stepwise (Chan, Silverman and Vincent 2021) and the downhill BIC
search (Silverman, Chan and Vincent 2024); the search over all models is in ``allmodels``.

Every search skips the models that cannot be fitted (thbstats.analysis.mse.checks) and says which.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import poisson

from thbstats.analysis.mse.fitting import ModelError, fit
from thbstats.analysis.mse.hierarchy import addable, default_maxorder, removable
from thbstats.analysis.mse.model import MAIN, Fit, Model, Term, n_star
from thbstats.analysis.mse.tables import CaptureTable

TAILS = ("both", "upper")  # stepwise p-value: the reference's two-tailed rule, or the upper tail


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
    ranked: list[Model] = field(default_factory=list)  # best models first (search over all)


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


def overlap_pvalue(table: CaptureTable, current: Fit, pair: Term, tail: str = "both") -> float:
    """Poisson p-value of N*_ij (people on both lists) under the current model.

    ``tail="both"`` (the reference implementation's rule): the smaller of P(X <= N*) and
    P(X >= N*), so an overlap unusually low counts as much as one unusually high (nobody on both
    lists where many were expected gives a small p-value). ``tail="upper"``: P(X >= N*) only, an
    unusually high overlap (p = 1 when nobody is on both lists).

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> main = mse.fit(kosovo, "[1,2,3,4]")
    >>> overlap_pvalue(kosovo, main, (1, 2)) < 0.02  # ABA and OSCE: the first step
    True
    """
    on_both = table.histories[:, list(pair)].all(axis=1)
    expected = float(current.mu[on_both].sum())
    observed = n_star(table, pair)
    upper = float(poisson.sf(observed - 1, expected)) if observed else 1.0
    if tail == "upper":
        return upper
    if tail != "both":
        raise ValueError(f"tail {tail!r}: expected one of {', '.join(TAILS)}")
    return min(upper, float(poisson.cdf(observed, expected)))


def stepwise(table: CaptureTable, pthresh: float = 0.02, tail: str = "both") -> Selection:
    """Forward stepwise selection of two-list interactions (Chan, Silverman and Vincent 2021).

    From main effects, add at each step the interaction with the smallest Poisson p-value of its
    overlap count under the current model (``overlap_pvalue``; ties: the first pair), among those
    whose model can be fitted, while that p-value is below ``pthresh``.

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
            (overlap_pvalue(table, current, s, tail), s) for s in pairs if s not in current.model
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


def _bic(fits: _Fits, m: Model, n: float | None, near: Model | None = None) -> float:
    f = fits.get(m, near)
    return np.inf if f is None else f.bic(n)


def downhill(
    table: CaptureTable,
    maxorder: int | None = None,
    start: Model = MAIN,
    n: float | None = None,
    niter: int = 20,
) -> Selection:
    """Downhill search by BIC (Silverman, Chan and Vincent 2024): from ``start``, move to the
    neighbouring model (one interaction added or removed, hierarchy kept) with the lowest BIC
    while that lowers the BIC, at most ``niter`` moves. ``maxorder``: highest interaction order,
    by default lists - 1 (the reference's default); ``n``: the sample size in the BIC penalty
    (default: observed).

    Kosovo 1999 (Silverman, Chan and Vincent 2024, Table 6: 14,342 pairwise, 10,357 up to
    three-list interactions, the default for four lists):

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> round(downhill(kosovo, maxorder=2).fit.total), round(downhill(kosovo).fit.total)
    (14342, 10357)
    """
    maxorder = default_maxorder("downhill", table.n_lists) if maxorder is None else maxorder
    fits = _Fits(table)
    current, score = start, _bic(fits, start, n)
    if not np.isfinite(score):
        raise ModelError(fits.refused[start])
    path = [fits.get(current).label]
    for _ in range(niter):
        nbrs = addable(current, table.n_lists, maxorder) + removable(current)
        best = min(nbrs, key=lambda m: (_bic(fits, m, n, current), sorted(m)), default=None)
        if best is None or _bic(fits, best, n) >= score:
            break
        current, score = best, _bic(fits, best, n)
        path.append(fits.get(current).label)
    scores = {f.label: f.bic(n) for f in fits.done.values() if f is not None}
    return Selection(fits.get(current), "downhill", path, _labels(fits), scores)
